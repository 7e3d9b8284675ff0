/**
 * A hostile guest (level 11 and the security tests): a child partition whose kernel writes
 * malformed packets into its own VMBus rings and floods the host with signals. Everything here is
 * something a compromised guest really can do — it owns the ring memory and the packet contents
 * (HYPERV.md rules 36–37) and can make hypercalls (rule 7) — and nothing it can do reaches
 * anything but its own channels: the host's reader and VSPs must refuse it.
 */
import type { EventType, Ns, RandomStream, SimEngine } from '../engine/index.js';
import { NS_PER_MS, NS_PER_S } from '../engine/index.js';
import type { CostMeter, HostCpu } from '../host/cpu.js';
import { WorkClass } from '../host/cpu.js';
import type { HostileAttack, HostileSpec } from '../model/index.js';
import {
  createVmscsiRequest,
  encodeVstorRequest,
  REQUEST_COMPLETION_FLAG,
  scsi,
  VmscsiDirection,
} from '../protocols/index.js';
import { OutgoingPacket, PACKET_DESCRIPTOR_BYTES } from '../vmbus/ring/index.js';
import type { GuestChannel } from './vmbus/guest-channel.js';
import type { NarrationMessage } from '../simulation/narration-messages.js';

// estimate: guest CPU to craft and write one malformed packet.
export const HOSTILE_PACKET_NS: Ns = 3_000;
/** Unnecessary signals in one flood burst (each is a hypercall the guest pays for). */
export const FLOOD_BURST_SIGNALS = 2_000;

export interface HostileDeps {
  readonly engine: SimEngine;
  readonly cpu: HostCpu;
  readonly vpId: number;
  readonly spec: HostileSpec;
  readonly random: RandomStream;
  readonly meter: CostMeter;
  /** The guest's open synthetic channels (the attacks use them). */
  readonly channels: () => readonly GuestChannel[];
  readonly log: (message: NarrationMessage) => void;
}

export class HostileGuest {
  private readonly tick: EventType<null>;
  private readonly act: EventType<null>;
  private next = 0;
  private readonly packet = new OutgoingPacket();
  private readonly scratch = new Uint8Array(128);
  /** Malformed packets written and signal bursts made, by attack. */
  readonly attempts: Partial<Record<HostileAttack, number>> = {};

  constructor(private readonly deps: HostileDeps) {
    this.tick = deps.engine.define<null>('hostile:tick', () => {
      deps.cpu.run(deps.vpId, HOSTILE_PACKET_NS, WorkClass.Thread, this.act, null);
    });
    this.act = deps.engine.define<null>('hostile:act', () => {
      this.attack();
      this.schedule();
    });
  }

  /** Starts misbehaving `spec.startMs` after `bootedAt`. */
  start(bootedAt: Ns): void {
    this.deps.engine.at(bootedAt + this.deps.spec.startMs * NS_PER_MS, this.tick, null);
  }

  private schedule(): void {
    const gap = Math.max(
      1,
      Math.round(this.deps.random.exponential(NS_PER_S / this.deps.spec.ratePerSecond)),
    );
    this.deps.engine.after(gap, this.tick, null);
  }

  private attack(): void {
    const { spec, meter, cpu, vpId } = this.deps;
    const channel = this.deps.channels().find((c) => c.state === 'open');
    if (channel === undefined) return;
    const kind = spec.attacks[this.next % spec.attacks.length];
    this.next++;
    this.attempts[kind] = (this.attempts[kind] ?? 0) + 1;
    meter.take();
    this.perform(kind, channel, meter);
    cpu.charge(vpId, meter.take(), WorkClass.Thread);
  }

