/**
 * The hypervisor CPUID leaves against the host release and against what the model implements
 * (rule 27): the build a guest reads in 0x40000002, and the 0x40000003 EDX feature bits a guest
 * may rely on.
 */
import { describe, expect, it } from '@jest/globals';
import { ConfigurationError, type HostOs } from '../model/index.js';
import { HvCpuidLeaf } from './cpuid.js';
import { enlightenedBoot, LINUX_6_1_GUEST_OS_ID } from './guest-boot.js';
import { Hypervisor } from './hypervisor.js';
import { HvMsr, SINT_POLLING } from './msr.js';
import { DEFAULT_CHILD_PRIVILEGES, Privilege } from './privileges.js';
import { HvStatus } from './status.js';
import {
  call,
  LINUX_BOOT,
  makeChild,
  makeHost,
  messagePath,
  post,
  RecordingSink,
  RecordingVpControl,
  simpleCall,
} from './test-fixtures.js';
import { HvCallCode } from './call-codes.js';

/** WS release information: the build of each Windows Server release (major.minor 10.0). */
const RELEASE_BUILD: Record<HostOs, number> = { ws2016: 14393, ws2019: 17763, ws2022: 20348 };
const HOSTS = Object.keys(RELEASE_BUILD) as HostOs[];
/** T: feature-discovery.md, 0x40000003 EDX. */
const EDX_SINT_POLLING = 1 << 17;
const EDX_HYPERCALL_MSR_LOCK = 1 << 18;
const EDX_GUEST_CRASH_MSRS = 1 << 10;
const EDX_XMM_HYPERCALL_INPUT = 1 << 4;
/** L: hvgdk_mini.h HV_X64_MSR_CRASH_P0. */
const HV_X64_MSR_CRASH_P0 = 0x40000100;
/**
 * What each 0x40000004 EAX recommendation steers a guest to (T: feature-discovery.md,
 * hypercalls/overview.md; L: hvgdk_mini.h HV_X64_ENLIGHTENMENT_INFORMATION and HVCALL_*, HV_X64_MSR_*;
 * the "Ex" calls take an HV_VP_SET). Bits that need no interface (5 relaxed timing, 9 deprecate
 * auto-EOI) have none.
 */
const RECOMMENDATION_INTERFACES: Record<number, { hypercalls: number[]; msrs: number[] }> = {
  0: { hypercalls: [0x0001], msrs: [] }, // address-space switch: HvCallSwitchVirtualAddressSpace
  1: { hypercalls: [0x0002, 0x0003], msrs: [] }, // local TLB flush
  2: { hypercalls: [0x0002, 0x0003], msrs: [] }, // remote TLB flush
  3: { hypercalls: [], msrs: [0x40000070, 0x40000071, 0x40000072] }, // HV_X64_MSR_EOI/ICR/TPR
  4: { hypercalls: [], msrs: [0x40000003] }, // system reset: HV_X64_MSR_RESET
  10: { hypercalls: [0x000b], msrs: [] }, // HvCallSendSyntheticClusterIpi
  11: { hypercalls: [0x0013, 0x0014, 0x0015], msrs: [] }, // Ex flush/IPI with HV_VP_SET
  14: { hypercalls: [], msrs: [0x40000073] }, // enlightened VMCS: HV_X64_MSR_VP_ASSIST_PAGE
};
/** What a real Hyper-V host reports in 0x40000004 EAX (Linux dmesg "Hyper-V: ... hints 0xc2c"). */
const HV_HOST_REPORTED_HINTS = 0xc2c;
/**
 * WS "Hyper-V maximum scale limits in Windows Server": virtual processors per (generation 2) VM
 * and logical processors per host, by host release.
 */
const PUBLISHED_LIMITS: Record<HostOs, { vps: number; lps: number }> = {
  ws2016: { vps: 240, lps: 512 },
  ws2019: { vps: 240, lps: 512 },
  ws2022: { vps: 1024, lps: 1024 },
};

