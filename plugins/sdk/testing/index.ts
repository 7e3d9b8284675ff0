/**
 * `hyperkata/sdk/testing`: test a VSP plugin without building a level. A {@link VspTestHarness}
 * gives the plugin fake channels, a fake device and fake guest memory (with the host's isolation
 * rule), lets the test feed it packets — well-formed or hostile — and records what it answered;
 * {@link runContractSuite} checks the contract every VSP must keep.
 *
 * @example
 * ```ts
 * import { VspTestHarness, StorageGuest, runContractSuite } from 'hyperkata/sdk/testing';
 *
 * const report = runContractSuite(myStorageVsp);     // the contract, as a report
 * const h = new VspTestHarness(myStorageVsp);
 * const guest = new StorageGuest(h, h.openChannel({ guestVps: 4 }));
 * guest.initialize();                                // rule 16
 * // NetworkGuest plays netvsc the same way for a network VSP (rule 19).
 * ```
 */
import { startWatchdog } from './watchdog.js';

export { VspTestHarness } from './harness.js';
export type { HarnessOptions, HarnessSettings } from './harness.js';
export { FakeChannel } from './fake-channel.js';
export type { FakeChannelOptions } from './fake-channel.js';
export type { FakeDeviceOptions } from './fake-devices.js';
export { FakeGuestMemory, PAGE_BYTES } from './fake-memory.js';
export { PacketBuilder, copyPacket } from './packets.js';
export type { PacketOptions } from './packets.js';
export { HarnessError } from './harness-error.js';
export {
  expectChannelFailed,
  expectChannelOpen,
  expectCompletion,
  expectCpuCharged,
  expectIsolationFault,
  expectNoCompletion,
  expectNoPluginFaults,
} from './assertions.js';
export { StepClock } from './step-clock.js';
export type { StepEventKind } from './step-clock.js';
export type {
  DeviceRequestRecord,
  HandlerCall,
  HarnessCompletion,
  HarnessFault,
  HarnessHostEvent,
  HarnessSend,
  HostReportRecord,
  IsolationFaultKind,
  IsolationRecord,
} from './records.js';
export { StorageGuest } from './storage-guest.js';
export type { SrbOptions, StorageCompletion } from './storage-guest.js';
export { NetworkGuest } from './network-guest.js';
export type {
  NetworkConnection,
  NetworkGuestOptions,
  NetworkReceive,
  NetworkSetup,
} from './network-guest.js';
export { formatContractReport, runContractSuite } from './contract/run-contract-suite.js';
export type {
  ContractCheck,
  ContractOptions,
  ContractReport,
} from './contract/run-contract-suite.js';
export { genericProfile } from './contract/profile.js';
export type { ContractProfile } from './contract/profile.js';
export { CONTRACT_PROFILES, profileFor } from './contract/profiles.js';
export { hostilePacket, hostileRange, hostileTransId } from './contract/hostile.js';
export { hostileStoragePacket, storageContractProfile } from './contract/storage-profile.js';

// A handler that never returns would hang the tests: in Node, a watchdog stops the test process
// and says where the plugin loops (watchdog.ts). Once per process.
startWatchdog();
