/**
 * What a VSP holds to touch one GPADL of its channel. Every access is bounds-checked against
 * the GPADL's bytes and refused — with a recorded isolation fault, never an exception — when it
 * reaches outside them or the GPADL was torn down.
 */
import { detail } from './isolation-details.js';
import type { AccessVerb } from './isolation-details.js';
import type { GpadlRecord } from './gpadl.js';
import {
  ACCESS_OK,
  type FaultSite,
  type GuestAccess,
  type IsolationFault,
  type IsolationFaultLog,
} from './isolation-fault-log.js';

/** A window on guest memory a VSP may touch: a GPADL view or a GPA-direct packet grant. */
export interface GrantedMemory {
  /** Discriminates a window from an `IsolationFault`. */
  readonly ok: true;
  /** Bytes the window covers. */
  readonly byteLength: number;
  /** Copies `length` bytes (default: to the end of `dest`) at `offset` into `dest`. */
  read(offset: number, dest: Uint8Array, destOffset?: number, length?: number): GuestAccess;
  /** Copies `length` bytes (default: all of `src` from `srcOffset`) to `offset`. */
  write(offset: number, src: Uint8Array, srcOffset?: number, length?: number): GuestAccess;
}

/** A VSP's view of one GPADL of its own channel. */
export class GpadlView implements GrantedMemory {
  readonly ok = true;

  constructor(
    private readonly gpadl: GpadlRecord,
    private readonly site: FaultSite,
    private readonly log: IsolationFaultLog,
  ) {}

  /** The GPADL handle. */
  get handle(): number {
    return this.gpadl.handle;
  }

  /** Bytes the GPADL describes. */
  get byteLength(): number {
    return this.gpadl.byteLength;
  }

  /** Guest pages of the GPADL (a copy of the host's copy). */
  pfns(): number[] {
    return this.gpadl.pfns.slice();
  }

  /** False once torn down: every access is then refused. */
  get live(): boolean {
    return this.gpadl.live && this.gpadl.partition.alive;
  }

  /**
   * Direct bytes of the whole GPADL when its pages are one run in one dense guest allocation
   * (ring buffers): the fast path, no per-access checks. `null` otherwise or once torn down.
   * These are live guest bytes: copy before validating (rule 36).
   */
  get bytes(): Uint8Array | null {
    return this.live ? this.gpadl.contiguous : null;
  }

  read(
    offset: number,
    dest: Uint8Array,
    destOffset = 0,
    length = dest.length - destOffset,
  ): GuestAccess {
    const refused = this.check(offset, length, destOffset, dest.length, 'read');
    if (refused !== undefined) return refused;
    this.gpadl.read(offset, dest, destOffset, length);
    return ACCESS_OK;
  }

  write(
    offset: number,
    src: Uint8Array,
    srcOffset = 0,
    length = src.length - srcOffset,
  ): GuestAccess {
    const refused = this.check(offset, length, srcOffset, src.length, 'write');
    if (refused !== undefined) return refused;
    this.gpadl.write(offset, src, srcOffset, length);
    return ACCESS_OK;
  }

  private check(
    offset: number,
    length: number,
    hostOffset: number,
    hostLength: number,
    verb: AccessVerb,
  ): IsolationFault | undefined {
    if (!this.live) {
      return this.log.record(
        this.site,
        'unknown-gpadl',
        detail('gpadl.tornDown', { verb, handle: this.gpadl.handle }),
      );
    }
    if (!isRange(offset, length, this.gpadl.byteLength)) {
      return this.log.record(
        this.site,
        'offset-outside-gpadl',
        detail('gpadl.outside', {
          verb,
          length,
          offset,
          handle: this.gpadl.handle,
          size: this.gpadl.byteLength,
        }),
      );
    }
    if (!isRange(hostOffset, length, hostLength)) {
      return this.log.record(
        this.site,
        'offset-outside-gpadl',
        detail('hostBuffer.tooShort', { verb, length, hostLength, hostOffset }),
      );
    }
    return undefined;
  }
}

/** True when [offset, offset + length) is a valid byte range inside `size` bytes. */
export function isRange(offset: number, length: number, size: number): boolean {
  return (
    Number.isSafeInteger(offset) &&
    Number.isSafeInteger(length) &&
    offset >= 0 &&
    length >= 0 &&
    offset + length <= size
  );
}
