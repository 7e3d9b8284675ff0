/**
 * The synthetic APIC MSRs HV_X64_MSR_EOI/ICR/TPR (0x40000070–72) behind AccessIntrCtrlRegs
 * (privilege bit 4). T: feature-discovery.md; L: arch/x86/hyperv/hv_apic.c.
 */
import { describe, expect, it } from '@jest/globals';
import { HvCpuidLeaf } from './cpuid.js';
import { HYPERVISOR_CALLBACK_VECTOR } from './guest-boot.js';
import { HvMsr, SINT_AUTO_EOI, VMBUS_MESSAGE_SINT } from './msr.js';
import { DEFAULT_CHILD_PRIVILEGES, Privilege } from './privileges.js';
import { makeChild, makeHost, messagePath, post, type TestHost } from './test-fixtures.js';

/** L: hvgdk_mini.h HV_MSR_APIC_ACCESS_AVAILABLE — CPUID 0x40000003 EAX bit 4. */
const HV_MSR_APIC_ACCESS_AVAILABLE = 1 << 4;
const APIC_MSRS = [0x40000070, 0x40000071, 0x40000072];

/**
 * The root posts to the child's SINT2 (VMBus vector 0xf3) on connection 0x100. The child is a
 * Linux guest (auto-EOI on SINT2) unless `ownEoi`: then SINT2 is re-armed without auto-EOI, as a
 * guest that ends its interrupts with an EOI write does.
 */
function hostToGuest(ownEoi: boolean): { host: TestHost; child: number } {
  const host = makeHost();
  const child = makeChild(host);
  messagePath(host, { sender: host.hv.root.id, receiver: child, portId: 7, connectionId: 0x100 });
  if (ownEoi) {
    const sint = BigInt(HYPERVISOR_CALLBACK_VECTOR);
    expect(host.hv.writeMsr(child, 0, HvMsr.SINT0 + VMBUS_MESSAGE_SINT, sint).ok).toBe(true);
  }
  return { host, child };
}

/** An xAPIC-layout ICR (L: hv_apic_icr_write): destination APIC id in bits 63:56, fixed mode. */
function icr(vector: number, destination: number, shorthand = 0): bigint {
  return (BigInt(destination) << 56n) | BigInt((shorthand << 18) | vector);
}

