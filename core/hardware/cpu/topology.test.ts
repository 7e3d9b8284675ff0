import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../../model/index.js';
import { CpuTopology } from './topology.js';

describe('CpuTopology', () => {
  it('numbers LPs like Windows: SMT siblings are adjacent, cores follow sockets', () => {
    const cpu = CpuTopology.fromProcessor({ sockets: 2, coresPerSocket: 3, threadsPerCore: 2 });
    expect(cpu.lpCount).toBe(12);
    expect(cpu.coreCount).toBe(6);
    expect(cpu.siblingsOf(4)).toEqual([4, 5]);
    expect(cpu.siblingsOf(5)).toEqual([4, 5]);
    expect(cpu.areSiblings(4, 5)).toBe(true);
    expect(cpu.areSiblings(5, 6)).toBe(false);
    expect(cpu.coreOf(7)).toBe(3);
    expect(cpu.threadOf(7)).toBe(1);
    // core 3 is the first core of socket 1
    expect(cpu.socketOf(5)).toBe(0);
    expect(cpu.socketOf(6)).toBe(1);
  });

  it('gives every LP its own core when SMT is off', () => {
    const cpu = CpuTopology.fromProcessor({ sockets: 1, coresPerSocket: 4, threadsPerCore: 1 });
    expect(cpu.lpCount).toBe(4);
    expect(cpu.siblingsOf(2)).toEqual([2]);
    expect(cpu.coreOf(3)).toBe(3);
  });

  it('rule 40: accepts 1024 logical processors (Windows Server 2022) and refuses 1028', () => {
    expect(
      CpuTopology.fromProcessor({ sockets: 16, coresPerSocket: 32, threadsPerCore: 2 }).lpCount,
    ).toBe(1024);
    const build = () =>
      CpuTopology.fromProcessor({ sockets: 2, coresPerSocket: 257, threadsPerCore: 2 });
    expect(build).toThrow(ConfigurationError);
    expect(build).toThrow(/host\.processor: expected at most 1024 logical processors/);
  });
});
