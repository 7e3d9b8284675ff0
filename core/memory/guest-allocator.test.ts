import { describe, expect, it } from '@jest/globals';
import { GUEST_ALLOCATION_BASE_PFN } from './guest-allocator.js';
import { MemoryManager } from './memory-manager.js';
import { mibToPages, PAGE_SIZE } from './units.js';

function manager(hostMiB = 65536) {
  const memory = new MemoryManager({ memoryMiB: hostMiB, os: 'ws2019', rootReserveMiB: 1024 });
  return memory;
}

describe('guest allocator', () => {
  it('gives each allocation its own contiguous, backed GPA range with exactly its bytes', () => {
    const memory = manager();
    memory.createPartition({ partition: 1, startupPages: mibToPages(1024) });
    const a = memory.allocate(1, 33);
    const b = memory.allocate(1, 129);
    if (!a.ok || !b.ok) throw new Error('allocation failed');
    expect(a.value.bytes?.length).toBe(33 * PAGE_SIZE);
    expect(b.value.bytes?.length).toBe(129 * PAGE_SIZE);
    expect(a.value.pfn).toBeGreaterThanOrEqual(GUEST_ALLOCATION_BASE_PFN);
    const aEnd = a.value.pfn + a.value.pages;
    const bEnd = b.value.pfn + b.value.pages;
    expect(aEnd <= b.value.pfn || bEnd <= a.value.pfn).toBe(true);
    for (const x of [a.value, b.value]) {
      expect(memory.translate(1, x.gpa).ok).toBe(true);
      expect(memory.translate(1, x.gpa + x.byteLength - 1).ok).toBe(true);
    }
    // what the guest writes through its view is what reads of guest memory return
    a.value.bytes?.set([7, 8, 9], PAGE_SIZE - 1);
    const seen = new Uint8Array(3);
    expect(memory.readGuest(1, a.value.gpa + PAGE_SIZE - 1, seen)).toBe(true);
    expect([...seen]).toEqual([7, 8, 9]);
  });

  it('reads never-allocated guest memory as zeros without holding any bytes for it', () => {
    const memory = manager();
    memory.createPartition({ partition: 1, startupPages: mibToPages(12 * 1024) });
    const dest = new Uint8Array(64 * 1024).fill(0xff);
    expect(memory.readGuest(1, 5 * 1024 * 1024 * 1024, dest)).toBe(true);
    expect(dest.every((b) => b === 0)).toBe(true);
    expect(memory.guestBytesHeld()).toBe(0);
    // beyond installed memory is not guest memory at all
    expect(memory.readGuest(1, 12 * 1024 * 1024 * 1024, new Uint8Array(1))).toBe(false);
  });

  it('refuses with guest-out-of-memory when no run of backed pages is large enough', () => {
    const memory = manager();
    memory.createPartition({ partition: 1, startupPages: mibToPages(32) });
    const r = memory.allocate(1, mibToPages(32));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('guest-out-of-memory');
    expect(memory.allocate(1, mibToPages(16)).ok).toBe(true);
    expect(memory.allocate(1, 1).ok).toBe(false);
  });

  it('never places an allocation on ballooned pages', () => {
    const memory = manager();
    memory.createPartition({ partition: 1, startupPages: mibToPages(64) });
    const start = GUEST_ALLOCATION_BASE_PFN;
    expect(memory.balloon(1, [{ start: start + 4, count: 4 }]).ok).toBe(true);
    const r = memory.allocate(1, 8);
    if (!r.ok) throw r.error;
    expect(r.value.pfn).toBe(start + 8);
    const small = memory.allocate(1, 4);
    if (!small.ok) throw small.error;
    expect(small.value.pfn).toBe(start);
  });

  it('reuses freed guest memory', () => {
    const memory = manager();
    memory.createPartition({ partition: 1, startupPages: mibToPages(64) });
    const a = memory.allocate(1, 16);
    if (!a.ok) throw a.error;
    expect(memory.free(a.value).ok).toBe(true);
    const b = memory.allocate(1, 16);
    if (!b.ok) throw b.error;
    expect(b.value.pfn).toBe(a.value.pfn);
    expect(memory.guestBytesHeld()).toBe(16 * PAGE_SIZE);
  });

  it('holds bytes of a sparse allocation only for the pages written', () => {
    const memory = manager();
    memory.createPartition({ partition: 1, startupPages: mibToPages(1024) });
    const receive = memory.allocate(1, mibToPages(16), { backing: 'sparse' });
    if (!receive.ok) throw receive.error;
    expect(receive.value.bytes).toBeNull();
    expect(memory.guestBytesHeld()).toBe(0);
    expect(receive.value.write(3 * PAGE_SIZE + 10, new Uint8Array([1, 2]))).toBe(true);
    expect(memory.guestBytesHeld()).toBe(PAGE_SIZE);
    const back = new Uint8Array(4);
    expect(receive.value.read(3 * PAGE_SIZE + 9, back)).toBe(true);
    expect([...back]).toEqual([0, 1, 2, 0]);
    expect(receive.value.write(receive.value.byteLength - 1, new Uint8Array(2))).toBe(false);
  });

  it('fits a 1024-VM host: bytes held are exactly the rings the guests allocated', () => {
    const memory = manager(24 * 1024 * 1024);
    const ringPages = 1 + 32; // L: one header page + a 128 KiB storage ring per direction
    for (let vm = 1; vm <= 1024; vm++) {
      const created = memory.createPartition({
        partition: vm,
        startupPages: mibToPages(16 * 1024),
      });
      expect(created.ok).toBe(true);
      expect(memory.allocate(vm, 2 * ringPages).ok).toBe(true);
    }
    expect(memory.guestBytesHeld()).toBe(1024 * 2 * ringPages * PAGE_SIZE);
    // 16 TiB of guest memory assigned, a few hundred MiB held
    expect(memory.childAssignedPages()).toBe(1024 * mibToPages(16 * 1024));
    expect(memory.guestBytesHeld()).toBeLessThan(300 * 1024 * 1024);
  });
});

describe('MemoryManager', () => {
  it('refuses a second partition with the same id and unknown partitions', () => {
    const memory = manager();
    expect(memory.createPartition({ partition: 1, startupPages: 1000 }).ok).toBe(true);
    const again = memory.createPartition({ partition: 1, startupPages: 1000 });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error.kind).toBe('partition-exists');
    const unknown = memory.allocate(2, 1);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error.kind).toBe('unknown-partition');
    expect(memory.translate(2, 0)).toEqual({ ok: false, reason: 'outside-guest' });
  });

  it('gives every page back to the host when a partition is deleted', () => {
    const memory = manager(8192);
    const free = memory.host.freePages;
    memory.createPartition({ partition: 3, startupPages: mibToPages(4096) });
    memory.allocate(3, 10);
    expect(memory.host.freePages).toBe(free - mibToPages(4096));
    expect(memory.destroyPartition(3)).toBe(true);
    expect(memory.host.freePages).toBe(free);
    expect(memory.partitionIds()).toEqual([]);
    expect(memory.guestBytesHeld()).toBe(0);
  });
});
