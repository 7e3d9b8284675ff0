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
  LINUX_BOOT,
  makeChild,
  makeHost,
  messagePath,
  post,
  RecordingSink,
  RecordingVpControl,
} from './test-fixtures.js';

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
