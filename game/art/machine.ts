/**
 * The title screen's machine: one Hyper-V host as the game draws it — child partitions on top,
 * the root partition with its VSPs and worker processes, the hypervisor strip, the hardware —
 * with packets on the VMBus lanes and the slow emulated path through an intercept and VMWP.
 * With reduced motion the packets stand still at fixed points of their lanes.
 */
import Phaser from 'phaser';
import type { I18n } from '../i18n/i18n.js';
import { deviceTextureKey, packetTextureKey } from '../style/devices.js';
import type { DeviceClass } from '../style/devices.js';
import type { Palette } from '../style/palette.js';
import { chip, dashedPath, partitionBox, path, pathLength, pointAlong } from './draw.js';
import type { Point } from './draw.js';
import { label } from './text.js';
import { DEVICE_TEXTURE_SIZE, PACKET_TEXTURE_SIZE, dotTexture } from './textures.js';

export interface MachineArtOptions {
  readonly palette: Palette;
  readonly i18n: I18n;
  readonly reducedMotion: boolean;
  /** Left edge of the drawing, design px (the drawing is 504 px wide). */
  readonly x: number;
  readonly y: number;
}

interface Lane {
  readonly points: readonly Point[];
  /** px per second. */
  readonly speed: number;
  readonly sprites: Phaser.GameObjects.Image[];
  readonly phase: readonly number[];
}

