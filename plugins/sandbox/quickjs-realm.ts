/**
 * One QuickJS runtime and context running one instance of a sandboxed plugin: the hardening
 * script, the bridge, the plugin's module, and the limits around every call into it.
 *
 * CPU: the interrupt handler counts interrupts (one per 10,000 polls, see limits.ts) and stops a
 * call that passes its budget; the interruption cannot be caught by the plugin. Memory: the
 * plugin's WebAssembly heap cannot grow past its maximum (sandbox-host.ts), so an allocation
 * that does not fit fails with QuickJS's "out of memory". Either stops the realm for good: its
 * state may be half-updated, so every later call fails with the same error.
 */
import type {
  QuickJSContext,
  QuickJSHandle,
  QuickJSRuntime,
  QuickJSWASMModule,
  VmCallResult,
} from 'quickjs-emscripten';
import { DefaultIntrinsics } from 'quickjs-emscripten';
import { cpuBudgetExceeded, memoryLimitExceeded, pluginFailed, sandboxBroken } from './errors.js';
import type { SandboxCallSite } from './errors.js';
import { QUICKJS_POLLS_PER_INTERRUPT } from './limits.js';
import type { SandboxLimits } from './limits.js';
import {
  BRIDGE_FILE,
  BRIDGE_SOURCE,
  HARDEN_FILE,
  SANDBOX_FILE_PREFIX,
} from './realm/bridge-source.js';
import { HARDEN_SOURCE } from './realm/harden-source.js';
import { SDK_MODULE_NAME, SDK_SHIM_SOURCE } from './realm/sdk-shim-source.js';
import { functionSite, relocateFrames } from '../fault-location/index.js';
import type { SourceLocator } from '../fault-location/index.js';

/** Serves the bridge's requests that need an answer during a call. */
export interface SyncSink {
  /** `args`: the request code, the effects recorded so far, then the request's own values. */
  sync(vm: QuickJSContext, args: readonly QuickJSHandle[]): QuickJSHandle;
}

export interface RealmOptions {
  readonly pluginId: string;
  /** Shown in stack frames of the plugin's code (its file or package). */
  readonly fileName: string;
  /** Maps the bundle's lines back to the plugin's own files in what a failed call reports. */
  readonly locate?: SourceLocator | undefined;
  readonly limits: SandboxLimits;
  /** Seed of the plugin's Math.random stream. */
  readonly seed: number;
  /** Called when the realm found the WebAssembly module itself unusable (a wasm trap). */
  readonly onModuleBroken: (reason: Error) => void;
  /** The plugin's WebAssembly heap, which says when it refused to grow. */
  readonly heap: HeapWatch;
}

/** Reports when the plugin's WebAssembly heap refused to grow (sandbox-host.ts). */
export interface HeapWatch {
  /** Whether a growth was refused since the last call; clears the mark. */
  takeRefusal(): boolean;
  /** Whether a growth was refused since the last {@link takeRefusal}. */
  readonly refused: boolean;
}

interface Bridge {
  readonly load: QuickJSHandle;
  readonly describeDefinition: QuickJSHandle;
  readonly create: QuickJSHandle;
  readonly dispatch: QuickJSHandle;
  readonly flush: QuickJSHandle;
}

export class SandboxRealm {
  private readonly rt: QuickJSRuntime;
  readonly vm: QuickJSContext;
  private readonly bridge: Bridge;
  /** The bridge once installed (null while the constructor runs). */
  private installed: Bridge | null = null;
  /** Interrupts since the realm was created: the deterministic measure of its work. */
  interrupts = 0;
  private deadline = Number.POSITIVE_INFINITY;
  private overBudget = false;
  private budgetTicks = 0;
  /** A host-side failure while serving a request: fails the call even if the plugin caught it. */
  private fatal: Error | null = null;
  /** The call in progress, which serves the bridge's requests. */
  sink: SyncSink | null = null;
  /** Why the realm was stopped; every later call fails with it. */
  stopped: Error | null = null;
  private disposed = false;
  private readonly specifier: string;
  /** Freeing failed: QuickJS could not account for some objects, which stay in the heap. */
  leaked = false;
  /** The WebAssembly instance trapped: freeing would only trap again. */
  private wasmBroken = false;

