/**
 * Copy, then validate (HYPERV.md rule 36). Everything in guest-shared memory — ring indices,
 * descriptors, page lists, lengths, trans_ids — is guest-controlled and may change while the
 * host looks at it. A VSP that reads a length, checks it, then reads it again to use it can be
 * raced (a double fetch). These helpers copy the bytes into host memory first; validation and
 * use both see the copy, so a guest changing its memory afterwards changes nothing.
 */
import type { GrantedMemory } from './gpadl-view.js';
import type { GuestAccess, IsolationFault } from './isolation-fault-log.js';

/** A private host copy of guest bytes. */
export interface CopiedBytes {
  readonly ok: true;
  readonly bytes: Uint8Array;
}

/**
 * Copies `length` bytes at `offset` of a GPADL view or packet grant into a fresh host buffer.
 *
 * @example
 * ```ts
 * const copy = copyOut(view, descriptorOffset, 16);
 * if (!copy.ok) return;                       // refused and recorded
 * const len8 = new DataView(copy.bytes.buffer).getUint16(4, true);
 * // validate len8 on the copy; the guest rewriting its ring now changes nothing
 * ```
 */
export function copyOut(
  source: GrantedMemory,
  offset: number,
  length: number,
): CopiedBytes | IsolationFault {
  const bytes = new Uint8Array(Number.isSafeInteger(length) && length > 0 ? length : 0);
  const access = source.read(offset, bytes, 0, length);
  return access.ok ? { ok: true, bytes } : access;
}

/**
 * Copies into a host buffer the caller owns (no allocation: for per-packet paths). The buffer
 * must be the VSP's own, never a view of guest memory.
 */
export function copyOutInto(
  source: GrantedMemory,
  offset: number,
  dest: Uint8Array,
  destOffset = 0,
  length = dest.length - destOffset,
): GuestAccess {
  return source.read(offset, dest, destOffset, length);
}

/**
 * Copies the bytes, then runs `validate` on the copy and hands back both: what was validated is
 * exactly what the caller uses.
 *
 * @example
 * ```ts
 * const request = copyThenValidate(grant, 0, 64, parseSrb);
 * if (request.ok) execute(request.value);     // parseSrb saw request.bytes, nothing else
 * ```
 */
export function copyThenValidate<T>(
  source: GrantedMemory,
  offset: number,
  length: number,
  validate: (copy: Uint8Array) => T,
): { readonly ok: true; readonly value: T; readonly bytes: Uint8Array } | IsolationFault {
  const copy = copyOut(source, offset, length);
  if (!copy.ok) return copy;
  return { ok: true, value: validate(copy.bytes), bytes: copy.bytes };
}
