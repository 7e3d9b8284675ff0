/**
 * I/O port intercepts (rule 21). The root installs them for a child partition
 * (HvCallInstallIntercept); a child VP touching an intercepted port is suspended and an
 * HvMessageTypeX64IoPortIntercept message goes to the root's SINT0.
 * Types and parameters: T: datatypes/hv_intercept_type.md, hv_intercept_parameters.md;
 * O: hvdef HvInterceptType (X64IoPort 0x0, X64IoPortRange 0x11), access mask READ 1, WRITE 2.
 * Message layout: L/O hv_x64_intercept_message_header + hv_x64_io_port_intercept_message (packed).
 */
import type { MessageBuffer } from './message-buffer.js';

export const HvInterceptType = {
  X64IoPort: 0x00000000,
  X64Msr: 0x00000001,
  X64Cpuid: 0x00000002,
  Exception: 0x00000003,
  X64IoPortRange: 0x00000011,
} as const;

/** HV_INTERCEPT_ACCESS_TYPE_MASK bits. */
export const HvInterceptAccess = {
  Read: 0x1,
  Write: 0x2,
  Execute: 0x4,
} as const;

/** IoPortRange parameter: T: "IoPortRange.Base/End" — base in bits 15–0, end in bits 31–16. */
export function ioPortRangeParameter(base: number, end: number): number {
  return ((base & 0xffff) | ((end & 0xffff) << 16)) >>> 0;
}

/** The I/O port intercepts installed on one partition: a short list of inclusive ranges. */
export class IoPortInterceptTable {
  private readonly bases: number[] = [];
  private readonly ends: number[] = [];
  private readonly masks: number[] = [];

  get count(): number {
    return this.bases.length;
  }

  install(base: number, end: number, accessMask: number): void {
    this.bases.push(base);
    this.ends.push(end);
    this.masks.push(accessMask);
  }

  /**
   * Access mask intercepted for an access of `size` bytes at `port` (0 = not intercepted). Like
   * the VMX I/O bitmap, an access is caught when any of its bytes falls in an intercepted range.
   */
  lookup(port: number, size: number): number {
    const last = port + size - 1;
    let mask = 0;
    for (let i = 0; i < this.bases.length; i++) {
      if (port <= this.ends[i] && last >= this.bases[i]) mask |= this.masks[i];
    }
    return mask;
  }

  clear(): void {
    this.bases.length = 0;
    this.ends.length = 0;
    this.masks.length = 0;
  }
}

/** A child VP's I/O access, as the hypervisor sees it on the exit. */
export interface IoPortAccess {
  readonly port: number;
  /** 1, 2 or 4 bytes. */
  readonly size: number;
  /** OUT (true) or IN (false). */
  readonly write: boolean;
  /** RAX at the instruction (OUT data in the low bytes). */
  readonly rax: bigint;
  readonly rip: bigint;
  /** Length of the IN/OUT instruction, so the completion can advance RIP (1 or 2 bytes). */
  readonly instructionLength: number;
  /** CPL of the access (IOPL permitting); 0 when omitted. */
  readonly cpl?: number;
}

/** Payload size of hv_x64_io_port_intercept_message: 40-byte header + 88 bytes. */
export const IO_PORT_INTERCEPT_PAYLOAD_BYTES = 128;

/** Offsets inside the intercept payload (packed structs). */
export const IoPortInterceptLayout = {
  VP_INDEX: 0,
  INSTRUCTION_LENGTH: 4, // bits 3–0 (bits 7–4: CR8)
  ACCESS_TYPE: 5, // HV_X64_INTERCEPT_ACCESS_TYPE: 0 read, 1 write, 2 execute
  EXECUTION_STATE: 6, // u16: CPL bits 1–0, CR0.PE bit 2, CR0.AM bit 3, EFER.LMA bit 4, …
  CS_SEGMENT: 8, // base u64, limit u32, selector u16, attributes u16
  RIP: 24,
  RFLAGS: 32,
  PORT_NUMBER: 40,
  ACCESS_INFO: 42, // access size bits 2–0, string op bit 3, rep prefix bit 4
  INSTRUCTION_BYTE_COUNT: 43,
  RAX: 48,
  INSTRUCTION_BYTES: 56,
  DS_SEGMENT: 72,
  ES_SEGMENT: 88,
  RCX: 104,
  RSI: 112,
  RDI: 120,
} as const;

const EXECUTION_STATE_LONG_MODE = (1 << 2) | (1 << 4); // CR0.PE and EFER.LMA
const RFLAGS_IF = 0x202n; // reserved bit 1 + IF
const CS_LONG_MODE_CODE = { selector: 0x10, limit: 0xffffffff, attributes: 0xa09b };

