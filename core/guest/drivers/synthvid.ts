/**
 * synthvid: the guest's synthetic video driver (a VSC), as Linux's hyperv_fb does it. On its
 * channel it negotiates the protocol version (VERSION_REQUEST → VERSION_RESPONSE, WIN10 then
 * WIN8), asks for the supported resolutions (WIN10 and later), tells the host where VRAM is
 * (VRAM_LOCATION → VRAM_LOCATION_ACK echoing user_ctx), then sends the pointer and the mode
 * (POINTER_POSITION, POINTER_SHAPE, SITUATION_UPDATE). The host answers with FEATURE_CHANGE; once
 * it asks for dirt, every screen update is drawn into VRAM and announced with SYNTHVID_DIRT and its
 * dirty rectangle — no port access, no page scanning.
 *
 * The model's driver asks for a completion of each DIRT (Linux sends it without) so the update's
 * latency ends when the host has put it on the console.
 *
 * L: drivers/video/fbdev/hyperv_fb.c (synthvid_connect_vsp, synthvid_send_config, synthvid_update).
 */
import type { EventType, Ns, SimEngine } from '../../engine/index.js';
import { CostMeter, WorkClass } from '../../host/cpu.js';
import type { HostCpu } from '../../host/cpu.js';
import {
  CURSOR_COMPLETE,
  decodeSynthvidMessage,
  encodeSynthvidMessage,
  SynthvidVersion,
} from '../../protocols/index.js';
import type { SynthvidMessage } from '../../protocols/index.js';
import type { VpId } from '../../scheduler/index.js';
import { OutgoingPacket, VmbusPacketType } from '../../vmbus/ring/index.js';
import type { IncomingPacket } from '../../vmbus/ring/index.js';
import { DESKTOP_SCREEN, framebufferWriteNs } from '../stacks/video-stack.js';
import type { VideoDriver, VideoUpdate } from '../stacks/video-stack.js';
import type { ChannelDriver, GuestChannel } from '../vmbus/guest-channel.js';
import { reasonText } from '../../simulation/narration-reasons.js';
import type { Reason } from '../../simulation/narration-reasons.js';

// estimate: guest CPU to handle one synthvid message from the host.
export const SYNTHVID_MESSAGE_NS: Ns = 2_000;
// estimate: guest CPU to build and send one DIRT message.
export const SYNTHVID_DIRT_NS: Ns = 1_500;
/**
 * Where the driver puts VRAM: on generation 1 hyperv_fb uses the BAR of the Hyper-V virtual VGA
 * PCI device (lspci: `Memory at f8000000 … [size=64M]`); on generation 2 it allocates MMIO from
 * VMBus — the model uses the same address there.
 */
export const SYNTHVID_VRAM_GPA = 0xf800_0000n;
/** DIRT messages in flight before the driver waits for completions. */
export const SYNTHVID_MAX_OUTSTANDING = 64;

export type SynthvidPhase = 'connecting' | 'ready' | 'failed' | 'dead';

/** What the driver needs from its guest. */
export interface SynthvidHost {
  readonly engine: SimEngine;
  readonly cpu: HostCpu;
  readonly vpIds: readonly VpId[];
  /** Names the driver's events (`vm:device`). */
  readonly name: string;
  onReady(driver: Synthvid): void;
  /** The driver stopped: the host refused it, or its channel died. */
  onFailed(driver: Synthvid, reason: string): void;
}

export class Synthvid implements ChannelDriver, VideoDriver {
  phase: SynthvidPhase = 'connecting';
  /** Negotiated protocol version (minor << 16 | major), and the mode in use. */
  version = 0;
  width: number = DESKTOP_SCREEN.width;
  height: number = DESKTOP_SCREEN.height;
  private channel: GuestChannel | null = null;
  private tried: number = SynthvidVersion.WIN10;
  private configured = false;
  private dirtNeeded = false;
  private readonly outbox: SynthvidMessage[] = [];
  private readonly waiting: VideoUpdate[] = [];
  private waitHead = 0;
  private readonly slots: (VideoUpdate | null)[] = new Array<VideoUpdate | null>(
    SYNTHVID_MAX_OUTSTANDING,
  ).fill(null);
  private readonly free: number[] = [];
  private readonly done: VideoUpdate[] = [];
  private readonly packet = new OutgoingPacket();
  private readonly scratch = new Uint8Array(256);
  private readonly meter = new CostMeter();
  private readonly drawn: EventType<VideoUpdate>;
  /** Why the driver stopped (it failed, or its channel died), when it did. */
  failure = '';
  dirtSent = 0;

