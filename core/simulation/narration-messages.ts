/**
 * Every kind of narration line the core emits, by a stable id, with the English words it has always
 * had. A line carries its id and parameters ({@link NarrationMessage}) beside that English text, so
 * the game can say it in the player's language (game/i18n/narration.ts) while the CLI's `--log`,
 * replays and the event-log hash keep the English text.
 *
 * Adding an id here does not compile until the game's English and Portuguese narration tables have
 * it too (they are typed `Record<NarrationId, …>`). Parameters are plain data (strings, numbers,
 * booleans, and a structured `reason`: `NarrationReason` in narration-reasons.ts) so a line crosses the game's worker
 * boundary as it is. A `reason` is either a structured reason (narration-reasons.ts), which the
 * game says in the player's language inside the line's translated frame, or English free text,
 * which it quotes as it is.
 */
import type { Formatter, MessageTable, TableArgs, TableMessage } from './message-table.js';
import type { VmState } from '../root/vm-state.js';
import { reasonText } from './narration-reasons.js';
import type { Reason } from './narration-reasons.js';

/** `0x` and the lowercase hex digits, as the Linux drivers print. */
const hex = (n: number): string => `0x${n.toString(16)}`;

/** The English text of each id: exactly the words the core logged before lines had ids. */
export const NARRATION_TEXT = {
  // ── VMMS (source `VMMS`) ──────────────────────────────────────────────────────────────────
  'vm.state': (a: { vm: string; state: VmState }) => `${a.vm} is ${a.state}`,
  'vm.startFailed': (a: { vm: string; reason: Reason }) =>
    `${a.vm} failed to start: ${reasonText(a.reason)}`,
  'vm.actionRefused': (a: { vm: string; reason: Reason }) => `${a.vm}: ${reasonText(a.reason)}`,
  'vm.heartbeatOk': (a: { vm: string }) => `${a.vm}: heartbeat OK`,
  'vm.heartbeatLost': (a: { vm: string }) => `${a.vm}: heartbeat lost`,
  'vm.dynamicMemoryOff': (a: { vm: string; reason: Reason }) =>
    `${a.vm}: Dynamic Memory off: ${reasonText(a.reason)}`,
  /** A management operation (Suspend-VM, Stop-VM…) reached VMMS; `command` is the cmdlet line. */
  'vm.command': (a: { vm: string; command: string }) => `${a.vm}: ${a.command}`,
  'vm.partitionDeleted': (a: {
    vm: string;
    partitionId: number;
    /** Memory the host got back, MiB (the partition's, its GPADLs' and the VID's deposit). */
    freedMiB: number;
    /** Channels still open that the host closed under the VM. */
    channels: number;
  }) =>
    `${a.vm}: partition ${a.partitionId.toString()} deleted — ${a.freedMiB.toString()} MiB back to the host${
      a.channels > 0 ? `, ${a.channels.toString()} open channel(s) rescinded` : ''
    }`,
  /** Save-VM: the host is quiet for the VM; the worker process writes its memory to the file. */
  'vm.savingMemory': (a: { vm: string; mib: number }) =>
    `${a.vm}: VPs held, I/O in flight finished; writing ${a.mib.toString()} MiB of memory to the saved-state file`,
  'vm.saved': (a: { vm: string; freedMiB: number }) =>
    `${a.vm}: saved — ${a.freedMiB.toString()} MiB back to the host; no VP runs until Start-VM restores it`,
  /** Start-VM on a Saved VM: memory taken again, being read back from the file. */
  'vm.restoringMemory': (a: { vm: string; mib: number }) =>
    `${a.vm}: restoring — ${a.mib.toString()} MiB taken from the host, reading the saved state back (no boot: the guest continues where it was)`,
  'vm.shutdownStuck': (a: { vm: string; afterMs: number }) =>
    `${a.vm}: the guest has not shut down after ${a.afterMs.toString()} ms; it stays Stopping (Stop-VM -TurnOff ends it)`,

  // ── The guest (source: the VM's name) ─────────────────────────────────────────────────────
  'guest.booted': (a: { enlightened: boolean }) =>
    `booted (${a.enlightened ? 'enlightened: VMBus starting' : 'no integration components: emulated devices only'})`,
  'guest.shuttingDown': (a: { inFlight: number }) =>
    `shutting down: no new work, waiting for ${a.inFlight.toString()} operation(s) in flight, then closing VMBus`,
  'guest.devicesLate': () =>
    'some devices did not come up in time; starting the workload without them',
  'guest.handshakeFailed': () =>
    'the hypervisor handshake failed; integration components cannot start',
  'guest.enlightenmentFailed': (a: { reason: Reason }) =>
    `enlightenment failed: ${reasonText(a.reason)}`,
  'storvsc.ready': (a: {
    device: string;
    ide: boolean;
    major: number;
    minor: number;
    /** Subchannels the driver asked for; 0 when it asked for none. */
    subchannels: number;
    channels: number;
  }) =>
    `storvsc ready on ${a.device} (${a.ide ? 'IDE accelerator, ' : ''}storage protocol ${a.major.toString()}.${a.minor.toString()}, ${
      a.subchannels > 0
        ? `primary channel, ${a.subchannels.toString()} subchannel(s) requested`
        : `${a.channels.toString()} channel(s)`
    })`,
  'netvsc.ready': (a: { device: string; nvsp: number; channels: number }) =>
    `netvsc ready on ${a.device} (NVSP ${hex(a.nvsp)}, ${a.channels.toString()} channel(s))`,
  'netvsc.vfUp': (a: { device: string }) => `netvsc: ${a.device} data path switched to the VF`,
  'netvsc.vfGone': (a: { device: string }) =>
    `netvsc: ${a.device} VF gone; data path back to synthetic`,
  'synthvid.ready': (a: { device: string; version: string; width: number; height: number }) =>
    `synthvid ready on ${a.device} (protocol ${a.version}, ${a.width.toString()}×${a.height.toString()})`,
  'synthvid.stopped': (a: { device: string; reason: Reason }) =>
    `synthvid on ${a.device} stopped: ${reasonText(a.reason)}`,
  'synthhid.ready': (a: { device: string; product: string }) =>
    `synthhid ready on ${a.device} (mouse ${a.product})`,
  'synthhid.stopped': (a: { device: string; reason: Reason }) =>
    `synthhid on ${a.device} stopped: ${reasonText(a.reason)}`,
  /** `message` quotes the Linux driver's own dmesg words (`Incorrect transaction ID`). */
  'vsc.strayCompletion': (a: {
    driver: string;
    device: string;
    message: string;
    /** Negative: beyond 2^53. */
    transId: number;
    count: number;
  }) =>
    `${a.driver} on ${a.device}: ${a.message} ${a.transId < 0 ? 'beyond 2^53' : hex(a.transId)} — a completion for no request in flight, dropped (${a.count.toString()} so far)`,
  'vsc.failed': (a: { driver: string; device: string; reason: Reason }) =>
    `${a.driver} on ${a.device} failed: ${reasonText(a.reason)}`,
  'heartbeat.ready': (a: { framework: string; service: string }) =>
    `heartbeat service ready (IC framework ${a.framework}, heartbeat ${a.service})`,
  'heartbeat.noVersion': () => 'heartbeat service: no version in common with the host',
  'heartbeat.stopped': (a: { reason: Reason }) =>
    `heartbeat service stopped: ${reasonText(a.reason)}`,
  'balloon.ready': (a: { major: number; minor: number }) =>
    `hv_balloon ready (Dynamic Memory protocol ${a.major.toString()}.${a.minor.toString()})`,
  'balloon.stopped': (a: { reason: Reason }) => `hv_balloon stopped: ${reasonText(a.reason)}`,
  'balloon.failed': (a: { reason: Reason }) => `hv_balloon failed: ${reasonText(a.reason)}`,
  'ic.lost': (a: { driver: 'hv_balloon' | 'heartbeat'; reason: Reason }) =>
    `${a.driver} lost: ${reasonText(a.reason)}`,
  'tulip.up': (a: { device: string; port: number }) =>
    `tulip: ${a.device} up at I/O ${hex(a.port)}, 100 Mbit/s`,

  // ── The VM's worker process (source `<vm> VMWP`) ──────────────────────────────────────────
  'legacyNic.unbacked': (a: { device: string }) =>
    `${a.device}: legacy adapter has no backing NIC (or DMA); not connected`,

  // ── Dynamic Memory on the host (source: the VM's name) ────────────────────────────────────
  'memory.growNotDone': (a: { action: 'unballoon' | 'hot-add' }) =>
    `${a.action} not done: the guest brought no memory online`,
  'memory.balloonRefused': (a: { reason: Reason }) =>
    `balloon response refused: ${reasonText(a.reason)}`,
  'memory.ballooned': (a: { mib: string; assignedMib: string }) =>
    `ballooned ${a.mib} MiB (assigned ${a.assignedMib} MiB)`,
  'memory.unballooned': (a: { mib: string; assignedMib: string }) =>
    `unballooned ${a.mib} MiB (assigned ${a.assignedMib} MiB)`,
  'memory.hotAddFailed': (a: { reason: Reason }) => `hot-add not applied: ${reasonText(a.reason)}`,
  'memory.hotAdded': (a: { mib: string; backedMib: string; installedMib: string }) =>
    `hot-added ${a.mib} MiB of installed memory, backed ${a.backedMib} MiB (installed ${a.installedMib} MiB)`,

  // ── VMBus channels (source: the VM's name) ────────────────────────────────────────────────
  'channel.registered': (a: {
    device: string;
    deviceClass: string;
    vsp: string;
    classGuid: string;
    ideAccelerator: boolean;
  }) =>
    `${a.device}: channel registered — ${a.deviceClass} offer from ${a.vsp} (class GUID ${a.classGuid}${a.ideAccelerator ? ', the IDE accelerator' : ''}) waits for the guest to ask for offers`,
  'channel.offered': (a: {
    device: string;
    deviceClass: string;
    vsp: string;
    classGuid: string;
    ideAccelerator: boolean;
  }) =>
    `${a.device}: channel offered — ${a.deviceClass} offer from ${a.vsp} (class GUID ${a.classGuid}${a.ideAccelerator ? ', the IDE accelerator' : ''})`,
  'channel.opened': (a: {
    device: string;
    vm: string;
    vsp: string;
    relid: number;
    targetVp: number;
  }) =>
    `${a.device}: channel opened — ${a.vm}/${a.device} ↔ ${a.vsp} (relid ${a.relid.toString()}, target VP ${a.targetVp.toString()})`,
  /** The guest's REQUESTOFFERS was answered: the offers went out, then ALLOFFERS_DELIVERED. */
  'vmbus.offersDelivered': (a: { major: number; minor: number; offers: number }) =>
    `VMBus connected (version ${a.major.toString()}.${a.minor.toString()} agreed); ${a.offers.toString()} channel offer(s) delivered to the guest (ALLOFFERS_DELIVERED)`,
  'channel.throttled': (a: { device: string; untilNs: number }) =>
    `${a.device}: channel throttled — guest flooded unnecessary interrupts; suspended until ${(a.untilNs / 1e6).toFixed(1)} ms`,
  'channel.failed': (a: { device: string; reason: Reason }) =>
    `${a.device}: channel failed — ${reasonText(a.reason)}`,
  'channel.rescinded': (a: { device: string; reason: Reason }) =>
    `${a.device}: channel rescinded — ${reasonText(a.reason)}`,
  'channel.closed': (a: { device: string }) =>
    `${a.device}: channel closed — guest closed the channel`,

  // ── VSPs (source: the VSP instance's id) ──────────────────────────────────────────────────
  'vsp.createFailed': (a: { plugin: string; reason: Reason }) =>
    `${a.plugin} failed to start: ${reasonText(a.reason)}`,
  'vsp.channelStopped': (a: { channel: number; vm: string; device: string; reason: Reason }) =>
    `channel ${a.channel.toString()} (${a.vm}/${a.device}) stopped: ${reasonText(a.reason)}`,
  /** A plugin's own words (`host.log`), in the plugin author's language: never translated. */
  'vsp.pluginLog': (a: { text: string }) => a.text,
} as const satisfies MessageTable;

/** The id of a kind of narration line (`vm.state`, `storvsc.ready`…). */
export type NarrationId = keyof typeof NARRATION_TEXT;

/** The parameters a line of kind `I` carries. */
export type NarrationArgs<I extends NarrationId> = TableArgs<typeof NARRATION_TEXT, I>;

/** One kind of line and its parameters; plain data. */
export type NarrationMessage = TableMessage<typeof NARRATION_TEXT>;

/** Every narration id, sorted (for tests and translation tables). */
export const NARRATION_IDS: readonly NarrationId[] = Object.freeze(
  (Object.keys(NARRATION_TEXT) as NarrationId[]).sort(),
);

/**
 * A line of kind `id` with `args`.
 *
 * @example
 * log(narrate('vm.state', { vm: 'db01', state: 'Running' })); // "db01 is Running"
 */
export function narrate<I extends NarrationId>(id: I, args: NarrationArgs<I>): NarrationMessage {
  return { id, args } as NarrationMessage;
}

/** The English text of a line: what `NarrationLine.text` holds. */
export function narrationText(message: NarrationMessage): string {
  const format = NARRATION_TEXT[message.id] as Formatter<NarrationMessage['args']>;
  return format(message.args);
}