  private perform(kind: HostileAttack, channel: GuestChannel, meter: CostMeter): void {
    const t = channel.transport;
    const mem = t.outbound;
    switch (kind) {
      case 'signal-flood':
        // Signals with nothing new in the ring: each one an HvCallSignalEvent the host must field.
        for (let i = 0; i < FLOOD_BURST_SIGNALS; i++) t.signalHost(meter, false);
        return;
      case 'ring-index-out-of-range':
        mem.writeIndex = mem.dataBytes + 64;
        t.signalHost(meter, false);
        return;
      case 'descriptor-offset-too-small':
        this.writeThenPatch(channel, meter, (at) => {
          mem.data[at + 2] = 1; // offset8 = 1 (< 2: the payload would overlap the descriptor)
          mem.data[at + 3] = 0;
        });
        return;
      case 'descriptor-length-overflow':
        this.writeThenPatch(channel, meter, (at) => {
          mem.data[at + 4] = 0xff; // len8 = 0xffff: far more than the ring holds
          mem.data[at + 5] = 0xff;
        });
        return;
      case 'unknown-packet-type':
        this.writeThenPatch(channel, meter, (at) => {
          mem.data[at] = 0x55;
          mem.data[at + 1] = 0;
        });
        return;
      case 'gpa-direct-without-ranges':
        this.sendSrb(channel, meter, { bytes: 4096, rangeBytes: 4096 }, (at) => {
          // the range count sits after the descriptor and a reserved u32
          const rc = at + PACKET_DESCRIPTOR_BYTES + 4;
          mem.data[rc] = 0;
          mem.data[rc + 1] = 0;
          mem.data[rc + 2] = 0;
          mem.data[rc + 3] = 0;
        });
        return;
      case 'gpa-range-outside-guest':
        this.sendSrb(channel, meter, { bytes: 4096, rangeBytes: 4096, pfn: 0x7ffffff0 });
        return;
      case 'short-data-range':
        this.sendSrb(channel, meter, { bytes: 65536, rangeBytes: 4096 });
        return;
      case 'non-transactional-request':
        this.sendSrb(channel, meter, { bytes: 0, rangeBytes: 0, completion: false });
        return;
      case 'guest-sent-completion': {
        const n = this.encodeSrb(0);
        this.packet.completion(this.scratch, n, this.deps.random.int(1, 0x7fffffff), 0);
        channel.send(this.packet, meter);
        return;
      }
      case 'unknown-operation': {
        const n = this.encodeSrb(0);
        this.scratch[0] = 0x77; // vstor operation 0x77 does not exist
        this.packet.inBand(this.scratch, n, this.deps.random.int(1, 1000), true);
        channel.send(this.packet, meter);
        return;
      }
      case 'forged-trans-id':
        this.sendSrb(channel, meter, { bytes: 0, rangeBytes: 0, transId: 0 });
        return;
    }
  }

  /** Writes a well-formed packet, then rewrites its descriptor in place (copy-then-validate is the host's only defence). */
  private writeThenPatch(
    channel: GuestChannel,
    meter: CostMeter,
    patch: (at: number) => void,
  ): void {
    const mem = channel.transport.outbound;
    const at = mem.writeIndex;
    const n = this.encodeSrb(0);
    this.packet.inBand(this.scratch, n, this.deps.random.int(1, 1000), true);
    if (channel.send(this.packet, meter) === 'sent') {
      patch(at);
      channel.transport.signalHost(meter, false);
    }
  }

  private sendSrb(
    channel: GuestChannel,
    meter: CostMeter,
    o: { bytes: number; rangeBytes: number; pfn?: number; completion?: boolean; transId?: number },
    patch?: (at: number) => void,
  ): void {
    const n = this.encodeSrb(o.bytes);
    const transId = o.transId ?? this.deps.random.int(1, 1000);
    const at = channel.transport.outbound.writeIndex;
    if (o.rangeBytes > 0) {
      this.packet.gpaDirect(this.scratch, n, transId);
      const pages = Math.ceil(o.rangeBytes / 4096);
      const first = o.pfn ?? 0x1000;
      this.packet.addGpaRange(
        o.rangeBytes,
        0,
        Array.from({ length: pages }, (_, i) => first + i),
      );
    } else {
      this.packet.inBand(this.scratch, n, transId, o.completion ?? true);
    }
    if (channel.send(this.packet, meter) === 'sent' && patch !== undefined) {
      patch(at);
      channel.transport.signalHost(meter, false);
    }
  }

  private encodeSrb(bytes: number): number {
    const srb = createVmscsiRequest();
    srb.cdbLength = scsi.encodeCdb(
      { kind: 'read16', lba: 0, blocks: Math.max(1, bytes / 512), fua: false, dpo: false },
      srb.cdbOrSense,
      0,
    );
    srb.dataIn = VmscsiDirection.READ;
    srb.dataTransferLength = bytes;
    return encodeVstorRequest(
      { kind: 'executeSrb', flags: REQUEST_COMPLETION_FLAG, srb },
      this.scratch,
      0,
    );
  }
}
