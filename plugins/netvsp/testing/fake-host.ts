/**
 * A small stand-in for the VSP host boundary, for netvsp's unit and hostile tests: channels whose
 * memory holds only their own GPADLs (bounds-checked, like the core's memory port), a network port
 * that records what was put on the wire, and a record of every call netvsp made. Effects apply at
 * once (there is no CPU model here); the core's own runtime is exercised by the simulation tests.
 */
import { vspFailureText } from '../../../core/vsp/failure-reasons.js';
import type { VspFailureReason } from '../../../core/vsp/failure-reasons.js';
import type {
  ChannelMemory,
  GpaRange,
  MemoryAccessResult,
  NetworkPort,
  SendResult,
  VspChannel,
  VspHandlers,
  VspHost,
  VspModule,
  VspPacket,
} from '../../sdk/index.js';
import { DEVICE_CLASS_GUIDS } from '../../sdk/index.js';

/** Pages the fake guest owns: page ranges outside [0, GUEST_PAGES) are outside the guest. */
export const GUEST_PAGES = 1 << 20;

export interface SentPacket {
  readonly type: 'completion' | 'inband' | 'transfer-pages';
  readonly transId: number;
  readonly payload: Uint8Array;
  readonly ranges: readonly { byteOffset: number; byteCount: number }[];
  readonly pageSetId: number;
}

/** Guest memory of one channel: its GPADLs by the guest's ids. */
export class FakeMemory implements ChannelMemory {
  readonly gpadls = new Map<number, Uint8Array>();
  /** Accesses refused because they named a GPADL that is not this channel's, or went outside. */
  refused = 0;

  readGpadl(handle: number, offset: number, length: number): MemoryAccessResult<Uint8Array> {
    const g = this.gpadls.get(handle);
    if (g === undefined || !inside(offset, length, g.length)) return this.refuse();
    return { ok: true, value: g.slice(offset, offset + length) };
  }

  writeGpadl(handle: number, offset: number, data: Uint8Array): MemoryAccessResult<number> {
    const g = this.gpadls.get(handle);
    if (g === undefined || !inside(offset, data.length, g.length)) return this.refuse();
    g.set(data, offset);
    return { ok: true, value: data.length };
  }

  gpadlSize(handle: number): number | undefined {
    const g = this.gpadls.get(handle);
    if (g === undefined) this.refused++;
    return g?.length;
  }

  touchRanges(packet: VspPacket, bytes: number): MemoryAccessResult<number> {
    let total = 0;
    for (const r of packet.ranges) {
      if (
        r.pfns.length === 0 ||
        r.pfns.some((p) => !Number.isSafeInteger(p) || p < 0 || p >= GUEST_PAGES)
      )
        return this.refuse();
      total += r.byteCount;
    }
    if (packet.ranges.length === 0 || !Number.isSafeInteger(bytes) || bytes > total)
      return this.refuse();
    return { ok: true, value: bytes };
  }

  writeRanges(packet: VspPacket, offset: number, data: Uint8Array): MemoryAccessResult<number> {
    const touched = this.touchRanges(packet, offset + data.length);
    return touched.ok ? { ok: true, value: data.length } : touched;
  }

  private refuse(): { ok: false; reason: string } {
    this.refused++;
    return { ok: false, reason: 'outside what the guest granted this channel' };
  }
}

function inside(offset: number, length: number, size: number): boolean {
  return (
    Number.isSafeInteger(offset) &&
    Number.isSafeInteger(length) &&
    offset >= 0 &&
    length >= 0 &&
    offset + length <= size
  );
}

export class FakeChannel implements VspChannel {
  readonly memory = new FakeMemory();
  readonly sent: SentPacket[] = [];
  failed: string | null = null;
  subchannelsOffered = 0;
  readonly diskBytes = 0;
  readonly classGuid = DEVICE_CLASS_GUIDS.network;

  /** The guest's channel id (the same as `id` here: one host, no other VMs' relids to clash). */
  get relid(): number {
    return this.id;
  }

