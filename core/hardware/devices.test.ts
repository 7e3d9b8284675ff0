import { describe, expect, it } from '@jest/globals';
import { Random, SimEngine } from '../engine/index.js';
import { PhysicalDisk } from './disk.js';
import { PhysicalNic } from './nic.js';
import type { DiskSpec } from '../model/index.js';

const ssd: DiskSpec = {
  id: 'ssd0',
  kind: 'ssd',
  iops: 50_000,
  mbps: 500,
  latencyUs: 100,
  queueDepth: 32,
};

function driveDisk(spec: DiskSpec, requests: number, bytes: number, concurrency: number) {
  const engine = new SimEngine();
  const disk = new PhysicalDisk(spec, engine, new Random(1).stream('disk'));
  const latencies: number[] = [];
  let issued = 0;
  const done = engine.define<number>('done', (start) => {
    latencies.push(engine.now - start);
    if (issued < requests) issue();
  });
  const issue = () => {
    issued++;
    disk.submit({ op: 'read', bytes, sequential: false, done, arg: engine.now });
  };
  for (let i = 0; i < concurrency; i++) issue();
  engine.runUntil(1e12);
  return { elapsed: engine.now, latencies, disk, end: Math.max(...latencies) };
}

describe('PhysicalDisk', () => {
  it('completes a lone small read after about its access latency', () => {
    const { latencies } = driveDisk(ssd, 1, 4096, 1);
    expect(latencies[0]).toBeGreaterThanOrEqual(90_000);
    expect(latencies[0]).toBeLessThanOrEqual(120_000);
  });

  it('never exceeds its rated IOPS however many requests are queued', () => {
    const engine = new SimEngine();
    const disk = new PhysicalDisk(ssd, engine, new Random(1).stream('disk'));
    let completed = 0;
    const done = engine.define<null>('done', () => completed++);
    for (let i = 0; i < 20_000; i++)
      disk.submit({ op: 'read', bytes: 4096, sequential: false, done, arg: null });
    engine.runUntil(100_000_000); // 100 ms
    expect(completed).toBeLessThanOrEqual(5_000 + 1);
    expect(completed).toBeGreaterThan(4_500);
  });

  it('never exceeds its bandwidth for large transfers', () => {
    const engine = new SimEngine();
    const disk = new PhysicalDisk(ssd, engine, new Random(1).stream('disk'));
    const done = engine.define<null>('done', () => undefined);
    for (let i = 0; i < 1000; i++)
      disk.submit({ op: 'write', bytes: 1 << 20, sequential: true, done, arg: null });
    engine.runUntil(1_000_000_000); // 1 s at 500 MB/s moves at most ~476 MiB
    expect(disk.bytesWritten).toBeLessThanOrEqual(500_000_000 + (1 << 20));
    expect(disk.bytesWritten).toBeGreaterThan(450_000_000);
  });

  it('makes requests wait once its queue is full, so latency grows with load', () => {
    const light = driveDisk({ ...ssd, queueDepth: 4 }, 200, 4096, 2);
    const heavy = driveDisk({ ...ssd, queueDepth: 4 }, 200, 4096, 64);
    const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    expect(p50(heavy.latencies)).toBeGreaterThan(5 * p50(light.latencies));
  });

  it('gives a spinning disk far better sequential than random latency', () => {
    const hdd: DiskSpec = {
      id: 'hdd0',
      kind: 'hdd',
      iops: 200,
      mbps: 200,
      latencyUs: 8000,
      queueDepth: 1,
    };
    const engine = new SimEngine();
    const disk = new PhysicalDisk(hdd, engine, new Random(2).stream('d'));
    const times: number[] = [];
    const done = engine.define<number>('done', (s) => times.push(engine.now - s));
    disk.submit({ op: 'read', bytes: 65536, sequential: false, done, arg: 0 });
    engine.runUntil(1e9);
    const t0 = engine.now;
    disk.submit({ op: 'read', bytes: 65536, sequential: true, done, arg: t0 });
    engine.runUntil(2e9);
    expect(times[1]).toBeLessThan(times[0] / 2);
  });
});

describe('PhysicalNic', () => {
  it('serializes frames at line rate then adds wire latency', () => {
    const engine = new SimEngine();
    const nic = new PhysicalNic({ id: 'nic0', gbps: 10, latencyUs: 5, sriov: false }, engine);
    const arrivals: number[] = [];
    const done = engine.define<null>('rx', () => arrivals.push(engine.now));
    nic.transfer('transmit', 1250, done, null); // 1250 B at 10 Gb/s = 1 µs
    nic.transfer('transmit', 1250, done, null);
    engine.runUntil(1e6);
    expect(arrivals).toEqual([6_000, 7_000]);
  });

  it('caps an emulated adapter at its own rate (legacy NIC: 100 Mbit/s)', () => {
    const engine = new SimEngine();
    const nic = new PhysicalNic({ id: 'nic0', gbps: 10, latencyUs: 0, sriov: false }, engine);
    const done = engine.define<null>('tx', () => undefined);
    const at = nic.transfer('transmit', 1_250_000, done, null, 0.1); // 10 Mbit at 100 Mbit/s = 100 ms
    expect(at).toBe(100_000_000);
  });
});
