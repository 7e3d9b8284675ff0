/**
 * The handlers the core calls for a sandboxed VSP instance. Each call is encoded into one
 * buffer, run in the instance's realm, and the effects it returns are replayed — checked — on the
 * real channel, device and host object, while the core's VspRuntime still has the call open, so
 * the core sees exactly the calls a native plugin would have made, in the same order. Then the
 * work the plugin did is charged to the root VP (cpu-meter.ts).
 */
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten';
import type {
  DeviceCompletion,
  SendResult,
  VspChannel,
  VspHandlers,
  VspHost,
  VspHostEvent,
  VspPacket,
} from '../../core/vsp/types.js';
import { SandboxCpuMeter } from './cpu-meter.js';
import type { ChargeTotal } from './cpu-meter.js';
import { payloadTooLarge, SandboxError } from './errors.js';
import type { SandboxCallSite } from './errors.js';
import {
  encodeClosed,
  encodeDeviceCompleted,
  encodeHostEvent,
  encodeOpened,
  encodePacket,
} from './inbound.js';
import { MAX_GPADL_READ_BYTES, MAX_PAYLOAD_BYTES } from './limits.js';
import { Answers, replayEffects } from './outbound.js';
import type { RangeAnswer, ReplayTarget } from './outbound.js';
import type { SandboxRealm, SyncSink } from './quickjs-realm.js';
import { Sync } from './wire.js';

/** Bits of `present`: which optional handlers the plugin defined (the order the bridge uses). */
const HAS_OPENED = 1 << 0;
const HAS_DEVICE_COMPLETED = 1 << 2;
const HAS_HOST_EVENT = 1 << 3;
const HAS_CLOSED = 1 << 4;

interface ChannelDescriptor {
  readonly id: number;
  readonly relid: number;
  readonly vm: string;
  readonly device: string;
  readonly classGuid: string;
  readonly subchannelIndex: number;
  readonly diskBytes: number;
  readonly guestVps: number;
}

export class SandboxedHandlers implements VspHandlers, SyncSink, ReplayTarget {
  private readonly channels = new Map<number, VspChannel>();
  private unseen: ChannelDescriptor[] = [];
  private packetSeq = 0;
  private currentPacket: VspPacket | null = null;
  private currentChannel: VspChannel | null = null;
  private currentSeq = -1;
  private readonly answers = new Answers();
  private where: SandboxCallSite = 'create';
  /** Root CPU charged for this instance's work in the sandbox. */
  readonly meter: SandboxCpuMeter;

  constructor(
    private readonly realm: SandboxRealm,
    readonly host: VspHost,
    readonly pluginId: string,
    private readonly present: number,
    total: ChargeTotal,
  ) {
    this.meter = new SandboxCpuMeter(total);
  }

  /** Applies the effects `create` asked for (outside any handler, as natively). */
  applyCreateEffects(effects: Float64Array): void {
    replayEffects(effects, this, this.answers, 'create');
  }

  // ── VspHandlers ─────────────────────────────────────────────────────────────────────────────

  onChannelOpened(channel: VspChannel): void {
    this.know(channel);
    if ((this.present & HAS_OPENED) !== 0) this.call('onChannelOpened', encodeOpened(channel.id));
  }

  onPacket(channel: VspChannel, packet: VspPacket): void {
    this.know(channel);
    const seq = ++this.packetSeq;
    this.currentPacket = packet;
    this.currentChannel = channel;
    this.currentSeq = seq;
    try {
      this.call('onPacket', encodePacket(channel.id, seq, packet));
    } finally {
      this.currentPacket = null;
      this.currentChannel = null;
      this.currentSeq = -1;
    }
  }

  onDeviceCompleted(channel: VspChannel, completion: DeviceCompletion): void {
    this.know(channel);
    if ((this.present & HAS_DEVICE_COMPLETED) !== 0)
      this.call('onDeviceCompleted', encodeDeviceCompleted(channel.id, completion));
  }

  onHostEvent(channel: VspChannel, event: VspHostEvent): void {
    this.know(channel);
    if ((this.present & HAS_HOST_EVENT) !== 0)
      this.call('onHostEvent', encodeHostEvent(channel.id, event));
  }

  onChannelClosed(channel: VspChannel, reason: 'closed' | 'rescinded' | 'failed'): void {
    this.know(channel);
    if ((this.present & HAS_CLOSED) !== 0)
      this.call('onChannelClosed', encodeClosed(channel.id, reason));
  }

  private call(where: SandboxCallSite, input: ArrayBuffer): void {
    const realm = this.realm;
    const start = realm.interrupts;
    this.where = where;
    realm.sink = this;
    try {
      replayEffects(realm.dispatch(input, this.takeUnseen(), where), this, this.answers, where);
      if (realm.hasPendingJobs) replayEffects(realm.drain(where), this, this.answers, where);
    } finally {
      realm.sink = null;
      // Charged whether the call returned or failed: a plugin that spins until its CPU budget
      // stops it has burnt that budget on the root VP, as a spinning VSP would in Hyper-V.
      this.host.cpu.charge(this.meter.chargeFor(realm.interrupts - start));
    }
  }

  // ── Channels the sandbox knows ──────────────────────────────────────────────────────────────

  private know(channel: VspChannel): void {
    if (this.channels.has(channel.id)) return;
    this.channels.set(channel.id, channel);
    this.unseen.push({
      id: channel.id,
      relid: channel.relid,
      vm: channel.vm,
      device: channel.device,
      classGuid: channel.classGuid,
      subchannelIndex: channel.subchannelIndex,
      diskBytes: channel.diskBytes,
      guestVps: channel.guestVps,
    });
  }

