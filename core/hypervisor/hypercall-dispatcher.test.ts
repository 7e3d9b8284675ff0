import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { HvCallCode } from './call-codes.js';
import { HYPERCALL_TIME_BUDGET_NS } from './costs.js';
import {
  decodeHypercallInput,
  encodeHypercallInput,
  repCall,
  simpleCall,
  type HypercallControl,
} from './hypercall-input.js';
import { HypercallOutcome, type HypercallParams } from './hypercall-types.js';
import { HV_PARTITION_ID_SELF } from './limits.js';
import { HvStatus } from './status.js';
import { call, makeChild, makeHost, messagePath, req } from './test-fixtures.js';

const signalParams: HypercallParams = {
  code: HvCallCode.SignalEvent,
  connectionId: 1,
  flagNumber: 0,
};

function depositParams(pages: number[]): HypercallParams {
  return { code: HvCallCode.DepositMemory, partitionId: HV_PARTITION_ID_SELF, gpaPageList: pages };
}

function pageList(n: number, first = 0x5000): number[] {
  return Array.from({ length: n }, (_, i) => first + i);
}

describe('hypercall environment (rule 23)', () => {
  it('rule 23: a hypercall from CPL 3 raises #UD instead of running', () => {
    const host = makeHost();
    const child = makeChild(host);
    for (const cpl of [1, 2, 3]) {
      const r = host.hv.hypercall(child, 0, { ...req(signalParams), cpl });
      expect(r.outcome).toBe(HypercallOutcome.UndefinedOpcode);
    }
    expect(host.hv.partition(child)?.counters.hypercallFaults).toBe(3);
  });

  it('rule 23: input blocks must be 8-byte aligned and must not cross a page', () => {
    const host = makeHost();
    const child = makeChild(host);
    messagePath(host, { sender: child, receiver: host.hv.root.id, portId: 1, connectionId: 1 });
    const post: HypercallParams = {
      code: HvCallCode.PostMessage,
      connectionId: 1,
      messageType: 1,
      payloadSize: 0,
      payload: new Uint8Array(240),
    };
    const at = (inputGpa: number): number =>
      host.hv.hypercall(child, 0, { ...req(post), inputGpa }).status;
    expect(at(0x3004)).toBe(HvStatus.INVALID_ALIGNMENT); // not 8-byte aligned
    expect(at(0x3f08)).toBe(HvStatus.INVALID_ALIGNMENT); // 256 bytes from 0xf08 cross into the next page
    expect(at(0x3f00)).toBe(HvStatus.SUCCESS); // ends exactly at the page boundary
  });

  it('rule 23: a fast call passes its input in registers, so the input GPA is not checked', () => {
    const host = makeHost();
    const child = makeChild(host);
    const slow = host.hv.hypercall(child, 0, { ...req(signalParams), inputGpa: 0x3003 }).status;
    const fast = host.hv.hypercall(child, 0, {
      ...req(signalParams, simpleCall(HvCallCode.SignalEvent, true)),
      inputGpa: 0x3003,
    }).status;
    expect(slow).toBe(HvStatus.INVALID_ALIGNMENT);
    expect(fast).toBe(HvStatus.INVALID_CONNECTION_ID); // got past the alignment check
  });
});

