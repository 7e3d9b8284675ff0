/**
 * The sizes the sandbox lets through one call (plugins/sandbox/limits.ts), enforced by the harness
 * too: natively nothing stops a 1 MiB completion, and a plugin's tests run natively, so without
 * this they would pass and the plugin fail in a level. Same words as the sandbox.
 */
import { MAX_GPADL_READ_BYTES, MAX_PAYLOAD_BYTES } from '../../sandbox/limits.js';

/** Throws, as the sandbox does, when `bytes` of `what` (e.g. `channel.complete: payload`) is too many. */
export function checkPayloadSize(what: string, bytes: number): void {
  if (bytes > MAX_PAYLOAD_BYTES)
    throw new RangeError(
      `${what} of ${String(bytes)} bytes is larger than the sandbox allows (${String(MAX_PAYLOAD_BYTES)} bytes)`,
    );
}

/** Throws, as the sandbox does, when one readGpadl asks for more than it copies in. */
export function checkGpadlReadSize(length: number): void {
  if (length > MAX_GPADL_READ_BYTES)
    throw new RangeError(
      `memory.readGpadl: a read of ${String(length)} bytes is larger than the sandbox allows (${String(MAX_GPADL_READ_BYTES)} bytes)`,
    );
}