export function drawMachine(scene: Phaser.Scene, options: MachineArtOptions): void {
  const { palette: p, i18n, x: ox, y: oy } = options;
  const X = (v: number): number => ox + v;
  const Y = (v: number): number => oy + v;
  const boxes = scene.add.graphics().setDepth(0);
  const lanes = scene.add.graphics().setDepth(1);
  const g = scene.add.graphics().setDepth(2);
  const front = scene.add.graphics().setDepth(3.5);
  const small = { size: 11, colour: p.textDim, mono: true, spacing: 1 } as const;
  // Labels sit on a plate of their box's colour, so lanes pass under them, as in a schematic.
  const plates = scene.add.graphics().setDepth(4.5);
  const plate = (text: Phaser.GameObjects.Text, tint: number, tintAlpha: number): void => {
    const b = text.getBounds();
    plates.fillStyle(p.panel, 1);
    plates.fillRoundedRect(b.x - 5, b.y - 3, b.width + 10, b.height + 6, 3);
    plates.fillStyle(tint, tintAlpha);
    plates.fillRoundedRect(b.x - 5, b.y - 3, b.width + 10, b.height + 6, 3);
  };
  const tag = (x: number, y: number, text: string, colour: number, tintAlpha = 0.05): void => {
    const t = label(scene, x, y, text.toUpperCase(), {
      size: 11,
      colour,
      mono: true,
      bold: true,
      spacing: 1.5,
    });
    plate(t, colour, tintAlpha);
  };

  // Child partitions.
  partitionBox(boxes, X(0), Y(0), 240, 150, p.child, p.panel);
  tag(X(14), Y(12), i18n.t('art.child'), p.child);
  label(scene, X(226), Y(12), 'VM 1', { ...small, originX: 1 });
  partitionBox(boxes, X(264), Y(0), 240, 150, p.child, p.panel);
  tag(X(278), Y(12), i18n.t('art.child'), p.child);
  label(scene, X(490), Y(12), 'VM 2', { ...small, originX: 1 });
  for (const [bx, n] of [
    [X(14), 3],
    [X(278), 2],
  ] as const) {
    for (let i = 0; i < n; i++) {
      boxes.fillStyle(p.textDim, 0.22);
      boxes.fillRoundedRect(bx + i * 70, Y(40), 62, 12, 3);
    }
  }
  label(scene, X(14), Y(58), i18n.t('art.apps'), small);
  label(scene, X(278), Y(58), `${i18n.t('art.apps')} · ${i18n.t('art.noIcs')}`, small);

  // Synthetic devices of VM 1 (VSC) and emulated devices of VM 2.
  const vsc = (x: number, deviceClass: DeviceClass) => {
    chip(g, X(x), Y(92), 80, 40, { colour: p.devices[deviceClass], fill: p.panelRaised });
    icon(scene, X(x + 18), Y(112), deviceClass, p, 20);
    label(scene, X(x + 34), Y(106), 'VSC', { size: 12, colour: p.text, mono: true, bold: true });
  };
  vsc(40, 'storage');
  vsc(140, 'network');
  const emulatedChip = (x: number, text: string) => {
    chip(g, X(x), Y(92), 90, 40, { colour: p.emulated, fill: p.panelRaised, dashed: true });
    label(scene, X(x + 45), Y(112), text, {
      size: 11,
      colour: p.emulated,
      mono: true,
      bold: true,
      originX: 0.5,
      originY: 0.5,
    });
  };
  emulatedChip(284, 'IDE');
  emulatedChip(394, 'DEC 21140');

  // Root partition.
  partitionBox(boxes, X(0), Y(198), 504, 196, p.root, p.panel);
  tag(X(14), Y(210), i18n.t('art.root'), p.root);
  const vsp = (x: number, deviceClass: DeviceClass) => {
    chip(g, X(x), Y(236), 80, 40, { colour: p.devices[deviceClass], fill: p.panelRaised });
    icon(scene, X(x + 18), Y(256), deviceClass, p, 20);
    label(scene, X(x + 34), Y(250), 'VSP', { size: 12, colour: p.text, mono: true, bold: true });
  };
  vsp(40, 'storage');
  vsp(140, 'network');
  const service = (x: number, y: number, w: number, text: string) => {
    chip(g, X(x), Y(y), w, 36, { colour: p.root, fill: p.panelRaised, pins: 3 });
    label(scene, X(x + w / 2), Y(y + 18), text, {
      size: 11,
      colour: p.text,
      mono: true,
      bold: true,
      originX: 0.5,
      originY: 0.5,
    });
  };
  service(394, 236, 90, 'VMMS');
  service(20, 318, 200, `${i18n.t('art.drivers')} · VID · WinHv`);
  service(240, 318, 80, 'VMWP 1');
  service(394, 318, 90, 'VMWP 2');

  // Hypervisor strip.
  boxes.fillStyle(p.panel, 0.85);
  boxes.fillRoundedRect(X(0), Y(418), 504, 46, 8);
  boxes.fillStyle(p.hypervisor, 0.1);
  boxes.fillRoundedRect(X(0), Y(418), 504, 46, 8);
  boxes.lineStyle(1.5, p.hypervisor, 0.9);
  boxes.strokeRoundedRect(X(0), Y(418), 504, 46, 8);
  tag(X(14), Y(435), i18n.t('art.hypervisor'), p.hypervisor, 0.1);
  plate(
    label(scene, X(112), Y(436), i18n.t('art.hypervisorParts'), { ...small, size: 10, spacing: 0 }),
    p.hypervisor,
    0.1,
  );

  // Hardware.
  partitionBox(boxes, X(0), Y(488), 504, 124, p.hardware, p.panel);
  tag(X(14), Y(500), i18n.t('art.hardware'), p.hardware);
  const part = (x: number, w: number, text: string, deviceClass?: DeviceClass) => {
    chip(g, X(x), Y(530), w, 56, {
      colour: deviceClass ? p.devices[deviceClass] : p.hardware,
      fill: p.panelRaised,
    });
    if (deviceClass) icon(scene, X(x + w / 2), Y(550), deviceClass, p, 22);
    label(scene, X(x + w / 2), Y(deviceClass ? 575 : 558), text, {
      size: 11,
      colour: p.text,
      mono: true,
      bold: true,
      originX: 0.5,
      originY: 0.5,
    });
  };
  part(40, 80, i18n.t('art.disk'), 'storage');
  part(140, 80, i18n.t('art.nic'), 'network');
  part(240, 96, i18n.t('art.ram'));
  for (let i = 0; i < 8; i++) {
    g.fillStyle(p.hardware, 0.28);
    g.fillRect(X(250 + i * 10), Y(542), 6, 10);
  }
  // Logical processors: four cores of two SMT siblings, each with its APIC.
  const lpPos: Point[] = [];
  for (let core = 0; core < 4; core++) {
    const cx = X(356 + core * 36);
    g.lineStyle(1, p.hardware, 0.6);
    g.strokeRoundedRect(cx - 3, Y(527), 32, 62, 4);
    for (let sib = 0; sib < 2; sib++) {
      const ly = Y(531 + sib * 28);
      g.fillStyle(p.panelRaised, 1);
      g.fillRoundedRect(cx, ly, 26, 24, 3);
      g.lineStyle(1.2, p.hardware, 1);
      g.strokeRoundedRect(cx, ly, 26, 24, 3);
      lpPos.push({ x: cx + 21, y: ly + 5 });
    }
  }
  label(scene, X(424), Y(598), i18n.t('art.cores'), { ...small, size: 10, originX: 0.5 });

  // Lanes: VMBus (two rings per channel), root drivers to devices, the emulated path.
  const storageLane: Point[] = [
    { x: X(80), y: Y(136) },
    { x: X(80), y: Y(232) },
  ];
  const networkLane: Point[] = [
    { x: X(180), y: Y(136) },
    { x: X(180), y: Y(232) },
  ];
  for (const lane of [storageLane, networkLane]) {
    const [a, b] = [lane[0], lane[1]];
    path(
      lanes,
      [
        { x: a.x - 4, y: a.y },
        { x: b.x - 4, y: b.y },
      ],
      p.vmbus,
      2,
      0.9,
    );
    path(
      lanes,
      [
        { x: a.x + 4, y: a.y },
        { x: b.x + 4, y: b.y },
      ],
      p.vmbus,
      2,
      0.9,
    );
  }
  label(scene, X(206), Y(178), i18n.t('art.vmbus'), {
    size: 12,
    colour: p.vmbus,
    mono: true,
    bold: true,
    spacing: 1,
  });
  const diskLane: Point[] = [
    { x: X(80), y: Y(354) },
    { x: X(80), y: Y(526) },
  ];
  const nicLane: Point[] = [
    { x: X(180), y: Y(354) },
    { x: X(180), y: Y(526) },
  ];
  path(lanes, diskLane, p.hardware, 2, 0.55);
  path(lanes, nicLane, p.hardware, 2, 0.55);
  path(
    lanes,
    [
      { x: X(80), y: Y(280) },
      { x: X(80), y: Y(314) },
    ],
    p.hardware,
    2,
    0.55,
  );
  path(
    lanes,
    [
      { x: X(180), y: Y(280) },
      { x: X(180), y: Y(314) },
    ],
    p.hardware,
    2,
    0.55,
  );
  const emulated: Point[] = [
    { x: X(329), y: Y(136) },
    { x: X(329), y: Y(452) },
    { x: X(439), y: Y(452) },
    { x: X(439), y: Y(358) },
  ];
  dashedPath(front, emulated, p.emulated, { width: 2, dash: 7, gap: 5, alpha: 0.95 });
  front.fillStyle(p.emulated, 1);
  front.fillCircle(X(329), Y(452), 5);
  label(scene, X(340), Y(426), i18n.t('art.emulated'), {
    size: 10,
    colour: p.emulated,
    mono: true,
    bold: true,
  });

  animate(scene, options, {
    storage: [...storageLane, { x: X(80), y: Y(280) }, { x: X(80), y: Y(314) }, ...diskLane],
    network: [...networkLane, { x: X(180), y: Y(280) }, { x: X(180), y: Y(314) }, ...nicLane],
    emulated,
    apics: lpPos,
  });
}

