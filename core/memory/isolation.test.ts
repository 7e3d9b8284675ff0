/**
 * The isolation boundary (HYPERV.md rules 12, 36–38): a VSP reaches guest memory only through a
 * GPADL view of its own channel or the grant of the GPA-direct packet it is handling. These
 * properties throw hostile offsets, lengths, handles and page lists at it.
 */
import { detail } from './isolation-details.js';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { GpadlTable } from './gpadl-table.js';
import { IsolationFaultLog } from './isolation-fault-log.js';
import { MemoryManager } from './memory-manager.js';
import { mibToPages, PAGE_SIZE } from './units.js';

const GUEST_PAGES = mibToPages(64);
const FILLED_PAGES = 16;

/** What guest page `pfn` holds at `offset` before anyone writes (the test's model). */
function pattern(pfn: number, offset: number): number {
  return (pfn * 31 + offset * 7 + 1) & 0xff;
}

function setup() {
  const memory = new MemoryManager({ memoryMiB: 4096, os: 'ws2019', rootReserveMiB: 512 });
  const faults = new IsolationFaultLog({ now: 0 });
  const gpadls = new GpadlTable(memory, faults);
  memory.createPartition({ partition: 1, startupPages: GUEST_PAGES });
  memory.createPartition({ partition: 2, startupPages: GUEST_PAGES });
  const filled = memory.allocate(1, FILLED_PAGES);
  if (!filled.ok || filled.value.bytes === null) throw new Error('allocation failed');
  const { pfn: base, bytes } = filled.value;
  for (let p = 0; p < FILLED_PAGES; p++) {
    for (let o = 0; o < PAGE_SIZE; o++) bytes[p * PAGE_SIZE + o] = pattern(base + p, o);
  }
  const expectedByte = (pfn: number, offset: number): number =>
    pfn >= base && pfn < base + FILLED_PAGES ? pattern(pfn, offset) : 0;
  return { memory, faults, gpadls, base, bytes, expectedByte };
}

/** Pages a guest may grant: some inside the filled allocation, some untouched. */
const guestPage = fc.oneof(
  fc.integer({ min: 0, max: FILLED_PAGES - 1 }).map((i) => ({ filled: i })),
  fc.integer({ min: 0, max: GUEST_PAGES - 1 }).map((pfn) => ({ pfn })),
);

/** Offsets and lengths a hostile guest could make a VSP use. */
const hostileInt = fc.oneof(
  fc.integer({ min: -10, max: 9 * PAGE_SIZE }),
  fc.constantFrom(-1, 2 ** 31, 2 ** 32, Number.MAX_SAFE_INTEGER, 0.5, NaN, Infinity),
);

/**
 * The oracle of a read: `length` bytes from `offset` of a `total`-byte grant into a `size`-byte
 * buffer succeed only when every number is a whole, non-negative one and both ends fit.
 */
