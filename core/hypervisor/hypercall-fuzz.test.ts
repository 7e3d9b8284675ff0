import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { HvCallCode, HYPERCALLS } from './call-codes.js';
import { decodeHypercallInput, type HypercallControl } from './hypercall-input.js';
import {
  HypercallOutcome,
  type HypercallParams,
  type HypercallRequest,
} from './hypercall-types.js';
import { HvStatus } from './status.js';
import { makeChild, makeHost } from './test-fixtures.js';

/** Hostile numbers: anything a field could hold. */
const anyNumber = fc.oneof(
  fc.integer(),
  fc.integer({ min: -2, max: 300 }),
  fc.constantFrom(-1, 0, 1, 0xffffff, 0x1000000, 0xffffffff, 2 ** 53, Number.NaN, Infinity, 0.5),
  fc.double(),
);
const anyBigInt = fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n });

function paramsFor(code: number): fc.Arbitrary<HypercallParams> {
  const C = HvCallCode;
  switch (code) {
    case C.FlushVirtualAddressSpace:
      return fc.record({
        code: fc.constant(C.FlushVirtualAddressSpace),
        addressSpace: anyBigInt,
        flags: anyNumber,
        processorMask: anyBigInt,
      });
    case C.FlushVirtualAddressList:
      return fc.record({
        code: fc.constant(C.FlushVirtualAddressList),
        addressSpace: anyBigInt,
        flags: anyNumber,
        processorMask: anyBigInt,
        gvaRanges: fc.array(anyBigInt, { maxLength: 8 }),
      });
    case C.NotifyLongSpinWait:
      return fc.record({ code: fc.constant(C.NotifyLongSpinWait), spinWaitCount: anyNumber });
    case C.CreatePartition:
      return fc.record({
        code: fc.constant(C.CreatePartition),
        flags: anyBigInt,
        compatibilityVersion: anyNumber,
        reserved: anyBigInt,
      });
    case C.InitializePartition:
    case C.FinalizePartition:
    case C.DeletePartition:
      return fc.record({
        code: fc.constant(code as typeof C.InitializePartition),
        partitionId: anyNumber,
      });
    case C.GetPartitionId:
      return fc.record({ code: fc.constant(C.GetPartitionId) });
    case C.GetPartitionProperty:
      return fc.record({
        code: fc.constant(C.GetPartitionProperty),
        partitionId: anyNumber,
        propertyCode: anyNumber,
      });
    case C.SetPartitionProperty:
      return fc.record({
        code: fc.constant(C.SetPartitionProperty),
        partitionId: anyNumber,
        propertyCode: anyNumber,
        value: anyBigInt,
      });
    case C.DepositMemory:
      return fc.record({
        code: fc.constant(C.DepositMemory),
        partitionId: anyNumber,
        gpaPageList: fc.array(anyNumber, { maxLength: 8 }),
      });
    case C.WithdrawMemory:
      return fc.record({ code: fc.constant(C.WithdrawMemory), partitionId: anyNumber });
    case C.InstallIntercept:
      return fc.record({
        code: fc.constant(C.InstallIntercept),
        partitionId: anyNumber,
        accessTypeMask: anyNumber,
        interceptType: anyNumber,
        parameters: anyNumber,
      });
    case C.CreateVp:
      return fc.record({
        code: fc.constant(C.CreateVp),
        partitionId: anyNumber,
        vpIndex: anyNumber,
        flags: anyBigInt,
      });
    case C.CreatePort:
      return fc.record({
        code: fc.constant(C.CreatePort),
        portPartitionId: anyNumber,
        portId: anyNumber,
        connectionPartitionId: anyNumber,
        portInfo: fc.record({
          portType: anyNumber,
          targetSint: anyNumber,
          targetVp: anyNumber,
          baseFlagNumber: anyNumber,
          flagCount: anyNumber,
        }),
      });
    case C.ConnectPort:
      return fc.record({
        code: fc.constant(C.ConnectPort),
        connectionPartitionId: anyNumber,
        connectionId: anyNumber,
        portPartitionId: anyNumber,
        portId: anyNumber,
        portType: anyNumber,
      });
    case C.DeletePort:
      return fc.record({
        code: fc.constant(C.DeletePort),
        portPartitionId: anyNumber,
        portId: anyNumber,
      });
    case C.DisconnectPort:
      return fc.record({
        code: fc.constant(C.DisconnectPort),
        connectionPartitionId: anyNumber,
        connectionId: anyNumber,
      });
    case C.PostMessage:
      return fc.record({
        code: fc.constant(C.PostMessage),
        connectionId: anyNumber,
        messageType: anyNumber,
        payloadSize: anyNumber,
        payload: fc.uint8Array({ maxLength: 300 }),
      });
    default:
      return fc.record({
        code: fc.constant(C.SignalEvent),
        connectionId: anyNumber,
        flagNumber: anyNumber,
      });
  }
}