function icon(
  scene: Phaser.Scene,
  x: number,
  y: number,
  deviceClass: DeviceClass,
  p: Palette,
  size: number,
): void {
  scene.add
    .image(x, y, deviceTextureKey(deviceClass, p.id))
    .setScale(size / DEVICE_TEXTURE_SIZE)
    .setDepth(3);
}

interface Paths {
  readonly storage: readonly Point[];
  readonly network: readonly Point[];
  readonly emulated: readonly Point[];
  readonly apics: readonly Point[];
}

function animate(scene: Phaser.Scene, options: MachineArtOptions, paths: Paths): void {
  const p = options.palette;
  const packet = (deviceClass: DeviceClass | null, size: number): Phaser.GameObjects.Image => {
    const image = deviceClass
      ? scene.add
          .image(0, 0, packetTextureKey(deviceClass, p.id))
          .setScale(size / PACKET_TEXTURE_SIZE)
      : scene.add.image(0, 0, dotTexture(scene, p.emulated)).setScale(size / 32);
    // Between the lanes and the chips: packets pass under the components they go through.
    return image.setDepth(1.5);
  };
  const lanes: Lane[] = [
    {
      points: paths.storage,
      speed: 120,
      sprites: [0, 1, 2].map(() => packet('storage', 13)),
      phase: [0, 0.33, 0.66],
    },
    {
      points: paths.network,
      speed: 150,
      sprites: [0, 1, 2, 3].map(() => packet('network', 12)),
      phase: [0.1, 0.35, 0.6, 0.85],
    },
    {
      points: paths.emulated,
      speed: 38,
      sprites: [0, 1].map(() => packet(null, 9)),
      phase: [0.2, 0.7],
    },
  ];
  // Coloured dot textures rather than tints: the Canvas renderer ignores setTint.
  const apicOff = dotTexture(scene, p.hardware);
  const apicOn = dotTexture(scene, p.vmbus);
  const apics = paths.apics.map((pt) =>
    scene.add
      .image(pt.x, pt.y, apicOff)
      .setScale(5 / 32)
      .setDepth(4),
  );

  const place = (seconds: number): void => {
    for (const lane of lanes) {
      const length = pathLength(lane.points);
      const loop = length / lane.speed;
      lane.sprites.forEach((sprite, i) => {
        const t = (((seconds / loop + (lane.phase[i] ?? 0)) % 1) + 1) % 1;
        const pt = pointAlong(lane.points, t * length);
        sprite.setPosition(pt.x, pt.y);
        // Fade in and out at the ends so packets do not pop.
        sprite.setAlpha(Math.min(1, t * 12, (1 - t) * 12));
      });
    }
    // Interrupts: an APIC lights up briefly, round-robin, like completions arriving.
    const lit = Math.floor(seconds * 3) % apics.length;
    apics.forEach((dot, i) => {
      const on = i === lit || i === (lit * 5 + 3) % apics.length;
      dot.setTexture(on ? apicOn : apicOff).setAlpha(on ? 1 : 0.5);
    });
  };

  if (options.reducedMotion) {
    place(0.9);
    return;
  }
  const onUpdate = (time: number): void => {
    place(time / 1000);
  };
  scene.events.on(Phaser.Scenes.Events.UPDATE, onUpdate);
  scene.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
    scene.events.off(Phaser.Scenes.Events.UPDATE, onUpdate);
  });
}
