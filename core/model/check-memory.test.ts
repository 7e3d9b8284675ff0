import { describe, expect, it } from '@jest/globals';
import { smallConfiguration, smallScenario, TEST_PLUGINS } from '../testing/fixtures.js';
import { checkMemorySettings } from './check-memory.js';
import type { DynamicMemorySettings } from './configuration.js';
import { ConfigurationError, formatPath, parseConfiguration, parseScenario } from './index.js';

const good: DynamicMemorySettings = {
  dynamic: true,
  startupMiB: 2048,
  minimumMiB: 512,
  maximumMiB: 8192,
  bufferPercent: 20,
  priority: 50,
};
const context = { virtualNuma: false, integrationComponents: true, path: ['vms', 'db01'] };
const check = (changes: Partial<DynamicMemorySettings>, more: Partial<typeof context> = {}) =>
  checkMemorySettings({ ...good, ...changes }, { ...context, ...more });

/** Paths of the issues when db01 gets these memory settings through the whole configuration check. */
function refusedPaths(memory: Record<string, unknown>): string[] {
  const config = smallConfiguration();
  config.vms.db01 = { ...config.vms.db01, memory: memory as never };
  config.vsps = [...(config.vsps ?? []), { id: 'dm', plugin: 'hyperkata.dynmem' }];
  try {
    parseConfiguration(parseScenario(smallScenario()), config, TEST_PLUGINS);
  } catch (e) {
    if (ConfigurationError.is(e)) return e.issues.map((i) => formatPath(i.path));
    throw e;
  }
  return [];
}

describe('checkMemorySettings (the one check of rules 33 and 35)', () => {
  it('accepts valid Dynamic Memory settings and any static memory', () => {
    expect(check({})).toEqual([]);
    expect(check({ minimumMiB: 2048, maximumMiB: 2048 })).toEqual([]);
    expect(
      checkMemorySettings({ dynamic: false, startupMiB: 4096 }, { ...context, virtualNuma: true }),
    ).toEqual([]);
  });

  it('rule 33: startup memory must be at least the minimum, maximum at least the startup', () => {
    expect(check({ startupMiB: 256 }).map((i) => i.path)).toEqual([
      ['vms', 'db01', 'memory', 'minimumMiB'],
    ]);
    expect(check({ maximumMiB: 1024 })).toEqual([
      {
        path: ['vms', 'db01', 'memory', 'maximumMiB'],
        expected: 'at least the startup memory (2048 MiB) (rule 33)',
        found: '1024',
        // The same refusal as an id and its numbers, for the game to say in the player's language.
        reason: { id: 'memory.maximumBelowStartup', args: { startupMiB: 2048, maximumMiB: 1024 } },
      },
    ]);
  });

  it('rule 35: Dynamic Memory and virtual NUMA cannot be combined', () => {
    const issues = check({}, { virtualNuma: true });
    expect(issues.map((i) => i.path)).toEqual([['vms', 'db01', 'virtualNuma']]);
    expect(issues[0].expected).toMatch(/rule 35/);
  });

  it('Dynamic Memory needs the balloon driver of the integration components', () => {
    expect(check({}, { integrationComponents: false }).map((i) => i.path)).toEqual([
      ['vms', 'db01', 'memory', 'dynamic'],
    ]);
  });

  it('rule 33: the configuration check uses it, and the schema bounds buffer (5–2000 %) and priority (0–100)', () => {
    const base = { ...good } as Record<string, unknown>;
    expect(refusedPaths({ ...base, minimumMiB: 4096 })).toEqual(['vms.db01.memory.minimumMiB']);
    for (const bufferPercent of [4, 2001, 12.5])
      expect(refusedPaths({ ...base, bufferPercent })).toEqual(['vms.db01.memory.bufferPercent']);
    for (const priority of [-1, 101, 50.5])
      expect(refusedPaths({ ...base, priority })).toEqual(['vms.db01.memory.priority']);
    for (const ok of [{ bufferPercent: 5 }, { bufferPercent: 2000 }, { priority: 0 }])
      expect(refusedPaths({ ...base, ...ok })).toEqual([]);
  });
});
