/**
 * The simulation's side of the Play scene: answers {@link SimRequest}s by driving the core through
 * the same entry points as the CLI (`startLevel`, `advance`, `finishLevel`, `runJson`), so a
 * solution scores exactly what `hyperkata run` prints. It runs inside a Web Worker
 * (`sim-worker.ts`), or on the page where workers are unavailable (`sim-client.ts`). No DOM here.
 */
import type { Level } from '../../levels/index.js';
import type { Simulation } from '../../core/index.js';
import { ConfigurationError, entriesOf } from '../../core/index.js';
import { checkSolution, finishRun, parseLevelFile, startRun } from './session.js';
import {
  LP_GUEST,
  LP_IDLE,
  LP_ROOT,
  NARRATION_PER_FRAME,
  SPARKLINE_SAMPLES,
  STEP_NS,
} from './sim-protocol.js';
import type {
  FrameNarration,
  FrameVm,
  LiveCounters,
  LiveObjective,
  SimFrame,
  SimReply,
  SimRequest,
} from './sim-protocol.js';

interface Run {
  readonly level: Level;
  readonly sim: Simulation;
  readonly stopNarration: () => void;
  /** VM name → its index (its order in the scenario), for the scheduler grid. */
  readonly vmIndex: ReadonlyMap<string, number>;
  narration: FrameNarration[];
  /**
   * Each VM's ring wait and the time at its last frame with simulated time in it, and the share
   * of that time it waited (a frame with no simulated time in it shows that share again).
   */
  readonly lastWait: Map<
    string,
    { readonly ns: number; readonly at: number; readonly share: number }
  >;
}

export class SimHost {
  private run: Run | null = null;

  /** @param clock real time in ms, for the `budgetMs` of an advance (default performance.now). */
  constructor(private readonly clock: () => number = () => performance.now()) {}

  /**
   * @example
   * const host = new SimHost();
   * const loaded = host.handle({ kind: 'load', id: 1, raw: levelFile('01-first-partition') });
   */
  handle(request: SimRequest): SimReply {
    const { id } = request;
    try {
      switch (request.kind) {
        case 'load':
          return { kind: 'loaded', id, level: parseLevelFile(request.raw) };
        case 'check':
          return {
            kind: 'checked',
            id,
            solution: checkSolution(request.levelId, request.from, request.source),
          };
        case 'start':
          this.start(request.level, request);
          return { kind: 'started', id };
        case 'advance':
          return { kind: 'frame', id, frame: this.advance(request) };
        case 'stop':
          this.stop();
          return { kind: 'stopped', id };
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // A refused configuration's issues go too (plain data: paths, words, reason ids and args).
      return ConfigurationError.is(error)
        ? { kind: 'failed', id, reason, issues: error.issues }
        : { kind: 'failed', id, reason };
    }
  }

  private start(level: Level, request: Extract<SimRequest, { kind: 'start' }>): void {
    this.stop();
    const sim = startRun(level, request.solution);
    const run: Run = {
      level,
      sim,
      vmIndex: new Map(sim.scenario.vms.map((vm, i) => [vm.name, i])),
      lastWait: new Map(),
      narration: [],
      stopNarration: sim.on((line) => {
        const lines = run.narration;
        lines.push({
          time: line.time,
          source: line.source,
          text: line.text,
          message: line.message,
        });
        if (lines.length > 4 * NARRATION_PER_FRAME)
          lines.splice(0, lines.length - NARRATION_PER_FRAME);
      }),
    };
    this.run = run;
  }

  private stop(): void {
    this.run?.stopNarration();
    this.run = null;
  }

  private advance(request: Extract<SimRequest, { kind: 'advance' }>): SimFrame {
    const run = this.run;
    if (!run) throw new Error('no run started');
    const { sim } = run;
    const started = this.clock();
    let steps = 0;
    // Whole, equal steps only: how many fit in a request never changes the result.
    while (steps < request.steps && !sim.finished) {
      sim.advance(STEP_NS);
      steps++;
      if (this.clock() - started >= request.budgetMs) break;
    }
    return this.frame(run, steps, request.report);
  }

  private frame(run: Run, steps: number, wantReport: boolean): SimFrame {
    const { sim, level } = run;
    const view = sim.snapshot({ history: SPARKLINE_SAMPLES });
    const lps = view.lps.map((lp) =>
      lp.runs === 'idle'
        ? LP_IDLE
        : lp.runs === 'root'
          ? LP_ROOT
          : (run.vmIndex.get(lp.vm) ?? LP_GUEST),
    );
    const vms: Record<string, FrameVm> = {};
    for (const [name, vm] of entriesOf(view.vms)) {
      const last = run.lastWait.get(name);
      const span = last === undefined ? 0 : view.time - last.at;
      let ringWait = last?.share ?? 0;
      if (last === undefined || span > 0) {
        if (last !== undefined)
          ringWait = Math.min(1, Math.max(0, (vm.ringWaitNs - last.ns) / span));
        run.lastWait.set(name, { ns: vm.ringWaitNs, at: view.time, share: ringWait });
      }
      vms[name] = {
        completed: vm.recent.map((sample) => sample.completed),
        ringFill: vm.recent.at(-1)?.ringFill ?? 0,
        ringWait,
        totalCompleted: vm.completed,
        lost: vm.lostByDevice,
      };
    }
    const narration = run.narration.slice(-NARRATION_PER_FRAME);
    run.narration = [];
    const finished = sim.finished;
    let live: SimFrame['live'] = null;
    let final: SimFrame['final'] = null;
    if (wantReport || finished) {
      const { play, json } = finishRun(level, sim);
      const bad: Record<string, number> = {};
      for (const [vm, r] of entriesOf(play.report.vms))
        bad[vm] = r.misrouted + r.dropped + r.failed;
      const counters: LiveCounters = {
        hypercalls: play.report.host.hypercalls,
        intercepts: play.report.host.intercepts,
        interrupts: play.report.host.interrupts,
        bad,
      };
      const objectives: LiveObjective[] = play.result.objectives.map((o) => ({
        id: o.id,
        met: o.met,
        value: o.value,
      }));
      live = { counters, objectives };
      if (finished) final = { result: play.result, json };
    }
    return { now: sim.now, finished, steps, lps, vms, narration, live, final };
  }
}
