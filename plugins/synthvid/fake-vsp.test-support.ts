/**
 * A stand-in for the VSP host boundary (not a test file itself): a host object and channels that
 * record what a VSP does — sends, completions, failures, CPU charged, and any attempt to touch
 * guest memory (the built-in video and input VSPs have no business there).
 */
import { vspFailureText } from '../../core/vsp/failure-reasons.js';
import { DEVICE_CLASS_GUIDS, toVspModule } from '../sdk/index.js';
import type {
  VspChannel,
  VspDefinition,
  VspHandlers,
  VspHost,
  VspPacket,
  VspPacketKind,
} from '../sdk/index.js';

export interface Sent {
  readonly type: 'inband' | 'completion';
  readonly payload: Uint8Array;
  readonly transId: number;
  readonly completionRequested: boolean;
}

export interface FakeChannel extends VspChannel {
  readonly sent: Sent[];
  failure: string | null;
  memoryAccesses: number;
}

export function fakeChannel(id = 1): FakeChannel {
  const refuse = () => {
    channel.memoryAccesses++;
    return { ok: false as const, reason: 'not granted' };
  };
  const channel: FakeChannel = {
    id,
    relid: id,
    vm: 'vm01',
    device: 'dev0',
    classGuid: DEVICE_CLASS_GUIDS.video,
    subchannelIndex: 0,
    diskBytes: 0,
    guestVps: 2,
    sent: [],
    failure: null,
    memoryAccesses: 0,
    memory: {
      readGpadl: refuse,
      writeGpadl: refuse,
      gpadlSize: () => {
        channel.memoryAccesses++;
        return undefined;
      },
      touchRanges: refuse,
      writeRanges: refuse,
    },
    complete(transId, payload) {
      if (channel.failure !== null) return 'closed';
      channel.sent.push({
        type: 'completion',
        payload: payload.slice(),
        transId,
        completionRequested: false,
      });
      return 'ok';
    },
    send(payload, options) {
      if (channel.failure !== null) return 'closed';
      channel.sent.push({
        type: 'inband',
        payload: payload.slice(),
        transId: options?.transId ?? 0,
        completionRequested: options?.completionRequested ?? false,
      });
      return 'ok';
    },
    sendTransferPages: () => 'closed',
    offerSubchannels: () => 0,
    fail(reason) {
      channel.failure ??= typeof reason === 'string' ? reason : vspFailureText(reason);
    },
  };
  return channel;
}

export interface FakeVsp {
  readonly handlers: VspHandlers;
  /** CPU the VSP charged, ns. */
  charged: number;
}

/** Loads a definition as a built-in and creates one instance on a fake host. */
export function createVsp(
  definition: VspDefinition,
  settings: Readonly<Record<string, number | string | boolean>> = {},
): FakeVsp {
  const module = toVspModule(definition, {
    source: 'test',
    builtIn: true,
    isolation: 'native',
    digest: 'test',
  });
  const vsp = { charged: 0 } as FakeVsp & { handlers: VspHandlers };
  const host: VspHost = {
    instance: 'vsp0',
    settings,
    device: { kind: 'virtual', id: 'vsp0' },
    cpu: {
      charge(ns) {
        vsp.charged += ns;
      },
    },
    setTimer: () => undefined,
    reportMemoryPressure: () => undefined,
    reportMemoryChange: () => undefined,
    reportHeartbeat: () => undefined,
    log: () => undefined,
  };
  vsp.handlers = module.create(host);
  return vsp;
}

/** A packet as the host channel hands it over. */
export function packet(
  payload: Uint8Array,
  options: { kind?: VspPacketKind; transId?: number; completionRequested?: boolean } = {},
): VspPacket {
  return {
    kind: options.kind ?? 'inband',
    transId: options.transId ?? 0,
    completionRequested: options.completionRequested ?? false,
    payload,
    ranges: [],
  };
}