  constructor(
    module: QuickJSWASMModule,
    private readonly code: string,
    private readonly options: RealmOptions,
  ) {
    const rt = module.newRuntime();
    this.rt = rt;
    rt.setMaxStackSize(options.limits.stackBytes);
    rt.setInterruptHandler(() => {
      this.interrupts++;
      if (this.interrupts <= this.deadline) return false;
      this.overBudget = true;
      return true;
    });
    // The plugin's module is named after its file, so stack frames name the file.
    this.specifier = options.fileName === SDK_MODULE_NAME ? 'plugin.js' : options.fileName;
    rt.setModuleLoader(
      (name) => {
        if (name === this.specifier) return this.code;
        if (name === SDK_MODULE_NAME) return SDK_SHIM_SOURCE;
        return {
          error: new Error(
            `cannot import ${JSON.stringify(name)}: a sandboxed plugin can import only ${SDK_MODULE_NAME} (everything else is bundled into the plugin when it is loaded; Node and browser modules are not available)`,
          ),
        };
      },
      // Names are taken as they are: QuickJS's default would resolve a file name the user typed
      // as `./my-vsp.ts` against the bridge's name and ask for `my-vsp.ts`, which is no module.
      // The bundle imports nothing relative, so there is nothing else to resolve.
      (_base, name) => name,
    );
    // No Date intrinsic: the wall clock stays out of reach (realm/harden-source.ts).
    this.vm = rt.newContext({ intrinsics: { ...DefaultIntrinsics, Date: false } });
    options.heap.takeRefusal();
    try {
      this.bridge = this.install(options.seed);
      this.installed = this.bridge;
    } catch (e) {
      this.dispose();
      if (options.heap.takeRefusal())
        throw memoryLimitExceeded(options.pluginId, options.limits.memoryLimitBytes, 'create');
      throw e;
    }
    if (options.heap.takeRefusal()) {
      this.dispose();
      throw memoryLimitExceeded(options.pluginId, options.limits.memoryLimitBytes, 'create');
    }
  }

  private install(seed: number): Bridge {
    const vm = this.vm;
    const harden = vm.unwrapResult(vm.evalCode(HARDEN_SOURCE, HARDEN_FILE));
    const seedHandle = vm.newNumber(seed);
    vm.unwrapResult(vm.callFunction(harden, vm.undefined, seedHandle)).dispose();
    seedHandle.dispose();
    harden.dispose();
    const factory = vm.unwrapResult(vm.evalCode(BRIDGE_SOURCE, BRIDGE_FILE));
    const hostSync = vm.newFunction('hostSync', (...args: QuickJSHandle[]) => this.serve(args));
    if (this.options.heap.refused) {
      hostSync.dispose();
      factory.dispose();
      throw new Error('no room for the bridge');
    }
    const bridge = vm.unwrapResult(vm.callFunction(factory, vm.undefined, hostSync));
    hostSync.dispose();
    factory.dispose();
    const take = (name: keyof Bridge): QuickJSHandle => vm.getProp(bridge, name);
    const handles: Bridge = {
      load: take('load'),
      describeDefinition: take('describeDefinition'),
      create: take('create'),
      dispatch: take('dispatch'),
      flush: take('flush'),
    };
    bridge.dispose();
    return handles;
  }

  /** A request from the bridge during a call. Host errors fail the call (see `fatal`). */
  private serve(args: readonly QuickJSHandle[]): QuickJSHandle {
    try {
      if (this.sink === null) throw new Error('the plugin called the host outside a call');
      return this.sink.sync(this.vm, args);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      this.fatal ??= error;
      throw error;
    }
  }

  // ── Loading and creating ────────────────────────────────────────────────────────────────────

  /** Evaluates the plugin's module (its top-level code) under the load budget. */
  load(): void {
    this.guarded('loading', () => {
      const vm = this.vm;
      const specifier = this.made(vm.newString(this.specifier), 'string', 'loading');
      try {
        this.callBridge(
          this.bridge.load,
          [specifier],
          'loading',
          this.options.limits.cpuBudgetToLoad,
        ).dispose();
      } finally {
        specifier.dispose();
      }
      this.runJobs('loading', this.options.limits.cpuBudgetToLoad);
    });
  }

  /** The plugin's definition as plain JSON (no functions), read inside the sandbox. */
  describeDefinition(): string {
    return this.guarded('loading', () => {
      const result = this.callBridge(
        this.bridge.describeDefinition,
        [],
        'loading',
        this.options.limits.cpuBudgetToLoad,
      );
      try {
        return this.vm.getString(result);
      } finally {
        result.dispose();
      }
    });
  }

