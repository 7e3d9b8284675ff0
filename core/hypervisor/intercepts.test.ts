import { describe, expect, it } from '@jest/globals';
import { HvCallCode } from './call-codes.js';
import {
  GEN1_EMULATED_DEVICE_PORTS,
  HvInterceptAccess,
  IO_PORT_INTERCEPT_PAYLOAD_BYTES,
  readIoPortInterceptPayload,
} from './intercepts.js';
import { HvMessageType } from './messages.js';
import { HV_SYNIC_INTERCEPTION_SINT } from './msr.js';
import { HvStatus } from './status.js';
import { VpRunState } from './virtual-processor.js';
import { call, makeChild, makeHost, type TestHost } from './test-fixtures.js';

const READ_WRITE = HvInterceptAccess.Read | HvInterceptAccess.Write;
const IDE_DATA = 0x1f0;

/** What VMWP does for a generation 1 VM: intercept every port of its emulated devices. */
function installGen1Devices(host: TestHost, partitionId: number): void {
  for (const range of GEN1_EMULATED_DEVICE_PORTS) {
    const r = host.winhv.installIoPortIntercept(partitionId, range.base, range.end, READ_WRITE);
    expect(r.status).toBe(HvStatus.SUCCESS);
  }
}

const outToIde = {
  port: IDE_DATA,
  size: 2,
  write: true,
  rax: 0x1234_abcdn,
  rip: 0xffff_8000_0010_0000n,
  instructionLength: 1,
};

describe('I/O intercepts to the root (rule 21)', () => {
  it('rule 21: a Gen1 VP touching an emulated IDE port is suspended and the root gets an X64IoPortIntercept on SINT0', () => {
    const host = makeHost();
    const child = makeChild(host, { vps: 2 });
    installGen1Devices(host, child);

    const r = host.hv.ioPortAccess(child, 1, outToIde);
    expect(r.kind).toBe('intercepted');
    expect(host.vpControl.events).toEqual([`suspend ${child}:1`]);
    expect(host.hv.vp(child, 1)?.runState).toBe(VpRunState.InterceptSuspended);

    const rootVp = r.kind === 'intercepted' ? r.rootVpIndex : -1;
    const page = host.hv.vp(host.hv.root.id, rootVp)?.synic.messagePage;
    expect(page?.messageType(HV_SYNIC_INTERCEPTION_SINT)).toBe(HvMessageType.X64IoPortIntercept);
    expect(page?.messageType(HV_SYNIC_INTERCEPTION_SINT)).toBe(0x80010000);
    expect(page?.payloadSize(HV_SYNIC_INTERCEPTION_SINT)).toBe(IO_PORT_INTERCEPT_PAYLOAD_BYTES);
    expect(page?.originLow(HV_SYNIC_INTERCEPTION_SINT)).toBe(child); // sender = the child partition
    const fields = readIoPortInterceptPayload(
      page?.bytes ?? new Uint8Array(4096),
      page?.payloadOffset(0) ?? 0,
    );
    expect(fields).toEqual({
      vpIndex: 1,
      port: IDE_DATA,
      size: 2,
      write: true,
      rax: 0x1234_abcdn,
      rip: outToIde.rip,
      instructionLength: 1,
    });
    expect(host.sink.count(host.hv.root.id, HV_SYNIC_INTERCEPTION_SINT)).toBe(1);
    expect(host.hv.partition(child)?.counters.interceptsDelivered).toBe(1);
  });

  it('rule 21: the root completes an IN: the value goes into RAX, RIP moves past the instruction, the VP resumes', () => {
    const host = makeHost();
    const child = makeChild(host);
    installGen1Devices(host, child);
    const inb = {
      port: 0x64,
      size: 1,
      write: false,
      rax: 0xaaaa_bbbb_cccc_dd00n,
      rip: 0x1000n,
      instructionLength: 1,
    };
    expect(host.hv.ioPortAccess(child, 0, inb).kind).toBe('intercepted');
    const done = host.hv.completeIoPortIntercept(child, 0, { value: 0x1c });
    expect(done).toMatchObject({ kind: 'completed', rax: 0xaaaa_bbbb_cccc_dd1cn, rip: 0x1001n });
    expect(host.vpControl.events).toEqual([`suspend ${child}:0`, `resume ${child}:0`]);
    expect(host.hv.vp(child, 0)?.runState).toBe(VpRunState.Runnable);
    // A 4-byte IN writes EAX, which zero-extends into RAX.
    host.hv.ioPortAccess(child, 0, { ...inb, port: IDE_DATA, size: 4 });
    expect(host.hv.completeIoPortIntercept(child, 0, { value: 0xdead_beef })).toMatchObject({
      rax: 0xdead_beefn,
    });
  });

  it('rule 21: a suspended VP cannot run another access, and a second completion is refused', () => {
    const host = makeHost();
    const child = makeChild(host);
    installGen1Devices(host, child);
    host.hv.ioPortAccess(child, 0, outToIde);
    expect(host.hv.ioPortAccess(child, 0, outToIde)).toMatchObject({
      kind: 'rejected',
      reason: 'vp-suspended',
    });
    host.hv.completeIoPortIntercept(child, 0);
    expect(host.hv.completeIoPortIntercept(child, 0)).toMatchObject({
      kind: 'rejected',
      reason: 'not-suspended',
    });
  });

  it('rule 21: a generation 2 VM has no emulated devices — its legacy port accesses reach no device model', () => {
    const host = makeHost();
    const gen2 = makeChild(host); // no intercepts installed: nothing emulated
    for (const range of GEN1_EMULATED_DEVICE_PORTS) {
      const r = host.hv.ioPortAccess(gen2, 0, {
        port: range.base,
        size: 1,
        write: false,
        rax: 0n,
        rip: 0x2000n,
        instructionLength: 1,
      });
      expect(r).toMatchObject({ kind: 'unclaimed', rax: 0xffn, rip: 0x2001n }); // empty bus reads all ones
    }
    expect(host.vpControl.events).toEqual([]);
    expect(host.hv.root.vp(0)?.synic.messagePage.messageType(HV_SYNIC_INTERCEPTION_SINT)).toBe(0);
    expect(host.hv.partition(gen2)?.counters.unclaimedIoAccesses).toBe(
      GEN1_EMULATED_DEVICE_PORTS.length,
    );
  });

  it('rule 21: an intercept covers only the directions asked for, and any byte of a wide access', () => {
    const host = makeHost();
    const child = makeChild(host);
    host.winhv.installIoPortIntercept(child, 0x70, 0x71, HvInterceptAccess.Write);
    const base = { size: 1, rax: 0n, rip: 0n, instructionLength: 1 };
    expect(host.hv.ioPortAccess(child, 0, { ...base, port: 0x70, write: false }).kind).toBe(
      'unclaimed',
    );
    expect(host.hv.ioPortAccess(child, 0, { ...base, port: 0x6f, size: 2, write: true }).kind).toBe(
      'intercepted',
    );
  });

  it('rule 21: intercept messages queue at the root while SINT0 holds one; EOM delivers the next', () => {
    const host = makeHost(1);
    const a = makeChild(host);
    const b = makeChild(host);
    installGen1Devices(host, a);
    installGen1Devices(host, b);
    host.hv.ioPortAccess(a, 0, outToIde);
    host.hv.ioPortAccess(b, 0, outToIde);
    const rootSynic = host.hv.root.vp(0)?.synic;
    expect(rootSynic?.messagePage.originLow(0)).toBe(a);
    expect(rootSynic?.messagePage.messagePending(0)).toBe(true);
    rootSynic?.messagePage.clearSlot(0);
    host.hv.endOfMessage(host.hv.root.id, 0);
    expect(rootSynic?.messagePage.originLow(0)).toBe(b);
  });

  it('rule 21: only the root installs intercepts (a child gets ACCESS_DENIED)', () => {
    const host = makeHost();
    const child = makeChild(host);
    const other = makeChild(host);
    const r = call(host, child, 0, {
      code: HvCallCode.InstallIntercept,
      partitionId: other,
      accessTypeMask: READ_WRITE,
      interceptType: 0,
      parameters: IDE_DATA,
    });
    expect(r.status).toBe(HvStatus.ACCESS_DENIED);
  });
});

