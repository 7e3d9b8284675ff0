import { describe, expect, it } from '@jest/globals';
import { HvCallCode } from './call-codes.js';
import { HvMsr } from './msr.js';
import {
  DEFAULT_CHILD_PRIVILEGES,
  PARTITION_PRIVILEGES,
  Privilege,
  PrivilegeMask,
  ROOT_PRIVILEGES,
} from './privileges.js';
import { HvStatus } from './status.js';
import { call, makeChild, makeHost, messagePath, post, rootOnlyCalls } from './test-fixtures.js';

describe('partition privileges (rule 25)', () => {
  it('rule 25: a default child has PostMessages and SignalEvents but none of the management privileges', () => {
    for (const bit of [
      Privilege.PostMessages,
      Privilege.SignalEvents,
      Privilege.AccessSynicRegs,
      Privilege.AccessHypercallMsrs,
    ]) {
      expect(DEFAULT_CHILD_PRIVILEGES.has(bit)).toBe(true);
    }
    for (const bit of [
      Privilege.CreatePartitions,
      Privilege.AccessMemoryPool,
      Privilege.AccessPartitionId,
      Privilege.CreatePort,
      Privilege.ConnectPort,
    ]) {
      expect(DEFAULT_CHILD_PRIVILEGES.has(bit)).toBe(false);
      expect(ROOT_PRIVILEGES.has(bit)).toBe(true);
    }
  });

  it('rule 25: a child calling any management hypercall gets ACCESS_DENIED; the root does not', () => {
    const host = makeHost();
    const child = makeChild(host);
    const other = makeChild(host);
    for (const [params, control] of rootOnlyCalls(other)) {
      expect({ code: params.code, status: call(host, child, 0, params, control).status }).toEqual({
        code: params.code,
        status: HvStatus.ACCESS_DENIED,
      });
    }
    const fromRoot = call(host, host.hv.root.id, 0, { code: HvCallCode.GetPartitionId });
    expect(fromRoot.status).toBe(HvStatus.SUCCESS);
    expect(fromRoot.outputPartitionId).toBe(host.hv.root.id);
  });

  it('rule 25: PostMessages gates HvCallPostMessage — a child stripped of it is refused', () => {
    const host = makeHost();
    const created = host.winhv.createPartition();
    const id = created.partitionId;
    host.winhv.setPrivileges(id, DEFAULT_CHILD_PRIVILEGES.without(Privilege.PostMessages));
    host.winhv.initializePartition(id);
    host.winhv.createVp(id, 0);
    const child = id;
    // (boot it by hand: makeChild would create a new partition)
    host.hv.cpuid(child, 0, 0x40000001);
    host.hv.writeMsr(child, 0, HvMsr.GUEST_OS_ID, 1n);
    host.hv.writeMsr(child, 0, HvMsr.HYPERCALL, (0x10n << 12n) | 1n);
    messagePath(host, { sender: child, receiver: host.hv.root.id, portId: 1, connectionId: 1 });
    expect(post(host, { partitionId: child }, { connectionId: 1, messageType: 1 }).status).toBe(
      HvStatus.ACCESS_DENIED,
    );
  });

  it('rule 25: privileges are an early property — settable before initialization only', () => {
    const host = makeHost();
    const child = makeChild(host);
    const r = host.winhv.setPrivileges(child, ROOT_PRIVILEGES);
    expect(r.status).toBe(HvStatus.INVALID_PARTITION_STATE);
    expect(host.hv.partition(child)?.privileges.has(Privilege.CreatePartitions)).toBe(false);
  });

  it('rule 25: SynIC MSRs need AccessSynicRegs (#GP without it)', () => {
    const host = makeHost();
    const created = host.winhv.createPartition();
    host.winhv.setPrivileges(
      created.partitionId,
      DEFAULT_CHILD_PRIVILEGES.without(Privilege.AccessSynicRegs),
    );
    host.winhv.initializePartition(created.partitionId);
    host.winhv.createVp(created.partitionId, 0);
    expect(host.hv.readMsr(created.partitionId, 0, HvMsr.SIMP).ok).toBe(false);
    expect(host.hv.readMsr(created.partitionId, 0, HvMsr.VP_INDEX).ok).toBe(true);
  });

  it('lists every privilege once, by bit, with a name and what it grants (for the UI)', () => {
    const bits = PARTITION_PRIVILEGES.map((p) => p.bit);
    expect(new Set(bits).size).toBe(bits.length);
    expect([...bits].sort((a, b) => a - b)).toEqual(bits);
    expect(PARTITION_PRIVILEGES.every((p) => p.description.length > 0)).toBe(true);
    const mask = PrivilegeMask.fromBits([Privilege.PostMessages, Privilege.AccessSynicRegs]);
    expect(mask.names()).toEqual(['AccessSynicRegs', 'PostMessages']);
    expect(PrivilegeMask.fromBigInt(mask.toBigInt())).toEqual(mask);
  });
});
