/**
 * Files a person (or a script) wrote are hostile input: any edit of a valid level or solution
 * file either runs, or is refused with a ConfigurationError naming the file, each problem with
 * its path and what was expected. Nothing else escapes — no TypeError, no stack overflow — and
 * nothing throws once the run has started.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ConfigurationError, ms } from '../core/index.js';
import { minimalStorvsp } from '../core/vsp/testing/minimal-storvsp.js';
import { BUILT_IN_VSPS } from '../plugins/index.js';
import { LevelSchema, parseLevel, parseSolution, startLevel } from './index.js';
import type { Level, Solution } from './index.js';
import { fixtureLevel } from './testing/fixture-level.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Key = string | number;

const vsps = [minimalStorvsp(), ...BUILT_IN_VSPS];

/** The fixture level with every control unlocked, so edits reach the simulation. */
const openLevel: Json = {
  ...(fixtureLevel() as unknown as Record<string, Json>),
  id: 'open-level',
  controls: {
    routing: true,
    vspInstances: true,
    vspSettings: true,
    integrationComponents: true,
    vpCount: true,
    cpuControls: true,
    memory: true,
    rootVps: true,
    scheduler: true,
    channelSettings: true,
  },
};

/** A solution that touches every kind of setting. */
const richSolution: Json = {
  format: 1,
  level: 'open-level',
  name: 'every setting',
  host: { rootVps: 2, scheduler: 'core' },
  vms: {
    db01: {
      integrationComponents: true,
      processor: { count: 2, weight: 200, reservePercent: 10, limitPercent: 90 },
      memory: {
        dynamic: true,
        startupMiB: 2048,
        minimumMiB: 1024,
        maximumMiB: 4096,
        bufferPercent: 20,
        priority: 50,
      },
    },
  },
  vsps: [
    { id: 'stor', plugin: 'test.minimal-storage', device: 'ssd0', settings: {} },
    { id: 'dm', plugin: 'hyperkata.dynmem' },
  ],
  channels: [{ vm: 'db01', device: 'scsi0', vsp: 'stor', ringKiB: 64, signalling: 'batched' }],
};

/** Every path to a value inside `value` (not the root). */
function pathsOf(value: Json, at: Key[] = [], out: Key[][] = []): Key[][] {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push([...at, i]);
      pathsOf(v, [...at, i], out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push([...at, k]);
      pathsOf(v, [...at, k], out);
    }
  }
  return out;
}

/** Sets an own property, even one named `__proto__`. */
function put(target: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

type Mutation =
  | { readonly kind: 'set'; readonly pick: number; readonly value: Json }
  | { readonly kind: 'delete'; readonly pick: number }
  | { readonly kind: 'rename'; readonly pick: number; readonly key: string }
  | { readonly kind: 'add'; readonly pick: number; readonly key: string; readonly value: Json };

/** Applies a mutation to a copy of `doc` at the path `pick` chooses. */
function mutate(doc: Json, m: Mutation): Json {
  const copy = JSON.parse(JSON.stringify(doc)) as Json;
  const paths = pathsOf(copy);
  const path = paths[m.pick % paths.length];
  let parent = copy as Record<Key, Json>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<Key, Json>;
  const last = path[path.length - 1];
  const target = parent[last];
  if (m.kind === 'set') {
    if (Array.isArray(parent)) parent[last as number] = m.value;
    else put(parent, String(last), m.value);
  } else if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else Reflect.deleteProperty(parent, last);
  } else if (m.kind === 'rename' && !Array.isArray(parent)) {
    Reflect.deleteProperty(parent, last);
    put(parent, m.key, target);
  } else if (m.kind === 'add' && target !== null && typeof target === 'object') {
    if (Array.isArray(target)) target.push(m.value);
    else put(target, m.key, m.value);
  }
  return copy;
}

const hostileKey = fc.constantFrom(
  'constructor',
  'toString',
  '__proto__',
  'hasOwnProperty',
  'db01',
  'scsi0',
  'stor',
  'x',
  '',
  'A B',
);
const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    -1,
    0,
    1,
    1.5,
    16,
    240,
    241,
    16_381,
    2 ** 31,
    2 ** 32,
    2 ** 53,
    1e308,
    -1e308,
    '',
    'constructor',
    'db01',
    'scsi0',
    'ssd0',
    'stor',
    'dm',
    'hyperkata.netvsp',
    'x'.repeat(5000),
    null,
    true,
    false,
    [],
    {},
  ),
  fc.integer({ min: -1_000_000, max: 100_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 12 }),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: hostileValue }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('rename' as const), pick: fc.nat(), key: hostileKey }),
  fc.record({
    kind: fc.constant('add' as const),
    pick: fc.nat(),
    key: hostileKey,
    value: hostileValue,
  }),
);
const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 });

/** Plays up to 30 ms of the run: 'ran', or 'refused' when a located ConfigurationError says why. */
function outcome(source: string, play: () => void): 'ran' | 'refused' {
  try {
    play();
    return 'ran';
  } catch (e) {
    if (!ConfigurationError.is(e)) throw e;
    expect(e.source).toBe(source);
    expect(e.issues.length).toBeGreaterThan(0);
    for (const issue of e.issues) expect(issue.expected).not.toBe('');
    for (const line of e.message.split('\n')) expect(line.startsWith(`${source}: `)).toBe(true);
    return 'refused';
  }
}

function playBriefly(level: Level, solution: Solution | null): void {
  const sim = startLevel({
    level,
    solution,
    vsps,
    sources: { level: 'l.json', solution: 's.json' },
  });
  sim.advance(ms(30));
  sim.report();
}

const level = LevelSchema.parse(openLevel);

describe('any edit of a valid file runs or is refused naming the file and the path', () => {
  it('the unedited files run', () => {
    expect(
      outcome('s.json', () => {
        playBriefly(level, parseSolution(JSON.stringify(richSolution), 's.json'));
      }),
    ).toBe('ran');
    expect(
      outcome('l.json', () => {
        playBriefly(parseLevel(JSON.stringify(openLevel), 'l.json'), null);
      }),
    ).toBe('ran');
  });

  it('a solution file', () => {
    fc.assert(
      fc.property(mutations, (edits) => {
        const text = JSON.stringify(edits.reduce(mutate, richSolution));
        outcome('s.json', () => {
          playBriefly(level, parseSolution(text, 's.json'));
        });
      }),
      { numRuns: 150 },
    );
  });

  it('a level file (the scenario, the defaults, the objectives)', () => {
    fc.assert(
      fc.property(mutations, (edits) => {
        const text = JSON.stringify(edits.reduce(mutate, openLevel));
        outcome('l.json', () => {
          playBriefly(parseLevel(text, 'l.json'), null);
        });
      }),
      { numRuns: 150 },
    );
  });
});