const anyParams: fc.Arbitrary<HypercallParams> = fc
  .constantFrom(...HYPERCALLS.map((d) => d.code))
  .chain(paramsFor);

const anyControl = (code: fc.Arbitrary<number>): fc.Arbitrary<HypercallControl> =>
  fc.record({
    code,
    fast: fc.boolean(),
    repCount: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xfff }), anyNumber),
    repStartIndex: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xfff }), anyNumber),
    variableHeaderSize: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0x3ff })),
    reservedBitsSet: fc.boolean(),
  });

/** The hypercalls a default child may never make: they need a management privilege (rule 25). */
const ROOT_ONLY_CODES = [
  HvCallCode.CreatePartition,
  HvCallCode.InitializePartition,
  HvCallCode.FinalizePartition,
  HvCallCode.DeletePartition,
  HvCallCode.GetPartitionProperty,
  HvCallCode.SetPartitionProperty,
  HvCallCode.GetPartitionId,
  HvCallCode.DepositMemory,
  HvCallCode.WithdrawMemory,
  HvCallCode.InstallIntercept,
  HvCallCode.CreateVp,
  HvCallCode.CreatePort,
  HvCallCode.ConnectPort,
  HvCallCode.DeletePort,
  HvCallCode.DisconnectPort,
];

describe('hostile hypercall input (rules 23–25)', () => {
  it('rule 24/25: whatever a child puts in a root-only hypercall, the answer is ACCESS_DENIED', () => {
    const host = makeHost();
    const child = makeChild(host);
    makeChild(host);
    const rootOnly = fc.constantFrom(...ROOT_ONLY_CODES);
    fc.assert(
      fc.property(
        anyControl(rootOnly),
        fc.option(anyParams, { nil: undefined }),
        anyNumber,
        anyNumber,
        (control, params, inputGpa, outputGpa) => {
          const request: HypercallRequest = { control, cpl: 0, inputGpa, outputGpa, params };
          const r = host.hv.hypercall(child, 0, request);
          expect([r.outcome, r.status]).toEqual([
            HypercallOutcome.Completed,
            HvStatus.ACCESS_DENIED,
          ]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rule 23: from any CPL but 0 the same calls raise #UD, never a status', () => {
    const host = makeHost();
    const child = makeChild(host);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), anyParams, (cpl, params) => {
        const r = host.hv.hypercall(child, 0, {
          control: { code: params.code, fast: false, repCount: 0, repStartIndex: 0 },
          cpl,
          inputGpa: 0,
          outputGpa: 0,
          params,
        });
        expect(r.outcome).toBe(HypercallOutcome.UndefinedOpcode);
      }),
      { numRuns: 100 },
    );
  });

  it('rule 24: no input from any partition throws, and every answer is a known status', () => {
    const host = makeHost();
    const child = makeChild(host, { vps: 2 });
    const callers = [host.hv.root.id, child];
    const known = new Set<number>(Object.values(HvStatus));
    fc.assert(
      fc.property(
        fc.constantFrom(...callers),
        fc.oneof(
          anyControl(fc.constantFrom(...HYPERCALLS.map((d) => d.code))),
          fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(decodeHypercallInput),
        ),
        anyParams,
        fc.integer({ min: 0, max: 0x10000 }),
        (chosen, control, params, gpa) => {
          // Random root calls may finalize the child; then the root keeps calling.
          const caller = host.hv.vp(chosen, 0) === undefined ? host.hv.root.id : chosen;
          const r = host.hv.hypercall(caller, 0, {
            control,
            cpl: 0,
            inputGpa: gpa,
            outputGpa: gpa + 0x1000,
            params,
          });
          expect(known.has(r.status)).toBe(true);
          expect(Number.isInteger(r.costNs) && r.costNs > 0).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