  /**
   * Runs the definition's `create(host, settings)`; returns which handlers the plugin has (a
   * bit per handler, in the order onChannelOpened, onPacket, onDeviceCompleted, onHostEvent,
   * onChannelClosed) and the effects `create` asked for.
   */
  create(settingsJson: string, hostJson: string): { present: number; effects: Float64Array } {
    return this.guarded('create', () => {
      const vm = this.vm;
      const settings = this.made(vm.newString(settingsJson), 'string', 'create');
      const host = this.made(vm.newString(hostJson), 'string', 'create');
      let result: QuickJSHandle;
      try {
        result = this.callBridge(
          this.bridge.create,
          [settings, host],
          'create',
          this.options.limits.cpuBudgetToLoad,
        );
      } finally {
        settings.dispose();
        host.dispose();
      }
      try {
        const presentHandle = vm.getProp(result, 0);
        const batchHandle = vm.getProp(result, 1);
        const present = vm.getNumber(presentHandle);
        presentHandle.dispose();
        try {
          return { present, effects: this.readBatch(batchHandle, 'create') };
        } finally {
          batchHandle.dispose();
        }
      } finally {
        result.dispose();
      }
    });
  }

  // ── Calls ───────────────────────────────────────────────────────────────────────────────────

  /**
   * Runs one handler call: `input` is the encoded call (inbound.ts), `extra` the JSON of channels
   * the sandbox has not seen yet. Returns the effect list. Throws SandboxError when the plugin's
   * code failed and PluginLimitError when the sandbox stopped it.
   */
  dispatch(input: ArrayBuffer, extra: string | undefined, where: SandboxCallSite): Float64Array {
    return this.guarded(where, () => {
      const vm = this.vm;
      this.ensureRunning(where);
      const buffer = this.made(vm.newArrayBuffer(input), 'object', where);
      const extraHandle =
        extra === undefined ? vm.undefined : this.made(vm.newString(extra), 'string', where);
      let result: QuickJSHandle;
      try {
        result = this.callBridge(
          this.bridge.dispatch,
          [buffer, extraHandle],
          where,
          this.options.limits.cpuBudgetPerCall,
        );
      } finally {
        buffer.dispose();
        extraHandle.dispose();
      }
      try {
        return this.readBatch(result, where);
      } finally {
        result.dispose();
      }
    });
  }

  /** Whether the call left promise jobs (an async handler): run them with {@link drain}. */
  get hasPendingJobs(): boolean {
    return this.rt.hasPendingJob();
  }

  /** Runs the promise jobs a call left, then returns the effects they recorded. */
  drain(where: SandboxCallSite): Float64Array {
    return this.guarded(where, () => {
      this.runJobs(where, this.options.limits.cpuBudgetPerCall);
      const result = this.callBridge(
        this.bridge.flush,
        [],
        where,
        this.options.limits.cpuBudgetPerCall,
      );
      try {
        return this.readBatch(result, where);
      } finally {
        result.dispose();
      }
    });
  }

  private runJobs(where: SandboxCallSite, budgetTicks: number): void {
    this.arm(budgetTicks);
    let error: QuickJSHandle | undefined;
    try {
      const result = this.rt.executePendingJobs(-1);
      error = result.error;
      if (error === undefined) result.dispose();
    } catch (e) {
      throw this.stop(sandboxBroken(this.options.pluginId, where, hostErrorText(e)), e);
    } finally {
      this.deadline = Number.POSITIVE_INFINITY;
    }
    if (error !== undefined) {
      if (this.fatal !== null) error.dispose();
      else throw this.failure(error, where);
    }
    this.throwFatal();
    // An interruption inside a job rejects that job's promise instead of escaping.
    if (this.overBudget)
      throw this.stop(cpuBudgetExceeded(this.options.pluginId, this.budgetTicks, where));
  }

  private arm(budgetTicks: number): void {
    this.budgetTicks = budgetTicks;
    this.overBudget = false;
    this.fatal = null;
    this.deadline = this.interrupts + Math.ceil(budgetTicks / QUICKJS_POLLS_PER_INTERRUPT);
  }

