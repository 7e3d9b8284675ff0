/**
 * The devices behind a VSP instance, faked: a block device (storage) or a network port that
 * completes each request a set number of steps later, failing the ones the test picks; or a
 * virtual device with nothing behind it.
 */
import type {
  BlockDevicePort,
  BlockRequest,
  DeviceCompletion,
  NetworkPort,
  VirtualDevicePort,
  VspChannel,
  VspDevicePort,
} from '../../../core/vsp/types.js';
import type { FakeChannel } from './fake-channel.js';
import type { DeviceRequestRecord } from './records.js';

/**
 * The device the harness puts behind the VSP.
 *
 * @example
 * ```ts
 * // A disk that answers after 3 steps and fails every tenth request.
 * const device: FakeDeviceOptions = { kind: 'block', latencySteps: 3, fail: (_r, i) => i % 10 === 9 };
 * ```
 */
export type FakeDeviceOptions =
  | {
      readonly kind: 'block';
      readonly id?: string;
      /** Steps between a request and its completion. Default 1. */
      readonly latencySteps?: number;
      /** Which requests complete with status `error` (`index` counts requests from 0). */
      readonly fail?: (request: DeviceRequestRecord, index: number) => boolean;
    }
  | {
      readonly kind: 'network';
      readonly id?: string;
      readonly latencySteps?: number;
      /** Whether the NIC offers SR-IOV virtual functions. Default false. */
      readonly sriov?: boolean;
      readonly fail?: (request: DeviceRequestRecord, index: number) => boolean;
    }
  | { readonly kind: 'virtual'; readonly id?: string };

/** What the fake devices need from the harness. */
export interface FakeDeviceHost {
  /** The harness's channel for a handle the VSP passed back (throws for a foreign one). */
  own(channel: VspChannel): FakeChannel;
  defer(channel: FakeChannel, effect: () => void): boolean;
  /** Runs `run` after `delaySteps` steps. */
  later(delaySteps: number, run: () => void): void;
  /** Delivers a device completion to the VSP's `onDeviceCompleted`. */
  deviceCompleted(channel: FakeChannel, completion: DeviceCompletion): void;
  record(request: DeviceRequestRecord): void;
  readonly step: number;
}

/**
 * Builds the device port described by `options`.
 *
 * @example
 * ```ts
 * const port = fakeDevicePort({ kind: 'block', latencySteps: 2 }, host);
 * ```
 */
export function fakeDevicePort(options: FakeDeviceOptions, host: FakeDeviceHost): VspDevicePort {
  switch (options.kind) {
    case 'block':
      return fakeBlockDevice(options, host);
    case 'network':
      return fakeNetworkPort(options, host);
    case 'virtual':
      return { kind: 'virtual', id: options.id ?? 'virtual0' } satisfies VirtualDevicePort;
  }
}

interface Issue {
  readonly latencySteps?: number;
  readonly fail?: (request: DeviceRequestRecord, index: number) => boolean;
}

function issuer(options: Issue, host: FakeDeviceHost) {
  let index = 0;
  return (channel: FakeChannel, record: DeviceRequestRecord, bytes: number): void => {
    host.defer(channel, () => {
      host.record(record);
      const failed = options.fail?.(record, index) ?? false;
      index++;
      host.later(options.latencySteps ?? 1, () => {
        host.deviceCompleted(channel, {
          tag: record.tag,
          status: failed ? 'error' : 'ok',
          bytes: failed ? 0 : bytes,
        });
      });
    });
  };
}

function fakeBlockDevice(
  options: Extract<FakeDeviceOptions, { kind: 'block' }>,
  host: FakeDeviceHost,
): BlockDevicePort {
  const issue = issuer(options, host);
  return {
    kind: 'block',
    id: options.id ?? 'disk0',
    submit(channel: VspChannel, request: BlockRequest): void {
      const ch = host.own(channel);
      const op = request.op;
      const bytes = op === 'flush' ? 0 : Math.max(0, Math.floor(request.bytes));
      const copy: BlockRequest = { op, offsetBytes: request.offsetBytes, bytes, tag: request.tag };
      issue(
        ch,
        { channel: ch.id, block: copy, transmitBytes: 0, tag: request.tag, step: host.step },
        bytes,
      );
    },
  };
}

function fakeNetworkPort(
  options: Extract<FakeDeviceOptions, { kind: 'network' }>,
  host: FakeDeviceHost,
): NetworkPort {
  const issue = issuer(options, host);
  const sriov = options.sriov ?? false;
  return {
    kind: 'network',
    id: options.id ?? 'nic0',
    sriov,
    transmit(channel: VspChannel, bytes: number, tag: number): void {
      const ch = host.own(channel);
      const n = Math.max(0, Math.floor(bytes));
      issue(ch, { channel: ch.id, block: undefined, transmitBytes: n, tag, step: host.step }, n);
    },
    assignVirtualFunction(channel: VspChannel): boolean {
      host.own(channel);
      return sriov;
    },
  };
}