describe('intercept buffers', () => {
  it('rule 21: a VP completed before the root read its message can intercept again without losing the first message', () => {
    const host = makeHost(1);
    const child = makeChild(host);
    installGen1Devices(host, child);
    const rootSynic = host.hv.root.vp(0)?.synic;
    // Fill the root's SINT0 slot with another child's message so ours stay queued.
    const other = makeChild(host);
    installGen1Devices(host, other);
    host.hv.ioPortAccess(other, 0, outToIde);
    host.hv.ioPortAccess(child, 0, { ...outToIde, port: 0x60, size: 1 });
    host.hv.completeIoPortIntercept(child, 0);
    host.hv.ioPortAccess(child, 0, { ...outToIde, port: 0x64, size: 1 });
    const ports: number[] = [];
    for (let i = 0; i < 3; i++) {
      const page = rootSynic?.messagePage;
      ports.push(
        readIoPortInterceptPayload(page?.bytes ?? new Uint8Array(4096), page?.payloadOffset(0) ?? 0)
          .port,
      );
      page?.clearSlot(0);
      host.hv.endOfMessage(host.hv.root.id, 0);
    }
    expect(ports).toEqual([IDE_DATA, 0x60, 0x64]);
  });
});

describe('malformed accesses', () => {
  it('rule 21: an access the hypervisor cannot have seen (bad size, port or length) is rejected, not thrown', () => {
    const host = makeHost();
    const child = makeChild(host);
    const base = { port: 0x60, size: 1, write: false, rax: 0n, rip: 0n, instructionLength: 1 };
    for (const bad of [
      { size: 3 },
      { port: 0xffff, size: 2 },
      { port: -1 },
      { instructionLength: Number.NaN },
      { instructionLength: 16 },
    ]) {
      expect(host.hv.ioPortAccess(child, 0, { ...base, ...bad })).toMatchObject({
        kind: 'rejected',
        reason: 'invalid-access',
      });
    }
  });
});
