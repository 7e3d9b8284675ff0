/**
 * A recording VspHost and VspChannel for the sandbox's own tests: every call the (sandboxed)
 * plugin's effects make on the host side lands in `calls`, in order. It keeps the one rule the
 * tests rely on: a channel that was closed answers sends with 'closed'.
 */
import { checkVspFailure } from '../../../core/vsp/failure-reasons.js';
import type { VspFailureReason } from '../../../core/vsp/failure-reasons.js';
import type {
  BlockRequest,
  GpaRange,
  MemoryAccessResult,
  MemoryChangeReport,
  MemoryPressureReport,
  SendResult,
  VspChannel,
  VspHost,
  VspPacket,
} from '../../../core/vsp/types.js';
import { DEVICE_CLASS_GUIDS } from '../../../core/model/class-guids.js';

export type FakeCall = readonly [string, ...unknown[]];

export class FakeVspHost implements VspHost {
  readonly calls: FakeCall[] = [];
  readonly logs: string[] = [];
  chargedNs = 0;
  readonly device;

  constructor(
    readonly instance = 'vsp0',
    readonly settings: Readonly<Record<string, number | string | boolean>> = {},
  ) {
    const calls = this.calls;
    this.device = {
      kind: 'block' as const,
      id: 'ssd0',
      submit(channel: VspChannel, request: BlockRequest): void {
        calls.push(['submit', channel.id, { ...request }]);
      },
    };
  }

  readonly cpu = {
    charge: (ns: number): void => {
      this.calls.push(['charge', ns]);
      this.chargedNs += ns;
    },
  };

  setTimer(channel: VspChannel, delayNs: number, tag: number): void {
    this.calls.push(['setTimer', channel.id, delayNs, tag]);
  }

  reportMemoryPressure(channel: VspChannel, report: MemoryPressureReport): void {
    this.calls.push(['reportMemoryPressure', channel.id, { ...report }]);
  }

  reportMemoryChange(channel: VspChannel, change: MemoryChangeReport): void {
    this.calls.push(['reportMemoryChange', channel.id, { ...change }]);
  }

  reportHeartbeat(channel: VspChannel, sequence: number): void {
    this.calls.push(['reportHeartbeat', channel.id, sequence]);
  }

  log(message: string): void {
    this.calls.push(['log', message]);
    this.logs.push(message);
  }

  /** Charges the plugin's own `host.cpu.charge` calls made (the sandbox adds its own charge). */
  pluginCharges(): number[] {
    return this.calls.filter((c) => c[0] === 'charge').map((c) => c[1] as number);
  }
}

export class FakeVspChannel implements VspChannel {
  open = true;
  readonly vm: string;
  readonly device = 'scsi0';
  readonly classGuid = DEVICE_CLASS_GUIDS.storage;
  readonly subchannelIndex = 0;
  readonly diskBytes = 1 << 30;
  readonly guestVps = 4;
  readonly relid: number;
  /** Bytes a touchRanges may move: the packet's ranges' total, as the host checks it. */
  readonly memory;

  constructor(
    readonly id: number,
    private readonly host: FakeVspHost,
    vm = `vm${id}`,
  ) {
    this.vm = vm;
    this.relid = id;
    const calls = host.calls;
    this.memory = {
      readGpadl: (handle: number, offset: number, length: number) => {
        calls.push(['readGpadl', id, handle, offset, length]);
        return handle === 1
          ? { ok: true as const, value: Uint8Array.from({ length }, (_, i) => (offset + i) & 0xff) }
          : { ok: false as const, reason: `GPADL ${handle} is not this channel's` };
      },
      writeGpadl: (handle: number, offset: number, data: Uint8Array) => {
        calls.push(['writeGpadl', id, handle, offset, [...data]]);
        return handle === 1
          ? { ok: true as const, value: data.length }
          : { ok: false as const, reason: `GPADL ${handle} is not this channel's` };
      },
      gpadlSize: (handle: number) => (handle === 1 ? 65536 : undefined),
      writeRanges: (
        packet: VspPacket,
        offset: number,
        data: Uint8Array,
      ): MemoryAccessResult<number> => {
        calls.push(['writeRanges', id, offset, [...data]]);
        const granted = packet.ranges.reduce((n: number, r: GpaRange) => n + r.byteCount, 0);
        return offset + data.length <= granted
          ? { ok: true, value: data.length }
          : { ok: false, reason: `a write past the ${granted} bytes the ranges grant` };
      },
      touchRanges: (
        packet: VspPacket,
        bytes: number,
        write: boolean,
      ): MemoryAccessResult<number> => {
        calls.push(['touchRanges', id, bytes, write]);
        const granted = packet.ranges.reduce((n: number, r: GpaRange) => n + r.byteCount, 0);
        return bytes <= granted
          ? { ok: true, value: bytes }
          : {
              ok: false,
              reason: `a transfer of ${bytes} bytes through ranges that grant ${granted}`,
              // The same as an id, as guest memory says it (core/memory/isolation-details.ts).
              refusal: {
                detail: { id: 'grant.transferTooLong', args: { bytes, granted } },
                invalidRanges: false,
              },
            };
      },
    };
  }

  complete(transId: number, payload: Uint8Array): SendResult {
    this.host.calls.push(['complete', this.id, transId, [...payload]]);
    return this.open ? 'ok' : 'closed';
  }

  send(payload: Uint8Array, options?: { transId?: number; completionRequested?: boolean }) {
    this.host.calls.push(['send', this.id, [...payload], { ...options }]);
    return this.open ? ('ok' as const) : ('closed' as const);
  }

  sendTransferPages(
    pageSetId: number,
    ranges: readonly { byteOffset: number; byteCount: number }[],
    payload: Uint8Array,
    transId: number,
  ): SendResult {
    this.host.calls.push(['sendTransferPages', this.id, pageSetId, ranges, [...payload], transId]);
    return this.open ? 'ok' : 'closed';
  }

  offerSubchannels(count: number): number {
    this.host.calls.push(['offerSubchannels', this.id, count]);
    return Math.min(count, 3);
  }

  fail(reason: string | VspFailureReason): void {
    // Checked as the host's channel checks it: a structured reason is recorded as { id, args },
    // one that does not fit as what is wrong with it.
    const checked = typeof reason === 'string' ? reason : checkVspFailure(reason);
    this.host.calls.push(['fail', this.id, checked]);
  }
}

/** A packet as the host hands it to a VSP. */
export function fakePacket(fields: Partial<VspPacket> = {}): VspPacket {
  return {
    kind: 'inband',
    transId: 1,
    completionRequested: true,
    payload: new Uint8Array(0),
    ranges: [],
    ...fields,
  };
}