describe('status codes and precedence (rule 24)', () => {
  it('rule 24: an unknown call code is INVALID_HYPERCALL_CODE (2)', () => {
    const host = makeHost();
    const child = makeChild(host);
    const r = host.hv.hypercall(child, 0, { ...req(signalParams), control: simpleCall(0x7777) });
    expect(r.status).toBe(2);
  });

  it('rule 24: rep count on a simple call, none on a rep call, start ≥ count, reserved bits → INVALID_HYPERCALL_INPUT (3)', () => {
    const host = makeHost();
    const root = host.hv.root.id;
    const cases: [HypercallParams, HypercallControl][] = [
      [signalParams, { ...simpleCall(HvCallCode.SignalEvent), repCount: 1 }],
      [signalParams, { ...simpleCall(HvCallCode.SignalEvent), repStartIndex: 1 }],
      [depositParams([1]), { ...repCall(HvCallCode.DepositMemory, 1), repCount: 0 }],
      [depositParams([1, 2]), repCall(HvCallCode.DepositMemory, 2, 2)],
      [signalParams, { ...simpleCall(HvCallCode.SignalEvent), reservedBitsSet: true }],
      [signalParams, { ...simpleCall(HvCallCode.SignalEvent), variableHeaderSize: 1 }],
      // PostMessage has 256 bytes of input: it cannot use the register ("fast") convention.
      [
        {
          code: HvCallCode.PostMessage,
          connectionId: 1,
          messageType: 1,
          payloadSize: 0,
          payload: new Uint8Array(0),
        },
        simpleCall(HvCallCode.PostMessage, true),
      ],
    ];
    for (const [params, control] of cases) {
      expect(call(host, root, 0, params, control).status).toBe(3);
    }
  });

  it('rule 24: ACCESS_DENIED (6) wins over every other fault of an unprivileged call', () => {
    const host = makeHost();
    const child = makeChild(host);
    const create: HypercallParams = {
      code: HvCallCode.CreatePartition,
      flags: 0n,
      compatibilityVersion: 0,
    };
    const wrong = { ...req(create), inputGpa: 0x3001, outputGpa: 0x3ffc };
    expect(host.hv.hypercall(child, 0, wrong).status).toBe(6); // not INVALID_ALIGNMENT
    const withReps = {
      ...req(create),
      control: { ...simpleCall(HvCallCode.CreatePartition), repCount: 7 },
    };
    expect(host.hv.hypercall(child, 0, withReps).status).toBe(6); // not INVALID_HYPERCALL_INPUT
    const noParams = {
      control: simpleCall(HvCallCode.DepositMemory, true),
      cpl: 0,
      inputGpa: 1,
      outputGpa: 1,
    };
    expect(host.hv.hypercall(child, 0, noParams).status).toBe(6); // not INVALID_PARAMETER
    // The root, holding the privilege, does get the precise error.
    expect(host.hv.hypercall(host.hv.root.id, 0, wrong).status).toBe(HvStatus.INVALID_ALIGNMENT);
  });

  it('rule 24: each status arises from its condition, with the published value', () => {
    const host = makeHost();
    const root = host.hv.root.id;
    const child = makeChild(host);
    const cases: [string, () => number, number][] = [
      [
        'INVALID_PARTITION_STATE: initializing an active partition',
        () =>
          call(host, root, 0, { code: HvCallCode.InitializePartition, partitionId: child }).status,
        0x7,
      ],
      [
        'INVALID_PARTITION_ID: naming a partition that does not exist',
        () => call(host, root, 0, { code: HvCallCode.FinalizePartition, partitionId: 999 }).status,
        0xd,
      ],
      [
        'INVALID_VP_INDEX: a VP index a VM cannot have',
        () =>
          call(host, root, 0, { code: HvCallCode.CreateVp, partitionId: child, vpIndex: 240 })
            .status,
        0xe,
      ],
      [
        'INVALID_CONNECTION_ID: signalling a connection never made',
        () => call(host, child, 0, { ...signalParams, connectionId: 0x4242 }).status,
        0x12,
      ],
      [
        'INSUFFICIENT_MEMORY: creating a partition with an empty root pool',
        () =>
          call(host, root, 0, {
            code: HvCallCode.CreatePartition,
            flags: 0n,
            compatibilityVersion: 0,
          }).status,
        0xb,
      ],
      [
        'INVALID_PARAMETER: a reserved field set',
        () =>
          call(host, root, 0, {
            code: HvCallCode.CreatePartition,
            flags: 0n,
            compatibilityVersion: 0,
            reserved: 1n,
          }).status,
        0x5,
      ],
      ['SUCCESS', () => call(host, root, 0, { code: HvCallCode.GetPartitionId }).status, 0x0],
    ];
    // Drain the root pool so the INSUFFICIENT_MEMORY case holds.
    host.winhv.withdrawAllPages(HV_PARTITION_ID_SELF);
    for (const [what, run, expected] of cases) {
      expect({ what, status: run() }).toEqual({ what, status: expected });
    }
  });
});

