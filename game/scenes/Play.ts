/**
 * Play: one level. Build phase — connect VSCs to VSPs (drag, or the keyboard: Enter on a VSC,
 * Enter on a VSP), change what the level unlocks in the inspector, each control showing the
 * PowerShell an admin would type; the choices form a `Solution` (the CLI's file format). Run
 * phase — the core runs in a Web Worker (`SimClient`) from `startLevel`; the scene's fixed-step
 * loop decides how many equal steps it owes and asks for them (the score is the CLI's), and
 * rendering only reads the frames the worker posts back; narration goes to the event log. Results — stars,
 * every score against its thresholds, the diagnosis of each failed objective, the previous best.
 * Level 1 is a tutorial that points at what to do next.
 */
import Phaser from 'phaser';
import type { Level, LevelResult, RunJson, Solution } from '../../levels/index.js';
import { CUMULATIVE_METRICS, formatMetric } from '../../levels/metric-text.js';
import { objectiveLook, projectedCount } from '../play/objective-look.js';
import type { CountSample } from '../play/objective-look.js';
import { levelFile } from '../campaign/levels.js';
import { FixedStepLoop } from '../play/loop.js';
import {
  channelOf,
  connect,
  disconnect,
  draftFromLevel,
  draftFromSolution,
  offerGuidOf,
  channelsWithoutVsc,
  otherClassOf,
  toSolution,
  vscsOf,
} from '../play/draft.js';
import type { Draft, VscRef } from '../play/draft.js';
import { HostView } from '../play/host-view.js';
import { buildInspector } from '../play/inspector.js';
import { resultsPanel } from '../play/results.js';
import { draftScript, scriptFileName } from '../play/script.js';
import { buildScriptDialog } from '../play/script-dialog.js';
import { builtInClassOf, classOfPlugin, TUTORIAL_LEVEL, tutorialStep } from '../play/tutorial.js';
import { DEVICE_CLASS_GUIDS } from '../../core/model/class-guids.js';
import { fittingSpeed, runSeconds } from '../play/run-speed.js';
import { SPEEDS, speedLabel } from '../save/settings.js';
import { deviceSvg } from '../style/devices.js';
import type { Speed } from '../save/settings.js';
import type { TutorialState } from '../play/tutorial.js';
import type { GameServices } from '../services.js';
import { h, replace, setText } from '../ui/dom.js';
import { reveal } from '../ui/ui-layer.js';
import { backButton, choiceGroup, jsonFilePicker, screenHeader } from '../ui/widgets.js';
import { hostScreen, navigate } from './host.js';
import { SceneKey } from './keys.js';
import { refusalIn } from '../i18n/refusal.js';
import type { LogEntry, LogText } from '../ui/event-log.js';
import { narrationIn } from '../i18n/narration.js';
import type { I18n } from '../i18n/i18n.js';
import type { PlaySceneData } from './keys.js';
import { SimRequestFailed, sharedSimClient } from '../play/sim-client.js';
import { WorkerShare } from '../play/worker-share.js';
import { STEP_NS } from '../play/sim-protocol.js';
import type { LiveCounters, SimFrame } from '../play/sim-protocol.js';

/** The number formats of {@link formatDecimal}, made once per language and number of decimals. */
const DECIMAL_FORMATS = new Map<string, Intl.NumberFormat>();

/**
 * A number with `digits` decimals as `language` writes it, digits grouped ("10.000", "1.234,5",
 * "22,05" / "10,000", "1,234.5", "22.05"): the clock, the event log's times and the hypervisor's
 * counters, on every frame, so each format is made once.
 */
function formatDecimal(value: number, language: string, digits: number): string {
  const key = `${language}/${digits.toString()}`;
  let format = DECIMAL_FORMATS.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(language, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    DECIMAL_FORMATS.set(key, format);
  }
  return format.format(value);
}

/** The hypervisor's three counters, their digits grouped as the player's language does. */
function countersText(
  i18n: I18n,
  hypercalls: number,
  interrupts: number,
  intercepts: number,
): string {
  const n = (v: number): string => formatDecimal(v, i18n.language, 0);
  return i18n.t('play.counters', {
    hypercalls: n(hypercalls),
    interrupts: n(interrupts),
    intercepts: n(intercepts),
  });
}

/** At ×1 one step stands for this much real time: a 400 ms level plays in 10 s. */
const REAL_MS_PER_STEP = 6.25;
/** Step (while paused) advances this many fixed steps: 1 ms of simulated time. */
const STEPS_PER_STEP_BUTTON = 4;
const REPORT_EVERY_MS = 200;
/**
 * Real time one request may spend stepping on the page (no worker), ms: under one frame. In a
 * worker, {@link WorkerShare} decides: 25 ms and two requests in flight (so the worker never
 * waits for the next frame) while the page keeps its frame rate, less when it starts missing
 * frames.
 */
const PAGE_BUDGET_MS = 12;
/** Steps owed past this many frames' worth are dropped: a slow host runs slower, never jumps. */
const OWED_FRAMES = 2;

type Phase = 'build' | 'running' | 'paused' | 'done';
export type Selection =
  | { readonly kind: 'host' }
  | { readonly kind: 'vm'; readonly vm: string }
  | { readonly kind: 'vsp'; readonly id: string }
  | { readonly kind: 'vsc'; readonly vm: string; readonly device: string };

/** The build survives a restart of the scene (language or palette switch) and leaving the level. */
/** The inspector column, in design pixels. */
const INSPECTOR_PLACE = { x: 778, y: 64, width: 230, height: 640 } as const;
/** Where the tutorial's last step stands while the results cover the centre column. */
const RESULTS_NOTE = {
  x: INSPECTOR_PLACE.x,
  y: INSPECTOR_PLACE.y + 24,
  width: INSPECTOR_PLACE.width,
};

const drafts = new Map<string, Draft>();
const hintsShown = new Map<string, number>();
/** The speed picked in this session; until then, the default speed from the settings. */
let speedChoice: Speed | null = null;
/** Speeds picked in a level, by level id: a long level's raised speed never overrides one. */
const levelSpeedChoice = new Map<string, Speed>();
/** The speed of the level on screen: picked there, or raised for its length (`fittingSpeed`). */
let levelSpeed: Speed | null = null;
const currentSpeed = (): Speed => levelSpeed ?? speedChoice ?? 1;
/** Simulated ms per real second at ×1 (a 400 ms level in 10 s). */
const SIM_MS_PER_SECOND_AT_1 = STEP_NS / 1e6 / (REAL_MS_PER_STEP / 1000);

/** Levels parsed by the host, by id (a restart of the scene need not ask again). */
const parsedLevels = new Map<string, Level>();
/** A solution file larger than this is not even read (the host's own limit is 2 MB). */
const MAX_SOLUTION_FILE_READ = 16 * 1024 * 1024;

/** The scene's data without the saved solution to open: what a rebuild in place starts from. */
function withoutSolution(data: PlaySceneData): PlaySceneData {
  const rest = { ...data };
  delete (rest as { solutionId?: string }).solutionId;
  return rest;
}

/** Runs `render` (which may replace the focused element) and gives focus back to the same id. */
function keepingFocus(render: () => void): void {
  const focusId = document.activeElement?.id;
  render();
  if (focusId) {
    const again = document.getElementById(focusId);
    if (again && again !== document.activeElement) again.focus({ preventScroll: true });
  }
}

