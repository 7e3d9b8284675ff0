/**
 * Builders for the hypervisor's unit tests: recording fakes for the integrator's sinks, and a
 * host with a booted child partition. Not part of the public API (not exported by index.ts).
 */
import type { HostOs } from '../model/index.js';
import { HvCallCode } from './call-codes.js';
import {
  enlightenedBoot,
  HYPERVISOR_CALLBACK_VECTOR,
  LINUX_6_1_GUEST_OS_ID,
  LINUX_VMBUS_SINT_AUTO_EOI,
} from './guest-boot.js';
import { repCall, simpleCall, type HypercallControl } from './hypercall-input.js';
import type { HypercallParams, HypercallRequest, HypercallResult } from './hypercall-types.js';
import { Hypervisor } from './hypervisor.js';
import { VMBUS_MESSAGE_SINT } from './msr.js';
import { HvPortType } from './ports.js';
import { HvStatus } from './status.js';
import type { SynicInterruptSink, VpControl } from './tokens.js';
import { WinHv } from './winhv.js';
import type { GuestBootOptions } from './guest-boot.js';

export interface RaisedInterrupt {
  readonly partitionId: number;
  readonly vpIndex: number;
  readonly sint: number;
  readonly vector: number;
}

export class RecordingSink implements SynicInterruptSink {
  readonly raised: RaisedInterrupt[] = [];

  raise(partitionId: number, vpIndex: number, sint: number, vector: number): void {
    this.raised.push({ partitionId, vpIndex, sint, vector });
  }

  count(partitionId: number, sint: number): number {
    return this.raised.filter((r) => r.partitionId === partitionId && r.sint === sint).length;
  }
}

export class RecordingVpControl implements VpControl {
  readonly events: string[] = [];

  suspendForIntercept(partitionId: number, vpIndex: number): void {
    this.events.push(`suspend ${partitionId}:${vpIndex}`);
  }

  resume(partitionId: number, vpIndex: number): void {
    this.events.push(`resume ${partitionId}:${vpIndex}`);
  }
}

export interface TestHost {
  readonly hv: Hypervisor;
  readonly winhv: WinHv;
  readonly sink: RecordingSink;
  readonly vpControl: RecordingVpControl;
}

export function makeHost(logicalProcessors = 4, hostOs?: HostOs): TestHost {
  const sink = new RecordingSink();
  const vpControl = new RecordingVpControl();
  const hv = new Hypervisor({ logicalProcessors, hostOs }, sink, vpControl);
  return { hv, winhv: new WinHv(hv), sink, vpControl };
}

/** A well-formed request: aligned input/output pages, CPL 0. */
export function req(params: HypercallParams, control?: HypercallControl): HypercallRequest {
  return {
    control: control ?? simpleCall(params.code),
    cpl: 0,
    inputGpa: 0x3000,
    outputGpa: 0x4000,
    params,
  };
}

/** A copy of the (reused) result object. */
export function call(
  host: TestHost,
  partitionId: number,
  vpIndex: number,
  params: HypercallParams,
  control?: HypercallControl,
): HypercallResult {
  return { ...host.hv.hypercall(partitionId, vpIndex, req(params, control)) };
}

export function expectOk(status: number, what: string): void {
  if (status !== HvStatus.SUCCESS)
    throw new Error(`${what} failed with status 0x${status.toString(16)}`);
}

/** Creates, initializes and gives VPs to a child; `boot` runs the enlightened handshake with SINT2 unmasked. */
export function makeChild(host: TestHost, options: { vps?: number; boot?: boolean } = {}): number {
  const created = host.winhv.createPartition();
  expectOk(created.status, 'createPartition');
  const id = created.partitionId;
  expectOk(host.winhv.initializePartition(id).status, 'initializePartition');
  for (let i = 0; i < (options.vps ?? 1); i++)
    expectOk(host.winhv.createVp(id, i).status, 'createVp');
  if (options.boot ?? true) {
    const r = enlightenedBoot(host.hv, id, LINUX_BOOT);
    if (!r.ok) throw new Error(`boot failed: ${r.failure ?? ''}`);
  }
  return id;
}

/**
 * A message path from `sender` to `receiver`: a message port in the receiver (on `sint`, VP
 * `targetVp`) and a connection `connectionId` in the sender.
 */
