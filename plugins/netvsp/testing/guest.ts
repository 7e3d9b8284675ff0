/**
 * A scripted netvsc for netvsp's unit tests: it speaks NVSP and RNDIS to a netvsp built on the
 * fake host, with small buffers so hostile property tests can run many times.
 */
import {
  decodeNvspMessage,
  decodeRndisMessage,
  encodeNvspMessage,
  encodeRndisMessage,
  NdisPacketType,
  NETVSC_RECEIVE_BUFFER_ID,
  NvspProtocolVersion,
  RndisChannelType,
  RndisOid,
} from '../../../core/protocols/index.js';
import type { NvspMessage, RndisMessage } from '../../../core/protocols/index.js';
import type { VspModule } from '../../sdk/index.js';
import { FakeChannel, fakeVsp, packetOf } from './fake-host.js';
import type { FakeVsp, SentPacket } from './fake-host.js';

export const RECEIVE_GPADL = 0xe1e11;
export const SEND_GPADL = 0xe1e12;
/** Small buffers: 64 receive sections, 16 send sections. */
export const RECEIVE_BYTES = 28 * 4096;
export const SEND_BYTES = 24 * 4096;
export const SEND_SECTION = 6144;

export function nvsp(m: NvspMessage): Uint8Array {
  const b = new Uint8Array(256);
  return b.slice(0, encodeNvspMessage(m, b, 0));
}

/** Decodes what netvsp sent as NVSP (completion or message). */
export function decodeSent(p: SentPacket): NvspMessage | null {
  const r = decodeNvspMessage(p.payload, 0, p.payload.length, {
    completion: p.type === 'completion',
  });
  return r.ok ? r.value : null;
}

export interface ScriptedGuest {
  readonly vsp: FakeVsp;
  readonly primary: FakeChannel;
  /** Sends an NVSP message on `channel` (the primary by default). */
  nvsp(
    m: NvspMessage,
    options?: { transId?: number; channel?: FakeChannel; completion?: boolean },
  ): SentPacket[];
  /** Writes an RNDIS message into send section `section` and names it in SEND_RNDIS_PKT. */
  rndis(
    m: RndisMessage,
    options?: { section?: number; channelType?: number; transId?: number; channel?: FakeChannel },
  ): SentPacket[];
  /** Reads the RNDIS message a transfer-page packet lent, then completes it. */
  receive(p: SentPacket, channel?: FakeChannel): RndisMessage | null;
  /** Opens a subchannel of the adapter. */
  openSubchannel(index: number): FakeChannel;
}

/** A primary channel with its buffers' GPADLs, talking to a fresh netvsp. */
export interface GuestOptions {
  readonly settings?: Record<string, number | boolean>;
  readonly sriov?: boolean;
  readonly guestVps?: number;
  /** Another guest on the same netvsp instance (default: a fresh instance). */
  readonly sameVspAs?: ScriptedGuest;
  readonly vm?: string;
}

export function scriptedGuest(module: VspModule, options: GuestOptions = {}): ScriptedGuest {
  const vsp = options.sameVspAs?.vsp ?? fakeVsp(module, options);
  const guestVps = options.guestVps ?? 8;
  const vm = options.vm ?? 'vm1';
  const base = options.sameVspAs === undefined ? 0 : 1000;
  const primary = new FakeChannel(base + 1, vm, 'eth0', 0, guestVps);
  primary.memory.gpadls.set(RECEIVE_GPADL, new Uint8Array(RECEIVE_BYTES));
  primary.memory.gpadls.set(SEND_GPADL, new Uint8Array(SEND_BYTES));
  vsp.handlers.onChannelOpened?.(primary);
  let nextId = 100;
  const guest: ScriptedGuest = {
    vsp,
    primary,
    nvsp(m, o = {}) {
      const channel = o.channel ?? primary;
      vsp.handlers.onPacket(
        channel,
        packetOf('inband', nvsp(m), {
          transId: o.transId ?? nextId++,
          completionRequested: o.completion ?? true,
        }),
      );
      return channel.take();
    },
    rndis(m, o = {}) {
      const channel = o.channel ?? primary;
      const section = o.section ?? 0;
      const send = primary.memory.gpadls.get(SEND_GPADL);
      if (send === undefined) throw new Error('no send buffer');
      const length = encodeRndisMessage(m, send, section * SEND_SECTION);
      vsp.handlers.onPacket(
        channel,
        packetOf(
          'inband',
          nvsp({
            kind: 'sendRndisPacket',
            channelType: o.channelType ?? RndisChannelType.CONTROL,
            sendBufferSectionIndex: section,
            sendBufferSectionSize: length,
          }),
          { transId: o.transId ?? nextId++ },
        ),
      );
      return channel.take();
    },
    receive(p, channel = primary) {
      const receive = primary.memory.gpadls.get(RECEIVE_GPADL);
      const r = p.ranges[0] as SentPacket['ranges'][number] | undefined;
      if (receive === undefined || r === undefined) return null;
      const decoded = decodeRndisMessage(receive, r.byteOffset, r.byteCount);
      vsp.handlers.onPacket(
        channel,
        packetOf('completion', nvsp({ kind: 'sendRndisPacketComplete', status: 1 }), {
          transId: p.transId,
          completionRequested: false,
        }),
      );
      channel.take();
      return decoded.ok ? decoded.value : null;
    },
    openSubchannel(index) {
      const sub = new FakeChannel(base + 1 + index, vm, 'eth0', index, guestVps);
      vsp.handlers.onChannelOpened?.(sub);
      return sub;
    },
  };
  return guest;
}

/** Runs netvsc's setup against netvsp up to a working adapter; returns the guest. */
export function readyGuest(module: VspModule, options: GuestOptions = {}): ScriptedGuest {
  const g = scriptedGuest(module, options);
  const v = NvspProtocolVersion.V61;
  g.nvsp({ kind: 'init', minProtocolVersion: v, maxProtocolVersion: v });
  g.nvsp(
    {
      kind: 'sendNdisConfig',
      mtu: 1514,
      capabilities: {
        vmq: false,
        chimney: false,
        sriov: true,
        ieee8021q: true,
        correlationId: false,
        teaming: true,
        virtualSubnetId: false,
        rsc: true,
      },
    },
    { completion: false },
  );
  g.nvsp(
    { kind: 'sendNdisVersion', ndisMajorVersion: 6, ndisMinorVersion: 30 },
    { completion: false },
  );
  g.nvsp({ kind: 'sendReceiveBuffer', gpadlHandle: RECEIVE_GPADL, id: NETVSC_RECEIVE_BUFFER_ID });
  g.nvsp({ kind: 'sendSendBuffer', gpadlHandle: SEND_GPADL, id: 0 });
  const init = g.rndis({
    kind: 'initializeRequest',
    requestId: 1,
    majorVersion: 1,
    minorVersion: 0,
    maxTransferSize: 0x4000,
  });
  for (const p of init) if (p.type === 'transfer-pages') g.receive(p);
  const filter = g.rndis({
    kind: 'setRequest',
    requestId: 2,
    oid: RndisOid.GEN_CURRENT_PACKET_FILTER,
    info: Uint8Array.of(NdisPacketType.DIRECTED | NdisPacketType.BROADCAST, 0, 0, 0),
    deviceVcHandle: 0,
  });
  for (const p of filter) if (p.type === 'transfer-pages') g.receive(p);
  return g;
}