export class Play extends Phaser.Scene {
  private level: Level | null = null;
  private draft!: Draft;
  private phase: Phase = 'build';
  /** The host has a run for this scene (started by Run or Step, dropped by Reset). */
  private runStarted = false;
  private starting: Promise<boolean> | null = null;
  /** Bumped when a run is dropped: replies for an older run are ignored. */
  private runGeneration = 0;
  /** What the host last posted: all the canvas reads during a run. */
  private frame: SimFrame | null = null;
  private inFlight = 0;
  /** How much of the machine the worker may take during runs (learnt from this scene's frames). */
  private readonly share = new WorkerShare();
  private owedSteps = 0;
  private reportDue = false;
  private loop: FixedStepLoop | null = null;
  private view: HostView | null = null;
  private selection: Selection = { kind: 'host' };
  private pending: VscRef | null = null;
  /** The board's last refusal on screen: replaced by the next, gone once the player moves on. */
  private refusalNotice: HTMLElement | null = null;
  private drag: {
    vsc: VscRef;
    from: { x: number; y: number };
    to: { x: number; y: number };
  } | null = null;
  private counters: LiveCounters = { hypercalls: 0, interrupts: 0, intercepts: 0, bad: {} };
  private sinceReport = 0;
  private liveObjectives: readonly { id: string; met: boolean; value: number }[] = [];
  /** Each count objective's values during this run, for its pace (`projectedCount`). */
  private readonly countSamples = new Map<string, CountSample[]>();
  private narration: LogEntry[] = [];
  private stopNarration: (() => void) | null = null;
  /** Stars of the last finished run (the tutorial's last step depends on it). */
  private lastStars = 0;
  private result: { json: RunJson; previousBest: Readonly<Record<string, number>> } | null = null;
  private tutorial: TutorialState = { connected: false, pending: false, phase: 'build' };
  /** The level as the heading names it ("Level 12 · Consolidation"), for the script's header. */
  private title = '';
  /** The open PowerShell script dialog and the elements it made inert, or null. */
  private script: { dialog: HTMLElement; inert: HTMLElement[] } | null = null;
  private el!: {
    root: HTMLElement;
    chips: HTMLElement;
    toolbar: HTMLElement;
    side: HTMLElement;
    inspector: HTMLElement;
    results: HTMLElement;
    /** The hypervisor's counters as text, for a screen reader (the canvas draws the same). */
    counters: HTMLElement;
    tutorial: HTMLElement;
    /** The hidden file input behind "Open a file…" in the solution box. */
    solutionFile: HTMLInputElement;
  };

  constructor(private readonly services: GameServices) {
    super(SceneKey.Play);
  }

