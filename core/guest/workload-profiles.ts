/**
 * What each kind of guest workload does at intensity 1. These are the model's estimates of
 * typical servers, chosen so the relations the levels teach come out (a database is latency-bound
 * on small random I/O, a web server on network round trips and CPU, a file server on bandwidth,
 * a batch job on CPU). Intensity and phases scale the rates; the mixes stay.
 */
import type { WorkloadKind } from '../model/index.js';

export type IoClass = 'storage' | 'network' | 'video' | 'input';
export type StorageOp = 'read' | 'write' | 'flush';

/** One kind of storage access in a mix, chosen with probability `weight / Σ weights`. */
export interface StorageMixEntry {
  weight: number;
  op: StorageOp;
  bytes: number;
  sequential: boolean;
}

/** A Poisson stream of operations of one class. */
export type OperationStream =
  | { class: 'storage'; ratePerSecond: number; cpuUs: number; mix: readonly StorageMixEntry[] }
  | {
      class: 'network';
      ratePerSecond: number;
      cpuUs: number;
      /** Bytes a client sends in (0: the guest only sends). */
      requestBytes: number;
      /** Bytes the guest sends back or out. */
      responseBytes: number;
    }
  | { class: 'video'; ratePerSecond: number; cpuUs: number; bytes: number }
  | { class: 'input'; ratePerSecond: number; cpuUs: number };

export interface WorkloadProfile {
  /** Shown in the game. */
  readonly summary: string;
  readonly streams: readonly OperationStream[];
  /** Operations the application works on at once (threads, connections, outstanding I/O). */
  readonly concurrency: number;
  /** Operations allowed to wait for a free slot before new ones are turned away (counted as dropped). */
  readonly backlog: number;
  /** A CPU-bound thread on every VP soaks up any CPU left (batch jobs). */
  readonly backgroundCpu: boolean;
}

// estimate: all rates and costs below are typical figures for small servers, not measurements.
export const WORKLOAD_PROFILES: Readonly<Record<WorkloadKind, WorkloadProfile>> = {
  database: {
    summary: 'OLTP database: small random reads and writes, log flushes; latency-sensitive',
    streams: [
      {
        class: 'storage',
        ratePerSecond: 4000,
        cpuUs: 30,
        mix: [
          { weight: 68, op: 'read', bytes: 8192, sequential: false },
          { weight: 27, op: 'write', bytes: 8192, sequential: false },
          { weight: 5, op: 'flush', bytes: 0, sequential: false },
        ],
      },
    ],
    concurrency: 64,
    backlog: 4096,
    backgroundCpu: false,
  },
  web: {
    summary: 'Web server: many small requests in, larger responses out, some cache-miss reads',
    streams: [
      {
        class: 'network',
        ratePerSecond: 2500,
        cpuUs: 120,
        requestBytes: 700,
        responseBytes: 16384,
      },
      {
        class: 'storage',
        ratePerSecond: 300,
        cpuUs: 10,
        mix: [{ weight: 1, op: 'read', bytes: 4096, sequential: false }],
      },
    ],
    concurrency: 256,
    backlog: 8192,
    backgroundCpu: false,
  },
  file: {
    summary: 'File server: large sequential reads and writes, served over the network',
    streams: [
      {
        class: 'storage',
        ratePerSecond: 600,
        cpuUs: 15,
        mix: [
          { weight: 60, op: 'read', bytes: 65536, sequential: true },
          { weight: 40, op: 'write', bytes: 65536, sequential: true },
        ],
      },
      { class: 'network', ratePerSecond: 300, cpuUs: 20, requestBytes: 0, responseBytes: 65536 },
    ],
    concurrency: 32,
    backlog: 2048,
    backgroundCpu: false,
  },
  desktop: {
    summary: 'Remote desktop: input events, screen updates, a little disk',
    streams: [
      { class: 'input', ratePerSecond: 20, cpuUs: 50 },
      { class: 'video', ratePerSecond: 30, cpuUs: 400, bytes: 65536 },
      {
        class: 'storage',
        ratePerSecond: 40,
        cpuUs: 10,
        mix: [
          { weight: 80, op: 'read', bytes: 4096, sequential: false },
          { weight: 20, op: 'write', bytes: 4096, sequential: false },
        ],
      },
    ],
    concurrency: 8,
    backlog: 256,
    backgroundCpu: false,
  },
  batch: {
    summary: 'Batch job: CPU-bound on every VP, occasional large sequential writes',
    streams: [
      {
        class: 'storage',
        ratePerSecond: 40,
        cpuUs: 20,
        mix: [{ weight: 1, op: 'write', bytes: 262144, sequential: true }],
      },
    ],
    concurrency: 4,
    backlog: 64,
    backgroundCpu: true,
  },
  idle: {
    summary: 'Idle guest: only its integration services talk',
    streams: [],
    concurrency: 1,
    backlog: 1,
    backgroundCpu: false,
  },
};
