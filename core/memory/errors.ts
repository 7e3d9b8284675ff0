/**
 * Typed failures of the memory manager. Operations the host can be refused (no RAM left, a
 * full hypervisor pool, a guest balloon response naming pages it does not own) return a
 * {@link MemoryResult} carrying a {@link MemoryError}; nothing here throws on guest data.
 * Callers that treat a failure as fatal throw the error themselves.
 */
import { HyperkataError } from '../model/errors.js';

export type MemoryErrorKind =
  /** Host RAM cannot satisfy the request (the root reserve is never used for children). */
  | 'host-out-of-memory'
  /** The hypervisor's pool has too few deposited pages (T: HV_STATUS_INSUFFICIENT_MEMORY 0xB). */
  | 'hypervisor-pool-exhausted'
  /** The root asked to withdraw more pages than the pool holds unused. */
  | 'hypervisor-pool-in-use'
  | 'unknown-partition'
  | 'partition-exists'
  /** The guest's allocator found no free run of backed guest memory that large. */
  | 'guest-out-of-memory'
  /** A guest allocation cannot be freed while a GPADL still shares it. */
  | 'guest-memory-shared'
  /** A guest-supplied page range (balloon response) names pages the guest cannot give back. */
  | 'balloon-rejected'
  /** Hot-add or unballoon would take the guest past what it may have. */
  | 'over-maximum'
  /** A malformed request from host code (negative or fractional counts and similar). */
  | 'invalid-request';

/** A memory-manager failure; `kind` says which. */
export class MemoryError extends HyperkataError {
  declare readonly kind: MemoryErrorKind;

  constructor(kind: MemoryErrorKind, message: string) {
    super(kind, message);
    this.name = 'MemoryError';
  }

  static override is(value: unknown): value is MemoryError {
    return value instanceof MemoryError;
  }
}

/** Outcome of an operation that the host or the guest can be refused. */
export type MemoryResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: MemoryError };

/** Wraps a value as a successful {@link MemoryResult}. */
export function succeed<T>(value: T): MemoryResult<T> {
  return { ok: true, value };
}

/** Builds a failed {@link MemoryResult}. */
export function fail<T>(kind: MemoryErrorKind, message: string): MemoryResult<T> {
  return { ok: false, error: new MemoryError(kind, message) };
}
