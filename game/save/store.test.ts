import { describe, expect, it } from '@jest/globals';
import { BACKUP_KEY_PREFIX, SAVE_KEY, SaveFormatError } from './format.js';
import { defaultSettings } from './settings.js';
import { MemoryStorage, openStorage } from './storage.js';
import type { KeyValueStorage } from './storage.js';
import { SaveStore } from './store.js';

const defaults = defaultSettings({ languages: ['pt-BR'], prefersReducedMotion: true });

function clock(start = Date.parse('2025-05-05T12:00:00.000Z')) {
  let t = start;
  return () => new Date((t += 1000));
}

function open(storage: KeyValueStorage, persistent = true) {
  return SaveStore.open({ storage, defaults, now: clock(), persistent });
}

describe('starting the game', () => {
  it('starts fresh with the browser’s defaults when nothing is saved, and says nothing', () => {
    const { store, notices } = open(new MemoryStorage());
    expect(notices).toEqual([]);
    expect(store.settings.language).toBe('pt-BR');
    expect(store.settings.reducedMotion).toBe(true);
    expect(store.starsOf('first-partition')).toBe(0);
  });

  it.each([
    ['not JSON', '{"format":"hyperkata-save",', 'not-json'],
    ['not a save', '{"name":"something else"}', 'not-a-save'],
    [
      'impossible content',
      '{"format":"hyperkata-save","version":2,"savedAt":"x","progress":{"a":{"stars":-1}}}',
      'invalid',
    ],
    ['a newer format', '{"format":"hyperkata-save","version":3}', 'newer-version'],
  ])('keeps corrupt data (%s) as a backup, tells the player and starts', (_what, raw, kind) => {
    const storage = new MemoryStorage({ [SAVE_KEY]: raw });
    const { store, notices } = open(storage);

    expect(notices).toHaveLength(1);
    const notice = notices.at(0);
    expect(notice?.kind).toBe('corrupt');
    if (notice?.kind !== 'corrupt') return;
    expect(notice.error.kind).toBe(kind);
    expect(notice.raw).toBe(raw);
    // The unreadable data is still there, byte for byte, under the backup key.
    expect(notice.backupKey?.startsWith(BACKUP_KEY_PREFIX)).toBe(true);
    expect(storage.getItem(notice.backupKey ?? '')).toBe(raw);
    // And the game has a working, empty save.
    expect(store.starsOf('first-partition')).toBe(0);
    expect(JSON.parse(storage.getItem(SAVE_KEY) ?? '')).toMatchObject({ version: 2 });
  });

  it('keeps each corruption in its own backup: a second bad start does not overwrite the first', () => {
    const storage = new MemoryStorage({ [SAVE_KEY]: 'first garbage' });
    open(storage);
    storage.setItem(SAVE_KEY, 'second garbage');
    open(storage);
    const backups = storage.keys().filter((k) => k.startsWith(BACKUP_KEY_PREFIX));
    expect(backups.map((k) => storage.getItem(k)).sort()).toEqual([
      'first garbage',
      'second garbage',
    ]);
  });

  it('still starts if the backup cannot be written, and says no copy was kept', () => {
    const storage = new MemoryStorage({ [SAVE_KEY]: 'garbage' });
    const full: KeyValueStorage = {
      getItem: (k) => storage.getItem(k),
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: (k) => {
        storage.removeItem(k);
      },
      keys: () => storage.keys(),
    };
    const { notices } = open(full);
    expect(notices[0]?.kind).toBe('corrupt');
    expect(notices[0]?.kind === 'corrupt' && notices[0].backupKey).toBeUndefined();
  });

  it('migrates a format 1 save, writes it back as format 2 and says so', () => {
    const storage = new MemoryStorage({
      [SAVE_KEY]: JSON.stringify({ version: 1, lang: 'en', levels: { '2': { stars: 2 } } }),
    });
    const { store, notices } = open(storage);
    expect(notices).toEqual([{ kind: 'migrated', from: 1, to: 2 }]);
    expect(store.starsOf('two-lanes')).toBe(2);
    expect(JSON.parse(storage.getItem(SAVE_KEY) ?? '')).toMatchObject({
      version: 2,
      format: 'hyperkata-save',
    });
  });

  it('tells the player when storage is refused and progress lives only in memory', () => {
    const opened = openStorage(() => {
      throw new Error('SecurityError');
    });
    expect(opened.persistent).toBe(false);
    const { notices } = open(opened.storage, opened.persistent);
    expect(notices).toEqual([{ kind: 'storage-unavailable' }]);
  });
});

