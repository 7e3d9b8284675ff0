/**
 * The public face of the core: build a simulation from a scenario, the player's configuration,
 * the VSP plugins and a seed; advance it by simulated time; read a snapshot for display; follow
 * what happens; get the final report. Nothing here reads the wall clock — the caller decides how
 * far to advance, so the game (fixed step) and the CLI (as fast as possible) get identical runs.
 */
import type { Ns } from '../engine/index.js';
import { NS_PER_MS } from '../engine/index.js';
import {
  ConfigurationError,
  HyperkataError,
  describeValue,
  parseConfiguration,
  VM_MANAGEMENT_ACTIONS,
  parseScenario,
  SeedSchema,
} from '../model/index.js';
import type {
  Configuration,
  DeviceClass,
  PluginCatalog,
  Scenario,
  VmManagementAction,
} from '../model/index.js';
import type { VspModule } from '../vsp/types.js';
import type { NarrationLine, NarrationListener } from './event-log.js';
import { buildReport } from './report.js';
import type { SimReport } from './report.js';
import { SimulationRuntime } from './runtime.js';
import { buildSnapshot } from './snapshot.js';
import type { HostSnapshot, SnapshotOptions } from './snapshot.js';

export interface SimulationOptions {
  /** The level's scenario (checked: a bad one throws ConfigurationError naming the field). */
  readonly scenario: unknown;
  /** The player's configuration (checked against the scenario and the plugins). */
  readonly configuration: unknown;
  /** Every VSP plugin the configuration may name. */
  readonly vsps: readonly VspModule[];
  /** Overrides the scenario's seed: an integer from 0 to 2^32 − 1, like the scenario's. */
  readonly seed?: number;
  /** Names used in error messages instead of "scenario" and "configuration" (e.g. file names). */
  readonly sources?: { readonly scenario?: string; readonly configuration?: string };
}

/** A plugin catalog over loaded VSP modules (for configuration checks). */
export function catalogOf(vsps: readonly VspModule[]): PluginCatalog {
  const byId = new Map(vsps.map((m) => [m.id, m]));
  return {
    deviceClassOf: (id: string): DeviceClass | undefined => byId.get(id)?.deviceClass,
    pluginIds: () => [...byId.keys()],
    settingsIssues: (id, settings, path) => byId.get(id)?.checkSettings?.(settings, path) ?? [],
  };
}

/** The caller used the simulation in a way it cannot honour (advancing it from a listener). */
export class SimulationUsageError extends HyperkataError {
  declare readonly kind: 'simulation-usage';

  constructor(message: string) {
    super('simulation-usage', message);
    this.name = 'SimulationUsageError';
  }

  static override is(value: unknown): value is SimulationUsageError {
    return value instanceof SimulationUsageError;
  }
}

/** Freezes `value` and every object inside it (parsed input: plain data, no cycles). */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** The run's seed: the override when given (checked like the scenario's), else the scenario's. */
function seedOf(options: SimulationOptions, scenario: Scenario): number {
  const seed: unknown = options.seed;
  if (seed === undefined) return scenario.seed;
  const checked = SeedSchema.safeParse(seed);
  if (checked.success) return checked.data;
  throw new ConfigurationError('options', [
    { path: ['seed'], expected: 'an integer from 0 to 4294967295', found: describeValue(seed) },
  ]);
}

/** Set by `Simulation`'s static block; read by {@link internalsOf}. */
let reveal: (sim: Simulation) => SimulationRuntime;

/**
 * A running (or finished) simulation of one Hyper-V host.
 *
 * @example
 * ```ts
 * const sim = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS, seed: 7 });
 * const stop = sim.on((line) => {
 *   console.log(line.text);
 * });
 * sim.advance(ms(50)); // the first 50 ms of simulated time
 * stop(); // no narration from here on
 * const report = sim.runToEnd();
 * const again = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS, seed: 7 });
 * console.log(report.hash === again.runToEnd().hash); // true: same inputs and seed, same run
 * ```
 */
export class Simulation {
  private readonly runtime: SimulationRuntime;
  /** True while advance or runToEnd is firing events (narration listeners run then). */
  private advancing = false;
  /** The checked scenario (defaults filled in), frozen. */
  readonly scenario: Scenario;
  /** The checked configuration (defaults filled in), frozen. */
  readonly configuration: Configuration;
  readonly durationNs: Ns;

  private constructor(
    scenario: Scenario,
    configuration: Configuration,
    vsps: readonly VspModule[],
    seed: number,
  ) {
    this.scenario = scenario;
    this.configuration = configuration;
    this.durationNs = scenario.durationMs * NS_PER_MS;
    this.runtime = new SimulationRuntime({ scenario, configuration, vsps, seed });
    this.runtime.start();
  }

  /**
   * Checks the inputs (throwing ConfigurationError with every issue) and builds the host. The
   * checked scenario and configuration are copies, frozen: the run reads them as it goes (a VM's
   * settings when it starts), so a change after the checks could otherwise slip past them.
   */
  static create(options: SimulationOptions): Simulation {
    const scenario = deepFreeze(parseScenario(options.scenario, options.sources?.scenario));
    const configuration = deepFreeze(
      parseConfiguration(
        scenario,
        options.configuration,
        catalogOf(options.vsps),
        options.sources?.configuration,
      ),
    );
    return new Simulation(scenario, configuration, options.vsps, seedOf(options, scenario));
  }