describe('hypervisor CPUID leaves (rule 27)', () => {
  it.each(HOSTS)('rule 27: a %s host reports its own build, version 10.0, in 0x40000002', (os) => {
    const host = makeHost(4, os);
    const child = makeChild(host, { boot: false });
    const version = host.hv.cpuid(child, 0, HvCpuidLeaf.Version);
    expect(version.eax).toBe(RELEASE_BUILD[os]);
    expect([version.ebx >>> 16, version.ebx & 0xffff]).toEqual([10, 0]);
  });

  it('rule 27: a host built without a release is the scenario default, Windows Server 2019', () => {
    const host = makeHost(4);
    expect(host.hv.cpuid(host.hv.root.id, 0, HvCpuidLeaf.Version).eax).toBe(17763);
  });

  it.each(HOSTS)(
    "rule 27: the root OS of a %s host writes that release's identity to HV_X64_MSR_GUEST_OS_ID",
    (os) => {
      const host = makeHost(4, os);
      const id = host.hv.readMsr(host.hv.root.id, 0, HvMsr.GUEST_OS_ID);
      // T: proprietary encoding — bit 63 clear, vendor 0x0001 (Microsoft), build in bits 15–0.
      expect(id.ok && [id.value >> 63n, (id.value >> 48n) & 0x7fffn, id.value & 0xffffn]).toEqual([
        0n,
        1n,
        BigInt(RELEASE_BUILD[os]),
      ]);
    },
  );

  it.each(HOSTS)(
    'rule 27: 0x40000003 EDX on a %s host advertises SINT polling and the hypercall MSR lock, nothing else',
    (os) => {
      const host = makeHost(4, os);
      const child = makeChild(host, { boot: false });
      const edx = host.hv.cpuid(child, 0, HvCpuidLeaf.Features).edx;
      expect(edx & EDX_SINT_POLLING).not.toBe(0);
      expect(edx & EDX_HYPERCALL_MSR_LOCK).not.toBe(0);
      expect(edx & ~(EDX_SINT_POLLING | EDX_HYPERCALL_MSR_LOCK)).toBe(0);
      // The same bits for the root: EDX describes the hypervisor, not the partition's privileges.
      expect(host.hv.cpuid(host.hv.root.id, 0, HvCpuidLeaf.Features).edx).toBe(edx);
    },
  );

  it('rule 26: the advertised SINT polling mode works — a polled SINT gets the message, no interrupt', () => {
    const host = makeHost();
    const child = makeChild(host);
    expect(host.hv.cpuid(child, 0, HvCpuidLeaf.Features).edx & EDX_SINT_POLLING).not.toBe(0);
    const sint = 3;
    const w = host.hv.writeMsr(child, 0, HvMsr.SINT0 + sint, SINT_POLLING | 0x40n);
    expect(w.ok).toBe(true);
    messagePath(host, {
      sender: host.hv.root.id,
      receiver: child,
      portId: 7,
      connectionId: 7,
      sint,
    });
    const r = post(host, { partitionId: host.hv.root.id }, { connectionId: 7, messageType: 9 });
    expect(r.status).toBe(HvStatus.SUCCESS);
    expect(host.hv.vp(child, 0)?.synic.messagePage.isEmpty(sint)).toBe(false);
    expect(host.sink.count(child, sint)).toBe(0);
    // The same delivery to a SINT that is merely unmasked does interrupt the VP.
    host.hv.writeMsr(child, 0, HvMsr.SINT0 + 4, 0x41n);
    messagePath(host, {
      sender: host.hv.root.id,
      receiver: child,
      portId: 8,
      connectionId: 8,
      sint: 4,
    });
    post(host, { partitionId: host.hv.root.id }, { connectionId: 8, messageType: 9 });
    expect(host.sink.count(child, 4)).toBe(1);
  });

  it('rule 27: the advertised hypercall MSR lock works — a locked page cannot be moved', () => {
    const host = makeHost();
    const child = makeChild(host, { boot: false });
    expect(host.hv.cpuid(child, 0, HvCpuidLeaf.Features).edx & EDX_HYPERCALL_MSR_LOCK).not.toBe(0);
    host.hv.writeMsr(child, 0, HvMsr.GUEST_OS_ID, LINUX_6_1_GUEST_OS_ID);
    host.hv.writeMsr(child, 0, HvMsr.HYPERCALL, (0x1000n << 12n) | 0b11n); // enable + locked
    host.hv.writeMsr(child, 0, HvMsr.HYPERCALL, (0x2000n << 12n) | 0b01n);
    const read = host.hv.readMsr(child, 0, HvMsr.HYPERCALL);
    expect(read.ok && read.value >> 12n).toBe(0x1000n);
  });

  it('rule 27: features EDX leaves clear are really absent — crash MSRs raise #GP, no XMM input', () => {
    const host = makeHost();
    const child = makeChild(host);
    const edx = host.hv.cpuid(child, 0, HvCpuidLeaf.Features).edx;
    expect(edx & (EDX_GUEST_CRASH_MSRS | EDX_XMM_HYPERCALL_INPUT)).toBe(0);
    expect(host.hv.readMsr(child, 0, HV_X64_MSR_CRASH_P0).ok).toBe(false);
  });

  it.each(HOSTS)('rule 27: a guest completes the enlightened boot on a %s host', (os) => {
    const host = makeHost(4, os);
    const child = makeChild(host, { vps: 2, boot: false });
    const r = enlightenedBoot(host.hv, child, LINUX_BOOT);
    expect(r).toMatchObject({ ok: true });
    expect(host.hv.partition(child)?.enlightenment.isEnlightened).toBe(true);
    expect(host.hv.vp(child, 1)?.synic.enabled).toBe(true);
  });

  it('rule 27: the guest sets up the SynIC only if 0x40000003 EAX says its MSRs are available', () => {
    const host = makeHost();
    const id = host.winhv.createPartition().partitionId;
    host.winhv.setPrivileges(id, DEFAULT_CHILD_PRIVILEGES.without(Privilege.AccessSynicRegs));
    host.winhv.initializePartition(id);
    host.winhv.createVp(id, 0);
    expect(host.hv.cpuid(id, 0, HvCpuidLeaf.Features).eax & (1 << 2)).toBe(0);
    const r = enlightenedBoot(host.hv, id, LINUX_BOOT);
    expect(r.ok).toBe(false);
    // The guest read the bit and stopped; it did not try the SynIC MSRs and take a #GP.
    expect(r.failure).toMatch(/0x40000003/);
    expect(host.hv.partition(id)?.enlightenment.isEnlightened).toBe(true);
  });

  it.each(HOSTS)(
    "rule 40: 0x40000005 on a %s host reports the release's VPs per VM (EAX) and LPs (EBX)",
    (os) => {
      const host = makeHost(4, os);
      const child = makeChild(host, { boot: false });
      const limits = host.hv.cpuid(child, 0, HvCpuidLeaf.ImplementationLimits);
      expect([limits.eax, limits.ebx]).toEqual([
        PUBLISHED_LIMITS[os].vps,
        PUBLISHED_LIMITS[os].lps,
      ]);
      // What it reports is what the hypervisor enforces: the last VP index it names is creatable.
      expect(host.winhv.createVp(child, limits.eax - 1).status).toBe(HvStatus.SUCCESS);
      expect(host.winhv.createVp(child, limits.eax).status).toBe(HvStatus.INVALID_VP_INDEX);
    },
  );

  it.each(HOSTS)(
    'rule 27: no 0x40000004 hint on a %s host steers a guest to a hypercall or MSR the hypervisor lacks',
    (os) => {
      const host = makeHost(4, os);
      const child = makeChild(host, { vps: 2 });
      const hints = host.hv.cpuid(child, 0, HvCpuidLeaf.EnlightenmentInfo).eax;
      /** Asks the hypervisor itself whether the interfaces behind a hint answer. */
      const answers = (bit: number): boolean => {
        if (!(bit in RECOMMENDATION_INTERFACES)) return true; // a hint with no interface
        const codes = RECOMMENDATION_INTERFACES[bit].hypercalls;
        // A code the dispatcher lacks is INVALID_HYPERCALL_CODE whatever the input; an
        // implemented one fails later, on the missing parameters, if at all.
        const callsAnswer = codes.every(
          (code) =>
            host.hv.hypercall(child, 0, {
              control: simpleCall(code),
              cpl: 0,
              inputGpa: 0x3000,
              outputGpa: 0x4000,
            }).status !== HvStatus.INVALID_HYPERCALL_CODE,
        );
        // Read and write (value 0) from VP 1: an MSR that raises #GP either way is missing.
        const msrsAnswer = RECOMMENDATION_INTERFACES[bit].msrs.every(
          (msr) => host.hv.readMsr(child, 1, msr).ok && host.hv.writeMsr(child, 1, msr, 0n).ok,
        );
        return callsAnswer && msrsAnswer;
      };
      // Derived from the hypervisor: of a real host's hints, exactly those whose interfaces answer.
      let expected = 0;
      for (let bit = 0; bit < 32; bit++) {
        if (((HV_HOST_REPORTED_HINTS >>> bit) & 1) === 1 && answers(bit)) expected |= 1 << bit;
      }
      expect(hints >>> 0).toBe(expected >>> 0);
      // Still a Hyper-V host's hints: remote TLB flush by hypercall and APIC access by MSR.
      expect(hints & (1 << 2)).not.toBe(0);
      expect(hints & (1 << 3)).not.toBe(0);
    },
  );

  it('rule 27: a guest that follows the remote TLB flush hint flushes its other VPs by hypercall', () => {
    const host = makeHost();
    const child = makeChild(host, { vps: 2 });
    expect(host.hv.cpuid(child, 0, HvCpuidLeaf.EnlightenmentInfo).eax & (1 << 2)).not.toBe(0);
    // T: HvCallFlushVirtualAddressSpace, HV_FLUSH_ALL_PROCESSORS (flag bit 0).
    const r = call(host, child, 0, {
      code: HvCallCode.FlushVirtualAddressSpace,
      addressSpace: 0n,
      flags: 1,
      processorMask: 0n,
    });
    expect(r.status).toBe(HvStatus.SUCCESS);
  });

  it('refuses a host release the model does not know', () => {
    const bad: string = 'ws2012';
    expect(
      () =>
        new Hypervisor(
          { logicalProcessors: 4, hostOs: bad as HostOs },
          new RecordingSink(),
          new RecordingVpControl(),
        ),
    ).toThrow(ConfigurationError);
  });
});
