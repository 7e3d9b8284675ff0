/**
 * A stand-in for the core's VSP boundary, for the built-in plugins' unit tests (icsvc): a host
 * object that records what the plugin reports and charges, and channels that record what the
 * plugin sends, whether it failed them, and whether it touched guest memory (integration
 * services never should). Sends apply at once; after `fail` a channel is closed.
 */
import { vspFailureText } from '../../core/vsp/failure-reasons.js';
import type { VspFailureReason } from '../../core/vsp/failure-reasons.js';
import type {
  MemoryChangeReport,
  MemoryPressureReport,
  SendResult,
  VspChannel,
  VspHandlers,
  VspHost,
  VspHostEvent,
  VspModule,
  VspPacket,
} from '../sdk/index.js';
import { DEVICE_CLASS_GUIDS } from '../sdk/index.js';

export interface SentMessage {
  readonly payload: Uint8Array;
  readonly transId: number;
}

export class FakeChannel implements VspChannel {
  readonly subchannelIndex = 0;
  readonly diskBytes = 0;
  readonly guestVps = 2;
  readonly sent: SentMessage[] = [];
  failure: string | null = null;
  /** Guest-memory accesses the plugin attempted. */
  memoryAccesses = 0;
  readonly memory: VspChannel['memory'];

  readonly relid: number;
  /** The integration service's class GUID: the tests name the device after its class. */
  readonly classGuid: string;

  constructor(
    readonly id: number,
    readonly vm: string,
    readonly device: string,
  ) {
    this.relid = id;
    this.classGuid =
      device === 'dynamic-memory'
        ? DEVICE_CLASS_GUIDS['dynamic-memory']
        : DEVICE_CLASS_GUIDS.heartbeat;
    const touched = (): { ok: false; reason: string } => {
      this.memoryAccesses++;
      return { ok: false, reason: 'no GPADL' };
    };
    this.memory = {
      readGpadl: () => touched(),
      writeGpadl: () => touched(),
      gpadlSize: () => {
        this.memoryAccesses++;
        return undefined;
      },
      touchRanges: () => touched(),
      writeRanges: () => touched(),
    };
  }

  get open(): boolean {
    return this.failure === null;
  }

  complete(transId: number, payload: Uint8Array): SendResult {
    return this.send(payload, { transId });
  }

  send(payload: Uint8Array, options?: { transId?: number }): SendResult {
    if (!this.open) return 'closed';
    this.sent.push({ payload: payload.slice(), transId: options?.transId ?? 0 });
    return 'ok';
  }

  sendTransferPages(): SendResult {
    return this.open ? 'ok' : 'closed';
  }

  offerSubchannels(): number {
    return 0;
  }

  fail(reason: string | VspFailureReason): void {
    this.failure ??= typeof reason === 'string' ? reason : vspFailureText(reason);
  }

  /** The messages sent since the last call. */
  takeSent(): SentMessage[] {
    return this.sent.splice(0, this.sent.length);
  }
}

/** What the plugin told its host. */
export interface HostRecord {
  readonly pressure: { channel: VspChannel; report: MemoryPressureReport }[];
  readonly changes: { channel: VspChannel; change: MemoryChangeReport }[];
  readonly heartbeats: { channel: VspChannel; sequence: number }[];
  readonly timers: { channel: VspChannel; delayNs: number; tag: number }[];
  readonly logs: string[];
  charged: number;
}

/** Creates the plugin with a recording host; returns its handlers and what it reports. */
export function fakeVsp(module: VspModule): { handlers: VspHandlers; record: HostRecord } {
  const record: HostRecord = {
    pressure: [],
    changes: [],
    heartbeats: [],
    timers: [],
    logs: [],
    charged: 0,
  };
  const host: VspHost = {
    instance: 'test',
    settings: {},
    device: { kind: 'virtual', id: 'test' },
    cpu: {
      charge: (ns) => {
        record.charged += ns;
      },
    },
    setTimer: (channel, delayNs, tag) => record.timers.push({ channel, delayNs, tag }),
    reportMemoryPressure: (channel, report) => record.pressure.push({ channel, report }),
    reportMemoryChange: (channel, change) => record.changes.push({ channel, change }),
    reportHeartbeat: (channel, sequence) => record.heartbeats.push({ channel, sequence }),
    log: (message) => record.logs.push(message),
  };
  return { handlers: module.create(host), record };
}

/** An in-band packet from the guest carrying `payload`. */
export function inband(payload: Uint8Array, transId = 0): VspPacket {
  return { kind: 'inband', transId, completionRequested: false, payload, ranges: [] };
}

/** Delivers a host event the way the runtime does: only to a channel still open. */
export function hostEvent(handlers: VspHandlers, channel: VspChannel, event: VspHostEvent): void {
  if (channel instanceof FakeChannel && !channel.open) return;
  handlers.onHostEvent?.(channel, event);
}