  constructor(
    readonly id: number,
    readonly vm: string,
    readonly device: string,
    readonly subchannelIndex: number,
    readonly guestVps: number,
  ) {}

  complete(transId: number, payload: Uint8Array): SendResult {
    return this.push({
      type: 'completion',
      transId,
      payload: payload.slice(),
      ranges: [],
      pageSetId: 0,
    });
  }

  send(payload: Uint8Array, options?: { transId?: number }): SendResult {
    return this.push({
      type: 'inband',
      transId: options?.transId ?? 0,
      payload: payload.slice(),
      ranges: [],
      pageSetId: 0,
    });
  }

  sendTransferPages(
    pageSetId: number,
    ranges: readonly { byteOffset: number; byteCount: number }[],
    payload: Uint8Array,
    transId: number,
  ): SendResult {
    return this.push({
      type: 'transfer-pages',
      transId,
      payload: payload.slice(),
      ranges: ranges.map((r) => ({ ...r })),
      pageSetId,
    });
  }

  offerSubchannels(count: number): number {
    if (this.failed !== null) return 0;
    this.subchannelsOffered += count;
    return count;
  }

  fail(reason: string | VspFailureReason): void {
    this.failed ??= typeof reason === 'string' ? reason : vspFailureText(reason);
  }

  private push(p: SentPacket): SendResult {
    if (this.failed !== null) return 'closed';
    this.sent.push(p);
    return 'ok';
  }

  /** Takes (and forgets) what the VSP sent so far. */
  take(): SentPacket[] {
    return this.sent.splice(0, this.sent.length);
  }
}

/** A wire transmit the VSP asked for. */
export interface Transmit {
  readonly channel: VspChannel;
  readonly bytes: number;
  readonly tag: number;
}

export class FakeNetworkPort implements NetworkPort {
  readonly kind = 'network' as const;
  readonly id = 'nic0';
  readonly transmits: Transmit[] = [];
  readonly assigned: VspChannel[] = [];

  constructor(readonly sriov = false) {}

  transmit(channel: VspChannel, bytes: number, tag: number): void {
    this.transmits.push({ channel, bytes, tag });
  }

  assignVirtualFunction(channel: VspChannel): boolean {
    if (!this.sriov) return false;
    this.assigned.push(channel);
    return true;
  }
}

/** A VSP built on the fake host, with its handlers and what it charged. */
export interface FakeVsp {
  readonly handlers: VspHandlers;
  readonly port: FakeNetworkPort;
  readonly host: VspHost;
  charged: number;
  readonly logs: string[];
}

export function fakeVsp(
  module: VspModule,
  options: { settings?: Record<string, number | string | boolean>; sriov?: boolean } = {},
): FakeVsp {
  const port = new FakeNetworkPort(options.sriov ?? false);
  const logs: string[] = [];
  const state = { charged: 0 };
  const host: VspHost = {
    instance: 'net',
    settings: options.settings ?? {},
    device: port,
    cpu: {
      charge(ns: number) {
        if (!(ns >= 0 && ns < 1e9)) throw new RangeError(`cpu.charge(${ns})`);
        state.charged += ns;
      },
    },
    setTimer: () => undefined,
    reportMemoryPressure: () => undefined,
    reportMemoryChange: () => undefined,
    reportHeartbeat: () => undefined,
    log: (m) => logs.push(m),
  };
  const handlers = module.create(host);
  return {
    handlers,
    port,
    host,
    logs,
    get charged() {
      return state.charged;
    },
    set charged(v: number) {
      state.charged = v;
    },
  };
}

/** A packet as the runtime hands it to a VSP. */
export function packetOf(
  kind: VspPacket['kind'],
  payload: Uint8Array,
  options: { transId?: number; completionRequested?: boolean; ranges?: readonly GpaRange[] } = {},
): VspPacket {
  return {
    kind,
    transId: options.transId ?? 1,
    completionRequested: options.completionRequested ?? kind !== 'completion',
    payload,
    ranges: options.ranges ?? [],
  };
}
