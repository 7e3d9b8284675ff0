/**
 * What the sandbox costs: the built-in storvsp, per packet, native and then bundled and run in
 * the QuickJS sandbox exactly as a third-party plugin would be — both measured with the storvsp
 * benchmark's `measureStorvsp` (EXECUTE_SRB READ(16) of 4 KiB through the SDK test harness) in
 * the same process, so the ratio is the sandbox's overhead. Also: the memory one sandboxed
 * instance takes and the root CPU the sandbox charges per packet for the work it measured
 * (simulated time: the same on every machine).
 *
 *   node --import tsx bench/sandbox.bench.ts [nativePackets] [sandboxedPackets]
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUILT_IN_VSPS } from '../plugins/index.js';
import { bundlePlugin } from '../plugins/loader/index.js';
import { createSandboxedVsp } from '../plugins/sandbox/index.js';
import { measureStorvsp } from './storvsp.bench.js';

export interface SandboxBenchResult {
  readonly benchmark: 'sandbox-storvsp-per-packet';
  readonly nativeNsPerPacket: number;
  readonly sandboxedNsPerPacket: number;
  /** Sandboxed over native wall-clock cost per packet. */
  readonly ratio: number;
  /** Root CPU the sandbox charged per packet for the plugin's measured work (simulated ns). */
  readonly chargedNsPerPacket: number;
  /** The plugin's bundled code, bytes of JavaScript. */
  readonly bundleBytes: number;
  /** QuickJS's own count of the memory one instance uses, bytes. */
  readonly instanceBytes: number;
  /** The plugin's WebAssembly heap (16 MiB at least: the QuickJS build's initial memory). */
  readonly wasmBytes: number;
}

const STORVSP_SOURCE = fileURLToPath(new URL('../plugins/storvsp/index.ts', import.meta.url));

/** Runs both measurements; `packets` for native, `sandboxedPackets` for the slower sandbox. */
export async function measureSandboxOverhead(
  packets = 200_000,
  sandboxedPackets = 10_000,
): Promise<SandboxBenchResult> {
  const storvsp = BUILT_IN_VSPS.find((m) => m.id === 'hyperkata.storvsp');
  if (storvsp === undefined) throw new Error('hyperkata.storvsp is not built in');
  const native = measureStorvsp(storvsp, packets);
  const code = await bundlePlugin(
    { file: STORVSP_SOURCE },
    { mode: 'sandbox', source: 'plugins/storvsp' },
  );
  const sandboxed = await createSandboxedVsp(code, {
    source: 'plugins/storvsp (sandboxed)',
    builtIn: true,
  });
  try {
    const before = sandboxed.chargedNs();
    const measured = measureStorvsp(sandboxed, sandboxedPackets);
    // measureStorvsp runs a warm-up tenth and five timed rounds of `sandboxedPackets`.
    const handled = Math.max(1000, Math.floor(sandboxedPackets / 10)) + 5 * sandboxedPackets;
    const memory = sandboxed.memory();
    return {
      benchmark: 'sandbox-storvsp-per-packet',
      nativeNsPerPacket: round(native.nsPerPacket),
      sandboxedNsPerPacket: round(measured.nsPerPacket),
      ratio: round(measured.nsPerPacket / native.nsPerPacket),
      chargedNsPerPacket: round((sandboxed.chargedNs() - before) / handled),
      bundleBytes: code.length,
      instanceBytes: Math.max(0, ...memory.instanceBytes),
      wasmBytes: memory.wasmBytes,
    };
  } finally {
    sandboxed.dispose();
  }
}

/** The figures as the bench prints them. */
export function formatSandboxBench(r: SandboxBenchResult): string {
  return [
    `storvsp per packet, native:             ${r.nativeNsPerPacket} ns`,
    `storvsp per packet, in the sandbox:     ${r.sandboxedNsPerPacket} ns  (${r.ratio}× native)`,
    `  root CPU charged for measured work:   ${r.chargedNsPerPacket} ns/packet (simulated)`,
    `  bundle ${Math.round(r.bundleBytes / 1024)} KiB · one instance ${Math.round(r.instanceBytes / 1024)} KiB of QuickJS heap · plugin wasm memory ${Math.round(r.wasmBytes / (1024 * 1024))} MiB`,
  ].join('\n');
}

async function main(): Promise<void> {
  const r = await measureSandboxOverhead(
    Number(process.argv[2] ?? 200_000),
    Number(process.argv[3] ?? 10_000),
  );
  console.log(formatSandboxBench(r));
  console.log(JSON.stringify(r));
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

// Run only when executed, not when imported by bench/main.ts.
const invoked = process.argv.at(1);
if (invoked !== undefined && import.meta.url === pathToFileURL(invoked).href) await main();
