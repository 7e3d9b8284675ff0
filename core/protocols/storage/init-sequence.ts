import { checkUint } from '../codec/bounds.js';
import {
  REQUEST_COMPLETION_FLAG,
  STORAGE_CHANNEL_SUPPORTS_MULTI_CHANNEL,
  STORVSC_PROTOCOL_PREFERENCE,
  VmstorProtocolVersion,
  VstorNtStatus,
} from './constants.js';
import type {
  VmstorageChannelProperties,
  VstorCompletionResult,
  VstorRequest,
} from './vstor-messages.js';

/**
 * The storage channel initialisation (HYPERV.md rule 16) as two pure step functions:
 * the guest's storvsc (L: storvsc_channel_init, handle_multichannel_storage) and the host's
 * storvsp (O: storvsp `process_primary` / `handle_packet`). Each step takes the current
 * state and the incoming message and returns the next state plus what to send.
 */

// ---------------------------------------------------------------- guest side (storvsc)

/** Where storvsc is in its initialisation. */
export type StorvscInitPhase =
  | 'beginInitialization'
  | 'queryProtocolVersion'
  | 'queryProperties'
  | 'endInitialization'
  | 'createSubChannels'
  | 'ready'
  | 'failed';

/** storvsc's initialisation state (plain data). */
export interface StorvscInitState {
  readonly phase: StorvscInitPhase;
  /** Index into {@link STORVSC_PROTOCOL_PREFERENCE} of the version being proposed. */
  readonly versionIndex: number;
  /** The accepted version (0 until one is accepted). */
  readonly protocolVersion: number;
  readonly properties: VmstorageChannelProperties | undefined;
  /** Online vCPUs (bounds the sub-channel request). */
  readonly onlineCpus: number;
  /** Sub-channels asked for with CREATE_SUB_CHANNELS (0 if none). */
  readonly subChannelsRequested: number;
  readonly failure: string | undefined;
}

/** A step's result: the next state and the request to send next, if any. */
export interface StorvscInitStep {
  readonly state: StorvscInitState;
  readonly request: VstorRequest | undefined;
}

/** The completion storvsc reads back: its NTSTATUS and payload. */
export interface VstorCompletionView {
  readonly status: number;
  readonly result: VstorCompletionResult;
}

const FLAGS = REQUEST_COMPLETION_FLAG;

/**
 * Starts storvsc's initialisation: sends BEGIN_INITIALIZATION.
 *
 * @example
 * let step = storvscInitStart({ onlineCpus: 8 });
 * // send step.request, feed the completion to storvscInitOnCompletion, repeat until ready
 */
export function storvscInitStart(input: { readonly onlineCpus: number }): StorvscInitStep {
  checkUint(input.onlineCpus, 0xffff, 'storvscInitStart.onlineCpus');
  return {
    state: {
      phase: 'beginInitialization',
      versionIndex: 0,
      protocolVersion: 0,
      properties: undefined,
      onlineCpus: input.onlineCpus,
      subChannelsRequested: 0,
      failure: undefined,
    },
    request: { kind: 'beginInitialization', flags: FLAGS },
  };
}

function fail(state: StorvscInitState, failure: string): StorvscInitStep {
  return { state: { ...state, phase: 'failed', failure }, request: undefined };
}

function proposeVersion(state: StorvscInitState, versionIndex: number): StorvscInitStep {
  return {
    state: { ...state, phase: 'queryProtocolVersion', versionIndex },
    request: {
      kind: 'queryProtocolVersion',
      flags: FLAGS,
      majorMinor: STORVSC_PROTOCOL_PREFERENCE[versionIndex],
      revision: 0,
    },
  };
}

/**
 * The sub-channels storvsc asks for: one per other online CPU, at most what the host offers
 * (L: handle_multichannel_storage — `num_sc = min(num_online_cpus() - 1, max_chns)`), and only
 * when the host set {@link STORAGE_CHANNEL_SUPPORTS_MULTI_CHANNEL}.
 */
export function storvscSubChannelRequest(
  onlineCpus: number,
  properties: VmstorageChannelProperties,
): number {
  if ((properties.flags & STORAGE_CHANNEL_SUPPORTS_MULTI_CHANNEL) === 0) return 0;
  return Math.max(0, Math.min(onlineCpus - 1, properties.maxChannelCount));
}

function afterEnd(state: StorvscInitState): StorvscInitStep {
  const properties = state.properties;
  const count =
    properties === undefined ? 0 : storvscSubChannelRequest(state.onlineCpus, properties);
  if (count === 0) return { state: { ...state, phase: 'ready' }, request: undefined };
  return {
    state: { ...state, phase: 'createSubChannels', subChannelsRequested: count },
    request: { kind: 'createSubChannels', flags: FLAGS, subChannelCount: count },
  };
}

/**
 * Feeds the completion of the last request to storvsc. A failed version proposal moves to the
 * next preferred version (6.2 → 6.0 → 5.1); running out of versions fails ("Obsolete Hyper-V
 * version", L). Any other non-success status fails initialisation, as in storvsc.
 */