/** Fills `buffer` with an HvMessageTypeX64IoPortIntercept payload for an access of VP `vpIndex`. */
export function writeIoPortInterceptPayload(
  buffer: MessageBuffer,
  vpIndex: number,
  access: IoPortAccess,
): void {
  const p = buffer.payload;
  p.fill(0, 0, IO_PORT_INTERCEPT_PAYLOAD_BYTES);
  const view = new DataView(p.buffer, p.byteOffset, IO_PORT_INTERCEPT_PAYLOAD_BYTES);
  const L = IoPortInterceptLayout;
  view.setUint32(L.VP_INDEX, vpIndex >>> 0, true);
  p[L.INSTRUCTION_LENGTH] = access.instructionLength & 0xf;
  p[L.ACCESS_TYPE] = access.write ? 1 : 0;
  view.setUint16(L.EXECUTION_STATE, EXECUTION_STATE_LONG_MODE | ((access.cpl ?? 0) & 3), true);
  view.setUint32(L.CS_SEGMENT + 8, CS_LONG_MODE_CODE.limit, true);
  view.setUint16(L.CS_SEGMENT + 12, CS_LONG_MODE_CODE.selector, true);
  view.setUint16(L.CS_SEGMENT + 14, CS_LONG_MODE_CODE.attributes, true);
  view.setBigUint64(L.RIP, BigInt.asUintN(64, access.rip), true);
  view.setBigUint64(L.RFLAGS, RFLAGS_IF, true);
  view.setUint16(L.PORT_NUMBER, access.port & 0xffff, true);
  p[L.ACCESS_INFO] = access.size & 0x7;
  view.setBigUint64(L.RAX, BigInt.asUintN(64, access.rax), true);
}

/** Reads back the fields a root-side handler (VMWP) needs from an intercept payload. */
export function readIoPortInterceptPayload(
  bytes: Uint8Array,
  offset: number,
): {
  vpIndex: number;
  port: number;
  size: number;
  write: boolean;
  rax: bigint;
  rip: bigint;
  instructionLength: number;
} {
  const view = new DataView(
    bytes.buffer,
    bytes.byteOffset + offset,
    IO_PORT_INTERCEPT_PAYLOAD_BYTES,
  );
  const L = IoPortInterceptLayout;
  return {
    vpIndex: view.getUint32(L.VP_INDEX, true),
    port: view.getUint16(L.PORT_NUMBER, true),
    size: bytes[offset + L.ACCESS_INFO] & 0x7,
    write: bytes[offset + L.ACCESS_TYPE] === 1,
    rax: view.getBigUint64(L.RAX, true),
    rip: view.getBigUint64(L.RIP, true),
    instructionLength: bytes[offset + L.INSTRUCTION_LENGTH] & 0xf,
  };
}

/**
 * The legacy I/O ports of a generation 1 VM's emulated devices (rule 21: IDE, PS/2, S3 video), in
 * standard PC/AT assignments. The root (VMWP) installs intercepts for these on Gen1 VMs only.
 * A generation 2 VM has no emulated devices, so nothing is installed and its accesses to these
 * ports are completed by the hypervisor as unclaimed (see {@link Hypervisor.ioPortAccess}).
 * The DEC 21140 legacy NIC is a PCI device whose I/O BAR the firmware assigns; the integrator
 * installs that range when it knows it.
 */
export const GEN1_EMULATED_DEVICE_PORTS: readonly {
  readonly device: string;
  readonly base: number;
  readonly end: number;
}[] = [
  { device: 'IDE primary channel', base: 0x1f0, end: 0x1f7 },
  { device: 'IDE primary control', base: 0x3f6, end: 0x3f6 },
  { device: 'IDE secondary channel', base: 0x170, end: 0x177 },
  { device: 'IDE secondary control', base: 0x376, end: 0x376 },
  // The PIIX4's bus-master IDE block (BMIBA, PCI BAR4): placed by the firmware; 0xFFA0 is the
  // model's placement (see core/root/vmwp/ide-ata.ts BMIDE_BASE).
  { device: 'IDE bus master (PIIX4 BMIDE)', base: 0xffa0, end: 0xffaf },
  { device: 'PS/2 controller data', base: 0x60, end: 0x60 },
  { device: 'PS/2 controller status/command', base: 0x64, end: 0x64 },
  { device: 'S3 VGA registers', base: 0x3b0, end: 0x3df },
];
