/**
 * Hostile packets any guest could send, whatever the device class (rule 36: a guest controls the
 * descriptor, trans_id, flags, payload and page list): fast-check arbitraries.
 */
import fc from 'fast-check';
import type { GpaRange, VspPacket, VspPacketKind } from '../../../../core/vsp/types.js';

/**
 * trans_ids a guest may pick, including 0 and values past 32 bits; -1 is how the host marks one
 * it cannot represent exactly (beyond 2^53).
 *
 * @example
 * ```ts
 * fc.sample(hostileTransId(), 5);
 * ```
 */
export function hostileTransId(): fc.Arbitrary<number> {
  return fc.oneof(
    fc.integer({ min: 0, max: 1000 }),
    fc.constantFrom(0, -1, 0xffff_ffff, 2 ** 32, Number.MAX_SAFE_INTEGER),
  );
}

/**
 * Page ranges a guest may write into a GPA-direct descriptor: valid ones inside guest memory
 * (PFNs below `guestPages`), and ones with zero or huge byte counts, offsets past a page, too few
 * pages, PFNs outside the guest.
 *
 * @example
 * ```ts
 * fc.sample(hostileRange(4096), 3);
 * ```
 */
export function hostileRange(guestPages: number): fc.Arbitrary<GpaRange> {
  const pfn = fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0, max: guestPages - 1 }) },
    { weight: 1, arbitrary: fc.constantFrom(-1, guestPages, 2 ** 40) },
  );
  return fc.record({
    byteCount: fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 1, max: 65536 }) },
      { weight: 1, arbitrary: fc.constantFrom(0, -1, 2 ** 31, 2 ** 32 + 5) },
    ),
    byteOffset: fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 4095 }) },
      { weight: 1, arbitrary: fc.constantFrom(-1, 4096, 1_000_000) },
    ),
    pfns: fc.array(pfn, { minLength: 0, maxLength: 20 }),
  });
}

/**
 * A packet with every field hostile: any kind, trans_id, flag, payload and page list.
 * `payload` defaults to random bytes (up to 300).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(hostilePacket(4096), (p) => { h.deliver(channel, p); }));
 * ```
 */
export function hostilePacket(
  guestPages: number,
  payload: fc.Arbitrary<Uint8Array> = fc.uint8Array({ maxLength: 300 }),
): fc.Arbitrary<VspPacket> {
  return fc.record({
    kind: fc.constantFrom<VspPacketKind>('inband', 'gpa-direct', 'completion'),
    transId: hostileTransId(),
    completionRequested: fc.oneof(
      { weight: 4, arbitrary: fc.constant(true) },
      { weight: 1, arbitrary: fc.constant(false) },
    ),
    payload,
    ranges: fc.array(hostileRange(guestPages), { minLength: 0, maxLength: 3 }),
  });
}