function readFits(offset: number, length: number, size: number, total: number): boolean {
  return (
    Number.isSafeInteger(offset) &&
    Number.isSafeInteger(length) &&
    offset >= 0 &&
    length >= 0 &&
    length <= size &&
    offset + length <= total
  );
}
describe('isolation boundary', () => {
  it('rule 36: a VSP reading a GPADL sees exactly the granted bytes, or is refused and the fault recorded', () => {
    fc.assert(
      fc.property(
        fc.array(guestPage, { minLength: 1, maxLength: 8 }),
        hostileInt,
        hostileInt,
        (pages, offset, length) => {
          const { gpadls, faults, base, expectedByte } = setup();
          const pfns = pages.map((p) => ('filled' in p ? base + p.filled : p.pfn));
          const g = gpadls.create(1, 4, pfns);
          if (!g.ok) throw new Error(g.detail);
          const view = gpadls
            .portFor({ partition: 1, channel: 4, actor: 'hyperkata.fuzz' })
            .view(g.handle);
          if (!view.ok) throw new Error(view.detail);
          const size =
            Number.isSafeInteger(length) && length > 0 && length < 10 * PAGE_SIZE ? length : 16;
          const dest = new Uint8Array(size).fill(0xee);
          const inside = readFits(offset, length, size, pfns.length * PAGE_SIZE);
          const r = view.read(offset, dest, 0, length);
          expect(r.ok).toBe(inside);
          if (inside) {
            let wrong = 0;
            for (let i = 0; i < length; i++) {
              const at = offset + i;
              const pfn = pfns[Math.floor(at / PAGE_SIZE)];
              if (dest[i] !== expectedByte(pfn, at % PAGE_SIZE)) wrong++;
            }
            expect(wrong).toBe(0);
            expect(dest.subarray(length).every((b) => b === 0xee)).toBe(true);
            expect(faults.total).toBe(0);
          } else {
            expect(dest.every((b) => b === 0xee)).toBe(true);
            expect(faults.total).toBe(1);
            expect(faults.recent()[0]).toMatchObject({
              partition: 1,
              channel: 4,
              actor: 'hyperkata.fuzz',
              kind: 'offset-outside-gpadl',
            });
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('rule 36: a VSP writing through a GPADL changes only granted bytes, in this guest only', () => {
    fc.assert(
      fc.property(
        fc.array(guestPage, { minLength: 1, maxLength: 6 }),
        hostileInt,
        fc.uint8Array({ minLength: 0, maxLength: 3 * PAGE_SIZE }),
        (pages, offset, data) => {
          const { memory, gpadls, base, bytes } = setup();
          const pfns = pages.map((p) => ('filled' in p ? base + p.filled : p.pfn));
          const g = gpadls.create(1, 4, pfns);
          if (!g.ok) throw new Error(g.detail);
          const view = gpadls
            .portFor({ partition: 1, channel: 4, actor: 'hyperkata.fuzz' })
            .view(g.handle);
          if (!view.ok) throw new Error(view.detail);
          const before = bytes.slice();
          const r = view.write(offset, data);
          const granted = new Set(pfns);
          // filled pages not in the GPADL are untouched
          let changedOutside = 0;
          for (let i = 0; i < before.length; i++) {
            const pfn = base + Math.floor(i / PAGE_SIZE);
            if (!granted.has(pfn) && bytes[i] !== before[i]) changedOutside++;
          }
          expect(changedOutside).toBe(0);
          // the only pages that got bytes outside the allocation are granted ones
          const loose = memory.partition(1)?.bytes.loosePages() ?? [];
          expect(loose.every((pfn) => granted.has(pfn))).toBe(true);
          expect(memory.partition(2)?.bytes.backedBytes).toBe(0);
          if (!r.ok) expect(loose).toEqual([]);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('rule 12: a GPADL handle works only on its own channel of its own partition while it lives', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ partition: fc.constantFrom(1, 2), channel: fc.constantFrom(4, 5) }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.array(fc.integer({ min: -3, max: 12 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 5 }),
        (owners, asked, tornIndex) => {
          const { gpadls, faults } = setup();
          const made = owners.map((o, i) => {
            const g = gpadls.create(o.partition, o.channel, [100 + i]);
            if (!g.ok) throw new Error(g.detail);
            return { ...o, handle: g.handle };
          });
          const torn = made[tornIndex % made.length];
          gpadls.tearDown(torn.handle);
          const port = gpadls.portFor({ partition: 1, channel: 4, actor: 'hyperkata.fuzz' });
          let refused = 0;
          for (const handle of asked) {
            const owner = made.find((m) => m.handle === handle);
            const mine =
              owner !== undefined && owner !== torn && owner.partition === 1 && owner.channel === 4;
            const v = port.view(handle);
            expect(v.ok).toBe(mine);
            if (!v.ok) {
              refused++;
              const expectedKind =
                owner === undefined || owner === torn
                  ? 'unknown-gpadl'
                  : owner.partition !== 1
                    ? 'gpadl-of-other-partition'
                    : 'gpadl-of-other-channel';
              expect(v.kind).toBe(expectedKind);
            }
          }
          expect(faults.total).toBe(refused);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('rule 37: a GPA-direct packet grant covers only its ranges inside this guest, and only until completion', () => {
    const range = fc.record({
      byteOffset: fc.oneof(
        { arbitrary: fc.integer({ min: 0, max: PAGE_SIZE - 1 }), weight: 8 },
        { arbitrary: fc.constantFrom(PAGE_SIZE, -1), weight: 1 },
      ),
      byteCount: fc.oneof(
        { arbitrary: fc.integer({ min: 1, max: 2 * PAGE_SIZE }), weight: 8 },
        { arbitrary: fc.constantFrom(0, -5), weight: 1 },
      ),
      pfns: fc.array(
        fc.oneof(
          {
            arbitrary: fc.integer({ min: 0, max: FILLED_PAGES - 1 }).map((i) => ({ filled: i })),
            weight: 12,
          },
          {
            arbitrary: fc
              .integer({ min: GUEST_PAGES - 2, max: GUEST_PAGES + 2 })
              .map((pfn) => ({ pfn })),
            weight: 1,
          },
          { arbitrary: fc.constantFrom(-1, 1.5).map((pfn) => ({ pfn })), weight: 1 },
        ),
        { minLength: 0, maxLength: 4 },
      ),
    });
    // A well-formed range: offset inside the first page, pages enough for its bytes, all in the
    // guest. Half the packets are made of these, so the grant path is exercised on every seed
    // (the hostile ranges alone were valid in 30 of 300 draws on one unseeded run).
    const validRange = fc
      .record({
        byteOffset: fc.integer({ min: 0, max: PAGE_SIZE - 1 }),
        byteCount: fc.integer({ min: 1, max: 2 * PAGE_SIZE }),
      })
      .chain(({ byteOffset, byteCount }) => {
        const pages = Math.ceil((byteOffset + byteCount) / PAGE_SIZE);
        return fc
          .array(guestPage, { minLength: pages, maxLength: pages + 1 })
          .map((pfns) => ({ byteOffset, byteCount, pfns }));
      });
    const packets = fc.oneof(
      fc.array(validRange, { minLength: 1, maxLength: 3 }),
      fc.array(range, { minLength: 0, maxLength: 3 }),
    );
    let granted = 0;
    fc.assert(
      fc.property(packets, hostileInt, hostileInt, (ranges, offset, length) => {
        const { gpadls, faults, base, expectedByte } = setup();
        const packet = ranges.map((r) => ({
          byteOffset: r.byteOffset,
          byteCount: r.byteCount,
          pfns: r.pfns.map((p) => ('filled' in p ? base + p.filled : p.pfn)),
        }));
        const valid =
          packet.length > 0 &&
          packet.every(
            (r) =>
              r.byteOffset >= 0 &&
              r.byteOffset < PAGE_SIZE &&
              r.byteCount > 0 &&
              r.pfns.length >= Math.ceil((r.byteOffset + r.byteCount) / PAGE_SIZE) &&
              r.pfns
                .slice(0, Math.ceil((r.byteOffset + r.byteCount) / PAGE_SIZE))
                .every((pfn) => Number.isInteger(pfn) && pfn >= 0 && pfn < GUEST_PAGES),
          );
        const port = gpadls.portFor({ partition: 1, channel: 9, actor: 'hyperkata.storvsp' });
        const grant = port.grantPacket(packet);
        expect(grant.ok).toBe(valid);
        if (!grant.ok) {
          expect(['malformed-range', 'pfn-outside-guest']).toContain(grant.kind);
          expect(faults.total).toBe(1);
          return;
        }
        // the model: byte i of the grant is the i-th byte of the concatenated ranges
        const model: { pfn: number; at: number }[] = [];
        for (const r of packet) {
          for (let i = 0; i < r.byteCount; i++) {
            const at = r.byteOffset + i;
            model.push({ pfn: r.pfns[Math.floor(at / PAGE_SIZE)], at: at % PAGE_SIZE });
          }
        }
        expect(grant.byteLength).toBe(model.length);
        granted++;
        const size =
          Number.isSafeInteger(length) && length > 0 && length < 10 * PAGE_SIZE ? length : 16;
        const dest = new Uint8Array(size);
        const inside = readFits(offset, length, size, model.length);
        expect(grant.read(offset, dest, 0, length).ok).toBe(inside);
        if (inside) {
          let wrong = 0;
          for (let i = 0; i < length; i++) {
            const m = model[offset + i];
            if (dest[i] !== expectedByte(m.pfn, m.at)) wrong++;
          }
          expect(wrong).toBe(0);
        }
        grant.release();
        const late = grant.read(0, new Uint8Array(1));
        expect(late).toMatchObject({ ok: false, kind: 'grant-expired' });
      }),
      { numRuns: 300 },
    );
    // the well-formed half reaches the grant: ~150 of 300 draws
    expect(granted).toBeGreaterThan(100);
  });

  it('pins a packet’s pages while it is handled and records who was refused', () => {
    const { gpadls, memory, faults } = setup();
    const port = gpadls.portFor({ partition: 1, channel: 9, actor: 'hyperkata.storvsp' });
    const grant = port.grantPacket([{ byteOffset: 0, byteCount: 8192, pfns: [5000, 5001] }]);
    if (!grant.ok) throw new Error(grant.detail);
    expect(memory.balloon(1, [{ start: 5001, count: 1 }]).ok).toBe(false);
    grant.release();
    expect(memory.balloon(1, [{ start: 5001, count: 1 }]).ok).toBe(true);
    const refused = port.grantPacket([{ byteOffset: 0, byteCount: 10, pfns: [5001] }]);
    expect(refused).toMatchObject({
      ok: false,
      kind: 'pfn-outside-guest',
      actor: 'hyperkata.storvsp',
      partition: 1,
      channel: 9,
    });
    expect(faults.countFor(1)).toBe(1);
  });

  it('kills every view and grant of a deleted partition', () => {
    const { gpadls, memory } = setup();
    const g = gpadls.create(1, 4, [100]);
    if (!g.ok) throw new Error(g.detail);
    const port = gpadls.portFor({ partition: 1, channel: 4, actor: 'x' });
    const view = port.view(g.handle);
    const grant = port.grantPacket([{ byteOffset: 0, byteCount: 1, pfns: [200] }]);
    if (!view.ok || !grant.ok) throw new Error('setup');
    memory.destroyPartition(1);
    expect(view.read(0, new Uint8Array(1))).toMatchObject({ ok: false, kind: 'unknown-gpadl' });
    expect(grant.write(0, new Uint8Array(1))).toMatchObject({ ok: false, kind: 'grant-expired' });
    expect(port.view(g.handle).ok).toBe(false);
  });

  it('keeps exact totals but only the most recent records when a guest floods faults', () => {
    const faults = new IsolationFaultLog({ now: 0 }, 4);
    for (let i = 0; i < 10; i++)
      faults.record(
        { partition: 1, channel: i, actor: 'a' },
        'unknown-gpadl',
        detail('gpadl.unknown', { handle: i }),
      );
    expect(faults.total).toBe(10);
    expect(faults.recent().map((f) => f.channel)).toEqual([6, 7, 8, 9]);
    expect(faults.countsByKind()).toEqual([{ kind: 'unknown-gpadl', count: 10 }]);
  });
});
