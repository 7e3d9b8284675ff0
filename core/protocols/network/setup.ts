import { checkUint } from '../codec/bounds.js';
import {
  ETH_HLEN,
  NETVSC_RECEIVE_BUFFER_ID,
  NETVSC_SEND_BUFFER_ID,
  NvspProtocolVersion,
  NvspSubchannelOperation,
  netvscNdisVersion,
} from './constants.js';
import type { NvspMessage } from './nvsp.js';

/** One setup message and whether netvsc sends it as a transaction (waits for a completion). */
export interface NvspSetupStep {
  readonly message: NvspMessage;
  readonly expectsCompletion: boolean;
}

/** What the setup messages depend on. */
export interface NetvscSetupInput {
  /** The NVSP version the host accepted in INIT_COMPLETE. */
  readonly protocolVersion: number;
  /** The interface MTU (netvsc sends MTU + Ethernet header). */
  readonly mtu: number;
  readonly receiveBufferGpadl: number;
  readonly sendBufferGpadl: number;
  /** Advertise SR-IOV (netvsc does from NVSP 5 unless the VM is isolated). Default true. */
  readonly sriov?: boolean;
}

/**
 * The NVSP setup messages netvsc sends after the host accepted `protocolVersion`
 * (HYPERV.md rule 19), in Linux's order (L: negotiate_nvsp_ver, netvsc_connect_vsp,
 * netvsc_init_buf): INIT → [NVSP ≥ 2: SEND_NDIS_CONFIG] → SEND_NDIS_VERSION →
 * SEND_RECV_BUF → SEND_SEND_BUF. Linux sends the NDIS config before the NDIS version, as part
 * of version negotiation; only INIT and the two buffers wait for completions.
 *
 * @example
 * netvscSetupSequence({ protocolVersion: 0x60001, mtu: 1500, receiveBufferGpadl: 1, sendBufferGpadl: 2 });
 */
export function netvscSetupSequence(input: NetvscSetupInput): NvspSetupStep[] {
  const v = input.protocolVersion;
  const steps: NvspSetupStep[] = [
    {
      message: { kind: 'init', minProtocolVersion: v, maxProtocolVersion: v },
      expectsCompletion: true,
    },
  ];
  if (v !== NvspProtocolVersion.V1) {
    const v5 = v >= NvspProtocolVersion.V5;
    steps.push({
      message: {
        kind: 'sendNdisConfig',
        mtu: checkUint(input.mtu, 0xffff, 'mtu') + ETH_HLEN,
        capabilities: {
          vmq: false,
          chimney: false,
          sriov: v5 && (input.sriov ?? true),
          ieee8021q: true,
          correlationId: false,
          teaming: v5, // "Teaming bit is needed to receive link speed updates" (L)
          virtualSubnetId: false,
          rsc: v >= NvspProtocolVersion.V61,
        },
      },
      expectsCompletion: false,
    });
  }
  const ndis = netvscNdisVersion(v);
  steps.push(
    {
      message: {
        kind: 'sendNdisVersion',
        ndisMajorVersion: ndis.major,
        ndisMinorVersion: ndis.minor,
      },
      expectsCompletion: false,
    },
    {
      message: {
        kind: 'sendReceiveBuffer',
        gpadlHandle: input.receiveBufferGpadl,
        id: NETVSC_RECEIVE_BUFFER_ID,
      },
      expectsCompletion: true,
    },
    {
      message: {
        kind: 'sendSendBuffer',
        gpadlHandle: input.sendBufferGpadl,
        id: NETVSC_SEND_BUFFER_ID,
      },
      expectsCompletion: true,
    },
  );
  return steps;
}

/** The vRSS sub-channel request for `channelCount` channels in all (primary + sub-channels). */
export function netvscSubchannelRequest(channelCount: number): NvspMessage {
  return {
    kind: 'subchannelRequest',
    operation: NvspSubchannelOperation.ALLOCATE,
    numSubChannels: checkUint(channelCount - 1, 63, 'channelCount - 1'),
  };
}
