/**
 * "Did you mean …?": an author who misspells a field or a value in a level, solution or
 * configuration is told the name the file format has, next to what was expected.
 */
import { describe, expect, it } from '@jest/globals';
import { ConfigurationError, parseConfiguration, parseScenario } from './index.js';
import type { ConfigurationInput } from './index.js';
import { ConfigurationSchema } from './configuration.js';
import { ScenarioSchema } from './scenario.js';
import { fieldsAt, nearest } from './suggest.js';
import { smallConfiguration, smallScenario, TEST_PLUGINS } from '../testing/fixtures.js';

function refusal(mutate: (c: ConfigurationInput & Record<string, unknown>) => void): string {
  const config = smallConfiguration() as ConfigurationInput & Record<string, unknown>;
  mutate(config);
  try {
    parseConfiguration(parseScenario(smallScenario()), config, TEST_PLUGINS);
  } catch (e) {
    if (ConfigurationError.is(e)) return e.message;
    throw e;
  }
  throw new Error('configuration was accepted');
}

describe('nearest', () => {
  it('finds a near miss, whatever its case, and nothing for a word far from every candidate', () => {
    expect(nearest('wieght', ['weight', 'reservePercent', 'limitPercent'])).toBe('weight');
    expect(nearest('LimitPercnt', ['weight', 'reservePercent', 'limitPercent'])).toBe(
      'limitPercent',
    );
    expect(nearest('colour', ['weight', 'count'])).toBeUndefined();
    // One letter off a two-letter word is half of it: still a suggestion, the least one allowed.
    expect(nearest('vn', ['vm', 'host'])).toBe('vm');
    // Three edits in a long id is another name sharing a prefix, not a typo.
    expect(nearest('local.my-disk', ['local.my-nic', 'hyperkata.storvsp'])).toBeUndefined();
  });

  it('suggests nothing when two candidates are equally near (no guess between them)', () => {
    expect(nearest('ssd', ['ssd0', 'ssd1'])).toBeUndefined();
  });
});

describe('fieldsAt', () => {
  it('walks records, arrays and optional wrappers to the object schema at a path', () => {
    const processor = fieldsAt(ConfigurationSchema, ['vms', 'db01', 'processor']);
    expect([...(processor ?? [])]).toEqual(
      expect.arrayContaining(['count', 'weight', 'reservePercent', 'limitPercent']),
    );
    const workload = fieldsAt(ScenarioSchema, ['vms', 0, 'workload']);
    expect([...(workload ?? [])]).toEqual(expect.arrayContaining(['kind', 'intensity']));
  });

  it('says nothing where the schema has no object (a number, or a path it does not have)', () => {
    expect(fieldsAt(ConfigurationSchema, ['vms', 'db01', 'processor', 'count'])).toBeUndefined();
    expect(fieldsAt(ConfigurationSchema, ['nowhere', 'at', 'all'])).toBeUndefined();
  });
});

describe('refusals name the field the author meant', () => {
  it('a misspelt field: remove it, and the field of that name it is a near miss of', () => {
    const message = refusal((c) => {
      Object.assign(c.vms.db01.processor, { wieght: 200, zzz: 1 });
    });
    expect(message).toContain(
      'configuration: vms.db01.processor: expected no unknown fields (remove "wieght": did you mean "weight"?; "zzz"), found an object',
    );
  });

  it('no suggestion of a field the input already has (the extra one is a second copy, not a typo)', () => {
    const message = refusal((c) => {
      Object.assign(c.vms.db01.processor, { weight: 200, wieght: 200 });
    });
    expect(message).toContain('(remove "wieght")');
  });

  it('a misspelt value of a closed list: the list, and the value it is a near miss of', () => {
    const message = refusal((c) => {
      Object.assign(c.host, { scheduler: 'clasic' });
    });
    expect(message).toMatch(
      /host\.scheduler: expected one of .*"classic".* \(did you mean "classic"\?\), found "clasic"/,
    );
  });
});
