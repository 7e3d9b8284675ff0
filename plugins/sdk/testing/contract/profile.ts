/**
 * What the contract suite needs to know about a device class: how to bring a channel up, which
 * requests a correct VSP must answer, and which class-specific hostile packets to throw at it.
 * The suite itself is class-agnostic; a class plugs its knowledge in here.
 */
import type fc from 'fast-check';
import type { DeviceClass } from '../../../../core/model/index.js';
import type { VspPacket } from '../../../../core/vsp/types.js';
import type { FakeChannel, FakeChannelOptions } from '../fake-channel.js';
import type { HarnessOptions, VspTestHarness } from '../harness.js';

/**
 * One device class's part of the contract suite.
 *
 * @example
 * ```ts
 * const heartbeatProfile: ContractProfile = {
 *   name: 'heartbeat',
 *   deviceClass: 'heartbeat',
 *   validRequests: (h) => [h.packets.inband(negotiateMessage())],
 * };
 * runContractSuite(heartbeatVsp, { profile: heartbeatProfile });
 * ```
 */
export interface ContractProfile {
  readonly name: string;
  readonly deviceClass: DeviceClass;
  /** Harness options the suite uses (device, settings, guest memory). */
  readonly harness?: HarnessOptions;
  /** Channel options (the suite names the VMs itself). */
  readonly channel?: Omit<FakeChannelOptions, 'vm' | 'subchannelIndex'>;
  /**
   * Brings a freshly opened primary channel to working order (e.g. the storage handshake).
   * Throw (a `HarnessError`) if the VSP does not get there.
   */
  prepare?(h: VspTestHarness, channel: FakeChannel): void;
  /** Well-formed requests a correct VSP answers without failing the channel. */
  validRequests(h: VspTestHarness, channel: FakeChannel): VspPacket[];
  /**
   * Class-specific hostile packets (mutations of valid traffic), as plain data. PFNs below
   * `guestPages` are guest memory.
   */
  readonly hostilePackets?: (guestPages: number) => fc.Arbitrary<VspPacket>;
  /**
   * Completions must answer an outstanding request, once (default true). A class whose VSP
   * legitimately completes what the guest did not ask to be completed can turn this off.
   */
  readonly strictCompletions?: boolean;
}

/**
 * The profile of a class nobody described yet: no handshake, no valid traffic; the suite still
 * checks that hostile packets are survived and isolation respected.
 *
 * @example
 * ```ts
 * runContractSuite(myVideoVsp, { profile: genericProfile('video') });
 * ```
 */
export function genericProfile(deviceClass: DeviceClass): ContractProfile {
  return { name: `generic ${deviceClass}`, deviceClass, validRequests: () => [] };
}
