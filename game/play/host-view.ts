/**
 * The Play scene's canvas: the host drawn as its architecture (static layer, drawn once per
 * build) and what moves during a run (live layer, redrawn each frame from the latest frame the
 * simulation host posted): which VP runs on which LP, ring fill, workload sparklines, packets on the VMBus lanes
 * (colour and shape by device class), misrouted or dropped requests marked with a cross.
 */
import type Phaser from 'phaser';
import type { ChannelRoute, EmulatedRoute, Scenario, VspInstance } from '../../core/index.js';
import { partitionBox, pathLength, pointAlong } from '../art/draw.js';
import { label } from '../art/text.js';
import { packetTextureKey } from '../style/devices.js';
import type { DeviceClass } from '../style/devices.js';
import type { Palette } from '../style/palette.js';
import { DESIGN } from '../ui/geometry.js';
import {
  danglingStub,
  dashes,
  devicePathLook,
  devicesThatLost,
  mixedCores,
  ringLook,
  vmLook,
} from './board-look.js';
import type { DevicePathLook, VmGlyph } from './board-look.js';
import { legendName } from './legend.js';
import {
  centre,
  emulatedPaths,
  laneJunctions,
  laneRoute,
  laneSegments,
  layoutHost,
  piecesOfPath,
  vmmsWires,
  workerCaptions,
} from './layout.js';
import type { EmulatedPath, HostLayout, LanePoint, Rect } from './layout.js';
import { PacketPacer } from './packet-pacer.js';
import { LP_IDLE, LP_ROOT, SPARKLINE_SAMPLES } from './sim-protocol.js';
import type { LiveCounters, SimFrame } from './sim-protocol.js';

export interface HostViewTexts {
  readonly children: string;
  readonly root: string;
  readonly hypervisor: string;
  readonly hardware: string;
  /** The hypervisor's counters, three lines: hypercalls, interrupts, then intercepts. */
  readonly counters: (hypercalls: number, interrupts: number, intercepts: number) => string;
}

interface Packet {
  sprite: Phaser.GameObjects.Image;
  /** The lane it travels (a polyline, see `laneRoute`) and that lane's length. */
  points: readonly LanePoint[];
  length: number;
  t: number;
  active: boolean;
}

/** A channel's lane as drawn: its path, VSC to VSP, and the class of its device. */
interface Lane {
  readonly points: readonly LanePoint[];
  readonly cls: DeviceClass;
}

interface VmLive {
  readonly pacer: PacketPacer;
  /** Packets sent so far: picks the next of the VM's lanes. */
  sent: number;
  /** Requests each device had lost at the previous frame (by device id). */
  lastLost: Readonly<Record<string, number>>;
}

/**
 * What the board shows, as plain data (for tests: `window.hyperkataBoard()`): each device's
 * path, the devices a "lost request" cross was drawn on since the run began, and the scheduler
 * grid as last drawn.
 */
export interface BoardSeen {
  readonly paths: {
    readonly vm: string;
    readonly device: string;
    readonly look: DevicePathLook;
    /** An emulated device's path, from the device to the trap and up into its VMWP. */
    readonly route?: readonly LanePoint[];
  }[];
  /** `vm/device` for each cross drawn, in order. */
  readonly lostMarks: string[];
  /** Per LP: the VM's name running there, `root`, or null when idle. */
  grid: (string | null)[];
  /** The colour each LP's cell was filled with (null when idle). */
  gridColours: (number | null)[];
  /** Cores whose SMT siblings ran two different VMs at the last frame, and at any frame so far. */
  mixedCores: number[];
  readonly mixedCoresEver: Set<number>;
}

const MAX_PACKETS = 160;
const PACKET_SIZE = 12;
/** Real time a packet takes along its lane, ms. */
const PACKET_FLIGHT_MS = 500;
/**
 * Real time between two packets of one VM, ms: at most 10 in flight per VM, spaced along the
 * lane (a busy run used to keep all 160 sprites out, piled up near the VSCs).
 */
const PACKET_GAP_MS = 50;

