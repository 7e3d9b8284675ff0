import { describe, expect, it } from '@jest/globals';
import type { DynamicMemorySettings } from '../../model/configuration.js';
import { ConfigurationError } from '../../model/errors.js';
import { validateMemorySettings } from './validate.js';

const path = ['vms', 'db01', 'memory'];
const good: DynamicMemorySettings = {
  dynamic: true,
  startupMiB: 2048,
  minimumMiB: 512,
  maximumMiB: 8192,
  bufferPercent: 20,
  priority: 50,
};
const check = (changes: Partial<DynamicMemorySettings>, virtualNuma = false) =>
  validateMemorySettings({ ...good, ...changes }, { virtualNuma, path });

describe('validateMemorySettings', () => {
  it('accepts valid Dynamic Memory settings and any static memory', () => {
    expect(check({})).toEqual([]);
    expect(check({ minimumMiB: 2048, maximumMiB: 2048 })).toEqual([]);
    expect(
      validateMemorySettings({ dynamic: false, startupMiB: 4096 }, { virtualNuma: true, path }),
    ).toEqual([]);
  });

  it('rule 33: startup memory must be at least the minimum', () => {
    expect(check({ startupMiB: 256 })).toEqual([
      {
        path: ['vms', 'db01', 'memory', 'startupMiB'],
        expected: 'at least the minimum memory (512 MiB)',
        found: '256 MiB',
      },
    ]);
  });

  it('rule 33: maximum memory must be at least the startup memory', () => {
    expect(check({ maximumMiB: 1024 })).toEqual([
      {
        path: ['vms', 'db01', 'memory', 'maximumMiB'],
        expected: 'at least the startup memory (2048 MiB)',
        found: '1024 MiB',
      },
    ]);
  });

  it.each([4, 2001, 12.5, -1])(
    'rule 33: a buffer of %p %% is refused (5–2000 %%)',
    (bufferPercent) => {
      const issues = check({ bufferPercent });
      expect(issues).toHaveLength(1);
      expect(issues[0].path).toEqual(['vms', 'db01', 'memory', 'bufferPercent']);
      expect(issues[0].expected).toBe('a whole percentage from 5 to 2000');
    },
  );

  it.each([5, 2000])('rule 33: a buffer of %p %% is accepted', (bufferPercent) => {
    expect(check({ bufferPercent })).toEqual([]);
  });

  it.each([-1, 101, 50.5])('rule 33: a priority of %p is refused (0–100)', (priority) => {
    const issues = check({ priority });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      path: ['vms', 'db01', 'memory', 'priority'],
      expected: 'a whole number from 0 to 100',
    });
  });

  it.each([0, 100])('rule 33: a priority of %p is accepted', (priority) => {
    expect(check({ priority })).toEqual([]);
  });

  it('rule 35: Dynamic Memory and virtual NUMA cannot be combined', () => {
    const issues = check({}, true);
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toEqual(['vms', 'db01', 'memory', 'dynamic']);
    expect(issues[0].expected).toMatch(/virtual NUMA/);
  });

  it('reports every problem at once, readable through ConfigurationError', () => {
    const issues = check(
      { startupMiB: 256, maximumMiB: 128, bufferPercent: 1, priority: 300 },
      true,
    );
    expect(issues.map((i) => i.path.at(-1))).toEqual([
      'startupMiB',
      'maximumMiB',
      'bufferPercent',
      'priority',
      'dynamic',
    ]);
    const message = new ConfigurationError('configuration', issues).message;
    expect(message).toContain(
      'configuration: vms.db01.memory.startupMiB: expected at least the minimum memory (512 MiB), found 256 MiB',
    );
  });
});