  /** Simulated time, ns. */
  get now(): Ns {
    return this.runtime.engine.now;
  }

  get finished(): boolean {
    return this.runtime.engine.now >= this.durationNs;
  }

  /**
   * Advances by `ns` of simulated time, rounded to a whole nanosecond and never past the end:
   * 0, a negative number or NaN advance nothing, Infinity runs to the end.
   * @throws SimulationUsageError when called from a narration listener; after the step, the first
   *   error a narration listener threw during it (the run itself is unaffected).
   */
  advance(ns: Ns): void {
    const step = Math.max(0, Math.round(ns));
    this.runUntil(Math.min(this.durationNs, this.runtime.engine.now + step));
  }

  /** Runs to the end and returns the report (throws as {@link advance} does). */
  runToEnd(): SimReport {
    this.runUntil(this.durationNs);
    return this.report();
  }

  private runUntil(target: Ns): void {
    if (this.advancing)
      throw new SimulationUsageError(
        'the simulation cannot be advanced from a narration listener: the step that called it is still running',
      );
    this.advancing = true;
    try {
      this.runtime.engine.runUntil(target);
    } finally {
      this.advancing = false;
    }
    const failed = this.runtime.narration.takeListenerError();
    if (failed !== null) throw failed.error;
  }

  /**
   * The host now, for display: who runs on each LP, each VM's state, VP states, completions and
   * recent history. Plain data (it can be posted to another thread); taking it changes nothing
   * in the run.
   *
   * @example
   * ```ts
   * const view = sim.snapshot({ history: 100 });
   * const busy = view.lps.filter((lp) => lp.runs !== 'idle').length;
   * const backlog = view.vms.db01?.recent.at(-1)?.ringFill ?? 0; // 0..1
   * ```
   */
  snapshot(options?: SnapshotOptions): HostSnapshot {
    return buildSnapshot(this.runtime, this.finished, options);
  }

  /**
   * Asks VMMS to perform a management operation on a VM now, as an administrator would with
   * Suspend-VM (`pause`), Resume-VM (`resume`), Save-VM (`save`), Start-VM (`start`), Stop-VM
   * (`stop`: the guest shuts down through its integration services) or Stop-VM -TurnOff
   * (`turn-off`: the partition goes at once). Returns whether VMMS accepted it; a refusal is
   * narrated (`vm.actionRefused`) with its reason. The operation's effects unfold as the run
   * advances.
   *
   * @example
   * ```ts
   * sim.advance(ms(100));
   * const paused = sim.manage('db01', 'pause'); // true: db01 is Paused, its VPs no longer run
   * const again = sim.manage('db01', 'pause'); // false: "cannot pause a VM that is Paused (allowed: …)"
   * ```
   * @throws SimulationUsageError for a VM the scenario does not have, an unknown action, or a
   *   call from a narration listener.
   */
  manage(vm: string, action: VmManagementAction): boolean {
    if (this.advancing)
      throw new SimulationUsageError(
        'a VM cannot be managed from a narration listener: the step that called it is still running',
      );
    const managed = this.runtime.vmms.byName(vm);
    if (managed === undefined)
      throw new SimulationUsageError(
        `no VM named ${JSON.stringify(vm)} (the scenario has ${this.scenario.vms.map((v) => v.name).join(', ') || 'none'})`,
      );
    if (!(VM_MANAGEMENT_ACTIONS as readonly string[]).includes(action))
      throw new SimulationUsageError(
        `unknown action ${JSON.stringify(action)}: one of ${VM_MANAGEMENT_ACTIONS.join(', ')}`,
      );
    const accepted = this.runtime.vmms.request(managed, action);
    const failed = this.runtime.narration.takeListenerError();
    if (failed !== null) throw failed.error;
    return accepted;
  }

  /** The report of what happened so far (the final report once finished). */
  report(): SimReport {
    return buildReport(this.runtime);
  }

  /**
   * Follows the narration of the run; returns a function that stops following. Listeners are
   * called in the middle of a step: they may read the simulation but not advance it. A listener
   * that throws does not disturb the run; `advance` rethrows its error when the step is done.
   * Lines are frozen (every listener and {@link recent} see the same line). As with the DOM's
   * `addEventListener`, a listener subscribed from inside a listener hears the lines after the one
   * being delivered, and one unsubscribed there hears no more.
   */
  on(listener: NarrationListener): () => void {
    return this.runtime.narration.subscribe(listener);
  }

  /** The latest `count` narration lines (none for 0, a negative count or NaN). */
  recent(count = 50): readonly NarrationLine[] {
    return this.runtime.narration.recent(count);
  }

  static {
    reveal = (sim) => sim.runtime;
  }
}

/**
 * For the core's own tests and benchmarks: the assembled host behind a simulation. Not part of
 * the public API (core/index.ts does not export it): a caller of the API sees only what
 * `Simulation` offers, and cannot reach the container or the model's classes through it.
 */
export function internalsOf(sim: Simulation): SimulationRuntime {
  return reveal(sim);
}