export class HostView {
  layout: HostLayout;
  private readonly statics: Phaser.GameObjects.Graphics;
  /** The architecture and its labels as one picture (one image copy a frame, not ~700 paths). */
  private baked: Phaser.GameObjects.RenderTexture | null = null;
  private readonly live: Phaser.GameObjects.Graphics;
  private readonly overlay: Phaser.GameObjects.Graphics;
  private readonly labels: Phaser.GameObjects.Text[] = [];
  private readonly counterText: Phaser.GameObjects.Text;
  private readonly packets: Packet[] = [];
  private readonly vmLive = new Map<string, VmLive>();
  private marks: { x: number; y: number; age: number }[] = [];
  /** The emulated devices' paths as last drawn (packets travel them too). */
  private trapped: (EmulatedPath & { readonly cls: DeviceClass })[] = [];
  readonly seen: BoardSeen = {
    paths: [],
    lostMarks: [],
    grid: [],
    gridColours: [],
    mixedCores: [],
    mixedCoresEver: new Set(),
  };

  constructor(
    private readonly scene: Phaser.Scene,
    private readonly palette: Palette,
    private readonly scenario: Scenario,
    private readonly texts: HostViewTexts,
  ) {
    this.layout = layoutHost(scenario, []);
    // The architecture is drawn once into `statics` and its labels, then baked into one texture
    // (see bake()): those objects themselves are never drawn.
    this.statics = scene.add.graphics().setVisible(false);
    const rebake = (): void => {
      this.bake();
    };
    scene.scale.on('resize', rebake);
    scene.events.once('shutdown', () => {
      scene.scale.off('resize', rebake);
    });
    this.live = scene.add.graphics().setDepth(3);
    this.overlay = scene.add.graphics().setDepth(8);
    this.counterText = label(scene, 0, 0, '', {
      size: 10,
      colour: palette.hypervisor,
      mono: true,
      depth: 6,
    });
    for (let i = 0; i < MAX_PACKETS; i++) {
      const sprite = scene.add
        .image(0, 0, packetTextureKey('storage', palette.id))
        .setDisplaySize(PACKET_SIZE, PACKET_SIZE)
        .setDepth(7)
        .setVisible(false);
      this.packets.push({ sprite, points: [], length: 0, t: 0, active: false });
    }
  }

  /** What the architecture was last drawn for (drafts are immutable: same arrays, same picture). */
  private drawnFor: {
    vsps: readonly VspInstance[];
    channels: readonly ChannelRoute[];
    emulated: readonly EmulatedRoute[];
  } | null = null;

