/**
 * The 64-bit hypercall input value (RCX on x64) and result value (RAX).
 * T: hypercall-interface.md "Hypercall Inputs" / "Hypercall Outputs":
 *   15–0 call code, 16 fast, 26–17 variable header size (qwords), 31–27 RsvdZ,
 *   43–32 rep count, 47–44 RsvdZ, 59–48 rep start index, 63–60 RsvdZ.
 *   Result: 15–0 HV_STATUS, 43–32 reps completed.
 */

/** The decoded hypercall input value. */
export interface HypercallControl {
  readonly code: number;
  /** Register-based ("fast") calling convention. */
  readonly fast: boolean;
  /** Total reps (rep calls); must be 0 for simple calls. 12 bits. */
  readonly repCount: number;
  /** Next element to process (rep calls); must be 0 for simple calls. 12 bits. */
  readonly repStartIndex: number;
  /** Variable header size in qwords (10 bits); no modelled call accepts one. */
  readonly variableHeaderSize?: number;
  /** At least one reserved bit (31–27, 47–44, 63–60) is set: the input is invalid. */
  readonly reservedBitsSet?: boolean;
}

/** Largest rep count / rep start index the 12-bit fields hold. */
export const HV_MAX_REP_FIELD = 0xfff;

/** Builds the control for a simple call. */
export function simpleCall(code: number, fast = false): HypercallControl {
  return { code, fast, repCount: 0, repStartIndex: 0 };
}

/** Builds the control for a rep call. */
export function repCall(code: number, repCount: number, repStartIndex = 0): HypercallControl {
  return { code, fast: false, repCount, repStartIndex };
}

/** Encodes a control into the 64-bit hypercall input value. */
export function encodeHypercallInput(control: HypercallControl): bigint {
  return (
    BigInt(control.code & 0xffff) |
    (control.fast ? 1n << 16n : 0n) |
    (BigInt((control.variableHeaderSize ?? 0) & 0x3ff) << 17n) |
    (BigInt(control.repCount & HV_MAX_REP_FIELD) << 32n) |
    (BigInt(control.repStartIndex & HV_MAX_REP_FIELD) << 48n) |
    (control.reservedBitsSet === true ? 1n << 27n : 0n)
  );
}

const RESERVED_MASK = (0x1fn << 27n) | (0xfn << 44n) | (0xfn << 60n);

/** Decodes a raw 64-bit hypercall input value (any value is accepted; nothing throws). */
export function decodeHypercallInput(value: bigint): HypercallControl {
  const v = BigInt.asUintN(64, value);
  return {
    code: Number(v & 0xffffn),
    fast: ((v >> 16n) & 1n) === 1n,
    variableHeaderSize: Number((v >> 17n) & 0x3ffn),
    repCount: Number((v >> 32n) & 0xfffn),
    repStartIndex: Number((v >> 48n) & 0xfffn),
    reservedBitsSet: (v & RESERVED_MASK) !== 0n,
  };
}

/** Encodes the 64-bit hypercall result value (RAX). */
export function encodeHypercallResult(status: number, repsCompleted: number): bigint {
  return BigInt(status & 0xffff) | (BigInt(repsCompleted & HV_MAX_REP_FIELD) << 32n);
}
