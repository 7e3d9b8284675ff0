/**
 * The run summary's fault line, as a plugin author reads it: a bug that fails every channel the
 * same way is said once, naming the channels, not once per channel.
 */
import { describe, expect, it } from '@jest/globals';
import type { SimReport } from '../../core/index.js';
import type { LevelResult } from '../../levels/index.js';
import { summary } from './run.js';

const result: LevelResult = {
  level: 'test-level',
  stars: 0,
  scores: { throughput: 0, p99LatencyUs: 0, rootCpuPercent: 0, cost: 0 },
  objectives: [],
};

/** The parts of a report the summary's fault line reads. */
function reportWith(faults: { plugin: string; vm: string; device: string; reason: string }[]) {
  return {
    vms: {},
    faults: { plugins: faults, isolation: [] },
    host: { isolationFaults: 0 },
    hash: '0',
  } as unknown as SimReport;
}

const THREW = 'onPacket threw a string: "disk on fire" (in onPacket (src/index.ts:67:3))';

describe('the run summary', () => {
  it('says a fault that failed several channels the same way once, naming each channel', () => {
    const text = summary(
      result,
      reportWith([
        { plugin: 'acme.vsp', vm: 'db02', device: 'scsi0', reason: THREW },
        { plugin: 'acme.vsp', vm: 'files02', device: 'scsi0', reason: THREW },
        { plugin: 'acme.vsp', vm: 'web01', device: 'scsi1', reason: 'exceeded its CPU budget' },
      ]),
      'en',
    );
    expect(text.split('\n').filter((l) => l.startsWith('  faults: '))).toEqual([
      `  faults: acme.vsp on db02/scsi0, files02/scsi0: ${THREW}; acme.vsp on web01/scsi1: exceeded its CPU budget`,
    ]);
  });
});