  /**
   * Redraws the architecture for the current VSP instances and channels; nothing when they are
   * the ones already drawn (a phase change redraws the panels, not the host: its labels are Text
   * objects, each a canvas of its own to create and render).
   */
  drawStatic(
    vsps: readonly VspInstance[],
    channels: readonly ChannelRoute[],
    emulated: readonly EmulatedRoute[],
  ): void {
    if (
      this.drawnFor?.vsps === vsps &&
      this.drawnFor.channels === channels &&
      this.drawnFor.emulated === emulated
    )
      return;
    this.drawnFor = { vsps, channels, emulated };
    const p = this.palette;
    const L = layoutHost(this.scenario, vsps);
    this.layout = L;
    for (const t of this.labels) t.destroy();
    this.labels.length = 0;
    const g = this.statics;
    g.clear();
    const text = (x: number, y: number, s: string, colour: number, size = 10, mono = false) => {
      this.labels.push(
        label(this.scene, x, y, s, { size, colour, mono, depth: 4 }).setVisible(false),
      );
    };
    // Child partitions.
    for (const vm of L.vms) {
      partitionBox(g, vm.x, vm.y, vm.width, vm.height, p.child, p.panel);
      g.lineStyle(1, p.edge, 0.8);
      g.strokeRect(vm.sparkline.x, vm.sparkline.y, vm.sparkline.width, vm.sparkline.height);
      g.strokeRect(vm.ring.x, vm.ring.y, vm.ring.width, vm.ring.height);
    }
    text(L.children.x + 4, L.children.y + 4, this.texts.children.toUpperCase(), p.child, 10);
    // Root partition.
    partitionBox(g, L.root.x, L.root.y, L.root.width, L.root.height, p.root, p.panel);
    this.fitted(L.rootTitle, this.texts.root.toUpperCase(), p.root);
    g.lineStyle(1, p.root, 0.7);
    g.strokeRoundedRect(L.vmms.x, L.vmms.y, L.vmms.width, L.vmms.height, 4);
    text(L.vmms.x + 8, L.vmms.y + 7, 'VMMS', p.root, 10, true);
    const captions = workerCaptions(L.vms);
    L.vms.forEach((vm, i) => {
      g.strokeRoundedRect(vm.vmwp.x, vm.vmwp.y, vm.vmwp.width, vm.vmwp.height, 4);
      const caption = captions[i];
      const c = centre(vm.vmwp);
      this.labels.push(
        label(this.scene, c.x, c.y, caption.lines.join('\n'), {
          size: 9,
          colour: p.textDim,
          mono: true,
          depth: 4,
          originX: 0.5,
          originY: 0.5,
        })
          .setAlign('center')
          .setAngle(caption.vertical ? -90 : 0)
          .setVisible(false),
      );
    });
    // VMMS starts and manages one worker process per VM: wires under the workers' row, each
    // rising into its own worker's box.
    g.lineStyle(1, p.root, 0.5);
    for (const w of vmmsWires(L)) g.lineBetween(w.x1, w.y1, w.x2, w.y2);
    g.lineStyle(1, p.root, 0.7);
    // Hypervisor strip.
    partitionBox(
      g,
      L.hypervisor.x,
      L.hypervisor.y,
      L.hypervisor.width,
      L.hypervisor.height,
      p.hypervisor,
      p.panel,
    );
    text(
      L.hypervisor.x + 10,
      L.hypervisor.y + 8,
      this.texts.hypervisor.toUpperCase(),
      p.hypervisor,
    );
    this.counterText.setPosition(L.counters.x, L.counters.y);
    g.lineStyle(1, p.edge, 0.9);
    for (const cell of L.schedulerGrid) g.strokeRect(cell.x, cell.y, cell.width, cell.height);
    text(
      L.schedulerGrid[0]?.x ?? L.hypervisor.x,
      L.hypervisor.y + 74,
      'LP 0…' + String(L.schedulerGrid.length - 1),
      p.textDim,
      9,
      true,
    );
    // Hardware: LPs grouped by core, RAM, disks, NICs.
    partitionBox(
      g,
      L.hardware.x,
      L.hardware.y,
      L.hardware.width,
      L.hardware.height,
      p.hardware,
      p.panel,
    );
    text(L.hardware.x + 10, L.hardware.y + 8, this.texts.hardware.toUpperCase(), p.hardware);
    const threads = this.scenario.host.processor.threadsPerCore;
    for (let i = 0; i < L.cores.length; i += threads) {
      const first = L.cores[i];
      const last = L.cores[Math.min(L.cores.length - 1, i + threads - 1)];
      g.lineStyle(1, p.hardware, 0.8);
      g.strokeRoundedRect(
        first.x - 2,
        first.y - 2,
        last.x + last.width - first.x + 4,
        first.height + 4,
        3,
      );
      for (let j = i; j < i + threads && j < L.cores.length; j++) {
        const c = L.cores[j];
        g.fillStyle(p.hardware, 0.25);
        g.fillRect(c.x, c.y, c.width, c.height);
      }
    }
    g.lineStyle(1, p.hardware, 0.8);
    g.strokeRect(L.ram.x, L.ram.y, L.ram.width, L.ram.height);
    text(
      L.ram.x + 4,
      L.ram.y + 9,
      `RAM ${(this.scenario.host.memoryMiB / 1024).toFixed(0)} GiB`,
      p.text,
      10,
      true,
    );
    for (const d of L.disks) this.device(g, d, 'storage', d.id);
    for (const n of L.nics) this.device(g, n, 'network', n.id);
    // VSPs are bound to the device they drive.
    for (const v of L.vsps) {
      const dev = [...L.disks, ...L.nics].find((d) => d.id === v.device);
      if (!dev) continue;
      g.lineStyle(1.5, p.root, 0.45);
      const a = centre(v);
      const b = centre(dev);
      g.lineBetween(a.x, v.y + v.height, a.x, L.hypervisor.y - 4);
      g.lineBetween(b.x, L.hardware.y - 4, b.x, dev.y);
    }
    // VMBus lanes: one per channel, VSC → VSP, routed beside the worker processes (a channel
    // does not go through the VMWP) and joining their VSP's track; shared stretches once.
    const routes = channels.flatMap((ch) => {
      const lane = this.lane(ch.vm, ch.device, ch.vsp);
      return lane ? [lane.points] : [];
    });
    g.lineStyle(3, p.vmbus, 0.55);
    for (const s of laneSegments(routes)) g.lineBetween(s.x1, s.y1, s.x2, s.y2);
    // A dot where a lane joins a track another lane shares; a lane over a track without one
    // only crosses it, as in a circuit diagram.
    g.fillStyle(p.vmbus, 0.95);
    for (const j of laneJunctions(routes)) g.fillCircle(j.x, j.y, 3.5);
    // Emulated devices trap through the VM's worker process; a device with neither a channel
    // nor an emulated route (a synthetic device left unwired) goes nowhere: a stub and a ✗.
    this.seen.paths.length = 0;
    const looks = L.vms.flatMap((vm) =>
      vm.vscs.map((vsc) => ({
        vsc,
        look: devicePathLook(vsc.vm, vsc.device, channels, emulated),
      })),
    );
    const trapped = emulatedPaths(
      L,
      looks.filter((l) => l.look === 'emulated').map((l) => l.vsc),
    );
    this.trapped = trapped.map((t) => ({
      ...t,
      cls:
        looks.find((l) => l.vsc.vm === t.vm && l.vsc.device === t.device)?.vsc.deviceClass ??
        'storage',
    }));
    // Dashed, where a VMBus lane is solid (told apart by shape as well as colour): down to the
    // hypervisor, which takes the intercept (a diamond on its edge), and up into the VMWP.
    for (const path of trapped) {
      g.lineStyle(1.5, p.emulated, 0.75);
      for (const points of [path.down, path.up])
        for (const s of piecesOfPath(points))
          for (const d of dashes(s)) g.lineBetween(d.x1, d.y1, d.x2, d.y2);
      const { x, y } = path.trap;
      g.fillStyle(p.emulated, 0.95);
      g.fillTriangle(x - 4, y, x, y - 4, x + 4, y);
      g.fillTriangle(x - 4, y, x, y + 4, x + 4, y);
    }
    for (const { vsc, look } of looks) {
      const path = trapped.find((t) => t.vm === vsc.vm && t.device === vsc.device);
      this.seen.paths.push({
        vm: vsc.vm,
        device: vsc.device,
        look,
        ...(path ? { route: [...path.down, ...path.up.slice(1)] } : {}),
      });
      if (look === 'none') {
        const { stub, cross } = danglingStub(vsc);
        g.lineStyle(1.5, p.bad, 0.8);
        for (const d of dashes(stub, 2, 2)) g.lineBetween(d.x1, d.y1, d.x2, d.y2);
        g.lineStyle(2, p.bad, 0.95);
        for (const c of cross) g.lineBetween(c.x1, c.y1, c.x2, c.y2);
      }
    }
    this.drawLegend(g, text);
    this.bake();
  }