export function storvscInitOnCompletion(
  state: StorvscInitState,
  completion: VstorCompletionView,
): StorvscInitStep {
  const ok = completion.status === VstorNtStatus.SUCCESS;
  switch (state.phase) {
    case 'beginInitialization':
      return ok ? proposeVersion(state, 0) : fail(state, 'BEGIN_INITIALIZATION failed');
    case 'queryProtocolVersion': {
      if (ok) {
        return {
          state: {
            ...state,
            phase: 'queryProperties',
            protocolVersion: STORVSC_PROTOCOL_PREFERENCE[state.versionIndex],
          },
          request: { kind: 'queryProperties', flags: FLAGS },
        };
      }
      const next = state.versionIndex + 1;
      return next < STORVSC_PROTOCOL_PREFERENCE.length
        ? proposeVersion(state, next)
        : fail(state, 'Obsolete Hyper-V version');
    }
    case 'queryProperties': {
      if (!ok || completion.result.kind !== 'channelProperties') {
        return fail(state, 'QUERY_PROPERTIES failed');
      }
      return {
        state: { ...state, phase: 'endInitialization', properties: completion.result.properties },
        request: { kind: 'endInitialization', flags: FLAGS },
      };
    }
    case 'endInitialization':
      return ok ? afterEnd(state) : fail(state, 'END_INITIALIZATION failed');
    case 'createSubChannels':
      // L: a failed CREATE_SUB_CHANNELS only logs; the primary channel keeps working.
      return {
        state: {
          ...state,
          phase: 'ready',
          subChannelsRequested: ok ? state.subChannelsRequested : 0,
        },
        request: undefined,
      };
    case 'ready':
    case 'failed':
      return { state, request: undefined };
  }
}

/** The storage protocol's name of the request each waiting phase sent (Linux's VSTOR_OPERATION_*). */
const OPERATION_OF_PHASE: Readonly<Partial<Record<StorvscInitPhase, string>>> = {
  beginInitialization: 'BEGIN_INITIALIZATION',
  queryProtocolVersion: 'QUERY_PROTOCOL_VERSION',
  queryProperties: 'QUERY_PROPERTIES',
  endInitialization: 'END_INITIALIZATION',
};

/**
 * The host did not answer the request of `state`'s phase in time (`timeoutSeconds`). A step of the
 * channel's initialisation fails it, naming the request (L: storvsc_execute_vstor_op returns
 * -ETIMEDOUT; storvsc_channel_init, then storvsc_probe fail: the disk never appears). An
 * unanswered CREATE_SUB_CHANNELS only costs the subchannels (L: handle_multichannel_storage,
 * "Failed to create sub-channel: timed out"): the primary channel is ready alone.
 *
 * @example
 * storvscInitOnTimeout(storvscInitStart({ onlineCpus: 2 }).state, 5).state.failure;
 * // 'BEGIN_INITIALIZATION: no answer from the host in 5 s (-ETIMEDOUT)'
 */
export function storvscInitOnTimeout(
  state: StorvscInitState,
  timeoutSeconds: number,
): StorvscInitStep {
  if (state.phase === 'createSubChannels')
    return { state: { ...state, phase: 'ready', subChannelsRequested: 0 }, request: undefined };
  const operation = OPERATION_OF_PHASE[state.phase];
  if (operation === undefined) return { state, request: undefined };
  return fail(
    state,
    `${operation}: no answer from the host in ${timeoutSeconds.toString()} s (-ETIMEDOUT)`,
  );
}

// ---------------------------------------------------------------- host side (storvsp)

/** Where storvsp is with one controller's primary channel. */
export type StorvspInitState =
  | { readonly phase: 'beginInitialization' }
  | { readonly phase: 'queryProtocolVersion' }
  | { readonly phase: 'queryProperties'; readonly protocolVersion: number }
  | {
      readonly phase: 'endInitialization';
      readonly protocolVersion: number;
      /** `undefined` while sub-channels may still be requested. */
      readonly subChannelCount: number | undefined;
    }
  | { readonly phase: 'ready'; readonly protocolVersion: number; readonly subChannelCount: number };

/** What storvsp offers. */
export interface StorvspConfig {
  /** Versions it accepts (O: storvsp `Version::parse`). */
  readonly supportedVersions: readonly number[];
  /** `max_channel_cnt` it announces. */
  readonly maxSubChannelCount: number;
  /** `max_transfer_bytes` it announces. O: storvsp answers 0x40000 (256 KiB). */
  readonly maxTransferBytes: number;
}

/** A storvsp default: every version up to 6.2, 256 KiB transfers. */
export const DEFAULT_STORVSP_CONFIG: StorvspConfig = Object.freeze({
  supportedVersions: Object.freeze([
    VmstorProtocolVersion.WIN6,
    VmstorProtocolVersion.WIN7,
    VmstorProtocolVersion.WIN8,
    VmstorProtocolVersion.WIN8_1,
    VmstorProtocolVersion.WIN10,
  ]),
  maxSubChannelCount: 0,
  maxTransferBytes: 0x40000,
});