describe('rep calls (rule 22)', () => {
  it('rule 22: a long rep call stops near 50 µs with reps completed < rep count; re-issuing from there finishes it', () => {
    const host = makeHost();
    const root = host.hv.root.id;
    const pool = host.hv.root.pool;
    const before = pool.totalPages;
    const list = pageList(511);
    const first = call(host, root, 0, depositParams(list), repCall(HvCallCode.DepositMemory, 511));
    expect(first.outcome).toBe(HypercallOutcome.TimeSliced);
    expect(first.status).toBe(HvStatus.SUCCESS);
    expect(first.repsCompleted).toBeGreaterThan(0);
    expect(first.repsCompleted).toBeLessThan(511);
    expect(first.costNs).toBeLessThanOrEqual(HYPERCALL_TIME_BUDGET_NS);
    expect(pool.totalPages - before).toBe(first.repsCompleted);

    let start = first.repsCompleted;
    let calls = 1;
    for (;;) {
      const r = call(
        host,
        root,
        0,
        depositParams(list),
        repCall(HvCallCode.DepositMemory, 511, start),
      );
      calls++;
      expect(r.costNs).toBeLessThanOrEqual(HYPERCALL_TIME_BUDGET_NS);
      if (r.outcome === HypercallOutcome.Completed) {
        expect(r.repsCompleted).toBe(511); // counted from the start of the list, not from `start`
        break;
      }
      start = r.repsCompleted;
    }
    expect(calls).toBeGreaterThan(2);
    expect(pool.totalPages - before).toBe(511);
  });

  it('rule 22: the WinHv helper re-issues until done and sums the cost of every invocation', () => {
    const host = makeHost();
    const root = host.hv.root.id;
    const r = host.winhv.callUntilDone(
      root,
      0,
      req(depositParams(pageList(400)), repCall(HvCallCode.DepositMemory, 400)),
    );
    expect(r.status).toBe(HvStatus.SUCCESS);
    expect(r.repsCompleted).toBe(400);
    expect(r.hypercalls).toBeGreaterThan(1);
    expect(r.costNs).toBeGreaterThan(HYPERCALL_TIME_BUDGET_NS);
  });

  it('rule 22: reps completed counts from the list start: start 5, count 10 completes as 10', () => {
    const host = makeHost();
    const child = makeChild(host);
    const flush: HypercallParams = {
      code: HvCallCode.FlushVirtualAddressList,
      addressSpace: 0x1000n,
      flags: 0,
      processorMask: 1n,
      gvaRanges: Array.from({ length: 10 }, (_, i) => BigInt(i) << 12n),
    };
    const r = call(host, child, 0, flush, repCall(HvCallCode.FlushVirtualAddressList, 10, 5));
    expect(r.status).toBe(HvStatus.SUCCESS);
    expect(r.repsCompleted).toBe(10);
  });

  it('rule 22: a failing element stops the call with the reps done before it', () => {
    const host = makeHost();
    const list = [0x9000, 0x9001, 0x9002, -1, 0x9004];
    const r = call(
      host,
      host.hv.root.id,
      0,
      depositParams(list),
      repCall(HvCallCode.DepositMemory, 5),
    );
    expect(r.status).toBe(HvStatus.INVALID_PARAMETER);
    expect(r.repsCompleted).toBe(3);
  });

  it('rule 22: the 64-bit input value round-trips code, fast flag, rep count and start index', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.boolean(),
        fc.integer({ min: 0, max: 0xfff }),
        fc.integer({ min: 0, max: 0xfff }),
        (code, fast, repCount, repStartIndex) => {
          const control = { code, fast, repCount, repStartIndex };
          const decoded = decodeHypercallInput(encodeHypercallInput(control));
          expect(decoded).toEqual({ ...control, variableHeaderSize: 0, reservedBitsSet: false });
        },
      ),
    );
  });
});