  /**
   * Bakes the architecture (its Graphics and labels) into one texture at the camera's zoom, so
   * it stays as sharp as when drawn directly. A software renderer otherwise replays every path
   * and label of the static picture on each frame of a run (about 2–3 ms a frame on the CI box).
   * Called after each drawStatic and when the window's size (so the zoom) changes.
   */
  private bake(): void {
    const zoom = this.scene.cameras.main.zoom;
    this.baked?.destroy();
    const rt = this.scene.add
      .renderTexture(0, 0, Math.ceil(DESIGN.width * zoom), Math.ceil(DESIGN.height * zoom))
      .setOrigin(0, 0)
      .setScale(1 / zoom)
      .setDepth(1);
    rt.camera.setOrigin(0, 0).setZoom(zoom);
    rt.draw(this.statics);
    for (const t of this.labels) rt.draw(t);
    rt.render();
    this.baked = rt;
  }

  /**
   * A title written inside a rect: on one line, or broken at its spaces, and scaled down
   * until it fits (the root's title sits in the column above VMMS, clear of the lanes).
   */
  private fitted(r: Rect, s: string, colour: number): void {
    const t = label(this.scene, r.x, r.y, s, { size: 10, colour, depth: 4 }).setVisible(false);
    if (t.width > r.width) t.setText(s.split(' ').join('\n'));
    t.setScale(Math.min(1, r.width / t.width, r.height / t.height));
    this.labels.push(t);
  }