describe('synthetic APIC MSRs (rules 25–27)', () => {
  it('rule 26: a child with AccessIntrCtrlRegs ends its in-service SINT interrupt by writing HV_X64_MSR_EOI', () => {
    const { host, child } = hostToGuest(true);
    const root = { partitionId: host.hv.root.id };
    post(host, root, { connectionId: 0x100, messageType: 1 });
    const apic = host.hv.vp(child, 0)?.apic;
    expect(host.sink.count(child, VMBUS_MESSAGE_SINT)).toBe(1);
    expect(apic?.isInService(HYPERVISOR_CALLBACK_VECTOR)).toBe(true);

    const eoi = host.hv.writeMsr(child, 0, HvMsr.EOI, 0n);
    expect(eoi.ok).toBe(true);
    expect(apic?.isInService(HYPERVISOR_CALLBACK_VECTOR)).toBe(false);
  });

  it('rule 26: the EOI write is also a trigger for the SynIC to deliver a queued message', () => {
    const { host, child } = hostToGuest(true);
    const root = { partitionId: host.hv.root.id };
    post(host, root, { connectionId: 0x100, messageType: 1 });
    post(host, root, { connectionId: 0x100, messageType: 2 }); // waits: the slot is busy
    const page = host.hv.vp(child, 0)?.synic.messagePage;
    page?.clearSlot(VMBUS_MESSAGE_SINT);
    expect(host.hv.writeMsr(child, 0, HvMsr.EOI, 0n).ok).toBe(true);
    expect(page?.messageType(VMBUS_MESSAGE_SINT)).toBe(2);
    expect(host.sink.count(child, VMBUS_MESSAGE_SINT)).toBe(2);
  });

  it('rule 26: a Linux guest arms its VMBus SINT with auto-EOI, so nothing stays in service', () => {
    const { host, child } = hostToGuest(false);
    const armed = host.hv.readMsr(child, 0, HvMsr.SINT0 + VMBUS_MESSAGE_SINT);
    expect(armed.ok && (armed.value & SINT_AUTO_EOI) !== 0n).toBe(true);
    post(host, { partitionId: host.hv.root.id }, { connectionId: 0x100, messageType: 1 });
    expect(host.sink.count(child, VMBUS_MESSAGE_SINT)).toBe(1);
    expect(host.hv.vp(child, 0)?.apic.isInService(HYPERVISOR_CALLBACK_VECTOR)).toBe(false);
  });

  it('rule 25: without AccessIntrCtrlRegs CPUID 0x40000003 EAX bit 4 is clear and EOI, ICR, TPR raise #GP', () => {
    const host = makeHost();
    const granted = makeChild(host, { boot: false });
    const id = host.winhv.createPartition().partitionId;
    host.winhv.setPrivileges(id, DEFAULT_CHILD_PRIVILEGES.without(Privilege.AccessIntrCtrlRegs));
    host.winhv.initializePartition(id);
    host.winhv.createVp(id, 0);
    expect(
      host.hv.cpuid(granted, 0, HvCpuidLeaf.Features).eax & HV_MSR_APIC_ACCESS_AVAILABLE,
    ).not.toBe(0);
    expect(host.hv.cpuid(id, 0, HvCpuidLeaf.Features).eax & HV_MSR_APIC_ACCESS_AVAILABLE).toBe(0);
    for (const msr of APIC_MSRS) {
      expect([host.hv.readMsr(id, 0, msr).ok, host.hv.writeMsr(id, 0, msr, 0n).ok]).toEqual([
        false,
        false,
      ]);
      expect([
        host.hv.readMsr(granted, 0, msr).ok,
        host.hv.writeMsr(granted, 0, msr, 0n).ok,
      ]).toEqual([true, true]);
    }
  });

  it('rule 27: HV_X64_MSR_TPR reads back the task priority, per VP, bits 7:0 only', () => {
    const host = makeHost();
    const child = makeChild(host, { vps: 2 });
    expect(host.hv.writeMsr(child, 0, HvMsr.TPR, 0x20n).ok).toBe(true);
    expect(host.hv.writeMsr(child, 1, HvMsr.TPR, 0x1_0000_0050n).ok).toBe(true);
    const read = (vp: number): bigint | false => {
      const r = host.hv.readMsr(child, vp, HvMsr.TPR);
      return r.ok && r.value;
    };
    expect([read(0), read(1)]).toEqual([0x20n, 0x50n]);
  });

  it('rule 27: an HV_X64_MSR_ICR write sends a fixed IPI to the named VP of the same partition only', () => {
    const host = makeHost();
    const child = makeChild(host, { vps: 3 });
    const other = makeChild(host, { vps: 3 });
    const command = icr(0x40, 2);
    expect(host.hv.writeMsr(child, 0, HvMsr.ICR, command).ok).toBe(true);
    const requested = (p: number, vp: number): boolean | undefined =>
      host.hv.vp(p, vp)?.apic.isRequested(0x40);
    expect([requested(child, 0), requested(child, 1), requested(child, 2)]).toEqual([
      false,
      false,
      true,
    ]);
    expect(requested(other, 2)).toBe(false);
    const read = host.hv.readMsr(child, 0, HvMsr.ICR);
    expect(read.ok && read.value).toBe(command);
  });

  it('rule 27: the "all excluding self" shorthand reaches every other VP of the partition', () => {
    const host = makeHost();
    const child = makeChild(host, { vps: 3 });
    expect(host.hv.writeMsr(child, 1, HvMsr.ICR, icr(0x41, 0, 3)).ok).toBe(true);
    const got = [0, 1, 2].map((vp) => host.hv.vp(child, vp)?.apic.isRequested(0x41));
    expect(got).toEqual([true, false, true]);
  });
});
