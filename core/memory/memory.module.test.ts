import { describe, expect, it } from '@jest/globals';
import { Container } from 'inversify';
import { SimEngine } from '../engine/engine.js';
import { seconds } from '../engine/time.js';
import { HostSpecSchema } from '../model/scenario.js';
import type { DynamicMemoryBalancer } from './dynamic-memory/balancer.js';
import type { GpadlTable } from './gpadl-table.js';
import type { IsolationFaultLog } from './isolation-fault-log.js';
import { memoryModule } from './memory.module.js';
import type { MemoryManager } from './memory-manager.js';
import type { MemoryMetrics } from './metrics.js';
import { MEMORY_TOKENS } from './tokens.js';
import { mibToPages, PAGE_SIZE } from './units.js';

function container(os: 'ws2016' | 'ws2019' = 'ws2019') {
  const c = new Container();
  c.bind(SimEngine).toSelf().inSingletonScope();
  const host = HostSpecSchema.parse({
    os,
    processor: { sockets: 1, coresPerSocket: 8, threadsPerCore: 2 },
    memoryMiB: 32 * 1024,
  });
  c.bind(MEMORY_TOKENS.hostSpec).toConstantValue(host);
  c.load(memoryModule);
  return {
    engine: c.get(SimEngine),
    memory: c.get<MemoryManager>(MEMORY_TOKENS.memoryManager),
    gpadls: c.get<GpadlTable>(MEMORY_TOKENS.gpadlTable),
    faults: c.get<IsolationFaultLog>(MEMORY_TOKENS.isolationFaultLog),
    balancer: c.get<DynamicMemoryBalancer>(MEMORY_TOKENS.dynamicMemory),
    metrics: c.get<MemoryMetrics>(MEMORY_TOKENS.metrics),
  };
}

describe('memoryModule', () => {
  it('wires one memory manager, GPADL table, fault log, balancer and metrics around the engine', () => {
    const { engine, memory, gpadls, faults, balancer, metrics } = container();
    expect(gpadls.faults).toBe(faults);
    memory.createPartition({
      partition: 1,
      startupPages: mibToPages(2048),
      maximumPages: mibToPages(4096),
    });
    expect(
      balancer.enable(1, {
        dynamic: true,
        startupMiB: 2048,
        minimumMiB: 512,
        maximumMiB: 4096,
        bufferPercent: 20,
        priority: 50,
      }).ok,
    ).toBe(true);
    balancer.reportStatus(1, { numAvail: 0, numCommitted: mibToPages(3000) });
    balancer.start();
    // one balancing round at 1 s; fault timestamps come from the engine's clock
    engine.runUntil(seconds(1.5));
    const port = gpadls.portFor({ partition: 1, channel: 1, actor: 'hyperkata.test' });
    const refused = port.view(42);
    expect(refused).toMatchObject({ ok: false, time: seconds(1.5), kind: 'unknown-gpadl' });

    const p = metrics.partition(1);
    expect(p).toMatchObject({
      dynamic: true,
      demandPages: mibToPages(3000),
      assignedPages: mibToPages(3600),
    });
    expect(p?.visiblePages).toBeGreaterThanOrEqual(p?.assignedPages ?? Infinity);
    const hostNumbers = metrics.host();
    expect(hostNumbers.gpadlCapBytes).toBe(1280 * 1024 * 1024);
    expect(hostNumbers.isolationFaults).toBe(1);
    expect(
      hostNumbers.freePages +
        hostNumbers.rootPages +
        hostNumbers.childPages +
        hostNumbers.hypervisorPoolPages,
    ).toBe(hostNumbers.totalPages);
    expect(metrics.isolationFaults()).toHaveLength(1);
  });

  it('rule 14: the container takes the GPADL cap from the host OS', () => {
    const { gpadls, metrics } = container('ws2016');
    expect(gpadls.capBytes).toBe(384 * 1024 * 1024);
    expect(metrics.host().gpadlBytesInUse).toBe(0);
  });

  it('reports paging for a guest whose demand exceeds its memory', () => {
    const { memory, balancer, metrics, gpadls } = container();
    memory.createPartition({ partition: 3, startupPages: mibToPages(1024) });
    balancer.reportStatus(3, { numAvail: 0, numCommitted: mibToPages(1536) });
    const m = metrics.partition(3);
    expect(m?.dynamic).toBe(false);
    expect(m?.pressurePercent).toBe(150);
    expect(m?.paging.readsPerSecond).toBeGreaterThan(0);
    expect(m?.paging.slowdown).toBeGreaterThan(1);
    gpadls.create(3, 1, [100, 101]);
    expect(metrics.host().gpadlBytesInUse).toBe(2 * PAGE_SIZE);
  });
});