  private device(g: Phaser.GameObjects.Graphics, r: Rect, cls: DeviceClass, id: string): void {
    g.lineStyle(1, this.palette.devices[cls], 0.9);
    g.strokeRoundedRect(r.x, r.y, r.width, r.height, 4);
    this.labels.push(
      label(this.scene, r.x + 4, r.y + 8, id, {
        size: 10,
        colour: this.palette.text,
        mono: true,
        depth: 4,
      }).setVisible(false),
    );
  }

  /** The lane of a channel: from the VSC's bottom edge to the VSP's top edge (`laneRoute`). */
  lane(vm: string, device: string, vsp: string): Lane | null {
    const vsc = this.layout.vms.find((v) => v.vm === vm)?.vscs.find((d) => d.device === device);
    const points = laneRoute(this.layout, vm, device, vsp);
    if (!vsc || !points) return null;
    return { points, cls: vsc.deviceClass };
  }

  /** Whether something still moves without new input: packets on a lane, fading crosses. */
  get animating(): boolean {
    return this.marks.length > 0 || this.packets.some((pk) => pk.active);
  }

  /** Forgets the last run's motion (Reset). */
  clearLive(): void {
    this.live.clear();
    this.counterText.setText('');
    for (const pk of this.packets) {
      pk.active = false;
      pk.sprite.setVisible(false);
    }
    this.vmLive.clear();
    this.marks = [];
    this.seen.lostMarks.length = 0;
    this.seen.grid = [];
    this.seen.gridColours = [];
    this.seen.mixedCores = [];
    this.seen.mixedCoresEver.clear();
  }

