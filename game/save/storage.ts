/**
 * Key-value storage behind an interface: the browser's localStorage in the game, an in-memory
 * fake in tests and when the browser refuses storage (private modes, blocked cookies).
 */

export interface KeyValueStorage {
  getItem(key: string): string | null;
  /** May throw (quota exceeded, storage disabled). */
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  /** Every key currently stored. */
  keys(): string[];
}

/** Storage in a Map: tests, and the fallback when the browser has none. */
export class MemoryStorage implements KeyValueStorage {
  private readonly items = new Map<string, string>();

  constructor(initial: Readonly<Record<string, string>> = {}) {
    for (const [key, value] of Object.entries(initial)) this.items.set(key, value);
  }

  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }

  removeItem(key: string): void {
    this.items.delete(key);
  }

  keys(): string[] {
    return [...this.items.keys()];
  }
}

/** The subset of the Web Storage API we use. */
export interface WebStorageLike {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export class WebStorage implements KeyValueStorage {
  constructor(private readonly storage: WebStorageLike) {}

  getItem(key: string): string | null {
    return this.storage.getItem(key);
  }

  setItem(key: string, value: string): void {
    this.storage.setItem(key, value);
  }

  removeItem(key: string): void {
    this.storage.removeItem(key);
  }

  keys(): string[] {
    const keys: string[] = [];
    for (let i = 0; i < this.storage.length; i++) {
      const key = this.storage.key(i);
      if (key !== null) keys.push(key);
    }
    return keys;
  }
}

export interface OpenedStorage {
  readonly storage: KeyValueStorage;
  /** False when the browser refused storage and progress lives only in memory. */
  readonly persistent: boolean;
}

const PROBE_KEY = 'hyperkata.probe';

/**
 * The browser's storage if it works (reading it can throw a SecurityError; writing can throw
 * when it is disabled), else memory.
 */
export function openStorage(getWebStorage: () => WebStorageLike | undefined): OpenedStorage {
  try {
    const web = getWebStorage();
    if (web) {
      web.setItem(PROBE_KEY, '1');
      web.removeItem(PROBE_KEY);
      return { storage: new WebStorage(web), persistent: true };
    }
  } catch {
    // Refused: fall through to memory; the store tells the player.
  }
  return { storage: new MemoryStorage(), persistent: false };
}
