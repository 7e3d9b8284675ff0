import { describe, expect, it } from '@jest/globals';
import { encodeToBytes } from '../codec/hostile.test-support.js';
import {
  REQUEST_COMPLETION_FLAG,
  VmstorProtocolVersion,
  VstorNtStatus,
  VstorOperation,
} from './constants.js';
import {
  DEFAULT_STORVSP_CONFIG,
  storvscInitOnCompletion,
  storvscInitStart,
  storvspInitStep,
} from './init-sequence.js';
import type { StorvscInitState, StorvspConfig, StorvspInitState } from './init-sequence.js';
import { storvscMaxSubChannels } from './sizes.js';
import { createVmscsiRequest } from './srb.js';
import {
  decodeVstorHostMessage,
  decodeVstorRequest,
  encodeVstorHostMessage,
  encodeVstorRequest,
} from './vstor-messages.js';

interface Exchange {
  readonly operations: number[];
  readonly proposedVersions: number[];
  readonly guest: StorvscInitState;
  readonly host: StorvspInitState;
  readonly offeredSubChannels: number | undefined;
}

/** Runs storvsc against storvsp, every message through the byte codecs. */
function runInit(onlineCpus: number, config: StorvspConfig): Exchange {
  let step = storvscInitStart({ onlineCpus });
  let host: StorvspInitState = { phase: 'beginInitialization' };
  const operations: number[] = [];
  const proposedVersions: number[] = [];
  let offeredSubChannels: number | undefined;
  while (step.request !== undefined) {
    const wire = encodeToBytes(encodeVstorRequest, step.request, 64);
    operations.push(wire[0]);
    const parsed = decodeVstorRequest(wire, 0, wire.length);
    if (!parsed.ok) throw new Error(parsed.detail);
    if (parsed.value.kind === 'queryProtocolVersion')
      proposedVersions.push(parsed.value.majorMinor);
    expect(parsed.value.flags & REQUEST_COMPLETION_FLAG).toBe(REQUEST_COMPLETION_FLAG);
    const hostStep = storvspInitStep(host, parsed.value, config);
    host = hostStep.state;
    offeredSubChannels = hostStep.offerSubChannels ?? offeredSubChannels;
    if (hostStep.completion === undefined) throw new Error('init request dispatched to disk');
    const reply = encodeToBytes(
      encodeVstorHostMessage,
      {
        kind: 'completeIo',
        flags: 0,
        status: hostStep.completion.status,
        result: hostStep.completion.result,
      },
      64,
    );
    const back = decodeVstorHostMessage(reply, 0, reply.length, {
      completes: hostStep.completion.result.kind,
    });
    if (!back.ok || back.value.kind !== 'completeIo') throw new Error('bad completion');
    step = storvscInitOnCompletion(step.state, back.value);
  }
  return { operations, proposedVersions, guest: step.state, host, offeredSubChannels };
}