  /**
   * Draws the run as of the host's latest frame: the scheduler's occupants, the sampler's recent
   * samples and the counters from the host's last `report()`.
   */
  drawLive(
    frame: SimFrame,
    channels: readonly ChannelRoute[],
    counters: LiveCounters,
    deltaMs: number,
    reducedMotion: boolean,
  ): void {
    const p = this.palette;
    const L = this.layout;
    const g = this.live;
    g.clear();
    // Scheduler grid: which VP runs on which LP — each VM in its own colour with its own glyph —
    // and the same cell lit in the hardware row.
    const seen = this.seen;
    seen.grid = [];
    seen.gridColours = [];
    for (const cell of L.schedulerGrid) {
      const who = cell.lp < frame.lps.length ? frame.lps[cell.lp] : LP_IDLE;
      if (who !== LP_IDLE) {
        const vmIndex = who >= 0 && who < L.vms.length ? who : -1;
        const look = vmIndex >= 0 ? vmLook(vmIndex, p.id) : null;
        const colour = who === LP_ROOT ? p.root : look ? look.colour : p.child;
        g.fillStyle(colour, 0.85);
        g.fillRect(cell.x, cell.y, cell.width, cell.height);
        const hw = L.cores[cell.lp];
        g.fillRect(hw.x, hw.y, hw.width, hw.height);
        if (look) this.glyph(g, look.glyph, look.hollow, cell);
        seen.grid.push(who === LP_ROOT ? 'root' : vmIndex >= 0 ? L.vms[vmIndex].vm : '?');
        seen.gridColours.push(colour);
      } else {
        g.lineStyle(1, p.edge, 0.9);
        g.strokeRect(cell.x, cell.y, cell.width, cell.height);
        seen.grid.push(null);
        seen.gridColours.push(null);
      }
    }
    // A core whose SMT siblings run two different VMs at once (the classic scheduler allows it,
    // the core scheduler never does): a thick outline around its cells and a ≠ under them.
    const threads = this.scenario.host.processor.threadsPerCore;
    seen.mixedCores = mixedCores(frame.lps, threads);
    for (const core of seen.mixedCores) {
      seen.mixedCoresEver.add(core);
      const first = L.schedulerGrid.at(core * threads);
      const last = L.schedulerGrid.at(
        Math.min(L.schedulerGrid.length - 1, core * threads + threads - 1),
      );
      if (!first || !last) continue;
      const x0 = first.x - 2;
      const x1 = last.x + last.width + 2;
      g.lineStyle(2, p.bad, 1);
      g.strokeRect(x0, first.y - 2, x1 - x0, first.height + 4);
      const cx = (x0 + x1) / 2;
      const y = first.y + first.height + 7;
      g.lineBetween(cx - 5, y - 2, cx + 5, y - 2);
      g.lineBetween(cx - 5, y + 2, cx + 5, y + 2);
      g.lineBetween(cx + 3, y - 5, cx - 3, y + 5);
    }
    this.counterText.setText(
      this.texts.counters(counters.hypercalls, counters.interrupts, counters.intercepts),
    );
    // Per VM: sparkline of completed I/O per ms, ring fill, packets for the new completions.
    for (const vm of L.vms) {
      const live = vm.vm in frame.vms ? frame.vms[vm.vm] : null;
      const samples = live ? live.completed : [];
      const s = vm.sparkline;
      const n = Math.min(samples.length, SPARKLINE_SAMPLES);
      let max = 1;
      for (let i = samples.length - n; i < samples.length; i++) max = Math.max(max, samples[i]);
      g.lineStyle(1.5, p.good, 0.9);
      g.beginPath();
      for (let i = 0; i < n; i++) {
        const sample = samples[samples.length - n + i];
        const x = s.x + (s.width * i) / (SPARKLINE_SAMPLES - 1);
        const y = s.y + s.height - (s.height - 2) * (sample / max);
        if (i === 0) g.moveTo(x, y);
        else g.lineTo(x, y);
      }
      g.strokePath();
      // How full the ring is: its unread backlog, or the share of the time the guest waited
      // for room in it (what the "ring full" objectives count), whichever is higher.
      const fill = live ? Math.max(live.ringFill, live.ringWait) : 0;
      const ring = ringLook(vm.ring, fill);
      g.fillStyle(ring.full ? p.bad : p.vmbus, 0.9);
      g.fillRect(vm.ring.x, vm.ring.y, ring.width, vm.ring.height);
      // Nearly full: hatched too, so it does not rest on the colour alone.
      if (ring.hatch.length > 0) {
        g.lineStyle(1.5, p.bg, 0.9);
        for (const h of ring.hatch) g.lineBetween(h.x1, h.y1, h.x2, h.y2);
      }
      // Packets: a stream on the VM's lanes while it completes I/O (none with reduced motion).
      const state = this.vmLive.get(vm.vm) ?? {
        pacer: new PacketPacer({ gapMs: PACKET_GAP_MS, maxOwed: 10 }),
        sent: 0,
        lastLost: {},
      };
      this.vmLive.set(vm.vm, state);
      const send = state.pacer.tick(deltaMs, live ? live.totalCompleted : 0);
      if (send > 0 && !reducedMotion) {
        // Its VMBus lanes, and the round trip of each emulated device through the hypervisor.
        const lanes = [
          ...channels.flatMap((c) => (c.vm === vm.vm ? [this.lane(c.vm, c.device, c.vsp)] : [])),
          ...this.trapped.flatMap((t) =>
            t.vm === vm.vm ? [{ points: [...t.down, ...t.up.slice(1)], cls: t.cls }] : [],
          ),
        ];
        const lane = lanes.length > 0 ? lanes[state.sent++ % lanes.length] : null;
        if (lane) this.spawn(lane);
      }
      // Lost requests: a cross over each device that lost some since the previous frame.
      const lost = live ? live.lost : {};
      for (const device of devicesThatLost(lost, state.lastLost)) {
        const vsc = vm.vscs.find((v) => v.device === device);
        if (!vsc) continue;
        this.marks.push({ x: vsc.x + vsc.width / 2, y: vsc.y - 6, age: 0 });
        seen.lostMarks.push(`${vm.vm}/${device}`);
      }
      state.lastLost = lost;
    }
    // Move packets.
    for (const pk of this.packets) {
      if (!pk.active) continue;
      pk.t += deltaMs / PACKET_FLIGHT_MS;
      if (pk.t >= 1) {
        pk.active = false;
        pk.sprite.setVisible(false);
        continue;
      }
      // The whole lane in PACKET_FLIGHT_MS, as before the lanes bent: same pace per lane.
      const at = pointAlong(pk.points, pk.t * pk.length);
      pk.sprite.setPosition(at.x, at.y);
    }
    // Misrouted or dropped: a red cross that fades.
    const o = this.overlay;
    this.marks = this.marks.filter((m) => (m.age += deltaMs) < 900);
    for (const m of this.marks) {
      o.lineStyle(3, p.bad, 1 - m.age / 900);
      o.lineBetween(m.x - 6, m.y - 6, m.x + 6, m.y + 6);
      o.lineBetween(m.x - 6, m.y + 6, m.x + 6, m.y - 6);
    }
  }