  constructor(private readonly host: SynthvidHost) {
    for (let i = SYNTHVID_MAX_OUTSTANDING - 1; i >= 0; i--) this.free.push(i);
    this.drawn = host.engine.define<VideoUpdate>(`synthvid:${host.name}:drawn`, (u) => {
      if (this.dead) {
        u.sink.videoUpdateDone(u, false);
        return;
      }
      this.waiting.push(u);
      this.meter.take();
      this.pump(this.meter);
      host.cpu.charge(host.vpIds[u.vpIndex], this.meter.take(), WorkClass.Thread);
    });
  }

  get ready(): boolean {
    return this.phase === 'ready';
  }

  get dead(): boolean {
    return this.phase === 'dead' || this.phase === 'failed';
  }

  /** "major.minor" of the negotiated version. */
  get versionText(): string {
    return `${this.version & 0xffff}.${this.version >>> 16}`;
  }

  /** The channel opened: negotiate the version (synthvid_connect_vsp). */
  attach(channel: GuestChannel, meter: CostMeter): void {
    this.channel = channel;
    this.queue({ kind: 'versionRequest', version: this.tried }, meter);
  }

  /** A screen update: draw it into VRAM (guest CPU), then announce it with DIRT. */
  update(u: VideoUpdate): void {
    if (this.dead) {
      u.sink.videoUpdateDone(u, false);
      return;
    }
    const cost = framebufferWriteNs(u.bytes);
    this.host.cpu.run(this.host.vpIds[u.vpIndex], cost, WorkClass.Thread, this.drawn, u);
  }

  // ── ChannelDriver ───────────────────────────────────────────────────────────────────────────

  onPacket(_channel: GuestChannel, packet: IncomingPacket, meter: CostMeter): void {
    meter.add(SYNTHVID_MESSAGE_NS);
    if (packet.type === VmbusPacketType.Completion) {
      const slot = packet.transIdIsSafe ? packet.transId - 1 : -1;
      if (slot < 0 || slot >= SYNTHVID_MAX_OUTSTANDING) return;
      const u = this.slots[slot];
      if (u === null) return;
      this.slots[slot] = null;
      this.free.push(slot);
      this.done.push(u);
      return;
    }
    if (packet.type !== VmbusPacketType.DataInBand) return;
    const m = decodeSynthvidMessage(packet.data, packet.payloadOffset, packet.payloadLength);
    if (m.ok) this.onMessage(m.value);
  }

  afterPacket(_channel: GuestChannel, meter: CostMeter): void {
    for (const u of this.done) u.sink.videoUpdateDone(u, true);
    this.done.length = 0;
    this.flushOutbox(meter);
    this.pump(meter);
  }

  onWritable(_channel: GuestChannel, meter: CostMeter): void {
    this.flushOutbox(meter);
    this.pump(meter);
  }

  onDead(_channel: GuestChannel, reason: Reason): void {
    this.stop('dead', reasonText(reason));
  }

  // ── The protocol ────────────────────────────────────────────────────────────────────────────

  /** Decides the reply to a host message; the sends happen in afterPacket. */
  private onMessage(m: SynthvidMessage): void {
    if (this.dead) return;
    switch (m.kind) {
      case 'versionResponse':
        if (this.version !== 0) return;
        if (!m.isAccepted) {
          if (this.tried === SynthvidVersion.WIN10) {
            this.tried = SynthvidVersion.WIN8;
            this.outbox.push({ kind: 'versionRequest', version: this.tried });
          } else this.stop('failed', 'the host accepted no synthetic video version');
          return;
        }
        this.version = this.tried;
        this.outbox.push(
          this.version === SynthvidVersion.WIN10
            ? { kind: 'resolutionRequest', maximumResolutionCount: 64 }
            : this.vramLocation(),
        );
        return;
      case 'resolutionResponse': {
        const r = m.resolutions[m.defaultResolutionIndex] as
          (typeof m.resolutions)[number] | undefined;
        if (r !== undefined && r.width > 0 && r.height > 0) {
          this.width = r.width;
          this.height = r.height;
        } // else hyperv_fb keeps its defaults
        this.outbox.push(this.vramLocation());
        return;
      }
      case 'vramLocationAck':
        if (m.userContext !== SYNTHVID_VRAM_GPA) {
          this.stop('failed', 'the host did not take the VRAM location');
          return;
        }
        this.configured = true;
        this.pushPointerAndSituation();
        this.becomeReadyIfAsked();
        return;
      case 'featureChange':
        this.dirtNeeded = m.isDirtNeeded;
        if (this.configured) this.pushPointerAndSituation();
        this.becomeReadyIfAsked();
        return;
      default:
        return; // hyperv_fb ignores other host messages
    }
  }

