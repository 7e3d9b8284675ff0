/**
 * Hyperkata's simulation core: one physical Hyper-V host — hardware, the hypervisor (partitions,
 * hypercalls, SynIC), the scheduler, the memory manager, VMBus, the root partition's services and
 * the guests — deterministic, headless, and wired with Inversify. This file is its only public
 * surface: the game, the CLI and plugins import from here (plugins through plugins/sdk).
 *
 * @example
 * ```ts
 * import { formatNs, Simulation } from './core/index.js';
 * import { BUILT_IN_VSPS } from './plugins/index.js';
 * import { configuration, scenario } from './my-host.js'; // plain data: ScenarioInput, ConfigurationInput
 *
 * const sim = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS, seed: 42 });
 * const stop = sim.on((line) => {
 *   console.log(`${formatNs(line.time)} ${line.source}: ${line.text}`);
 * });
 * while (!sim.finished) sim.advance(16_000_000); // a 16 ms simulation step per frame
 * stop();
 * const report = sim.report();
 * console.log(report.vms.db01?.p99LatencyUs, report.host.rootCpuPercent, report.hash);
 * ```
 */
export { Simulation, SimulationUsageError, catalogOf } from './simulation/simulation.js';
export type { SimulationOptions } from './simulation/simulation.js';
export type {
  DiskReport,
  HostReport,
  NicReport,
  SimReport,
  VmMemoryReport,
  VmReport,
  VspReport,
} from './simulation/report.js';
export type { NarrationLine, NarrationListener } from './simulation/event-log.js';
export { NARRATION_IDS, NARRATION_TEXT, narrationText } from './simulation/narration-messages.js';
export { REASON_IDS, REASON_TEXT, reasonText } from './simulation/narration-reasons.js';
export type {
  NarrationReason,
  Reason,
  ReasonArgs,
  ReasonId,
  RingDirection,
  RingProblem,
} from './simulation/narration-reasons.js';
export type { RingRejection } from './vmbus/ring/index.js';
export type {
  NarrationArgs,
  NarrationId,
  NarrationMessage,
} from './simulation/narration-messages.js';
export { entriesOf, entryOf, valuesOf, vmOf } from './simulation/by-name.js';
export type { ByName } from './simulation/by-name.js';
export type {
  HostSnapshot,
  LpSnapshot,
  SnapshotOptions,
  VmSnapshot,
} from './simulation/snapshot.js';
export type { VmSample } from './simulation/sampler.js';
export type { VpStateName } from './scheduler/index.js';

export * from './model/index.js';

export { NS_PER_MS, NS_PER_S, NS_PER_US, formatNs, ms, seconds, us } from './engine/index.js';
export type { Ns } from './engine/index.js';

export * as powershell from './root/powershell.js';
export { VM_STATES } from './root/vm-state.js';
export type { VmAction, VmState } from './root/vm-state.js';
export { WORKLOAD_PROFILES } from './guest/workload-profiles.js';
export type { WorkloadProfile } from './guest/workload-profiles.js';

export type {
  BlockDevicePort,
  BlockRequest,
  ChannelMemory,
  DeviceCompletion,
  GpaRange,
  MemoryAccessResult,
  MemoryChangeReport,
  MemoryPageRange,
  MemoryPressureReport,
  NetworkPort,
  SendResult,
  VirtualDevicePort,
  VspChannel,
  VspDevicePort,
  VspHandlers,
  VspHost,
  VspHostEvent,
  VspModule,
  FaultLocator,
  VspPacket,
  VspPacketKind,
  VspFailureReason,
} from './vsp/types.js';
export type { ChannelFault, ChannelFaultKind } from './vsp/plugin-faults.js';