/** What storvsp does with one request. */
export interface StorvspStep {
  readonly state: StorvspInitState;
  /** The completion to send (`undefined` when the request goes to the disk instead). */
  readonly completion: VstorCompletionView | undefined;
  /** Set when the request is an EXECUTE_SRB for the I/O path. */
  readonly dispatchToDisk: boolean;
  /** Set when sub-channels must be offered over VMBus (O: `enable_subchannels`). */
  readonly offerSubChannels: number | undefined;
}

const NONE: VstorCompletionResult = Object.freeze({ kind: 'none' });

function reply(
  state: StorvspInitState,
  status: number,
  result: VstorCompletionResult = NONE,
  offerSubChannels?: number,
): StorvspStep {
  return { state, completion: { status, result }, dispatchToDisk: false, offerSubChannels };
}

function outOfOrder(state: StorvspInitState): StorvspStep {
  return reply(state, VstorNtStatus.INVALID_DEVICE_STATE);
}

function createSubChannels(
  state: StorvspInitState,
  count: number,
  config: StorvspConfig,
  next: StorvspInitState,
): StorvspStep {
  if (count > config.maxSubChannelCount) return reply(state, VstorNtStatus.INVALID_PARAMETER);
  return reply(next, VstorNtStatus.SUCCESS, NONE, count);
}

function readyStep(
  state: Extract<StorvspInitState, { phase: 'ready' }>,
  request: VstorRequest,
  config: StorvspConfig,
): StorvspStep {
  switch (request.kind) {
    case 'executeSrb':
      return { state, completion: undefined, dispatchToDisk: true, offerSubChannels: undefined };
    case 'resetLun':
    case 'resetAdapter':
    case 'resetBus':
      return reply(state, VstorNtStatus.SUCCESS); // O: "These operations have always been no-ops."
    case 'createSubChannels':
      return createSubChannels(state, request.subChannelCount, config, {
        ...state,
        subChannelCount: request.subChannelCount,
      });
    default:
      return outOfOrder(state);
  }
}

/**
 * One request through storvsp's primary-channel state machine. Out-of-order requests are
 * completed with INVALID_DEVICE_STATE, unsupported versions with REVISION_MISMATCH and the
 * state stays put, as in openvmm's storvsp.
 *
 * @example
 * let host: StorvspInitState = { phase: 'beginInitialization' };
 * const step = storvspInitStep(host, request, DEFAULT_STORVSP_CONFIG);
 */
export function storvspInitStep(
  state: StorvspInitState,
  request: VstorRequest,
  config: StorvspConfig,
): StorvspStep {
  switch (state.phase) {
    case 'beginInitialization':
      return request.kind === 'beginInitialization'
        ? reply({ phase: 'queryProtocolVersion' }, VstorNtStatus.SUCCESS)
        : outOfOrder(state);
    case 'queryProtocolVersion': {
      if (request.kind !== 'queryProtocolVersion') return outOfOrder(state);
      const result: VstorCompletionResult = {
        kind: 'protocolVersion',
        majorMinor: request.majorMinor,
        revision: 0,
      };
      return config.supportedVersions.includes(request.majorMinor)
        ? reply(
            { phase: 'queryProperties', protocolVersion: request.majorMinor },
            VstorNtStatus.SUCCESS,
            result,
          )
        : reply(state, VstorNtStatus.REVISION_MISMATCH, result);
    }
    case 'queryProperties': {
      if (request.kind !== 'queryProperties') return outOfOrder(state);
      // O: multi-channel needs protocol 5.1 (Win8) or later.
      const multiChannel = state.protocolVersion >= VmstorProtocolVersion.WIN8;
      return reply(
        {
          phase: 'endInitialization',
          protocolVersion: state.protocolVersion,
          subChannelCount: multiChannel ? undefined : 0,
        },
        VstorNtStatus.SUCCESS,
        {
          kind: 'channelProperties',
          properties: {
            maxChannelCount: multiChannel ? config.maxSubChannelCount : 0,
            flags: multiChannel ? STORAGE_CHANNEL_SUPPORTS_MULTI_CHANNEL : 0,
            maxTransferBytes: config.maxTransferBytes,
          },
        },
      );
    }
    case 'endInitialization':
      if (request.kind === 'createSubChannels' && state.subChannelCount === undefined) {
        return createSubChannels(state, request.subChannelCount, config, {
          ...state,
          subChannelCount: request.subChannelCount,
        });
      }
      if (request.kind === 'endInitialization') {
        return reply(
          {
            phase: 'ready',
            protocolVersion: state.protocolVersion,
            subChannelCount: state.subChannelCount ?? 0,
          },
          VstorNtStatus.SUCCESS,
        );
      }
      return outOfOrder(state);
    case 'ready':
      return readyStep(state, request, config);
  }
}