describe('rule 16: storage channel initialisation', () => {
  it('rule 16: BEGIN_INIT → QUERY_PROTOCOL_VERSION → QUERY_PROPERTIES → END_INIT → CREATE_SUB_CHANNELS', () => {
    const r = runInit(8, { ...DEFAULT_STORVSP_CONFIG, maxSubChannelCount: 7 });
    expect(r.operations).toEqual([
      VstorOperation.BEGIN_INITIALIZATION,
      VstorOperation.QUERY_PROTOCOL_VERSION,
      VstorOperation.QUERY_PROPERTIES,
      VstorOperation.END_INITIALIZATION,
      VstorOperation.CREATE_SUB_CHANNELS,
    ]);
    expect(r.guest.phase).toBe('ready');
    expect(r.guest.protocolVersion).toBe(VmstorProtocolVersion.WIN10);
    expect(r.host).toEqual({ phase: 'ready', protocolVersion: 0x0602, subChannelCount: 7 });
    expect(r.offeredSubChannels).toBe(7);
  });

  it('rule 16: falls back 6.2 → 6.0 → 5.1 when the host refuses newer versions', () => {
    const only51 = { ...DEFAULT_STORVSP_CONFIG, supportedVersions: [VmstorProtocolVersion.WIN8] };
    const r = runInit(2, only51);
    expect(r.proposedVersions).toEqual([0x0602, 0x0600, 0x0501]);
    expect(r.guest.protocolVersion).toBe(0x0501);
    // openvmm's storvsp stops at 6.0 (Blue): a Linux guest settles on 6.0 after one refusal.
    const upTo60 = {
      ...DEFAULT_STORVSP_CONFIG,
      supportedVersions: [0x0200, 0x0402, 0x0501, 0x0600],
    };
    expect(runInit(2, upTo60).proposedVersions).toEqual([0x0602, 0x0600]);
  });

  it('rule 16: gives up on a host that supports none of 6.2, 6.0, 5.1', () => {
    const r = runInit(2, {
      ...DEFAULT_STORVSP_CONFIG,
      supportedVersions: [VmstorProtocolVersion.WIN7],
    });
    expect(r.guest.phase).toBe('failed');
    expect(r.guest.failure).toBe('Obsolete Hyper-V version');
  });

  it('rule 16: asks for min(vCPUs − 1, max_channel_cnt) sub-channels and none on one vCPU', () => {
    expect(
      runInit(16, { ...DEFAULT_STORVSP_CONFIG, maxSubChannelCount: 3 }).guest.subChannelsRequested,
    ).toBe(3);
    expect(
      runInit(3, { ...DEFAULT_STORVSP_CONFIG, maxSubChannelCount: 8 }).guest.subChannelsRequested,
    ).toBe(2);
    const single = runInit(1, { ...DEFAULT_STORVSP_CONFIG, maxSubChannelCount: 8 });
    expect(single.operations).not.toContain(VstorOperation.CREATE_SUB_CHANNELS);
    expect(single.guest.phase).toBe('ready');
  });

  it('rule 16: CREATE_SUB_CHANNELS carries (vCPUs − 1) / 4 when the host offers one per 4 vCPUs', () => {
    for (const vcpus of [1, 4, 5, 8, 16, 64]) {
      const offered = storvscMaxSubChannels(vcpus);
      const r = runInit(vcpus, { ...DEFAULT_STORVSP_CONFIG, maxSubChannelCount: offered });
      expect(r.guest.subChannelsRequested).toBe(Math.floor((vcpus - 1) / 4));
    }
  });

  it('rule 16: the host completes out-of-order requests with INVALID_DEVICE_STATE and stays put', () => {
    const begin: StorvspInitState = { phase: 'beginInitialization' };
    const srb = { kind: 'executeSrb' as const, flags: 1, srb: createVmscsiRequest() };
    const early = storvspInitStep(begin, srb, DEFAULT_STORVSP_CONFIG);
    expect(early.completion?.status).toBe(VstorNtStatus.INVALID_DEVICE_STATE);
    expect(early.state).toBe(begin);
    expect(early.dispatchToDisk).toBe(false);
    const ready: StorvspInitState = { phase: 'ready', protocolVersion: 0x0602, subChannelCount: 0 };
    expect(storvspInitStep(ready, srb, DEFAULT_STORVSP_CONFIG).dispatchToDisk).toBe(true);
    expect(
      storvspInitStep(ready, { kind: 'beginInitialization', flags: 1 }, DEFAULT_STORVSP_CONFIG)
        .completion?.status,
    ).toBe(VstorNtStatus.INVALID_DEVICE_STATE);
  });

  it('refuses more sub-channels than announced with INVALID_PARAMETER', () => {
    const ready: StorvspInitState = { phase: 'ready', protocolVersion: 0x0602, subChannelCount: 0 };
    const step = storvspInitStep(
      ready,
      { kind: 'createSubChannels', flags: 1, subChannelCount: 9 },
      {
        ...DEFAULT_STORVSP_CONFIG,
        maxSubChannelCount: 8,
      },
    );
    expect(step.completion?.status).toBe(VstorNtStatus.INVALID_PARAMETER);
    expect(step.offerSubChannels).toBeUndefined();
  });

  it('announces no multi-channel support to a pre-Win8 protocol', () => {
    const step = storvspInitStep(
      { phase: 'queryProperties', protocolVersion: 0x0402 },
      { kind: 'queryProperties', flags: 1 },
      {
        ...DEFAULT_STORVSP_CONFIG,
        maxSubChannelCount: 8,
      },
    );
    expect(step.completion?.result).toEqual({
      kind: 'channelProperties',
      properties: { maxChannelCount: 0, flags: 0, maxTransferBytes: 0x40000 },
    });
  });
});
