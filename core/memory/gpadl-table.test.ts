import { describe, expect, it } from '@jest/globals';
import type { HostOs } from '../model/scenario.js';
import { GpadlTable } from './gpadl-table.js';
import { IsolationFaultLog } from './isolation-fault-log.js';
import { MemoryManager } from './memory-manager.js';
import { mibToPages, PAGE_SIZE } from './units.js';

function setup(os: HostOs = 'ws2019') {
  const clock = { now: 0 };
  const memory = new MemoryManager({ memoryMiB: 16384, os, rootReserveMiB: 1024 });
  const faults = new IsolationFaultLog(clock);
  const gpadls = new GpadlTable(memory, faults);
  memory.createPartition({ partition: 1, startupPages: mibToPages(4096) });
  memory.createPartition({ partition: 2, startupPages: mibToPages(1024) });
  return { clock, memory, faults, gpadls };
}

const run = (start: number, count: number): number[] =>
  Array.from({ length: count }, (_, i) => start + i);

describe('GpadlTable', () => {
  it.each([
    ['ws2016', 384],
    ['ws2019', 1280],
    ['ws2022', 1280],
  ] as const)(
    'rule 14: on %s hosts the memory shared through GPADLs is capped at %i MiB',
    (os, capMiB) => {
      const { gpadls } = setup(os);
      expect(gpadls.capBytes).toBe(capMiB * 1024 * 1024);
      // fill the cap exactly, 64 MiB at a time
      const chunk = mibToPages(64);
      const handles: number[] = [];
      for (let i = 0; i < capMiB / 64; i++) {
        const g = gpadls.create(1, 5, run(mibToPages(16) + i * chunk, chunk));
        expect(g.ok).toBe(true);
        if (g.ok) handles.push(g.handle);
      }
      expect(gpadls.bytesInUse).toBe(capMiB * 1024 * 1024);
      const over = gpadls.create(1, 6, [4000]);
      expect(over).toMatchObject({ ok: false, kind: 'gpadl-cap-exceeded' });
      // teardown gives the share back
      expect(gpadls.tearDown(handles[0])).toBe(true);
      expect(gpadls.create(1, 6, [4000]).ok).toBe(true);
    },
  );

  it('rule 12: refuses an empty page list, malformed pages and a reused guest GPADL id', () => {
    const { gpadls } = setup();
    expect(gpadls.create(1, 1, [])).toMatchObject({ ok: false, kind: 'empty-page-list' });
    expect(gpadls.create(1, 1, [1.5])).toMatchObject({ ok: false, kind: 'malformed-pfn' });
    expect(gpadls.create(1, 1, [-1])).toMatchObject({ ok: false, kind: 'malformed-pfn' });
    expect(gpadls.create(1, 1, [2 ** 41])).toMatchObject({ ok: false, kind: 'malformed-pfn' });
    expect(gpadls.create(1, 1, [10], { guestId: 2 ** 32 })).toMatchObject({
      ok: false,
      kind: 'malformed-gpadl-id',
    });
    expect(gpadls.create(1, 1, [10], { guestId: 77 }).ok).toBe(true);
    expect(gpadls.create(1, 2, [11], { guestId: 77 })).toMatchObject({
      ok: false,
      kind: 'duplicate-gpadl-id',
    });
    // the same id in another partition is that partition's own
    expect(gpadls.create(2, 2, [11], { guestId: 77 }).ok).toBe(true);
    expect(gpadls.create(9, 1, [10])).toMatchObject({ ok: false, kind: 'unknown-partition' });
    expect(gpadls.bytesInUse).toBe(2 * PAGE_SIZE);
  });

  it('rule 12: refuses a page outside the guest and records it as an isolation fault', () => {
    const { gpadls, faults, clock, memory } = setup();
    clock.now = 5_000_000;
    const outside = mibToPages(1024); // partition 2 has 1 GiB
    const r = gpadls.create(2, 3, [10, outside], { actor: 'vmbus' });
    expect(r).toMatchObject({ ok: false, kind: 'pfn-outside-guest' });
    expect(faults.recent()).toEqual([
      expect.objectContaining({
        time: 5_000_000,
        partition: 2,
        channel: 3,
        actor: 'vmbus',
        kind: 'pfn-outside-guest',
      }),
    ]);
    // a ballooned page is no longer the guest's memory either
    expect(memory.balloon(2, [{ start: 20, count: 1 }]).ok).toBe(true);
    expect(gpadls.create(2, 3, [20])).toMatchObject({ ok: false, kind: 'pfn-outside-guest' });
    expect(gpadls.bytesInUse).toBe(0);
  });

  it('accepts repeated pages, as openvmm and Linux do, and counts each entry against the cap', () => {
    const { gpadls } = setup();
    const r = gpadls.create(1, 1, [100, 100, 101]);
    expect(r).toMatchObject({ ok: true, byteLength: 3 * PAGE_SIZE });
    expect(gpadls.bytesInUse).toBe(3 * PAGE_SIZE);
  });

  it('maps a GPADL over one guest allocation to a direct view of its bytes (the ring fast path)', () => {
    const { gpadls, memory } = setup();
    const ring = memory.allocate(1, 66);
    if (!ring.ok) throw ring.error;
    const g = gpadls.create(1, 7, run(ring.value.pfn, 66), { guestId: 0xe1e10 });
    if (!g.ok) throw new Error(g.detail);
    expect(gpadls.info(g.handle)).toMatchObject({ contiguous: true, pages: 66, channel: 7 });
    const view = gpadls
      .portFor({ partition: 1, channel: 7, actor: 'hyperkata.storvsp' })
      .view(g.handle);
    if (!view.ok) throw new Error(view.detail);
    const direct = view.bytes;
    expect(direct).not.toBeNull();
    expect(direct?.buffer).toBe(ring.value.bytes?.buffer);
    ring.value.bytes?.set([1, 2, 3], 4096);
    expect([...(direct?.subarray(4096, 4099) ?? [])]).toEqual([1, 2, 3]);
    expect(gpadls.handleOf(1, 0xe1e10)).toBe(g.handle);
  });

  it('maps a non-contiguous page list page by page, in list order', () => {
    const { gpadls, memory } = setup();
    const buf = memory.allocate(1, 4);
    if (!buf.ok) throw buf.error;
    const b = buf.value.bytes;
    if (b === null) throw new Error('dense');
    for (let p = 0; p < 4; p++) b.fill(0x10 + p, p * PAGE_SIZE, (p + 1) * PAGE_SIZE);
    const pfns = [buf.value.pfn + 3, buf.value.pfn + 1, 77_777, buf.value.pfn];
    const g = gpadls.create(1, 1, pfns);
    if (!g.ok) throw new Error(g.detail);
    const view = gpadls.portFor({ partition: 1, channel: 1, actor: 't' }).view(g.handle);
    if (!view.ok) throw new Error(view.detail);
    expect(view.bytes).toBeNull();
    const dest = new Uint8Array(4);
    view.read(PAGE_SIZE - 2, dest);
    expect([...dest]).toEqual([0x13, 0x13, 0x11, 0x11]);
    view.read(2 * PAGE_SIZE, dest); // page 77777 was never touched
    expect([...dest]).toEqual([0, 0, 0, 0]);
    view.write(3 * PAGE_SIZE - 1, new Uint8Array([0xaa, 0xbb]));
    expect(b[0]).toBe(0xbb);
    const onUntouched = new Uint8Array(1);
    memory.readGuest(1, 77_777 * PAGE_SIZE + PAGE_SIZE - 1, onUntouched);
    expect(onUntouched[0]).toBe(0xaa);
  });

  it('pins shared pages: the guest can neither balloon nor free them until teardown', () => {
    const { gpadls, memory } = setup();
    const buf = memory.allocate(1, 8);
    if (!buf.ok) throw buf.error;
    const g = gpadls.create(1, 1, run(buf.value.pfn, 8));
    const loose = gpadls.create(1, 1, [3000]);
    if (!g.ok || !loose.ok) throw new Error('create failed');
    expect(memory.free(buf.value)).toMatchObject({
      ok: false,
      error: { kind: 'guest-memory-shared' },
    });
    expect(memory.balloon(1, [{ start: 3000, count: 1 }]).ok).toBe(false);
    expect(
      memory
        .partition(1)
        ?.chooseBalloonRanges(mibToPages(4096))
        .some((e) => e.start <= 3000 && 3000 < e.start + e.count),
    ).toBe(false);
    gpadls.tearDown(g.handle);
    gpadls.tearDown(loose.handle);
    expect(memory.free(buf.value).ok).toBe(true);
    expect(memory.balloon(1, [{ start: 3000, count: 1 }]).ok).toBe(true);
  });

  it('tears down a channel’s GPADLs on close, and all of a partition’s when it is deleted', () => {
    const { gpadls, memory } = setup();
    gpadls.create(1, 1, [100]);
    gpadls.create(1, 1, [101]);
    gpadls.create(1, 2, [102]);
    const other = gpadls.create(2, 1, [100]);
    expect(gpadls.tearDownChannel(1, 1)).toBe(2);
    expect(gpadls.count).toBe(2);
    memory.destroyPartition(1);
    expect(gpadls.list().map((g) => g.partition)).toEqual([2]);
    expect(gpadls.bytesInUse).toBe(PAGE_SIZE);
    if (other.ok) expect(gpadls.info(other.handle)?.partition).toBe(2);
  });
});