  private callBridge(
    fn: QuickJSHandle,
    args: readonly QuickJSHandle[],
    where: SandboxCallSite,
    budgetTicks: number,
  ): QuickJSHandle {
    this.ensureRunning(where);
    this.arm(budgetTicks);
    let result: VmCallResult<QuickJSHandle>;
    try {
      result = this.vm.callFunction(fn, this.vm.undefined, ...args);
    } catch (e) {
      throw this.stop(sandboxBroken(this.options.pluginId, where, hostErrorText(e)), e);
    } finally {
      this.deadline = Number.POSITIVE_INFINITY;
    }
    if (this.fatal !== null) {
      (result.error ?? result.value).dispose();
      this.throwFatal();
    }
    if (result.error !== undefined) throw this.failure(result.error, where);
    return result.value;
  }

  private throwFatal(): void {
    const fatal = this.fatal;
    if (fatal === null) return;
    this.fatal = null;
    throw fatal;
  }

  /**
   * Turns what a failed call threw into the error the handler throws, and releases the handle.
   * Budget and memory failures stop the realm: the plugin's state may be half-updated.
   */
  private failure(error: QuickJSHandle, where: SandboxCallSite): Error {
    const { pluginId, limits } = this.options;
    let text: string;
    try {
      if (this.overBudget)
        return this.stop(
          cpuBudgetExceeded(pluginId, this.budgetTicks, where, this.whereInterrupted(error)),
        );
      const vm = this.vm;
      // The bridge throws a one-line description of whatever the plugin threw.
      text = vm.typeof(error) === 'string' ? vm.getString(error) : this.internalMessage(error);
    } finally {
      error.dispose();
    }
    if (/^(InternalError: )?out of memory/.test(text))
      return this.stop(memoryLimitExceeded(pluginId, limits.memoryLimitBytes, where));
    const { locate } = this.options;
    const [described, site] = this.splitSite(text);
    const located =
      locate === undefined
        ? described
        : relocateFrames(described, this.specifier, locate, this.code);
    return pluginFailed(pluginId, where, site === undefined ? located : `${located} (${site})`);
  }

  /**
   * The bridge's description of a thrown value that is not an Error comes with the function that
   * threw it — `description U+001F name U+001F source` — which carries no stack: the site is where that
   * function is written in the plugin (`in onPacket (src/index.ts:9:5)`), found by its text.
   */
  private splitSite(text: string): [string, string | undefined] {
    const mark = text.indexOf('\u001f');
    if (mark < 0) return [text, undefined];
    const nameEnd = text.indexOf('\u001f', mark + 1);
    const described = text.slice(0, mark);
    if (nameEnd < 0) return [described, undefined];
    const site = functionSite({
      code: this.code,
      text: text.slice(nameEnd + 1),
      name: text.slice(mark + 1, nameEnd),
      bundleName: this.specifier,
      locate: this.options.locate,
    });
    return [described, site];
  }

