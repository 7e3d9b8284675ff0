/**
 * The host's processor topology: logical processors (LPs) grouped in cores (SMT siblings) in
 * sockets, numbered the way Windows numbers them — the SMT siblings of a core are adjacent, so with
 * SMT on, LP 2k and LP 2k+1 share core k (WS: "Manage Hyper-V hypervisor scheduler types" —
 * "Understand SMT"). The hypervisor's schedulers and everything that draws the LP grid read it.
 */
import { ConfigurationError, HOST_LIMITS } from '../../model/index.js';
import type { HostSpec } from '../../model/index.js';

/** The processor part of a host spec: sockets × cores per socket × threads per core. */
export type ProcessorSpec = HostSpec['processor'];

/**
 * Most logical processors a Hyper-V host of any modelled release supports (Windows Server 2022:
 * 1,024; HYPERV.md rule 40). The host's own release may allow fewer (2016 and 2019: 512): the
 * scenario check and the hypervisor refuse that, naming the release.
 */
export const MAX_LOGICAL_PROCESSORS: number = HOST_LIMITS.logicalProcessors;

/**
 * An immutable description of sockets, cores and logical processors.
 *
 * @example
 * ```ts
 * const cpu = CpuTopology.fromProcessor({ sockets: 1, coresPerSocket: 4, threadsPerCore: 2 });
 * cpu.lpCount;        // 8
 * cpu.coreOf(5);      // 2 — LP 4 and LP 5 are SMT siblings of core 2
 * cpu.siblingsOf(5);  // [4, 5]
 * ```
 */
export class CpuTopology {
  readonly sockets: number;
  readonly coresPerSocket: number;
  /** 2 with simultaneous multithreading (SMT siblings), 1 without. */
  readonly threadsPerCore: 1 | 2;
  readonly coreCount: number;
  readonly lpCount: number;

  private constructor(spec: ProcessorSpec) {
    this.sockets = spec.sockets;
    this.coresPerSocket = spec.coresPerSocket;
    this.threadsPerCore = spec.threadsPerCore;
    this.coreCount = spec.sockets * spec.coresPerSocket;
    this.lpCount = this.coreCount * spec.threadsPerCore;
  }

  /**
   * Builds the topology of a host. Refuses a shape Hyper-V cannot run: more than
   * {@link MAX_LOGICAL_PROCESSORS} logical processors, or counts that are not whole and positive.
   * @throws ConfigurationError naming `host.processor`.
   */
  static fromProcessor(spec: ProcessorSpec): CpuTopology {
    const issues = [];
    for (const key of ['sockets', 'coresPerSocket'] as const) {
      const v = spec[key];
      if (!Number.isInteger(v) || v < 1) {
        issues.push({
          path: ['host', 'processor', key],
          expected: 'a whole number ≥ 1',
          found: String(v),
        });
      }
    }
    const threads: number = spec.threadsPerCore;
    if (threads !== 1 && threads !== 2) {
      issues.push({
        path: ['host', 'processor', 'threadsPerCore'],
        expected: '1 (SMT off) or 2 (SMT on)',
        found: String(spec.threadsPerCore),
      });
    }
    if (issues.length === 0) {
      const lps = spec.sockets * spec.coresPerSocket * spec.threadsPerCore;
      if (lps > MAX_LOGICAL_PROCESSORS) {
        issues.push({
          path: ['host', 'processor'],
          expected: `at most ${MAX_LOGICAL_PROCESSORS} logical processors (sockets × cores × threads)`,
          found: `${lps}`,
        });
      }
    }
    if (issues.length > 0) throw new ConfigurationError('scenario', issues);
    return new CpuTopology(spec);
  }

  /** Core (0-based, across sockets) that holds `lp`. */
  coreOf(lp: number): number {
    return this.threadsPerCore === 2 ? lp >> 1 : lp;
  }

  /** Socket that holds `lp`. */
  socketOf(lp: number): number {
    return Math.floor(this.coreOf(lp) / this.coresPerSocket);
  }

  /** SMT thread of `lp` inside its core: 0, or 1 for the second sibling. */
  threadOf(lp: number): number {
    return this.threadsPerCore === 2 ? lp & 1 : 0;
  }

  /** Lowest-numbered LP of `core`. */
  firstLpOf(core: number): number {
    return core * this.threadsPerCore;
  }

  /** Every LP of the core that holds `lp`, in LP order (itself included). */
  siblingsOf(lp: number): readonly number[] {
    const first = this.firstLpOf(this.coreOf(lp));
    return this.threadsPerCore === 2 ? [first, first + 1] : [first];
  }

  /** True when `a` and `b` are different LPs on the same core. */
  areSiblings(a: number, b: number): boolean {
    return a !== b && this.coreOf(a) === this.coreOf(b);
  }
}
