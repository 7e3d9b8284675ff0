import { describe, expect, it } from '@jest/globals';
import { defineVsp, PluginError, SDK_VERSION, toVspModule } from './index.js';

const good = defineVsp({
  id: 'acme.echo-storage',
  sdk: '^1.0.0',
  deviceClass: 'storage',
  settings: {
    queueDepth: {
      type: 'integer',
      default: 64,
      min: 1,
      max: 1024,
      description: 'Requests in flight',
    },
    mode: { type: 'choice', default: 'fast', choices: ['fast', 'safe'], description: 'Mode' },
  },
  create(_host, settings) {
    return {
      onPacket(channel, packet) {
        if (settings.queueDepth > 0) channel.complete(packet.transId, new Uint8Array(0));
      },
    };
  },
});

const load = (value: unknown, builtIn = false) =>
  toVspModule(value, { source: 'plugins/acme.ts', builtIn, isolation: 'native', digest: 'x' });

function refusal(value: unknown, builtIn = false): PluginError {
  try {
    load(value, builtIn);
  } catch (e) {
    if (PluginError.is(e)) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('loading a VSP definition', () => {
  it('accepts a well-formed plugin and fills its settings with defaults', () => {
    const m = load(good);
    expect(m.id).toBe('acme.echo-storage');
    expect(m.deviceClass).toBe('storage');
    expect(m.checkSettings?.({ queueDepth: 8 }, ['vsps', 0, 'settings'])).toEqual([]);
  });

  it('refuses an SDK range this host does not satisfy, saying which version it has and what to do', () => {
    // SDK_VERSION is 1.x: a range past it needs a newer Hyperkata; one before it, another look.
    expect(refusal({ ...good, sdk: '^2.0.0' }).message).toBe(
      `plugins/acme.ts: sdk: expected a range that includes this host's SDK ${SDK_VERSION} (it needs SDK 2.0.0 or later: run it on a newer Hyperkata, or lower the range — "^${SDK_VERSION}" — if it uses nothing SDK ${SDK_VERSION} lacks), found "^2.0.0"`,
    );
    expect(refusal({ ...good, sdk: '~0.9.0' }).message).toBe(
      `plugins/acme.ts: sdk: expected a range that includes this host's SDK ${SDK_VERSION} (it was written for another SDK: check it against SDK ${SDK_VERSION} and declare a range that includes it, e.g. "^1.0.0"), found "~0.9.0"`,
    );
  });

  it('reserves the hyperkata. namespace for built-ins', () => {
    const e = refusal({ ...good, id: 'hyperkata.storvsp' });
    expect(e.issues[0]?.path).toEqual(['id']);
    // …and says what to write instead: the scaffold's namespace, the same name.
    expect(e.message).toContain(
      '(it belongs to the built-in VSPs): one of yours, e.g. "local.storvsp"',
    );
    expect(load({ ...good, id: 'hyperkata.storvsp' }, true).id).toBe('hyperkata.storvsp');
  });

  it('names every missing or malformed field of a broken file', () => {
    const e = refusal({
      id: 'Bad Id',
      deviceClass: 'printer',
      settings: { x: { type: 'integer', min: 5, max: 1, default: 3, description: 'x' } },
    });
    expect(e.issues.map((i) => i.path.join('.'))).toEqual([
      'id',
      'sdk',
      'deviceClass',
      'create',
      'settings.x.min',
    ]);
    expect(refusal(42).message).toContain('expected a VSP definition object');
  });

  it('answers a misspelt device class or setting field with the one it is a near miss of', () => {
    const e = refusal({
      id: 'acme.typos',
      sdk: '^1.0.0',
      deviceClass: 'storge',
      create: () => ({}),
      settings: {
        depth: { type: 'integer', default: 3, min: 1, maxx: 8, descripton: 'Queue depth' },
        on: { type: 'boolean', default: true, description: 'On', min: 0 },
      },
    });
    expect(e.issues.map((i) => [i.path.join('.'), i.expected, i.found])).toEqual([
      [
        'deviceClass',
        'one of "storage", "network", "video", "input", "dynamic-memory", "heartbeat" (did you mean "storage"?)',
        '"storge"',
      ],
      [
        'settings.depth.maxx',
        'no unknown fields in a setting of type "integer", which has type, default, min, max, description (remove "maxx": did you mean "max"?)',
        '8',
      ],
      [
        'settings.depth.descripton',
        'no unknown fields in a setting of type "integer", which has type, default, min, max, description (remove "descripton": did you mean "description"?)',
        '"Queue depth"',
      ],
      ['settings.depth.description', 'a string', 'nothing'],
      // The field it lacks, not "min ≤ max, found 1..nothing".
      [
        'settings.depth.max',
        'a number: the least (min) and greatest (max) value the setting takes',
        'nothing',
      ],
      [
        'settings.on.min',
        'no unknown fields in a setting of type "boolean", which has type, default, description (remove "min")',
        '0',
      ],
    ]);
  });

  it('says a module without a default export has none (e.g. `export const vsp = defineVsp(…)`)', () => {
    expect(refusal(undefined).message).toBe(
      'plugins/acme.ts: expected a VSP definition object (the default export of defineVsp({...})), found no default export',
    );
  });

  it('refuses settings outside the declared bounds, with the path of the field', () => {
    const m = load(good);
    const issues =
      m.checkSettings?.({ queueDepth: 0, mode: 'turbo', colour: 'red' }, ['vsps', 2, 'settings']) ??
      [];
    expect(issues.map((i) => i.path.join('.'))).toEqual([
      'vsps.2.settings.colour',
      'vsps.2.settings.queueDepth',
      'vsps.2.settings.mode',
    ]);
    expect(issues[1]?.expected).toBe('an integer from 1 to 1024');
  });
});