  create(data: PlaySceneData): void {
    const s = this.services;
    const entry =
      s.campaign.levels().find((l) => l.id === data.levelId) ?? s.campaign.levels().at(0);
    const raw = entry ? levelFile(entry.id) : undefined;
    if (!entry || raw === undefined) {
      navigate(this, s, SceneKey.CampaignMap);
      return;
    }
    this.reset();
    speedChoice ??= s.store.settings.speed;
    levelSpeed = levelSpeedChoice.get(entry.id) ?? null;
    s.store.setLastLevel(entry.id);
    const back = (): void => {
      if (this.script) {
        this.closeScript();
        return;
      }
      if (this.pending || this.drag) {
        this.cancelConnect();
        return;
      }
      // The results are a dialog: Esc closes it, back to the build (its "Again"), as a dialog's
      // Esc does; a second Esc leaves for the map.
      if (this.phase === 'done' && this.el.results.childElementCount > 0) {
        this.resetRun();
        return;
      }
      navigate(this, s, SceneKey.CampaignMap, { levelId: entry.id, focus: `level-${entry.id}` });
    };
    const { i18n } = s;
    // In the current language each time it is asked (the log says it again after a switch).
    const titleNow = (): string =>
      i18n.t('play.heading', { number: entry.number, title: i18n.pick(entry.title) });
    const title = titleNow();
    this.title = title;
    const root = h('section', {
      className: 'play-screen',
      attrs: { 'aria-labelledby': 'play-heading', 'aria-busy': 'true' },
    });
    this.el = {
      root,
      chips: h('div', { className: 'play-chips', attrs: { role: 'group', 'aria-label': title } }),
      toolbar: h('div', {
        className: 'play-toolbar',
        attrs: { role: 'toolbar', 'aria-label': i18n.t('play.controls') },
        place: { x: 262, y: 20, width: 746 },
      }),
      side: h('div', {
        className: 'panel play-side',
        place: { x: 16, y: 64, width: 236, height: 640 },
      }),
      inspector: h('div', {
        className: 'panel play-inspector',
        attrs: { role: 'region', 'aria-label': i18n.t('play.inspector') },
        place: INSPECTOR_PLACE,
      }),
      results: h('div', { className: 'play-results-layer' }),
      counters: h('p', { className: 'sr-only', attrs: { id: 'host-counters' } }),
      tutorial: h('div', { className: 'play-tutorial', attrs: { role: 'note' } }),
      solutionFile: jsonFilePicker('solution-file', (file) => void this.openSolutionFile(file)),
    };
    root.append(
      h(
        'div',
        { place: { x: 16, y: 14, width: 240 } },
        screenHeader({
          id: 'play-heading',
          title: i18n.t('play.heading', { number: entry.number, title: '' }).replace(/ · $/, ''),
          back: backButton(i18n.t('nav.back'), back),
        }),
      ),
      this.el.toolbar,
      this.el.side,
      this.el.chips,
      this.el.inspector,
      this.el.tutorial,
      this.el.results,
      this.el.counters,
      this.el.solutionFile,
    );
    hostScreen(this, s, {
      key: SceneKey.Play,
      // A rebuild in place (a language or palette change) keeps the board as the player left it
      // (`drafts`): it must not open the saved solution again over their edits.
      data: withoutSolution(data),
      title: titleNow,
      glow: null,
      screen: () => ({
        back,
        root,
        hotkeys: {
          ' ': () => {
            this.togglePause();
          },
          c: () => {
            this.connectSelectedToItsClass();
          },
          C: () => {
            this.connectSelectedToItsClass();
          },
        },
      }),
    });
    // The canvas is redrawn only when it changes (see update()): while the player builds, the
    // frame costs almost nothing.
    s.frames.onDemand = true;
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      this.sideObserver?.disconnect();
      this.sideObserver = null;
      // The next opening builds a new inspector: its scroll listener is added afresh.
      this.inspectorObserver?.disconnect();
      this.inspectorObserver = null;
      s.frames.onDemand = false;
      this.stopRun();
      this.view = null;
    });
    const known = parsedLevels.get(entry.id);
    void (known ? Promise.resolve(known) : sharedSimClient().load(raw))
      .then(async (level) => {
        parsedLevels.set(entry.id, level);
        const opened = data.solutionId ? await this.openSaved(level, data.solutionId) : null;
        if (!this.scene.isActive()) return;
        this.level = level;
        this.start(data, opened);
      })
      .catch((error: unknown) => {
        s.notices.show({ kind: 'error', text: i18n.t('notice.error', { reason: String(error) }) });
      });
  }

  private reset(): void {
    this.level = null;
    this.script = null;
    this.phase = 'build';
    this.runStarted = false;
    this.starting = null;
    this.frame = null;
    this.inFlight = 0;
    this.owedSteps = 0;
    this.loop = null;
    this.view = null;
    this.selection = { kind: 'host' };
    this.pending = null;
    this.drag = null;
    this.result = null;
    this.narration = [];
    this.liveObjectives = [];
    this.countSamples.clear();
    this.counters = { hypercalls: 0, interrupts: 0, intercepts: 0, bad: {} };
  }

  /**
   * A saved solution the player asked to open, checked first (the solution schema, its level):
   * one that cannot be read is named in an error notice, stays in the saved progress, and the
   * level opens as it was instead.
   */
  private async openSaved(
    level: Level,
    solutionId: string,
  ): Promise<{ readonly name: string; readonly solution: Solution } | null> {
    const { store, notices, i18n } = this.services;
    const saved = store.progressOf(level.id).solutions.find((x) => x.id === solutionId);
    if (!saved) return null;
    const source = i18n.t('play.savedSolution', { name: saved.name });
    try {
      return {
        name: saved.name,
        solution: await sharedSimClient().check(level.id, { json: saved.data }, source),
      };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      notices.show({ kind: 'error', text: i18n.t('notice.savedSolutionBroken', { reason }) });
      return null;
    }
  }

  /**
   * A solution file the player picked (one `hyperkata run` reads, a teacher handed out, or one
   * downloaded earlier): checked on the simulation host — syntax with line and column, the schema,
   * its level — then put on the board. A file that is refused is named in an error notice and the
   * board stays as it was.
   */
  private async openSolutionFile(file: File): Promise<void> {
    const level = this.level;
    const { notices, i18n } = this.services;
    // The phase can change while the file is read and checked (the player presses Run).
    const building = (): boolean => this.phase === 'build';
    if (!level || !building()) return;
    try {
      // The host refuses files over its limit (2 MB) with a located message; reading one far
      // larger than that only to be told so is not worth the memory.
      if (file.size > MAX_SOLUTION_FILE_READ) {
        throw new Error(i18n.t('play.fileTooLarge', { name: file.name }));
      }
      const text = await file.text();
      const solution = await sharedSimClient().check(level.id, { text }, file.name);
      if (this.level !== level || !building()) return;
      this.setDraft(draftFromSolution(level, solution));
      this.say(() => i18n.t('play.openedFile', { name: file.name }));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      notices.show({ kind: 'error', text: i18n.t('notice.solutionFileRefused', { reason }) });
    }
  }

  /** The level is parsed: draw the host and the panels. */
  private start(
    data: PlaySceneData,
    opened: { readonly name: string; readonly solution: Solution } | null,
  ): void {
    const level = this.level;
    if (!level) return;
    const s = this.services;
    let draft = drafts.get(level.id) ?? draftFromLevel(level);
    if (opened) {
      draft = draftFromSolution(level, opened.solution);
      drafts.set(level.id, draft);
      s.log.narrate(() => s.i18n.t('play.openedSolution', { name: opened.name }), {
        kind: 'success',
      });
    }
    this.draft = draft;
    // A long level (level 7 simulates 10 s) starts fast enough that a run takes at most 20 s,
    // unless the player picked a speed in it.
    const durationMs = level.scenario.durationMs;
    const session = speedChoice ?? 1;
    const fits = fittingSpeed(durationMs, session, SIM_MS_PER_SECOND_AT_1);
    if (!levelSpeedChoice.has(level.id) && fits !== session) {
      levelSpeed = fits;
      if (!data.restarted) {
        const speed = speedLabel(fits);
        const seconds = runSeconds(durationMs, fits, SIM_MS_PER_SECOND_AT_1);
        s.log.narrate(() =>
          s.i18n.t('play.speedRaised', {
            duration: formatDecimal(durationMs / 1000, s.i18n.language, 0),
            speed,
            seconds,
          }),
        );
      }
    }
    this.view = new HostView(this, s.palette(), level.scenario, {
      children: s.i18n.t('play.children'),
      root: s.i18n.t('play.root'),
      hypervisor: s.i18n.t('play.hypervisor'),
      hardware: s.i18n.t('play.hardware'),
      counters: (hypercalls, interrupts, intercepts) =>
        countersText(s.i18n, hypercalls, interrupts, intercepts),
    });
    // What the board shows, as plain data, for the browser tests (e2e/board.spec.ts).
    const view = this.view;
    (window as unknown as { hyperkataBoard?: () => unknown }).hyperkataBoard = () => ({
      ...view.seen,
      mixedCoresEver: [...view.seen.mixedCoresEver],
      hypervisorTop: view.layout.hypervisor.y,
      workers: view.layout.vms.map((v) => ({ vm: v.vm, ...v.vmwp })),
    });
    this.el.root.setAttribute('aria-busy', 'false');
    this.renderAll();
    const first = this.el.chips.querySelector<HTMLElement>('.vsc-chip');
    if (!data.focus && level.id === TUTORIAL_LEVEL && first) first.focus({ preventScroll: true });
    else if (data.focus) document.getElementById(data.focus)?.focus({ preventScroll: true });
  }

  private setDraft(draft: Draft): void {
    this.draft = draft;
    this.dropRefusal();
    if (this.level) drafts.set(this.level.id, draft);
    this.renderAll();
  }

  /**
   * A move the host would refuse, said on the spot: a notice (role="alert", heard at once) that
   * the event log keeps (said once more there, politely, after the alert). One refusal notice at
   * a time: the player's next accepted change or run makes it moot, and it goes — the event log
   * keeps it.
   */
  private refuse(text: string): void {
    this.dropRefusal();
    this.refusalNotice = this.services.notices.show({ kind: 'warning', text });
  }

  private dropRefusal(): void {
    this.refusalNotice?.remove();
    this.refusalNotice = null;
  }

  private solution(): Solution {
    if (!this.level) throw new Error('no level');
    return toSolution(this.level, this.draft);
  }

  // ── Rendering the DOM ────────────────────────────────────────────────────────────────────

  private renderAll(): void {
    const level = this.level;
    const view = this.view;
    if (!level || !view) return;
    keepingFocus(() => {
      view.drawStatic(this.draft.vsps, this.draft.channels, this.draft.emulated);
      this.services.frames.invalidate();
      this.renderChips();
      this.renderToolbar();
      this.renderSide();
      this.renderInspector();
      this.renderTutorial();
    });
  }

  /**
   * What a phase change (run, pause, step, finish, reset) changes: the toolbar, the inspector
   * (editable only while building), the objectives' live state and the tutorial. The host, the
   * chips and the briefing stay: rebuilding them cost a finished run a long frame.
   */
  private renderPhase(): void {
    if (!this.level || !this.view) return;
    keepingFocus(() => {
      this.services.frames.invalidate();
      this.renderToolbar();
      this.renderInspector();
      this.refreshLive();
      this.renderTutorial();
    });
  }

  private renderChips(): void {
    const level = this.level;
    const view = this.view;
    if (!level || !view) return;
    const { i18n } = this.services;
    // Read at the event, not at render: a phase change does not rebuild the chips.
    const building = (): boolean => this.phase === 'build';
    const L = view.layout;
    const vmButtons = L.vms.map((vm) =>
      h(
        'button',
        {
          id: `vm-${vm.vm}`,
          className: 'vm-chip',
          attrs: {
            type: 'button',
            'aria-pressed': String(this.selection.kind === 'vm' && this.selection.vm === vm.vm),
          },
          place: { x: vm.x + 4, y: vm.y + 4, width: vm.width - 8, height: 52 },
          on: {
            click: () => {
              this.select({ kind: 'vm', vm: vm.vm });
            },
          },
        },
        h('span', { className: 'vm-name' }, vm.vm),
        h(
          'span',
          { className: 'vm-os' },
          level.scenario.vms.find((v) => v.name === vm.vm)?.os.release ?? '',
        ),
      ),
    );
    const vscButtons = L.vms.flatMap((vm) =>
      vm.vscs.map((vsc) => {
        const route = channelOf(this.draft, vsc.vm, vsc.device);
        const cls = i18n.t(`device.${vsc.deviceClass}`);
        const name = route
          ? i18n.t('play.vscTo', { vm: vsc.vm, device: vsc.device, cls, vsp: route.vsp })
          : i18n.t('play.vscNone', { vm: vsc.vm, device: vsc.device, cls });
        const pending = this.pending?.vm === vsc.vm && this.pending.device === vsc.device;
        const button = h(
          'button',
          {
            id: `vsc-${vsc.vm}-${vsc.device}`,
            className: `vsc-chip class-${vsc.deviceClass}${route ? ' connected' : ''}${pending ? ' pending' : ''}`,
            attrs: {
              type: 'button',
              'aria-label': name,
              'aria-pressed': String(pending),
              'data-vsc': `${vsc.vm}/${vsc.device}`,
            },
            place: { x: vsc.x, y: vsc.y, width: vsc.width, height: vsc.height },
            on: {
              click: () => {
                if (this.dragMoved) return;
                this.select({ kind: 'vsc', vm: vsc.vm, device: vsc.device });
                if (building() && level.controls.routing) this.beginConnect(vsc);
              },
              pointerdown: (event) => {
                if (building() && level.controls.routing) this.beginDrag(event, vsc);
              },
            },
          },
          h('span', { className: 'chip-shape', attrs: { 'aria-hidden': 'true' } }),
          h('span', { className: 'chip-text', attrs: { 'aria-hidden': 'true' } }, vsc.device),
        );
        button.querySelector('.chip-shape')?.append(this.deviceIcon(vsc.deviceClass));
        return button;
      }),
    );
    const vspButtons = L.vsps.map((vsp) => {
      const cls = classOfPlugin(vsp.plugin);
      // What the chip shows of its plugin: built-ins without their `hyperkata.` prefix.
      const plugin = vsp.plugin.replace(/^hyperkata\./, '');
      return h(
        'button',
        {
          id: `vsp-${vsp.id}`,
          className: `vsp-chip${this.pending ? ' target' : ''}${cls ? ` class-${cls}` : ''}`,
          attrs: {
            type: 'button',
            'data-vsp': vsp.id,
            'aria-pressed': String(this.selection.kind === 'vsp' && this.selection.id === vsp.id),
            // Begins with what the chip shows (its id and plugin), as speech input reads it.
            'aria-label': i18n.t('play.vsp', {
              vsp: vsp.id,
              plugin,
              device: vsp.device ? ` ${i18n.t('play.vspDevice', { device: vsp.device })}` : '',
            }),
          },
          place: { x: vsp.x, y: vsp.y, width: vsp.width, height: vsp.height },
          on: {
            click: () => {
              if (this.pending) {
                this.finishConnect(this.pending, vsp.id);
                return;
              }
              this.select({ kind: 'vsp', id: vsp.id });
            },
          },
        },
        h('span', { className: 'vsp-name' }, vsp.id),
        // A space between the two, so the text read from the chip is "storvsp-ssd0 storvsp".
        ' ',
        h('span', { className: 'vsp-plugin' }, plugin),
      );
    });
    const host = h(
      'button',
      {
        id: 'host-chip',
        className: 'host-chip',
        attrs: { type: 'button', 'aria-pressed': String(this.selection.kind === 'host') },
        place: {
          x: L.hardware.x + L.hardware.width - 150,
          y: L.hardware.y + 4,
          width: 142,
          height: 20,
        },
        on: {
          click: () => {
            this.select({ kind: 'host' });
          },
        },
      },
      i18n.t('play.inspect.host', { name: level.scenario.host.name }),
    );
    replace(this.el.chips, ...vmButtons, ...vscButtons, ...vspButtons, host);
  }

  private deviceIcon(cls: VscRef['deviceClass']): HTMLElement {
    const img = h('img', {
      attrs: { alt: '', width: 16, height: 16, draggable: 'false' },
    });
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(deviceSvg(cls, this.services.palette().id, 16))}`;
    return img;
  }

  private renderToolbar(): void {
    const { i18n } = this.services;
    const running = this.phase === 'running';
    const button = (
      id: string,
      text: string,
      onClick: () => void,
      options: { primary?: boolean; disabled?: boolean; key?: string } = {},
    ) =>
      h(
        'button',
        {
          id,
          className: options.primary ? 'primary-button small' : 'secondary-button',
          attrs: {
            type: 'button',
            'aria-disabled': options.disabled ? 'true' : undefined,
            'aria-keyshortcuts': options.key,
          },
          on: {
            click: () => {
              if (!options.disabled) onClick();
            },
          },
        },
        text,
      );
    replace(
      this.el.toolbar,
      button(
        'play-run',
        this.phase === 'paused' ? i18n.t('play.resume') : i18n.t('play.run'),
        () => {
          this.run();
        },
        { primary: true, disabled: running || this.phase === 'done', key: 'Space' },
      ),
      button(
        'play-pause',
        i18n.t('play.pause'),
        () => {
          this.pause();
        },
        { disabled: !running },
      ),
      button(
        'play-step',
        i18n.t('play.step'),
        () => {
          this.step();
        },
        { disabled: running || this.phase === 'done' },
      ),
      button(
        'play-reset',
        i18n.t('play.reset'),
        () => {
          this.resetRun();
        },
        { disabled: this.phase === 'build' },
      ),
      choiceGroup({
        idPrefix: 'speed',
        label: i18n.t('play.speed'),
        className: 'speed-group',
        choices: SPEEDS.map((v) => ({ value: v, label: speedLabel(v) })),
        value: currentSpeed(),
        onChoose: (v) => {
          speedChoice = v;
          levelSpeed = v;
          if (this.level) levelSpeedChoice.set(this.level.id, v);
          if (this.loop) this.loop.speed = v;
          this.renderToolbar();
          document.getElementById(`speed-${v}`)?.focus({ preventScroll: true });
        },
      }),
      h('span', { className: 'play-clock', id: 'play-clock' }, this.clockText()),
    );
  }

  /** The objectives with their live state (refreshed in place during a run, see refreshLive). */
  private objectiveItems(level: Level): HTMLElement[] {
    const { i18n } = this.services;
    return level.objectives.map((o) => {
      const item = h(
        'li',
        { className: 'objective', id: `objective-${o.id}` },
        h('span', { className: 'objective-mark', attrs: { 'aria-hidden': 'true' } }),
        h('span', {}, i18n.pick(o.label)),
        h('span', { className: 'objective-value' }),
        h('span', { className: 'sr-only objective-state' }),
      );
      this.showObjective(item, o.id);
      return item;
    });
  }

  /**
   * Writes one objective's live state into its list item, touching only what changed: during a
   * run this happens five times a second, and each DOM write costs the page a style and layout
   * pass.
   */
  private showObjective(item: HTMLElement, id: string): void {
    const { i18n } = this.services;
    const live = this.liveObjectives.find((x) => x.id === id);
    const objective = this.level?.objectives.find((x) => x.id === id);
    const metric = objective?.metric ?? '';
    const look = objectiveLook(
      live?.met ?? null,
      this.phase === 'done',
      CUMULATIVE_METRICS.has(metric) ? (objective?.op ?? null) : null,
    );
    const className = `objective ${look.className}`.trimEnd();
    if (item.className !== className) item.className = className;
    const [mark, , value, state] = item.children;
    setText(mark, look.mark);
    let text = live ? formatMetric(metric, live.value, i18n.language) : '';
    // A count under its cap, mid-run: where it is heading at its recent pace.
    if (live && look.state === 'holding') {
      const samples = this.countSamples.get(id) ?? [];
      const atMs = (this.frame?.now ?? 0) / 1e6;
      if (samples.at(-1)?.atMs !== atMs) samples.push({ atMs, value: live.value });
      this.countSamples.set(id, samples);
      const pace = projectedCount(samples, this.level?.scenario.durationMs ?? 0);
      if (pace !== null)
        text += ` — ${i18n.t('play.objective.pace', { value: formatMetric(metric, pace, i18n.language) })}`;
    }
    setText(value, live ? ` (${text})` : '');
    setText(state, look.state === null ? '' : ` — ${i18n.t(`play.objective.${look.state}`)}`);
  }

  /** During a run: only the clock and the objectives change, so no button is replaced under a click. */
  private refreshLive(): void {
    const level = this.level;
    if (!level) return;
    for (const o of level.objectives) {
      const item = document.getElementById(`objective-${o.id}`);
      if (item) this.showObjective(item, o.id);
    }
    const clock = document.getElementById('play-clock');
    if (clock) setText(clock, this.clockText());
  }

  private clockText(): string {
    const { i18n } = this.services;
    const frame = this.frame;
    const phaseKey = `play.phase.${this.phase}` as const;
    // One decimal in the player's language ("12,5 de 400 ms"), as the results write theirs.
    return `${i18n.t(phaseKey)} · ${i18n.t('play.time', {
      now: formatDecimal(frame ? frame.now / 1e6 : 0, i18n.language, 1),
      total: formatDecimal(this.level?.scenario.durationMs ?? 0, i18n.language, 0),
    })}`;
  }

  private renderSide(): void {
    const level = this.level;
    if (!level) return;
    const { i18n } = this.services;
    const shown = hintsShown.get(level.id) ?? 0;
    const hints = level.hints
      .slice(0, shown)
      .map((hint, i) =>
        h(
          'li',
          { className: 'hint-item', id: `hint-${i + 1}` },
          h('span', { className: 'eyebrow' }, i18n.t('play.hint', { n: i + 1 })),
          h('p', {}, i18n.pick(hint)),
        ),
      );
    const objectives = this.objectiveItems(level);
    // The key hint is the card's footer, outside the part that scrolls: a long briefing, the
    // shown hints or a longer language (pt-BR wraps it to more lines) can never push it out of
    // the card's fixed height. Each "key action" stays on one line.
    const keys = i18n
      .t('play.keys')
      .split(' · ')
      .flatMap((item, i) => [i > 0 ? ' · ' : '', h('span', { className: 'keys-item' }, item)]);
    // A rebuild (any change on the board) keeps the card where the player had scrolled it.
    const scrolled = this.el.side.querySelector('.play-side-body')?.scrollTop ?? 0;
    replace(
      this.el.side,
      h(
        'div',
        { className: 'play-side-body' },
        h('h2', { className: 'card-heading' }, i18n.t('play.briefing')),
        h('p', { className: 'play-briefing' }, i18n.pick(level.briefing)),
        h('h2', { className: 'card-heading' }, i18n.t('play.objectives')),
        h('ul', { className: 'objective-list', id: 'objectives' }, ...objectives),
        h('h2', { className: 'card-heading' }, i18n.t('play.hints')),
        h('ol', { className: 'hint-list' }, ...hints),
        shown < 3
          ? h(
              'button',
              {
                id: 'play-hint',
                className: 'secondary-button',
                attrs: { type: 'button' },
                on: {
                  click: () => {
                    hintsShown.set(level.id, shown + 1);
                    this.renderSide();
                    document.getElementById('play-hint')?.focus({ preventScroll: true });
                    this.showLastHint(shown + 1);
                    const hint = level.hints[shown];
                    this.services.log.narrate(() => i18n.pick(hint), {
                      source: i18n.t('play.hint', { n: shown + 1 }),
                      again: () => ({
                        text: i18n.pick(hint),
                        source: i18n.t('play.hint', { n: shown + 1 }),
                      }),
                    });
                  },
                },
              },
              i18n.t('play.showHint', { n: shown + 1 }),
            )
          : h('p', { className: 'muted' }, i18n.t('play.noMoreHints')),
      ),
      // Seen while more of the body lies below the fold (the fade says it too); a click scrolls.
      h(
        'div',
        {
          className: 'more-cue',
          attrs: { 'aria-hidden': 'true', hidden: true },
          on: {
            click: () => {
              const body = this.el.side.querySelector('.play-side-body');
              body?.scrollBy({ top: body.clientHeight * 0.8, behavior: 'smooth' });
            },
          },
        },
        i18n.t('play.moreBelow'),
      ),
      h('p', { className: 'keys-hint', id: 'play-keys' }, ...keys),
    );
    const body = this.el.side.querySelector<HTMLElement>('.play-side-body');
    if (body) body.scrollTop = scrolled;
    this.watchSideOverflow();
  }

  /**
   * Brings hint `n`, just revealed, into the card's view with what follows it (the next hint's
   * button): they end the card's body, so it scrolls to its end — unless the hint is taller than
   * the card, when its top is shown. Only the card scrolls, never the overlay.
   */
  private showLastHint(n: number): void {
    const body = this.el.side.querySelector<HTMLElement>('.play-side-body');
    const hint = document.getElementById(`hint-${n}`);
    if (!body || !hint) return;
    body.scrollTop = body.scrollHeight;
    if (hint.getBoundingClientRect().top < body.getBoundingClientRect().top) reveal(hint);
    markMoreBelow(body);
  }

  /** Watches the left card's body while it is on screen (see {@link markMoreBelow}). */
  private sideObserver: ResizeObserver | null = null;

  /**
   * The left card's body scrolls above its key-hint footer: while part of it lies below the fold
   * (a long briefing, shown hints, pt-BR's longer words), its bottom edge fades out
   * (`more-below`), so a half-hidden hint button reads as "scroll for more", not as a cut.
   */
  private watchSideOverflow(): void {
    this.sideObserver?.disconnect();
    const body = this.el.side.querySelector<HTMLElement>('.play-side-body');
    if (body === null) return;
    const mark = (): void => {
      markMoreBelow(body);
    };
    body.addEventListener('scroll', mark, { passive: true });
    this.sideObserver = new ResizeObserver(mark);
    this.sideObserver.observe(body);
    mark();
  }

  private renderInspector(): void {
    const level = this.level;
    if (!level) return;
    replace(
      this.el.inspector,
      buildInspector({
        level,
        draft: this.draft,
        selection: this.selection,
        editable: this.phase === 'build',
        solution: this.solution(),
        i18n: this.services.i18n,
        onChange: (draft) => {
          this.setDraft(draft);
        },
        onRefuse: (text) => {
          this.refuse(text);
          this.renderInspector();
        },
        onDisconnect: (vm, device) => {
          this.setDraft(disconnect(this.draft, vm, device));
          this.say(() => this.services.i18n.t('play.disconnected', { vm, device }));
        },
        onCopy: (text) => {
          void this.services.copy(text).then((ok) => {
            if (ok) this.say(() => this.services.i18n.t('play.copied'));
          });
        },
        onDownload: (text) => {
          this.services.download(`${level.id}.solution.json`, text);
        },
        onOpenFile: () => {
          this.el.solutionFile.click();
        },
        onScript: () => {
          this.openScript();
        },
      }),
      // As on the left card: seen while more of the panel lies below the fold; a click scrolls.
      h(
        'div',
        {
          className: 'more-cue',
          attrs: { 'aria-hidden': 'true', hidden: true },
          on: {
            click: () => {
              const panel = this.el.inspector;
              panel.scrollBy({ top: panel.clientHeight * 0.8, behavior: 'smooth' });
            },
          },
        },
        this.services.i18n.t('play.moreBelow'),
      ),
    );
    this.watchInspectorOverflow();
  }

  /** Watches the inspector while it is on screen (see {@link markMoreBelow}). */
  private inspectorObserver: ResizeObserver | null = null;

  /**
   * The inspector scrolls as a whole: a VM's settings and the host's (VSP instances, the solution
   * file) run past a 720-pixel window's fold. While they do, a cue sticks to its bottom edge, so
   * a cut-off button reads as "scroll for more". Observes the panel and its content, whose height
   * changes as fields open and close.
   */
  private watchInspectorOverflow(): void {
    const panel = this.el.inspector;
    const mark = (): void => {
      markMoreBelow(panel);
    };
    if (this.inspectorObserver === null) {
      panel.addEventListener('scroll', mark, { passive: true });
      this.inspectorObserver = new ResizeObserver(mark);
    }
    this.inspectorObserver.disconnect();
    this.inspectorObserver.observe(panel);
    for (const child of panel.children) this.inspectorObserver.observe(child);
    mark();
  }

  /**
   * Shows the board as it is now (the draft, not the level's defaults) as the PowerShell an
   * administrator would run; built afresh on each opening, so it follows every change.
   */
  private openScript(): void {
    const level = this.level;
    if (!level || this.script) return;
    const { i18n } = this.services;
    const dialog = buildScriptDialog({
      i18n,
      script: draftScript(level, this.draft, i18n, this.title),
      fileName: scriptFileName(level),
      copy: (text) => this.services.copy(text),
      download: (fileName, text) => {
        this.services.download(fileName, text);
      },
      onClose: () => {
        this.closeScript();
      },
    });
    // Modal: the rest of the screen neither takes focus nor clicks until it closes.
    const inert = [...this.el.root.children].filter(
      (el): el is HTMLElement => el instanceof HTMLElement && !el.inert,
    );
    for (const el of inert) el.inert = true;
    this.script = { dialog, inert };
    this.el.root.append(dialog);
    document.getElementById('script-copy')?.focus({ preventScroll: true });
  }

  private closeScript(): void {
    if (!this.script) return;
    for (const el of this.script.inert) el.inert = false;
    this.script.dialog.remove();
    this.script = null;
    document.getElementById('play-script')?.focus({ preventScroll: true });
  }

  private renderTutorial(): void {
    const level = this.level;
    if (!level || level.id !== TUTORIAL_LEVEL) {
      this.el.tutorial.hidden = true;
      return;
    }
    this.tutorial = {
      connected: this.draft.channels.length > 0,
      pending: this.pending !== null,
      phase: this.phase,
    };
    const step = tutorialStep(this.tutorial);
    const { i18n } = this.services;
    this.el.tutorial.hidden = false;
    this.el.tutorial.dataset.step = String(step.n);
    replace(
      this.el.tutorial,
      h('span', { className: 'eyebrow' }, `${i18n.t('play.tutorial')} · ${step.n}/5`),
      h(
        'p',
        {},
        // A run that earned no star is not "done": say so and point at the hints.
        i18n.t(step.n === 5 && this.lastStars === 0 ? 'play.tut.5.failed' : `play.tut.${step.n}`),
      ),
    );
    const target = document.getElementById(step.target);
    const box = target ? this.designRect(target) : null;
    let x = box ? Math.min(Math.max(box.x + box.width / 2 - 120, 262), 1008 - 250) : 262;
    let y = box ? (box.y > 400 ? box.y - 110 : box.y + box.height + 26) : 600;
    let width = 250;
    if (step.n === 5) {
      // The results fill the centre column: the last step sits beside them, over the inspector
      // (which the results make moot), above the results panel, never under it.
      x = RESULTS_NOTE.x;
      y = RESULTS_NOTE.y;
      width = RESULTS_NOTE.width;
    }
    Object.assign(this.el.tutorial.style, {
      position: 'absolute',
      left: `${x}px`,
      top: `${y}px`,
      width: `${width}px`,
    });
  }

  /** Where an overlay element is, in design pixels. */
  private designRect(el: HTMLElement): { x: number; y: number; width: number; height: number } {
    const root = this.el.root.getBoundingClientRect();
    const scale = root.width / 1024 || 1;
    const r = el.getBoundingClientRect();
    return {
      x: (r.left - root.left) / scale,
      y: (r.top - root.top) / scale,
      width: r.width / scale,
      height: r.height / scale,
    };
  }

  /** Says what a move did, in the event log (a polite live region): once, not also elsewhere. */
  private say(text: LogText): void {
    this.services.log.narrate(text);
  }

  // ── Building ───────────────────────────────────────────────────────────────────────────

  private select(selection: Selection): void {
    this.selection = selection;
    this.renderChips();
    this.renderInspector();
    const id =
      selection.kind === 'vm'
        ? `vm-${selection.vm}`
        : selection.kind === 'vsp'
          ? `vsp-${selection.id}`
          : selection.kind === 'vsc'
            ? `vsc-${selection.vm}-${selection.device}`
            : 'host-chip';
    document.getElementById(id)?.focus({ preventScroll: true });
  }

  private beginConnect(vsc: VscRef): void {
    this.pending = vsc;
    this.say(() => this.services.i18n.t('play.connecting', { vm: vsc.vm, device: vsc.device }));
    this.renderChips();
    this.renderTutorial();
    document.getElementById(`vsc-${vsc.vm}-${vsc.device}`)?.focus({ preventScroll: true });
  }

  private cancelConnect(): void {
    const was = this.pending;
    this.pending = null;
    this.drag = null;
    this.renderChips();
    this.renderTutorial();
    if (was) document.getElementById(`vsc-${was.vm}-${was.device}`)?.focus({ preventScroll: true });
  }

  private finishConnect(vsc: VscRef, vsp: string): void {
    const refusal = this.noVsc(vsc.vm, vsc.device) ?? this.wrongClass(vsc, vsp);
    if (refusal !== null) {
      // Rule 11: refused on the spot, with the reason shown and written to the event log.
      this.cancelConnect();
      this.refuse(refusal);
      return;
    }
    this.pending = null;
    this.drag = null;
    this.selection = { kind: 'vsc', vm: vsc.vm, device: vsc.device };
    this.setDraft(connect(this.draft, vsc.vm, vsc.device, vsp));
    this.services.sound.play('channelOpened');
    this.say(() => this.services.i18n.t('play.connected', { vm: vsc.vm, device: vsc.device, vsp }));
    const next = this.level?.id === TUTORIAL_LEVEL ? 'play-run' : `vsc-${vsc.vm}-${vsc.device}`;
    document.getElementById(next)?.focus({ preventScroll: true });
  }

  /**
   * Rule 21: why `vm`, without integration components, cannot have a channel for `device` (it
   * has no VSC), or null when it has them. Said before the host would refuse the run in English.
   */
  private noVsc(vm: string, device: string): string | null {
    if (!Object.hasOwn(this.draft.vms, vm) || this.draft.vms[vm].integrationComponents) return null;
    const { i18n } = this.services;
    const text = i18n.t('play.noVsc', { vm, device });
    return this.level?.controls.integrationComponents
      ? `${text} ${i18n.t('play.noVscFix', { vm, device })}`
      : text;
  }

  /** Why a channel from `vsc` to `vsp` cannot exist (rule 11), or null when it can. */
  private wrongClass(vsc: VscRef, vsp: string): string | null {
    // Only built-in plugins are judged: the game runs no others.
    const other = otherClassOf(this.draft, vsc, vsp, builtInClassOf);
    if (other === null) return null;
    const { i18n } = this.services;
    return i18n.t('play.wrongClass', {
      vm: vsc.vm,
      device: vsc.device,
      cls: i18n.t(`device.${vsc.deviceClass}`).toLocaleLowerCase(),
      vsp,
      vspCls: i18n.t(`device.${other}`).toLocaleLowerCase(),
      // HV_IDE_GUID for a generation 1 VM's boot disk (the IDE accelerator), else its class's.
      guid: this.level ? offerGuidOf(this.level, vsc) : DEVICE_CLASS_GUIDS[vsc.deviceClass],
      vspGuid: DEVICE_CLASS_GUIDS[other],
    });
  }

  /** C: connects the selected (or pending) VSC to the first VSP of its device class. */
  private connectSelectedToItsClass(): void {
    const level = this.level;
    if (!level || this.phase !== 'build' || !level.controls.routing) return;
    const sel = this.pending ?? (this.selection.kind === 'vsc' ? this.selection : null);
    if (!sel) return;
    const vsc = vscsOf(level).find((v) => v.vm === sel.vm && v.device === sel.device);
    const vsp = this.draft.vsps.find((v) => classOfPlugin(v.plugin) === vsc?.deviceClass);
    if (vsc && vsp) this.finishConnect(vsc, vsp.id);
  }

  private dragMoved = false;

  private beginDrag(event: PointerEvent, vsc: VscRef): void {
    if (event.button !== 0) return;
    const start = this.toDesign(event);
    this.dragMoved = false;
    const move = (e: PointerEvent): void => {
      const to = this.toDesign(e);
      if (!this.drag) {
        if (Math.hypot(to.x - start.x, to.y - start.y) < 6) return;
        this.drag = { vsc, from: start, to };
        this.dragMoved = true;
        this.pending = vsc;
        this.renderChips();
        this.renderTutorial();
      }
      this.drag.to = to;
    };
    const up = (e: PointerEvent): void => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      if (!this.drag) return;
      const under = document
        .elementFromPoint(e.clientX, e.clientY)
        ?.closest<HTMLElement>('[data-vsp]');
      const vsp = under?.dataset.vsp;
      if (vsp) this.finishConnect(vsc, vsp);
      else this.cancelConnect();
      // The click that follows a drag must not start a keyboard-style connection.
      setTimeout(() => {
        this.dragMoved = false;
      }, 0);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  }

  private toDesign(e: PointerEvent): { x: number; y: number } {
    const root = this.el.root.getBoundingClientRect();
    const scale = root.width / 1024 || 1;
    return { x: (e.clientX - root.left) / scale, y: (e.clientY - root.top) / scale };
  }

  // ── Running ────────────────────────────────────────────────────────────────────────────

  /** Asks the host for a run of the current solution, once; false when it is refused. */
  private ensureRun(): Promise<boolean> {
    if (this.runStarted) return Promise.resolve(true);
    const level = this.level;
    if (!level) return Promise.resolve(false);
    // A VM whose integration components were switched off after its VSC was wired.
    const orphan = channelsWithoutVsc(this.draft).at(0);
    const refusal = orphan === undefined ? null : this.noVsc(orphan.vm, orphan.device);
    if (refusal !== null) {
      this.refuse(refusal);
      return Promise.resolve(false);
    }
    this.dropRefusal();
    const generation = this.runGeneration;
    this.starting ??= sharedSimClient()
      .start(level, this.solution())
      .then(
        () => {
          if (generation !== this.runGeneration) return false;
          this.runStarted = true;
          this.owedSteps = 0;
          this.inFlight = 0;
          this.loop = new FixedStepLoop({
            stepNs: STEP_NS,
            realMsPerStep: REAL_MS_PER_STEP,
            maxStepsPerFrame: 64 * 3,
            advance: () => {
              this.owedSteps++;
            },
          });
          this.loop.speed = currentSpeed();
          if (this.pending) {
            // A connection half made when the run starts is dropped.
            this.pending = null;
            this.renderChips();
          }
          return true;
        },
        (error: unknown) => {
          const refused = error instanceof SimRequestFailed;
          const reason = refused
            ? refusalIn(this.services.i18n.language, error)
            : error instanceof Error
              ? error.message
              : String(error);
          const key = refused ? 'play.refused' : 'notice.error';
          this.services.notices.show({
            kind: 'error',
            text: this.services.i18n.t(key, { reason }),
          });
          return false;
        },
      )
      .finally(() => {
        this.starting = null;
      });
    return this.starting;
  }

  private run(): void {
    if (this.phase === 'done' || this.phase === 'running' || this.starting) return;
    void this.ensureRun().then((ok) => {
      if (!ok || this.phase === 'done' || !this.scene.isActive()) return;
      this.phase = 'running';
      if (this.loop) this.loop.paused = false;
      const speed = speedLabel(currentSpeed());
      this.say(() => this.services.i18n.t('play.started', { speed }));
      this.afterPhaseChange('play-pause');
    });
  }

  private pause(): void {
    if (this.phase !== 'running') return;
    this.phase = 'paused';
    if (this.loop) this.loop.paused = true;
    this.owedSteps = 0;
    this.afterPhaseChange('play-run');
  }

  private togglePause(): void {
    if (this.phase === 'running') this.pause();
    else this.run();
  }

  private step(): void {
    if (this.phase === 'running' || this.phase === 'done' || this.starting) return;
    void this.ensureRun().then((ok) => {
      if (!ok || this.phase === 'running' || this.phase === 'done') return;
      this.phase = 'paused';
      this.request(STEPS_PER_STEP_BUTTON, Number.POSITIVE_INFINITY, true);
      this.afterPhaseChange('play-step');
    });
  }

  /** Asks the host for up to `steps` steps; the frame it answers with is drawn from then on. */
  private request(steps: number, budgetMs: number, report: boolean): void {
    const generation = this.runGeneration;
    this.inFlight++;
    sharedSimClient()
      .advance(steps, { budgetMs, report })
      .then(
        (frame) => {
          if (generation !== this.runGeneration) return;
          this.inFlight--;
          // Steps the budget cut off are still owed (up to the cap in pump()).
          if (this.phase === 'running') this.owedSteps += steps - frame.steps;
          this.applyFrame(frame);
        },
        (error: unknown) => {
          if (generation !== this.runGeneration) return;
          this.inFlight--;
          this.services.notices.show({
            kind: 'error',
            text: this.services.i18n.t('notice.error', { reason: String(error) }),
          });
          this.pause();
        },
      );
  }

  /** While running: sends the steps the fixed-step loop owes, keeping a request or two in flight. */
  private pump(): void {
    const loop = this.loop;
    if (!loop || this.phase !== 'running') return;
    const cap = Math.max(8, Math.ceil((OWED_FRAMES * loop.speed * 1000) / 60 / REAL_MS_PER_STEP));
    this.owedSteps = Math.min(this.owedSteps, cap);
    const inWorker = sharedSimClient().place === 'worker';
    const budget = inWorker ? this.share.budgetMs : PAGE_BUDGET_MS;
    const maxInFlight = inWorker ? this.share.maxInFlight : 2;
    while (this.inFlight < maxInFlight && this.owedSteps > 0) {
      const steps = this.owedSteps;
      this.owedSteps = 0;
      this.request(steps, budget, this.reportDue);
      this.reportDue = false;
    }
  }

  private applyFrame(frame: SimFrame): void {
    this.frame = frame;
    this.services.frames.invalidate();
    const i18n = this.services.i18n;
    for (const line of frame.narration) {
      const say = (): { time: string; text: string } => ({
        // Two decimals in the player's language ("22,05 ms"), as the clock writes its one.
        time: `${formatDecimal(line.time / 1e6, i18n.language, 2)} ms`,
        // Said in the player's language from the line's id; its English text where none fits.
        text: narrationIn(i18n.language, line),
      });
      this.narration.push({ ...say(), source: line.source, again: say });
    }
    if (frame.live) {
      this.counters = frame.live.counters;
      this.liveObjectives = frame.live.objectives;
      if (!frame.final) this.refreshLive();
    }
    if (frame.final && this.phase !== 'done') this.finish(frame.final);
    else if (this.phase === 'paused') this.flushNarration();
  }

  private resetRun(): void {
    this.stopRun();
    this.phase = 'build';
    this.result = null;
    this.liveObjectives = [];
    this.countSamples.clear();
    this.counters = { hypercalls: 0, interrupts: 0, intercepts: 0, bad: {} };
    this.view?.clearLive();
    this.services.frames.invalidate();
    replace(this.el.results);
    this.say(() => this.services.i18n.t('play.reseted'));
    this.afterPhaseChange('play-run');
  }

  private stopRun(): void {
    this.runGeneration++;
    if (this.runStarted) sharedSimClient().stop();
    this.runStarted = false;
    this.starting = null;
    this.frame = null;
    this.inFlight = 0;
    this.owedSteps = 0;
    this.narration = [];
    this.loop = null;
  }

  private afterPhaseChange(focusId: string): void {
    this.renderPhase();
    document.getElementById(focusId)?.focus({ preventScroll: true });
  }

  private finish(final: { readonly result: LevelResult; readonly json: RunJson }): void {
    const level = this.level;
    if (!level) return;
    this.flushNarration();
    const { result, json } = final;
    const s = this.services;
    const previousBest = { ...s.store.progressOf(level.id).best };
    const previousStars = s.store.progressOf(level.id).stars;
    this.lastStars = result.stars;
    s.store.recordRun(level.id, { stars: result.stars, scores: result.scores });
    s.store.saveSolution(level.id, {
      name: `${s.i18n.t('play.results')} ${'★'.repeat(result.stars)}`,
      data: this.solution(),
      origin: 'player',
    });
    this.result = { json, previousBest };
    this.phase = 'done';
    if (this.loop) this.loop.paused = true;
    this.liveObjectives = result.objectives.map((o) => ({
      id: o.id,
      met: o.met,
      value: o.value,
    }));
    s.sound.play(result.stars > 0 ? 'star' : 'misrouted');
    // Heard once: the log is polite again (the stream ended), and the results panel, which
    // takes focus next, is described by its stars.
    s.log.narrate(() => s.i18n.t('play.finished', { stars: result.stars }), {
      kind: result.stars > 0 ? 'success' : 'warning',
    });
    this.renderPhase();
    const next = s.campaign.levels();
    const index = next.findIndex((l) => l.id === level.id);
    const nextLevel = result.stars > 0 ? next.at(index + 1) : undefined;
    replace(
      this.el.results,
      resultsPanel({
        level,
        result,
        json,
        previousBest,
        previousStars,
        i18n: s.i18n,
        onAgain: () => {
          this.resetRun();
        },
        onNext: nextLevel
          ? () => {
              navigate(this, s, SceneKey.Play, { levelId: nextLevel.id });
            }
          : null,
        onMap: () => {
          navigate(this, s, SceneKey.CampaignMap, {
            levelId: level.id,
            focus: `level-${level.id}`,
          });
        },
      }),
    );
    // Enter takes the primary way on: the next level after a pass, back to the build otherwise.
    document
      .getElementById(nextLevel ? 'results-next' : 'results-again')
      ?.focus({ preventScroll: true });
  }

  private flushNarration(): void {
    if (this.narration.length === 0) return;
    // At high speed only the latest lines are worth reading; the core keeps the rest (recent()).
    const lines = this.narration.slice(-12);
    this.narration = [];
    // Shown line by line, spoken as a summary now and then (a screen reader is not flooded).
    this.services.log.stream(lines);
  }

  override update(time: number, delta: number): void {
    const view = this.view;
    if (!view) return;
    view.beginOverlay();
    if (this.loop && this.phase === 'running') {
      this.share.onFrame(delta);
      this.loop.tick(delta);
      this.sinceReport += delta;
      if (this.sinceReport >= REPORT_EVERY_MS) {
        this.sinceReport = 0;
        this.reportDue = true;
        this.flushNarration();
      }
      this.pump();
    }
    if (this.frame) {
      view.drawLive(
        this.frame,
        this.draft.channels,
        this.counters,
        delta,
        this.services.reducedMotion(),
      );
      const { hypercalls, interrupts, intercepts } = this.counters;
      const counted = countersText(this.services.i18n, hypercalls, interrupts, intercepts);
      if (this.el.counters.textContent !== counted) this.el.counters.textContent = counted;
    }
    if (this.drag) {
      const a = view.layout.vms
        .flatMap((v) => v.vscs)
        .find((v) => v.vm === this.drag?.vsc.vm && v.device === this.drag.vsc.device);
      view.drawDrag(
        a ? { x: a.x + a.width / 2, y: a.y + a.height / 2 } : this.drag.from,
        this.drag.to,
      );
    }
    let pointer = false;
    if (this.level?.id === TUTORIAL_LEVEL && !this.el.tutorial.hidden) {
      const target = document.getElementById(tutorialStep(this.tutorial).target);
      pointer = target !== null && this.phase !== 'done';
      if (target && pointer) view.drawPointer(this.designRect(target), time);
    }
    // What moves by itself this frame; anything else that changes the picture invalidates it.
    const moving =
      this.phase === 'running' ||
      this.drag !== null ||
      pointer ||
      view.animating ||
      this.cameras.main.fadeEffect.isRunning;
    if (moving) this.services.frames.invalidate();
  }
}

/**
 * Marks a scrolling element whose content goes on below what it shows (`more-below`), and shows
 * its cue: the one beside it (the left card's, under its body) or the one inside it (the
 * inspector's, stuck to its bottom edge).
 */
function markMoreBelow(el: HTMLElement): void {
  const cue =
    el.parentElement?.querySelector<HTMLElement>(':scope > .more-cue') ??
    el.querySelector<HTMLElement>(':scope > .more-cue');
  // The cue inside takes room at the bottom when shown: measure without it.
  const inside = cue?.parentElement === el && !cue.hidden ? cue.offsetHeight : 0;
  const more = el.scrollTop + el.clientHeight < el.scrollHeight - inside - 1;
  el.classList.toggle('more-below', more);
  if (cue) cue.hidden = !more;
}
