/**
 * Limits of the configuration that the game's controls need too, in a module without zod, so the
 * game's first download does not carry the schemas for them.
 */

/**
 * The largest ring a channel may have, KiB per direction. The guest shares both directions,
 * each with its header page, in one GPADL (rule 9), and one GPADL lists at most 8190 pages
 * (core/vmbus/control/gpadl-limits.ts): 2 × ⌈ringKiB / 4⌉ ≤ 8190.
 */
export const MAX_RING_KIB = 16_380;