  private vramLocation(): SynthvidMessage {
    return {
      kind: 'vramLocation',
      userContext: SYNTHVID_VRAM_GPA,
      isVramGpaSpecified: true,
      vramGpa: SYNTHVID_VRAM_GPA,
    };
  }

  private pushPointerAndSituation(): void {
    this.outbox.push(
      { kind: 'pointerPosition', isVisible: true, videoOutput: 0, imageX: 0, imageY: 0 },
      {
        kind: 'pointerShape',
        partIndex: CURSOR_COMPLETE,
        isArgb: true,
        width: 1,
        height: 1,
        hotX: 0,
        hotY: 0,
        data: Uint8Array.of(0, 1, 1, 1),
      },
      {
        kind: 'situationUpdate',
        userContext: 0n,
        videoOutputs: [
          {
            active: true,
            vramOffset: 0,
            depthBits: 32,
            widthPixels: this.width,
            heightPixels: this.height,
            pitchBytes: this.width * 4,
          },
        ],
      },
    );
  }

  private becomeReadyIfAsked(): void {
    if (this.phase !== 'connecting' || !this.configured || !this.dirtNeeded) return;
    this.phase = 'ready';
    this.host.onReady(this);
  }

  private queue(m: SynthvidMessage, meter: CostMeter): void {
    this.outbox.push(m);
    this.flushOutbox(meter);
  }

  private flushOutbox(meter: CostMeter): void {
    const channel = this.channel;
    while (this.outbox.length > 0 && channel !== null && !this.dead) {
      const n = encodeSynthvidMessage(this.outbox[0], this.scratch, 0);
      this.packet.inBand(this.scratch, n, 0, false);
      const r = channel.send(this.packet, meter);
      if (r !== 'sent') return; // full: onWritable resumes; dead: onDead follows
      meter.add(SYNTHVID_MESSAGE_NS);
      this.outbox.shift();
    }
  }

  /** Sends DIRT for drawn updates while the host wants dirt and completions are free. */
  private pump(meter: CostMeter): void {
    const channel = this.channel;
    if (this.phase !== 'ready' || channel === null || this.outbox.length > 0) return;
    while (this.waitHead < this.waiting.length && this.free.length > 0) {
      const u = this.waiting[this.waitHead];
      const slot = this.free[this.free.length - 1];
      const n = encodeSynthvidMessage(
        {
          kind: 'dirt',
          videoOutput: 0,
          rects: [
            {
              x1: u.x1,
              y1: u.y1,
              x2: Math.min(u.x2, this.width),
              y2: Math.min(u.y2, this.height),
            },
          ],
        },
        this.scratch,
        0,
      );
      this.packet.inBand(this.scratch, n, slot + 1, true);
      if (channel.send(this.packet, meter) !== 'sent') return;
      meter.add(SYNTHVID_DIRT_NS);
      this.dirtSent++;
      this.free.pop();
      this.slots[slot] = u;
      this.waitHead++;
      if (this.waitHead > 256 && this.waitHead * 2 > this.waiting.length) {
        this.waiting.splice(0, this.waitHead);
        this.waitHead = 0;
      }
    }
  }

  private stop(phase: 'failed' | 'dead', reason: string): void {
    if (this.dead) return;
    this.phase = phase;
    this.failure = reason;
    this.host.onFailed(this, reason);
    for (let i = 0; i < this.slots.length; i++) {
      const u = this.slots[i];
      if (u === null) continue;
      this.slots[i] = null;
      u.sink.videoUpdateDone(u, false);
    }
    for (let i = this.waitHead; i < this.waiting.length; i++) {
      const u = this.waiting[i];
      u.sink.videoUpdateDone(u, false);
    }
    this.waiting.length = 0;
    this.waitHead = 0;
  }
}
