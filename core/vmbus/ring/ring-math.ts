/**
 * Pure index arithmetic of a VMBus ring. Indices are byte offsets into the data area
 * (rule 1); read == write means empty (rule 2).
 */

/** L: hyperv.h `hv_get_bytes_to_read` — bytes the writer has published and the reader not consumed. */
export function bytesToRead(writeIndex: number, readIndex: number, dataBytes: number): number {
  return writeIndex >= readIndex ? writeIndex - readIndex : dataBytes - readIndex + writeIndex;
}

/**
 * L: hyperv.h `hv_get_bytes_to_write` — the bytes not holding unread data. A write may use
 * strictly fewer than this (one slot always stays free, rule 2), see {@link writableBytes}.
 */
export function bytesToWrite(writeIndex: number, readIndex: number, dataBytes: number): number {
  return writeIndex >= readIndex ? dataBytes - (writeIndex - readIndex) : readIndex - writeIndex;
}

/**
 * The largest packet (descriptor + padded payload + trailer) a writer could put in the ring
 * now: {@link bytesToWrite} minus one 8-byte slot, because a write that made the indices
 * equal would make a full ring look empty. O: vmbus_ring `ring_free`.
 */
export function writableBytes(writeIndex: number, readIndex: number, dataBytes: number): number {
  return bytesToWrite(writeIndex, readIndex, dataBytes) - 8;
}

/** Rounds up to a multiple of 8 (packets and payloads are padded to 8 bytes, rule 3). */
export function align8(bytes: number): number {
  return (bytes + 7) & ~7;
}