  /** A VM's glyph in the lower part of a grid cell, in the background colour. */
  private glyph(g: Phaser.GameObjects.Graphics, glyph: VmGlyph, hollow: boolean, cell: Rect): void {
    const r = Math.max(2.5, Math.min(cell.width, cell.height) / 2 - 4);
    const cx = cell.x + cell.width / 2;
    const cy = cell.y + cell.height - r - 3;
    this.shape(g, glyph, hollow, cx, cy, r, this.palette.bg);
  }

  private shape(
    g: Phaser.GameObjects.Graphics,
    glyph: VmGlyph,
    hollow: boolean,
    cx: number,
    cy: number,
    r: number,
    colour: number,
  ): void {
    const points =
      glyph === 'triangle'
        ? [
            { x: cx, y: cy - r },
            { x: cx + r, y: cy + r },
            { x: cx - r, y: cy + r },
          ]
        : glyph === 'square'
          ? [
              { x: cx - r, y: cy - r },
              { x: cx + r, y: cy - r },
              { x: cx + r, y: cy + r },
              { x: cx - r, y: cy + r },
            ]
          : glyph === 'diamond'
            ? [
                { x: cx, y: cy - r },
                { x: cx + r, y: cy },
                { x: cx, y: cy + r },
                { x: cx - r, y: cy },
              ]
            : null;
    if (hollow) g.lineStyle(1.5, colour, 0.95);
    else g.fillStyle(colour, 0.95);
    if (!points) {
      if (hollow) g.strokeCircle(cx, cy, r);
      else g.fillCircle(cx, cy, r);
      return;
    }
    g.beginPath();
    points.forEach((pt, k) => {
      if (k === 0) g.moveTo(pt.x, pt.y);
      else g.lineTo(pt.x, pt.y);
    });
    g.closePath();
    if (hollow) g.strokePath();
    else g.fillPath();
  }

