import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ByteArena } from './byte-arena.js';
import { MemoryManager } from './memory-manager.js';

describe('ByteArena', () => {
  it('hands out zeroed, page-aligned views that never overlap', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 40 }),
        (pageCounts) => {
          const arena = new ByteArena(64 * 4096);
          const views = pageCounts.map((pages) => arena.take(pages * 4096));
          views.forEach((v, i) => {
            expect(v.length).toBe(pageCounts[i] * 4096);
            expect(v.byteOffset % 4096).toBe(0);
            expect(v.every((b) => b === 0)).toBe(true);
            v.fill(i + 1);
          });
          // each view still holds only its own mark: no two share a byte
          views.forEach((v, i) => {
            expect(v.every((b) => b === ((i + 1) & 0xff))).toBe(true);
          });
        },
      ),
    );
  });

  it('gives a large request a buffer of its own', () => {
    const arena = new ByteArena(64 * 4096);
    const small = arena.take(4096);
    const large = arena.take(16 * 4096);
    expect(large.buffer).not.toBe(small.buffer);
    expect(large.byteLength).toBe(large.buffer.byteLength);
  });
});

describe('dense guest allocations from the host arena', () => {
  const manager = () => {
    const m = new MemoryManager({ memoryMiB: 4096, os: 'ws2019' });
    const a = m.createPartition({ partition: 2, startupPages: 256 * 256 });
    const b = m.createPartition({ partition: 3, startupPages: 256 * 256 });
    if (!a.ok || !b.ok) throw new Error('set-up');
    return m;
  };

  it('two partitions never see each other’s bytes (rule: isolation of guest memory)', () => {
    const m = manager();
    const a = m.allocate(2, 8, { backing: 'dense' });
    const b = m.allocate(3, 8, { backing: 'dense' });
    if (!a.ok || !b.ok || a.value.bytes === null || b.value.bytes === null)
      throw new Error('alloc');
    a.value.bytes.fill(0xaa);
    expect(b.value.bytes.every((x) => x === 0)).toBe(true);
  });

  it('a freed allocation’s bytes are not handed to the next one (a stale view cannot alias it)', () => {
    const m = manager();
    const first = m.allocate(2, 8, { backing: 'dense' });
    if (!first.ok || first.value.bytes === null) throw new Error('alloc');
    const stale = first.value.bytes;
    expect(m.free(first.value).ok).toBe(true);
    const next = m.allocate(3, 8, { backing: 'dense' });
    if (!next.ok || next.value.bytes === null) throw new Error('alloc');
    stale.fill(0x55);
    expect(next.value.bytes.every((x) => x === 0)).toBe(true);
  });
});
