/**
 * GUIDs on the VMBus wire. Windows and Linux store a GUID as { u32 Data1; u16 Data2; u16 Data3;
 * u8 Data4[8] } in little-endian order, so the first three groups of the canonical string appear
 * byte-reversed and the last two in order (L: include/linux/uuid.h GUID_INIT; the older
 * hyperv.h spelled HV_SCSI_GUID {ba6163d9-04a1-4d29-b605-72e2ffb1dc7f} as the bytes
 * d9 63 61 ba a1 04 29 4d b6 05 72 e2 ff b1 dc 7f). The codec speaks lowercase canonical strings.
 */
import { VmbusControlError } from './errors.js';

/** Bytes one GUID takes on the wire. */
export const GUID_BYTES = 16;

const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * For each wire byte, where its two hex digits sit in the canonical string
 * `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (Data1..Data3 byte-reversed).
 */
const HEX_POSITION: readonly number[] = [6, 4, 2, 0, 11, 9, 16, 14, 19, 21, 24, 26, 28, 30, 32, 34];

const HEX_DIGITS = '0123456789abcdef';

/** True for a lowercase canonical GUID string. */
export function isCanonicalGuid(value: string): boolean {
  return CANONICAL.test(value);
}

/**
 * Writes `guid` (lowercase canonical) at `at`. Throws {@link VmbusControlError} for anything
 * else: GUIDs come from our own offers and device tables, never from the guest.
 */
export function writeGuid(bytes: Uint8Array, at: number, guid: string): void {
  if (!CANONICAL.test(guid)) {
    throw new VmbusControlError(`not a lowercase canonical GUID: ${JSON.stringify(guid)}`);
  }
  for (let i = 0; i < GUID_BYTES; i++) {
    bytes[at + i] = Number.parseInt(guid.slice(HEX_POSITION[i], HEX_POSITION[i] + 2), 16);
  }
}

/** Reads 16 wire bytes at `at` as a lowercase canonical GUID (any 16 bytes are a valid GUID). */
export function readGuid(bytes: Uint8Array, at: number): string {
  const chars = new Array<string>(36).fill('-');
  for (let i = 0; i < GUID_BYTES; i++) {
    const b = bytes[at + i];
    const p = HEX_POSITION[i];
    chars[p] = HEX_DIGITS[b >> 4];
    chars[p + 1] = HEX_DIGITS[b & 0x0f];
  }
  return chars.join('');
}