  /**
   * The scheduler grid's legend, between the grid and the counters: each VM's colour and glyph
   * beside its name (as many as fit; none when the host has more VMs than rows).
   */
  private drawLegend(
    g: Phaser.GameObjects.Graphics,
    text: (x: number, y: number, s: string, colour: number, size?: number, mono?: boolean) => void,
  ): void {
    const L = this.layout;
    const lastCell = L.schedulerGrid.at(-1);
    if (!lastCell || L.vms.length === 0) return;
    const x = lastCell.x + lastCell.width + 14;
    const room = L.counters.x - 8 - x;
    const rows = Math.floor((L.hypervisor.height - 16) / 13);
    const columns = Math.max(1, Math.floor(room / 80));
    if (room < 60 || L.vms.length > rows * columns) return;
    L.vms.forEach((vm, i) => {
      const look = vmLook(i, this.palette.id);
      const cx = x + Math.floor(i / rows) * 80;
      const cy = L.hypervisor.y + 14 + (i % rows) * 13;
      g.fillStyle(look.colour, 0.85);
      g.fillRect(cx, cy - 5, 10, 10);
      this.shape(g, look.glyph, look.hollow, cx + 5, cy, 3, this.palette.bg);
      text(
        cx + 14,
        cy - 6,
        legendName(vm.vm, (columns === 1 ? room : 80) - 18, 9),
        this.palette.textDim,
        9,
        true,
      );
    });
  }

  private spawn(lane: Lane): void {
    const pk = this.packets.find((x) => !x.active);
    if (!pk || lane.points.length === 0) return;
    pk.active = true;
    pk.t = 0;
    pk.points = lane.points;
    pk.length = pathLength(lane.points);
    const start = lane.points[0];
    pk.sprite
      .setTexture(packetTextureKey(lane.cls, this.palette.id))
      .setDisplaySize(PACKET_SIZE, PACKET_SIZE)
      .setPosition(start.x, start.y)
      .setVisible(true);
  }

  /** Clears the overlay layer (once per frame, before drawLive / drawDrag / drawPointer). */
  beginOverlay(): void {
    this.overlay.clear();
  }

  /** A rubber band while dragging from a VSC. */
  drawDrag(from: { x: number; y: number } | null, to: { x: number; y: number }): void {
    const o = this.overlay;
    if (!from) return;
    o.lineStyle(3, this.palette.focus, 0.9);
    o.lineBetween(from.x, from.y, to.x, to.y);
    o.fillStyle(this.palette.focus, 1);
    o.fillCircle(to.x, to.y, 5);
  }

  /**
   * The tutorial's pointer: a bouncing arrow above the control and four corner brackets that
   * breathe with it. Not a ring: a solid ring on a chip's edge is the selection, a dashed one is
   * keyboard focus, and the tutorial can point at a selected, focused chip.
   */
  drawPointer(target: Rect | null, time: number): void {
    if (!target) return;
    const o = this.overlay;
    const c = centre(target);
    const bob = Math.sin(time / 180) * 4;
    o.fillStyle(this.palette.focus, 1);
    if (target.y >= 28) {
      const y = target.y - 10 + bob;
      o.fillTriangle(c.x - 9, y - 14, c.x + 9, y - 14, c.x, y);
    } else {
      // No room above (the Run button, with the tutorial box below it): it points from the left.
      const x = target.x - 10 + bob;
      o.fillTriangle(x - 14, c.y - 9, x - 14, c.y + 9, x, c.y);
    }
    const gap = 7 + Math.abs(bob) / 2;
    const arm = Math.min(12, target.width / 3, target.height / 2);
    const left = target.x - gap;
    const right = target.x + target.width + gap;
    const top = target.y - gap;
    const bottom = target.y + target.height + gap;
    o.lineStyle(3, this.palette.focus, 1);
    for (const [x, y0, dx, dy] of [
      [left, top, 1, 1],
      [right, top, -1, 1],
      [left, bottom, 1, -1],
      [right, bottom, -1, -1],
    ] as const) {
      o.lineBetween(x, y0, x + dx * arm, y0);
      o.lineBetween(x, y0, x, y0 + dy * arm);
    }
  }
}