export function messagePath(
  host: TestHost,
  path: {
    sender: number;
    receiver: number;
    portId: number;
    connectionId: number;
    sint?: number;
    targetVp?: number;
  },
): void {
  const info = {
    portType: HvPortType.Message,
    targetSint: path.sint ?? VMBUS_MESSAGE_SINT,
    targetVp: path.targetVp ?? 0,
  };
  expectOk(host.winhv.createPort(path.receiver, path.portId, info).status, 'createPort');
  expectOk(
    host.winhv.connectPort({
      connectionPartitionId: path.sender,
      connectionId: path.connectionId,
      portPartitionId: path.receiver,
      portId: path.portId,
      portType: HvPortType.Message,
    }).status,
    'connectPort',
  );
}

/** An event path: an event port with `flagCount` flags from `baseFlag` in the receiver. */
export function eventPath(
  host: TestHost,
  path: {
    sender: number;
    receiver: number;
    portId: number;
    connectionId: number;
    baseFlag: number;
    flagCount: number;
    sint?: number;
  },
): void {
  const info = {
    portType: HvPortType.Event,
    targetSint: path.sint ?? VMBUS_MESSAGE_SINT,
    targetVp: 0,
    baseFlagNumber: path.baseFlag,
    flagCount: path.flagCount,
  };
  expectOk(host.winhv.createPort(path.receiver, path.portId, info).status, 'createPort');
  expectOk(
    host.winhv.connectPort({
      connectionPartitionId: path.sender,
      connectionId: path.connectionId,
      portPartitionId: path.receiver,
      portId: path.portId,
      portType: HvPortType.Event,
    }).status,
    'connectPort',
  );
}

export function post(
  host: TestHost,
  from: { partitionId: number; vpIndex?: number },
  message: {
    connectionId: number;
    messageType: number;
    payload?: Uint8Array;
    payloadSize?: number;
  },
): HypercallResult {
  const payload = message.payload ?? new Uint8Array(240);
  return call(host, from.partitionId, from.vpIndex ?? 0, {
    code: HvCallCode.PostMessage,
    connectionId: message.connectionId,
    messageType: message.messageType,
    payloadSize: message.payloadSize ?? payload.length,
    payload,
  });
}

export function signal(
  host: TestHost,
  from: { partitionId: number; vpIndex?: number },
  connectionId: number,
  flagNumber: number,
): HypercallResult {
  return call(
    host,
    from.partitionId,
    from.vpIndex ?? 0,
    { code: HvCallCode.SignalEvent, connectionId, flagNumber },
    simpleCall(HvCallCode.SignalEvent, true),
  );
}

/** Calls only a partition with management privileges may make, with plausible parameters. */
export function rootOnlyCalls(target: number): [HypercallParams, HypercallControl | undefined][] {
  return [
    [{ code: HvCallCode.CreatePartition, flags: 0n, compatibilityVersion: 0 }, undefined],
    [{ code: HvCallCode.InitializePartition, partitionId: target }, undefined],
    [{ code: HvCallCode.FinalizePartition, partitionId: target }, undefined],
    [{ code: HvCallCode.DeletePartition, partitionId: target }, undefined],
    [{ code: HvCallCode.GetPartitionId }, undefined],
    [
      { code: HvCallCode.DepositMemory, partitionId: target, gpaPageList: [1] },
      repCall(HvCallCode.DepositMemory, 1),
    ],
    [
      { code: HvCallCode.WithdrawMemory, partitionId: target },
      repCall(HvCallCode.WithdrawMemory, 1),
    ],
    [{ code: HvCallCode.CreateVp, partitionId: target, vpIndex: 5 }, undefined],
    [
      {
        code: HvCallCode.InstallIntercept,
        partitionId: target,
        accessTypeMask: 3,
        interceptType: 0,
        parameters: 0x60,
      },
      undefined,
    ],
    [
      {
        code: HvCallCode.CreatePort,
        portPartitionId: target,
        portId: 3,
        connectionPartitionId: 0,
        portInfo: { portType: HvPortType.Message, targetSint: 2, targetVp: 0 },
      },
      undefined,
    ],
    [
      {
        code: HvCallCode.ConnectPort,
        connectionPartitionId: target,
        connectionId: 3,
        portPartitionId: target,
        portId: 3,
        portType: 1,
      },
      undefined,
    ],
  ];
}

export { repCall, simpleCall };

/** What a Linux guest passes to the enlightened boot (rule 27): its OS id, pages, and SINT2. */
export const LINUX_BOOT: GuestBootOptions = {
  guestOsId: LINUX_6_1_GUEST_OS_ID,
  hypercallPageNumber: 0x1000n,
  synicPageBase: 0x2000n,
  sints: [
    {
      sint: VMBUS_MESSAGE_SINT,
      vector: HYPERVISOR_CALLBACK_VECTOR,
      autoEoi: LINUX_VMBUS_SINT_AUTO_EOI,
    },
  ],
};
