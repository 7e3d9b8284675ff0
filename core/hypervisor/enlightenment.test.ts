import { describe, expect, it } from '@jest/globals';
import { HvCallCode } from './call-codes.js';
import { HvCpuidLeaf } from './cpuid.js';
import { EnlightenmentStep } from './enlightenment.js';
import { enlightenedBoot, LINUX_6_1_GUEST_OS_ID } from './guest-boot.js';
import { HypercallOutcome } from './hypercall-types.js';
import { HvMsr } from './msr.js';
import { HvStatus } from './status.js';
import { LINUX_BOOT, makeChild, makeHost, req } from './test-fixtures.js';

function ascii(...registers: number[]): string {
  const bytes = new Uint8Array(registers.length * 4);
  const view = new DataView(bytes.buffer);
  registers.forEach((r, i) => {
    view.setUint32(i * 4, r, true);
  });
  return String.fromCharCode(...bytes);
}

const spinWait = req({ code: HvCallCode.NotifyLongSpinWait, spinWaitCount: 1 });

describe('enlightened boot handshake (rule 27)', () => {
  it('rule 27: CPUID 0x40000000 says "Microsoft Hv" (max leaf ≥ 0x40000005) and 0x40000001 says "Hv#1"', () => {
    const host = makeHost();
    const child = makeChild(host, { boot: false });
    const vendor = host.hv.cpuid(child, 0, HvCpuidLeaf.VendorAndMaxFunction);
    expect(ascii(vendor.ebx, vendor.ecx, vendor.edx)).toBe('Microsoft Hv');
    expect(vendor.eax).toBeGreaterThanOrEqual(0x40000005);
    expect(ascii(host.hv.cpuid(child, 0, HvCpuidLeaf.Interface).eax)).toBe('Hv#1');
    expect(host.hv.cpuid(child, 0, HvCpuidLeaf.VersionAndFeatures).ecx >>> 31).toBe(1);
  });

  it('rule 27: CPUID 0x40000003 mirrors the partition privilege mask (EAX low half, EBX high half)', () => {
    const host = makeHost();
    const child = makeChild(host, { boot: false });
    const leaf = host.hv.cpuid(child, 0, HvCpuidLeaf.Features);
    const mask = host.hv.partition(child)?.privileges;
    expect([leaf.eax, leaf.ebx]).toEqual([mask?.low, mask?.high]);
    const rootLeaf = host.hv.cpuid(host.hv.root.id, 0, HvCpuidLeaf.Features);
    expect(rootLeaf.ebx & 1).toBe(1); // CreatePartitions (bit 32) only for the root
    expect(leaf.ebx & 1).toBe(0);
  });

  it('rule 27: before the hypercall page is enabled a hypercall raises #UD', () => {
    const host = makeHost();
    const child = makeChild(host, { boot: false });
    expect(host.hv.hypercall(child, 0, spinWait).outcome).toBe(HypercallOutcome.UndefinedOpcode);
  });

  it('rule 27: enabling the hypercall page before writing a guest OS id leaves the enable bit at zero', () => {
    const host = makeHost();
    const child = makeChild(host, { boot: false });
    host.hv.writeMsr(child, 0, HvMsr.HYPERCALL, (0x1000n << 12n) | 1n);
    const readBack = host.hv.readMsr(child, 0, HvMsr.HYPERCALL);
    expect(readBack.ok && readBack.value & 1n).toBe(0n);
    expect(host.hv.hypercall(child, 0, spinWait).outcome).toBe(HypercallOutcome.UndefinedOpcode);
  });

  it('rule 27: detect, write the guest OS id, enable the page — then hypercalls work and the guest is enlightened', () => {
    const host = makeHost();
    const child = makeChild(host, { boot: false });
    const state = host.hv.partition(child)?.enlightenment;
    expect(state?.missingSteps()).toEqual([
      EnlightenmentStep.DetectHypervisor,
      EnlightenmentStep.WriteGuestOsId,
      EnlightenmentStep.EnableHypercallPage,
    ]);
    host.hv.cpuid(child, 0, HvCpuidLeaf.Interface);
    host.hv.writeMsr(child, 0, HvMsr.GUEST_OS_ID, LINUX_6_1_GUEST_OS_ID);
    expect(state?.isEnlightened).toBe(false);
    host.hv.writeMsr(child, 0, HvMsr.HYPERCALL, (0x1000n << 12n) | 1n);
    expect(state?.isEnlightened).toBe(true);
    expect(state?.missingSteps()).toEqual([]);
    const r = host.hv.hypercall(child, 0, spinWait);
    expect([r.outcome, r.status]).toEqual([HypercallOutcome.Completed, HvStatus.SUCCESS]);
  });

  it('rule 27: clearing the guest OS id disables the hypercall page again', () => {
    const host = makeHost();
    const child = makeChild(host);
    host.hv.writeMsr(child, 0, HvMsr.GUEST_OS_ID, 0n);
    expect(host.hv.partition(child)?.enlightenment.isEnlightened).toBe(false);
    expect(host.hv.hypercall(child, 0, spinWait).outcome).toBe(HypercallOutcome.UndefinedOpcode);
  });

  it('rule 27: the boot script performs the steps in order and charges them to the VPs', () => {
    const host = makeHost();
    const child = makeChild(host, { vps: 2, boot: false });
    const r = enlightenedBoot(host.hv, child, LINUX_BOOT);
    expect(r.ok).toBe(true);
    expect([...r.costNsByVp.keys()]).toEqual([0, 1]);
    expect(host.hv.vp(child, 1)?.synic.enabled).toBe(true);
    expect(host.hv.partition(child)?.enlightenment.isEnlightened).toBe(true);
  });

  it('rule 27: a partition without AccessHypercallMsrs cannot finish the handshake (#GP)', () => {
    const host = makeHost();
    const created = host.winhv.createPartition();
    const id = created.partitionId;
    const mask = host.hv.partition(id)?.privileges.without(5); // AccessHypercallMsrs
    if (mask !== undefined) host.winhv.setPrivileges(id, mask);
    host.winhv.initializePartition(id);
    host.winhv.createVp(id, 0);
    const r = enlightenedBoot(host.hv, id, { ...LINUX_BOOT, sints: [] });
    expect(r.ok).toBe(false);
    expect(host.hv.partition(id)?.enlightenment.isEnlightened).toBe(false);
  });
});