  private takeUnseen(): string | undefined {
    if (this.unseen.length === 0) return undefined;
    const json = JSON.stringify(this.unseen);
    this.unseen = [];
    return json;
  }

  // ── ReplayTarget ────────────────────────────────────────────────────────────────────────────

  channel(id: number): VspChannel {
    const channel = this.channels.get(id);
    if (channel === undefined)
      throw this.fault(`used channel ${id} in ${this.where}, which is not one of its channels`);
    return channel;
  }

  access(
    channel: VspChannel,
    seq: number,
    op: { bytes: number; write: boolean } | { offset: number; data: Uint8Array },
  ): RangeAnswer {
    const packet = this.currentPacket;
    if (packet === null || seq !== this.currentSeq)
      return 'that packet is no longer being handled: reach its ranges in the onPacket call that received it';
    if (channel !== this.currentChannel)
      return 'that packet arrived on another channel: reach its ranges through its own channel';
    const result =
      'data' in op
        ? channel.memory.writeRanges(packet, op.offset, op.data)
        : channel.memory.touchRanges(packet, op.bytes, op.write);
    if (result.ok) return result.value;
    const { reason, refusal } = result;
    return refusal === undefined ? reason : { reason, refusal };
  }

  // ── SyncSink: requests that need an answer during the call ──────────────────────────────────

  sync(vm: QuickJSContext, args: readonly QuickJSHandle[]): QuickJSHandle {
    const request = vm.getNumber(args[0]);
    let last: SendResult | undefined;
    if (args.length > 1 && vm.typeof(args[1]) === 'object')
      last = replayEffects(
        this.realm.readBatch(args[1], this.where),
        this,
        this.answers,
        this.where,
      );
    const number = (i: number): number => (i < args.length ? vm.getNumber(args[i]) : Number.NaN);
    switch (request) {
      case Sync.Apply:
        return this.realm.made(vm.newString(last ?? 'closed'), 'string', this.where);
      case Sync.Offer:
        return vm.newNumber(this.channel(number(2)).offerSubchannels(wholeOrZero(number(3))));
      case Sync.ReadGpadl: {
        const length = number(5);
        if (!(length >= 0 && length <= MAX_GPADL_READ_BYTES))
          throw payloadTooLarge(this.pluginId, 'a GPADL read', length);
        const r = this.channel(number(2)).memory.readGpadl(number(3), number(4), length);
        return r.ok ? this.bytesInto(vm, r.value) : this.text(vm, r.reason);
      }
      case Sync.WriteGpadl: {
        const data = this.bytesOutOf(vm, args[5]);
        const r = this.channel(number(2)).memory.writeGpadl(number(3), number(4), data);
        return r.ok ? vm.newNumber(r.value) : this.text(vm, r.reason);
      }
      case Sync.GpadlSize: {
        const size = this.channel(number(2)).memory.gpadlSize(number(3));
        return size === undefined ? vm.undefined : vm.newNumber(size);
      }
      case Sync.AssignVirtualFunction: {
        const device = this.host.device;
        const channel = this.channel(number(2));
        return device.kind === 'network' && device.assignVirtualFunction(channel)
          ? vm.true
          : vm.false;
      }
      case Sync.Answer: {
        const value = this.answers.get(number(2));
        if (typeof value === 'number') return vm.newNumber(value);
        return typeof value === 'string' ? this.text(vm, value) : this.plainInto(vm, value);
      }
      default:
        throw this.fault(`made an unknown host request ${request}`);
    }
  }

  /** The plugin misused the host object: the error names it, the fault says what it did. */
  private fault(what: string): SandboxError {
    return new SandboxError(`plugin ${this.pluginId} ${what}`, what);
  }

  private bytesInto(vm: QuickJSContext, bytes: Uint8Array): QuickJSHandle {
    return this.realm.made(vm.newArrayBuffer(bytes.slice().buffer), 'object', this.where);
  }

  private text(vm: QuickJSContext, value: string): QuickJSHandle {
    return this.realm.made(vm.newString(value), 'string', this.where);
  }

  /** A fresh object in the sandbox holding `value`: plain data the host made (text, numbers, flags). */
  private plainInto(vm: QuickJSContext, value: object): QuickJSHandle {
    const object = this.realm.made(vm.newObject(), 'object', this.where);
    for (const [key, inner] of Object.entries(value)) {
      const handle =
        typeof inner === 'number'
          ? vm.newNumber(inner)
          : typeof inner === 'string'
            ? this.text(vm, inner)
            : typeof inner === 'boolean'
              ? inner
                ? vm.true
                : vm.false
              : inner !== null && typeof inner === 'object'
                ? this.plainInto(vm, inner as object)
                : vm.undefined;
      vm.setProp(object, key, handle);
      handle.dispose();
    }
    return object;
  }

  private bytesOutOf(vm: QuickJSContext, handle: QuickJSHandle | undefined): Uint8Array {
    if (handle === undefined || vm.typeof(handle) !== 'object')
      throw this.fault('sent a GPADL write without data');
    const view = vm.getArrayBuffer(handle);
    try {
      if (view.value.length > MAX_PAYLOAD_BYTES)
        throw payloadTooLarge(this.pluginId, 'a GPADL write', view.value.length);
      return view.value.slice();
    } finally {
      view.dispose();
    }
  }
}

function wholeOrZero(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}