describe('playing', () => {
  it('keeps the better stars and the better of each score', () => {
    const { store } = open(new MemoryStorage());
    store.recordRun('two-lanes', { stars: 2, scores: { throughput: 100, p99LatencyUs: 900 } });
    store.recordRun('two-lanes', { stars: 1, scores: { throughput: 150, p99LatencyUs: 1200 } });
    expect(store.progressOf('two-lanes')).toMatchObject({
      stars: 2,
      best: { throughput: 150, p99LatencyUs: 900 },
    });
  });

  it('a run that missed an objective sets no best score: its low latency came from dropped I/O', () => {
    const { store } = open(new MemoryStorage());
    store.recordRun('two-lanes', { stars: 3, scores: { throughput: 2522, p99LatencyUs: 369 } });
    // eth0 left unconnected: 0 stars, and only the disk's fast requests completed.
    store.recordRun('two-lanes', { stars: 0, scores: { throughput: 260, p99LatencyUs: 127 } });
    expect(store.progressOf('two-lanes').best).toEqual({ throughput: 2522, p99LatencyUs: 369 });
  });

  it('saves every change so a reload finds it', () => {
    const storage = new MemoryStorage();
    const { store } = open(storage);
    store.updateSettings({ palette: 'colour-blind', volume: 20 });
    store.recordRun('ring-full', { stars: 3, scores: {} });
    const reloaded = open(storage).store;
    expect(reloaded.settings.palette).toBe('colour-blind');
    expect(reloaded.settings.volume).toBe(20);
    expect(reloaded.starsOf('ring-full')).toBe(3);
  });

  it('reports a failed write once per reason instead of throwing', () => {
    let fail = false;
    const memory = new MemoryStorage();
    const flaky: KeyValueStorage = {
      getItem: (k) => memory.getItem(k),
      setItem: (k, v) => {
        if (fail) throw new Error('quota exceeded');
        memory.setItem(k, v);
      },
      removeItem: (k) => {
        memory.removeItem(k);
      },
      keys: () => memory.keys(),
    };
    const { store } = open(flaky);
    const problems: string[] = [];
    store.onProblem((p) => problems.push(p));
    fail = true;
    store.updateSettings({ muted: true });
    store.updateSettings({ muted: false });
    expect(problems).toEqual(['quota exceeded']);
    expect(store.settings.muted).toBe(false);
  });

  it('does not add the same shared solution twice', () => {
    const { store } = open(new MemoryStorage());
    const shared = { name: 'Fast', data: { a: 1 }, origin: 'shared' as const, id: 'shared-abc' };
    store.saveSolution('two-lanes', shared);
    store.saveSolution('two-lanes', shared);
    expect(store.progressOf('two-lanes').solutions).toHaveLength(1);
  });
});

describe('export and import', () => {
  it('export, clear storage, import: progress and solutions are back', () => {
    const storage = new MemoryStorage();
    const { store } = open(storage);
    store.recordRun('first-partition', { stars: 3, scores: { throughput: 4000 } });
    store.recordRun('two-lanes', { stars: 1, scores: { cost: 12 } });
    store.saveSolution('two-lanes', { name: 'Mine', data: { channels: [] }, origin: 'player' });
    const file = store.exportFile();
    expect(file.fileName).toMatch(/^hyperkata-progress-\d{4}-\d{2}-\d{2}\.json$/);

    for (const key of storage.keys()) storage.removeItem(key);
    const empty = open(storage).store;
    expect(empty.starsOf('first-partition')).toBe(0);

    const summary = empty.importFile(file.text);
    expect(summary).toEqual({ levels: 2, solutions: 1 });
    expect(empty.starsOf('first-partition')).toBe(3);
    expect(empty.progressOf('first-partition').best.throughput).toBe(4000);
    expect(empty.progressOf('two-lanes').solutions.map((s) => s.name)).toEqual(['Mine']);
    // And it is persisted, not only in memory.
    expect(open(storage).store.starsOf('two-lanes')).toBe(1);
  });

  it('importing keeps the best of both and the current settings', () => {
    const a = open(new MemoryStorage()).store;
    a.recordRun('ring-full', { stars: 1, scores: { p99LatencyUs: 500 } });
    a.updateSettings({ language: 'en' });
    const b = open(new MemoryStorage()).store;
    b.recordRun('ring-full', { stars: 3, scores: { p99LatencyUs: 800 } });
    b.updateSettings({ language: 'pt-BR' });

    a.importFile(b.exportFile().text);
    expect(a.progressOf('ring-full')).toMatchObject({ stars: 3, best: { p99LatencyUs: 500 } });
    expect(a.settings.language).toBe('en');
  });

  it('imports a format 1 file too', () => {
    const { store } = open(new MemoryStorage());
    store.importFile(JSON.stringify({ version: 1, levels: { '3': { stars: 2 } } }));
    expect(store.starsOf('03-legacy-guest')).toBe(2);
  });

  it('refuses an unreadable file and changes nothing', () => {
    const { store } = open(new MemoryStorage());
    store.recordRun('two-lanes', { stars: 2, scores: {} });
    const before = store.save;
    expect(() => store.importFile('{"not":"a save"}')).toThrow(SaveFormatError);
    expect(() => store.importFile('garbage')).toThrow(SaveFormatError);
    expect(store.save).toBe(before);
  });
});
