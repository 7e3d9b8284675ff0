/**
 * HV_STATUS values: the 16-bit result field of every hypercall.
 * T: hypercall-interface.md "Hypercall Status Codes"; values from L: include/hyperv/hvgdk_mini.h
 * and O: vm/hv1/hvdef (HvError).
 */
export const HvStatus = {
  SUCCESS: 0x0000,
  INVALID_HYPERCALL_CODE: 0x0002,
  INVALID_HYPERCALL_INPUT: 0x0003,
  INVALID_ALIGNMENT: 0x0004,
  INVALID_PARAMETER: 0x0005,
  ACCESS_DENIED: 0x0006,
  INVALID_PARTITION_STATE: 0x0007,
  OPERATION_DENIED: 0x0008,
  UNKNOWN_PROPERTY: 0x0009,
  PROPERTY_VALUE_OUT_OF_RANGE: 0x000a,
  INSUFFICIENT_MEMORY: 0x000b,
  INVALID_PARTITION_ID: 0x000d,
  INVALID_VP_INDEX: 0x000e,
  NOT_FOUND: 0x0010,
  INVALID_PORT_ID: 0x0011,
  INVALID_CONNECTION_ID: 0x0012,
  INSUFFICIENT_BUFFERS: 0x0013,
  INVALID_VP_STATE: 0x0015,
  INVALID_SYNIC_STATE: 0x0018,
  NO_RESOURCES: 0x001d,
} as const;

/** One of the {@link HvStatus} values. */
export type HvStatusCode = (typeof HvStatus)[keyof typeof HvStatus];

const NAMES = new Map<number, string>(
  Object.entries(HvStatus).map(([name, value]) => [value, `HV_STATUS_${name}`]),
);

/** `0x6` → `HV_STATUS_ACCESS_DENIED`; unknown values print in hex. */
export function hvStatusName(status: number): string {
  return NAMES.get(status) ?? `HV_STATUS_0x${status.toString(16).padStart(4, '0')}`;
}
