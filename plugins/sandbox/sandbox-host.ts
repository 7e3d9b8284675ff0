/**
 * The WebAssembly side of one sandboxed plugin: its own QuickJS module instance with its own
 * linear memory, capped. Each VSP instance of the plugin gets a fresh QuickJS runtime inside it.
 *
 * Why the cap is on the WebAssembly memory: this QuickJS build cannot measure its allocations
 * (`malloc_usable_size` is unavailable under Emscripten, so `JS_SetMemoryLimit` only bounds single
 * allocations — quickjs-emscripten issues #255 and #271). A `WebAssembly.Memory` with a maximum
 * is a hard, exact ceiling that behaves the same in Node and every browser: when the heap cannot
 * grow, malloc fails and QuickJS throws "out of memory" inside the plugin.
 */
import type {
  CustomizeVariantOptions,
  QuickJSSyncVariant,
  QuickJSWASMModule,
} from 'quickjs-emscripten';
import { newQuickJSWASMModuleFromVariant, newVariant, RELEASE_SYNC } from 'quickjs-emscripten';
import { QUICKJS_INITIAL_HEAP_BYTES } from './limits.js';
import type { SandboxLimits } from './limits.js';
import { SandboxRealm } from './quickjs-realm.js';
import type { HeapWatch } from './quickjs-realm.js';
import type { SourceLocator } from '../fault-location/index.js';

const WASM_PAGE_BYTES = 65536;
const QUIET: unknown = { printErr: () => undefined };

export class SandboxHost implements HeapWatch {
  private readonly realms = new Set<SandboxRealm>();
  refused = false;
  /** Set when the WebAssembly instance itself failed: nothing more runs in it. */
  broken: Error | null = null;
  private readonly collector = new FinalizationRegistry<SandboxRealm>((realm) => {
    this.release(realm);
  });

  private constructor(
    private readonly module: QuickJSWASMModule,
    private readonly memory: WebAssembly.Memory,
    readonly limits: SandboxLimits,
  ) {
    // Emscripten grows the heap through this method; a refusal is how the plugin learns it is
    // out of memory. Recording it lets the realm stop a plugin that caught the "out of memory"
    // and kept going (guarded in quickjs-realm.ts).
    const grow = memory.grow.bind(memory);
    Object.defineProperty(memory, 'grow', {
      value: (pages: number): number => {
        try {
          return grow(pages);
        } catch (e) {
          this.refused = true;
          throw e;
        }
      },
    });
  }

  takeRefusal(): boolean {
    const refused = this.refused;
    this.refused = false;
    return refused;
  }

  /**
   * Instantiates a QuickJS module whose heap may grow by `limits.memoryLimitBytes` past its
   * initial 16 MiB. `variant` defaults to RELEASE_SYNC (the build with a separate .wasm file: Node
   * reads it from node_modules, webpack emits it as an asset next to the game's bundle).
   */
  static async create(
    limits: SandboxLimits,
    variant: QuickJSSyncVariant = RELEASE_SYNC,
  ): Promise<SandboxHost> {
    const initial = QUICKJS_INITIAL_HEAP_BYTES / WASM_PAGE_BYTES;
    const extra = Math.ceil(limits.memoryLimitBytes / WASM_PAGE_BYTES);
    const memory = new WebAssembly.Memory({ initial, maximum: initial + extra });
    const module = await newQuickJSWASMModuleFromVariant(
      newVariant(variant, {
        wasmMemory: memory,
        // Emscripten prints its aborts (see SandboxRealm.dispose); the realm records them.
        emscriptenModule: QUIET as CustomizeVariantOptions['emscriptenModule'],
      }),
    );
    return new SandboxHost(module, memory, limits);
  }

  /** A fresh realm for one VSP instance (or for reading the definition). */
  newRealm(options: {
    pluginId: string;
    fileName: string;
    code: string;
    seed: number;
    locate?: SourceLocator | undefined;
  }) {
    if (this.broken !== null) throw this.broken;
    const realm = new SandboxRealm(this.module, options.code, {
      pluginId: options.pluginId,
      fileName: options.fileName,
      locate: options.locate,
      limits: this.limits,
      seed: options.seed,
      onModuleBroken: (reason) => {
        this.broken ??= reason;
      },
      heap: this,
    });
    this.realms.add(realm);
    return realm;
  }

  /** Realms whose runtime QuickJS could not free completely (its memory stays in the heap). */
  leakedRealms = 0;

  /** Frees `realm` once `owner` (the handlers using it) is garbage: nothing else can reach it. */
  collectWith(owner: object, realm: SandboxRealm): void {
    this.collector.register(owner, realm, realm);
  }

  release(realm: SandboxRealm): void {
    this.collector.unregister(realm);
    this.realms.delete(realm);
    realm.dispose();
    if (realm.leaked) this.leakedRealms++;
  }

  /** Frees every realm; instances still in use fail their next call. */
  dispose(): void {
    for (const realm of [...this.realms]) this.release(realm);
  }

  /** Bytes of WebAssembly memory the plugin's module holds (its heap never shrinks). */
  get wasmBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** What each live realm's QuickJS runtime uses, bytes (walks the heaps: for reports only). */
  instanceBytes(): number[] {
    return [...this.realms].filter((r) => !r.isDisposed).map((r) => r.memoryUsedBytes());
  }
}