  /**
   * Where the plugin was running when its budget ran out: the first frames of the interruption's
   * stack outside the sandbox's own scripts, as ` (at f (file:line:column), at g (…))`. The
   * interruption is uncatchable, so no plugin code touched it; should its stack be missing, a
   * getter the plugin put on a prototype would run, so the read gets one interrupt of budget.
   */
  private whereInterrupted(error: QuickJSHandle): string {
    const vm = this.vm;
    if (vm.typeof(error) !== 'object') return '';
    const deadline = this.deadline;
    this.deadline = this.interrupts + 1;
    let stack = '';
    try {
      const value = vm.getProp(error, 'stack');
      if (vm.typeof(value) === 'string') stack = vm.getString(value).slice(0, 4000);
      value.dispose();
    } catch {
      return '';
    } finally {
      this.deadline = deadline;
    }
    const frames = stack
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith('at ') && !line.includes(SANDBOX_FILE_PREFIX))
      .filter((line) => !line.endsWith('(native)'))
      .slice(0, 3)
      .map((line) => line.slice(0, 160));
    if (frames.length === 0) return '';
    const { locate } = this.options;
    const text = ` (${frames.join(', ')})`;
    return locate === undefined ? text : relocateFrames(text, this.specifier, locate, this.code);
  }

  /** The message of an error QuickJS raised past the bridge (it ran out of memory describing one). */
  private internalMessage(error: QuickJSHandle): string {
    const vm = this.vm;
    if (vm.typeof(error) !== 'object') return `threw a ${vm.typeof(error) || 'value'}`;
    const message = vm.getProp(error, 'message');
    try {
      return vm.typeof(message) === 'string' ? vm.getString(message).slice(0, 200) : 'an error';
    } finally {
      message.dispose();
    }
  }

  /**
   * A value the host made inside the sandbox. Making one fails only when the heap is full (then
   * the handle holds QuickJS's exception marker, which must never reach the plugin).
   */
  made(handle: QuickJSHandle, type: 'object' | 'string', where: SandboxCallSite): QuickJSHandle {
    if (!this.options.heap.refused || this.vm.typeof(handle) === type) return handle;
    handle.dispose();
    throw this.stop(
      memoryLimitExceeded(this.options.pluginId, this.options.limits.memoryLimitBytes, where),
    );
  }

  /** Copies an effect list out of the sandbox. */
  readBatch(handle: QuickJSHandle, where: SandboxCallSite): Float64Array {
    let copy: Uint8Array;
    try {
      const view = this.vm.getArrayBuffer(handle);
      copy = view.value.slice();
      view.dispose();
    } catch (e) {
      throw this.stop(sandboxBroken(this.options.pluginId, where, hostErrorText(e)), e);
    }
    if (copy.byteLength % 8 !== 0 || copy.byteLength < 8)
      throw this.stop(sandboxBroken(this.options.pluginId, where, 'a malformed effect list'));
    return new Float64Array(copy.buffer);
  }

  private ensureRunning(where: SandboxCallSite): void {
    if (this.stopped !== null) throw this.stopped;
    if (this.disposed)
      throw this.stop(sandboxBroken(this.options.pluginId, where, 'its sandbox was disposed'));
  }

  /**
   * Stops the realm for good; returns `reason` for throwing. The runtime is freed when the public
   * operation in progress ends ({@link settle}), after its own handles are released.
   */
  stop<E extends Error>(reason: E, cause?: unknown): E {
    this.stopped ??= reason;
    if (cause instanceof WebAssembly.RuntimeError) {
      this.options.onModuleBroken(reason);
      this.wasmBroken = true;
    }
    return reason;
  }

  /**
   * Runs a public operation. If the heap refused to grow meanwhile, the plugin is over its memory
   * limit whether or not it caught the "out of memory" — it is stopped, and the operation fails.
   * A realm that was stopped is freed once the operation's handles are released.
   */
  private guarded<T>(where: SandboxCallSite, operation: () => T): T {
    const { heap, pluginId, limits } = this.options;
    heap.takeRefusal();
    let result: T | undefined;
    let error: unknown;
    let failed = false;
    try {
      result = operation();
    } catch (e) {
      error = e;
      failed = true;
    }
    const overflowed = heap.takeRefusal();
    if (overflowed) this.stop(memoryLimitExceeded(pluginId, limits.memoryLimitBytes, where));
    this.settle();
    if (overflowed && this.stopped !== null) throw this.stopped;
    if (failed) throw error;
    return result as T;
  }

  /** Frees a stopped realm once nothing of the current operation holds its handles. */
  private settle(): void {
    if (this.stopped !== null) this.dispose();
  }

  /** QuickJS's own account of the memory this realm uses, bytes (walks the heap: not for hot paths). */
  memoryUsedBytes(): number {
    if (this.disposed) return 0;
    const usage = this.rt.computeMemoryUsage();
    try {
      const used = this.vm.getProp(usage, 'memory_used_size');
      const n = this.vm.getNumber(used);
      used.dispose();
      return n;
    } finally {
      usage.dispose();
    }
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Frees the runtime. Safe to call more than once. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.wasmBroken) return;
    const b = this.installed;
    try {
      if (b !== null) {
        b.load.dispose();
        b.describeDefinition.dispose();
        b.create.dispose();
        b.dispatch.dispose();
        b.flush.dispose();
      }
      this.vm.dispose();
      this.rt.dispose();
    } catch {
      // QuickJS leaked objects (it can, when an uncatchable interruption unwinds through a
      // native function that called back into the plugin) and its teardown assertion aborted.
      // The heap is intact — the runtime's remaining memory just stays allocated — and the
      // module keeps working (Emscripten checks its abort flag only for async callbacks).
      this.leaked = true;
    }
  }
}

function hostErrorText(e: unknown): string {
  if (e instanceof RangeError) return `the host's stack ran out: ${e.message}`;
  if (e instanceof WebAssembly.RuntimeError) return `a WebAssembly trap: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}
