/**
 * The VSP host boundary: the contract between the simulated root partition and a Virtualization
 * Service Provider. A VSP is created once per VSP instance with a narrow host object (its device,
 * its CPU accounting, its settings, a log) and returns handlers; the core calls those handlers with
 * the channels it serves and plain-data packets, so the same VSP code runs natively or inside the
 * plugin sandbox. The public plugin SDK (plugins/sdk) wraps exactly this contract.
 *
 * Timing: a handler runs when a root VP starts working on the packet or completion. Everything the
 * handler asks for (completions, sends, device I/O) takes effect when the CPU time it charged —
 * a fixed dispatch cost plus whatever it passed to `host.cpu.charge` — has run on that root VP.
 */
import type { DeviceClass, InputIssue } from '../model/index.js';
import type { MemoryRefusal } from '../memory/isolation-details.js';
import type { VspFailureReason } from './failure-reasons.js';

export type {
  VspFailureArgs,
  VspFailureId,
  VspFailureReason,
  VspProtocolName,
} from './failure-reasons.js';

/**
 * A page range of guest physical memory, as a GPA-direct packet describes it (L: hv_mpb_array).
 *
 * @example
 * ```ts
 * // The guest pages that hold a storage request's data:
 * for (const { byteCount, byteOffset, pfns } of packet.ranges)
 *   host.log(`${byteCount} bytes at offset ${byteOffset} of page ${pfns[0]}`);
 * ```
 */
export interface GpaRange {
  /** Bytes covered by the range. */
  readonly byteCount: number;
  /** Offset of the first byte inside the first page. */
  readonly byteOffset: number;
  /** Guest page frame numbers. */
  readonly pfns: readonly number[];
}

/**
 * VMBus packet types a guest may send (rule 3): in-band data, GPA-direct (storage data), and
 * completions of requests the host sent (netvsc completes receive transfer-page packets).
 *
 * @example
 * ```ts
 * onPacket(channel, packet) {
 *   // netvsc completes the receive packets the VSP lent it: no request to answer.
 *   if (packet.kind === 'completion') freeSection(packet.transId);
 *   else channel.complete(packet.transId, answer); // 'inband' and 'gpa-direct' are requests
 * },
 * ```
 */
export type VspPacketKind = 'inband' | 'gpa-direct' | 'completion';

/**
 * A packet the guest sent, already copied out of the ring and checked at ring level (rule 36):
 * the guest cannot change it any more. `payload` and `ranges` are valid only during the handler
 * call (the host reuses them for the next packet): copy what you keep.
 *
 * @example
 * ```ts
 * onPacket(channel, packet) {
 *   const request = decodeVstorRequest(packet.payload, 0, packet.payload.length);
 *   if (!request.ok) {
 *     channel.fail(`malformed storage request: ${request.detail}`);
 *     return;
 *   }
 *   kept.push(packet.payload.slice()); // a copy: the payload is reused after the call
 *   channel.complete(packet.transId, answer);
 * },
 * ```
 */
export interface VspPacket {
  readonly kind: VspPacketKind;
  /** The guest's transaction id; a completion must echo it (rule 3). */
  readonly transId: number;
  /** Flag 1: the guest asked for a completion (storage requests must, rule 37). */
  readonly completionRequested: boolean;
  readonly payload: Uint8Array;
  /** GPA-direct page ranges (empty for in-band packets). */
  readonly ranges: readonly GpaRange[];
}

/**
 * What happened to a send. A send that finds the guest's ring full is queued by the host and
 * written when the guest frees space (the ring's pending_send_sz flow control, rule 6): it still
 * returns `ok`. `closed`: the channel is gone.
 *
 * @example
 * ```ts
 * if (channel.complete(packet.transId, answer) === 'closed') inFlight.delete(tag); // the VM is gone
 * ```
 */
export type SendResult = 'ok' | 'closed';

/**
 * Why a memory access was refused: the VSP asked for bytes the guest did not grant.
 *
 * @example
 * ```ts
 * const header = channel.memory.readGpadl(sendBuffer, offset, 44);
 * if (!header.ok) {
 *   channel.fail(header.reason); // a section outside what the guest shared
 *   return;
 * }
 * const bytes: Uint8Array = header.value;
 * ```
 */
export type MemoryAccessResult<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      /** Why, in English. */
      reason: string;
      /**
       * The same as an id and its numbers, when the host said it so (`touchRanges`): pass it on
       * in `netvsp.rangesRefused`'s `said` for the player's language.
       */
      refusal?: MemoryRefusal;
    };

/**
 * Guest memory as a VSP may touch it: the GPADLs the guest created for this channel, and the
 * page ranges of the packet being handled — nothing else (the isolation boundary). A refused
 * access is recorded as an isolation fault against the plugin.
 *
 * @example
 * ```ts
 * // A read of srb.dataTransferLength bytes from the disk lands in the pages the packet granted:
 * const granted = channel.memory.touchRanges(packet, srb.dataTransferLength, true);
 * if (!granted.ok) {
 *   finish(channel, packet.transId, srb, false); // refused: the pages are not the guest's
 *   return;
 * }
 * ```
 */
export interface ChannelMemory {
  /** Reads `length` bytes at `offset` inside GPADL `handle` (which must belong to this channel). */
  readGpadl(handle: number, offset: number, length: number): MemoryAccessResult<Uint8Array>;
  /** Writes bytes at `offset` inside GPADL `handle`. */
  writeGpadl(handle: number, offset: number, data: Uint8Array): MemoryAccessResult<number>;
  /** Size in bytes of GPADL `handle`, or undefined when it is not one of this channel's. */
  gpadlSize(handle: number): number | undefined;
  /**
   * Checks that a transfer of `bytes` through the current packet's ranges stays inside them and
   * inside the guest (reading or writing bulk data is modelled as a check, not a copy).
   */
  touchRanges(packet: VspPacket, bytes: number, write: boolean): MemoryAccessResult<number>;
  /**
   * Copies `data` into the current packet's ranges, `offset` bytes from their start: the
   * response data of a command the VSP answers itself (a storage INQUIRY or READ CAPACITY).
   * Bulk data stays a {@link touchRanges} check; this writes real bytes the guest will read.
   * Refused, and recorded as an isolation fault, when the bytes fall outside the ranges or the
   * guest. Returns the bytes written.
   */
  writeRanges(packet: VspPacket, offset: number, data: Uint8Array): MemoryAccessResult<number>;
}

/**
 * One channel (or subchannel) a VSP serves.
 *
 * @example
 * ```ts
 * onPacket(channel, packet) {
 *   host.log(`${channel.vm}/${channel.device} (subchannel ${channel.subchannelIndex})`);
 *   // The completion echoes the guest's transId (rule 3):
 *   if (packet.completionRequested) channel.complete(packet.transId, answer);
 *   else channel.fail('storage requests must ask for a completion');
 * },
 * ```
 */
export interface VspChannel {
  /** Channel id, unique on the host (key your per-channel state by it). */
  readonly id: number;
  /** The channel's relid, as the guest knows it (unique only within that VM). */
  readonly relid: number;
  /** Name of the VM on the other end. */
  readonly vm: string;
  /** The VM device behind this channel (e.g. `scsi0`). */
  readonly device: string;
  /**
   * The class GUID the guest was offered this channel with (the offer's if_type): the VSP's
   * device class's, except that a storage VSP's channel to a generation 1 VM's boot disk carries
   * HV_IDE_GUID `32412632-86cb-44a2-9b5c-50d1417354f5`, the IDE accelerator, which storvsp
   * serves with the same protocol but offers no subchannels (O: storvsp `build_ide`).
   */
  readonly classGuid: string;
  /** 0 for the primary channel, 1.. for subchannels. */
  readonly subchannelIndex: number;
  /** Size of the virtual disk behind a storage channel, bytes (0 for other classes). */
  readonly diskBytes: number;
  /** Number of virtual processors of the guest (storvsp and netvsp size subchannels by it). */
  readonly guestVps: number;
  readonly memory: ChannelMemory;
  /** Completes a guest request: a completion packet (type 0xB) echoing `transId` (rule 3). */
  complete(transId: number, payload: Uint8Array): SendResult;
  /** Sends an in-band message to the guest; `transId` 0 marks an unsolicited host message. */
  send(
    payload: Uint8Array,
    options?: { transId?: number; completionRequested?: boolean },
  ): SendResult;
  /**
   * Sends a transfer-page packet (type 7, network receive): `ranges` are byte ranges inside the
   * transfer page set (the receive buffer GPADL) that the guest should consume.
   */
  sendTransferPages(
    pageSetId: number,
    ranges: readonly { byteOffset: number; byteCount: number }[],
    payload: Uint8Array,
    transId: number,
  ): SendResult;
  /** Offers `count` subchannels to the guest (storage CREATE_SUB_CHANNELS, network vRSS). Returns how many. */
  offerSubchannels(count: number): number;
  /**
   * The guest broke the protocol: stop this channel; the VM's device fails (rule 38). `reason` is
   * free text — your own words, which every language shows as they are — or a
   * {@link VspFailureReason} `{ id, args }` from the published ids, which the game says in the
   * player's language (its English is the same in every report). A structured reason with an
   * unknown id or arguments that do not fit it stops the channel as the plugin's misuse instead.
   */
  fail(reason: string | VspFailureReason): void;
}

/**
 * A request to the physical disk a storage VSP drives.
 *
 * @example
 * ```ts
 * if (host.device.kind === 'block')
 *   host.device.submit(channel, { op: 'read', offsetBytes: lba * 512, bytes: 4096, tag });
 * ```
 */
export interface BlockRequest {
  readonly op: 'read' | 'write' | 'flush';
  readonly offsetBytes: number;
  readonly bytes: number;
  /** Any number the VSP wants back in `onDeviceCompleted` (e.g. the guest's transId). */
  readonly tag: number;
}

/**
 * The physical disk behind a storage VSP instance.
 *
 * @example
 * ```ts
 * if (host.device.kind === 'block') {
 *   inFlight.set(tag, { transId: packet.transId, srb });
 *   host.device.submit(channel, { op: 'write', offsetBytes, bytes, tag });
 * } // onDeviceCompleted(channel, { tag, status, bytes }) says when the disk is done
 * ```
 */
export interface BlockDevicePort {
  readonly kind: 'block';
  /** The host's disk, e.g. `ssd0`. */
  readonly id: string;
  /**
   * Gives the disk a request for `channel` (when the handler returns); `onDeviceCompleted`
   * answers with the request's `tag` when the disk is done.
   */
  submit(channel: VspChannel, request: BlockRequest): void;
}

/**
 * The virtual switch port / physical NIC behind a network VSP instance.
 *
 * @example
 * ```ts
 * if (host.device.kind === 'network') host.device.transmit(channel, frameBytes, section);
 * // onDeviceCompleted(channel, { tag: section, status, bytes }): the frame left, free its section
 * ```
 */
export interface NetworkPort {
  readonly kind: 'network';
  readonly id: string;
  /** Sends a frame of `bytes` to the wire; `onDeviceCompleted` fires with `tag` when it left. */
  transmit(channel: VspChannel, bytes: number, tag: number): void;
  /** Whether the NIC offers SR-IOV virtual functions (rule 20). */
  readonly sriov: boolean;
  /** Switches the channel's data path to a virtual function; false when none is available. */
  assignVirtualFunction(channel: VspChannel): boolean;
}

/**
 * Devices without hardware behind them: the console, the memory balancer, VMMS.
 *
 * @example
 * ```ts
 * // A heartbeat or dynamic-memory VSP has no hardware behind it:
 * if (host.device.kind === 'virtual') host.log(`serving ${host.device.id}`);
 * ```
 */
export interface VirtualDevicePort {
  readonly kind: 'virtual';
  readonly id: string;
}

/**
 * The device behind a VSP instance — a disk, a NIC, or nothing physical — told apart by `kind`.
 *
 * @example
 * ```ts
 * switch (host.device.kind) {
 *   case 'block':
 *     host.device.submit(channel, { op: 'flush', offsetBytes: 0, bytes: 0, tag });
 *     break;
 *   case 'network':
 *     host.device.transmit(channel, frameBytes, tag);
 *     break;
 *   case 'virtual':
 *     break;
 * }
 * ```
 */
export type VspDevicePort = BlockDevicePort | NetworkPort | VirtualDevicePort;

/**
 * What the device answers when it has finished a request the VSP gave it: the request’s `tag`,
 * whether it worked, and the bytes it moved.
 *
 * @example
 * ```ts
 * onDeviceCompleted(channel, completion) {
 *   const request = inFlight.get(completion.tag);
 *   if (request === undefined) return;
 *   inFlight.delete(completion.tag);
 *   finish(channel, request.transId, request.srb, completion.status === 'ok');
 * },
 * ```
 */
export interface DeviceCompletion {
  readonly tag: number;
  /** 'ok', or why the device failed the request. */
  readonly status: 'ok' | 'error';
  readonly bytes: number;
}

/**
 * A run of guest pages, as the Dynamic Memory protocol carries it (L: dm_mem_page_range).
 *
 * @example
 * ```ts
 * const range: MemoryPageRange = { startPage: 0x10000, pageCount: 512 }; // 2 MiB at 256 MiB
 * ```
 */
export interface MemoryPageRange {
  readonly startPage: number;
  readonly pageCount: number;
}

/**
 * A guest's DM_STATUS_REPORT as the dynamic memory VSP relays it to the balancer.
 *
 * @example
 * ```ts
 * host.reportMemoryPressure(channel, { pressurePercent: 80, committedPages: 262_144 });
 * ```
 */
export interface MemoryPressureReport {
  readonly pressurePercent: number;
  /** num_committed: the only figure the host's pressure model uses (L: hv_balloon.c). */
  readonly committedPages: number;
  /** num_avail (icsvc: optional, for display). */
  readonly availablePages?: number;
}

/**
 * What the guest actually did with a memory target (its balloon / unballoon / hot-add response).
 *
 * @example
 * ```ts
 * // The guest gave back the pages a balloon target asked for:
 * host.reportMemoryChange(channel, { action: 'balloon', pages: 512, tag: event.tag, ranges });
 * ```
 */
export interface MemoryChangeReport {
  readonly action: 'balloon' | 'unballoon' | 'hot-add';
  /**
   * Pages the guest gave, took back or brought online. An unballoon or hot-add target is always
   * answered, with 0 when nothing was done: the host holds the pages it set aside for it until then.
   */
  readonly pages: number;
  /** The `tag` of the memory-target event this answers. */
  readonly tag: number;
  /**
   * Balloon (icsvc): the page ranges the guest gave (its DM_BALLOON_RESPONSE range_array). The
   * guest picks them; the host checks them before unmapping (rule 36).
   */
  readonly ranges?: readonly MemoryPageRange[];
}

/**
 * Events the host side raises for classes whose work starts outside the guest.
 *
 * @example
 * ```ts
 * onHostEvent(channel, event) {
 *   if (event.type === 'timer') sendHeartbeat(channel, event.tag);
 *   else if (event.type === 'frame-received') lendToGuest(channel, event.bytes, event.tag);
 *   else if (event.type === 'memory-target') giveBack(channel, event);
 * },
 * ```
 */
export type VspHostEvent =
  /** A frame for this VM arrived from the wire (network). */
  | { readonly type: 'frame-received'; readonly bytes: number; readonly tag: number }
  /** A key or pointer event from the console (input). */
  | { readonly type: 'input'; readonly kind: 'key' | 'pointer'; readonly tag: number }
  /** The memory balancer wants pages back or gives pages (dynamic memory). */
  | {
      readonly type: 'memory-target';
      readonly action: 'balloon' | 'unballoon' | 'hot-add';
      readonly pages: number;
      readonly tag: number;
      /**
       * Hot-add (icsvc): the first guest page to back — the lowest hot-added page not backed yet,
       * or the top of installed memory. The VSP cannot see the guest's layout, so the host says.
       */
      readonly startPage?: number;
      /** Hot-add (icsvc): installed memory grows by this region first (L: dm_hot_add ha_region). */
      readonly region?: MemoryPageRange;
    }
  /** A timer the VSP set with `host.setTimer` fired (heartbeat). */
  | { readonly type: 'timer'; readonly tag: number };

/**
 * What the core hands a VSP when it creates it: the narrow host object.
 *
 * @example
 * ```ts
 * create(host, settings) {
 *   host.log(`${host.instance} serves ${host.device.id}`);
 *   return {
 *     onPacket(channel, packet) {
 *       host.cpu.charge(settings.requestNs); // root CPU this request costs, ns
 *       channel.complete(packet.transId, new Uint8Array(0));
 *     },
 *   };
 * },
 * ```
 */
export interface VspHost {
  /** Name of this VSP instance, e.g. `storvsp-ssd0`. */
  readonly instance: string;
  readonly settings: Readonly<Record<string, number | string | boolean>>;
  readonly device: VspDevicePort;
  readonly cpu: {
    /** Adds CPU time (ns) to the work the root VP is doing for the current call. */
    charge(ns: number): void;
  };
  /** Calls `onHostEvent` with a timer event `delayNs` from now, on `channel`. */
  setTimer(channel: VspChannel, delayNs: number, tag: number): void;
  /** Reports memory pressure a guest sent (dynamic memory VSP → the host's balancer). */
  reportMemoryPressure(channel: VspChannel, report: MemoryPressureReport): void;
  /** Reports pages the guest actually gave back or received (dynamic memory VSP). */
  reportMemoryChange(channel: VspChannel, change: MemoryChangeReport): void;
  /** Tells VMMS the guest is alive (heartbeat VSP). */
  reportHeartbeat(channel: VspChannel, sequence: number): void;
  /** A line in the run's log, attributed to this plugin. */
  log(message: string): void;
}

/**
 * What a VSP returns from its factory. Every handler is optional except `onPacket`.
 *
 * @example
 * ```ts
 * create(host) {
 *   const phase = new Map<number, string>();
 *   return {
 *     onChannelOpened: (channel) => void phase.set(channel.id, 'init'),
 *     onPacket: (channel, packet) => void channel.complete(packet.transId, new Uint8Array(0)),
 *     onChannelClosed: (channel) => {
 *       phase.delete(channel.id);
 *       host.log(`${channel.vm}/${channel.device} closed`);
 *     },
 *   };
 * },
 * ```
 */
export interface VspHandlers {
  /** The guest opened a channel (or a subchannel) this VSP serves; no packet has come yet. */
  onChannelOpened?(channel: VspChannel): void;
  /**
   * The guest sent `packet` on `channel`: a request to answer (`channel.complete` echoing its
   * `transId`), or a completion of something the VSP sent. What the handler asks for takes effect
   * when it returns; if it throws, nothing does and only this channel fails (rule 38).
   */
  onPacket(channel: VspChannel, packet: VspPacket): void;
  /** The device finished a request the VSP gave it (`host.device.submit` or `transmit`), by `tag`. */
  onDeviceCompleted?(channel: VspChannel, completion: DeviceCompletion): void;
  /** Something outside the guest happened for `channel`: a frame, input, a memory target, a timer. */
  onHostEvent?(channel: VspChannel, event: VspHostEvent): void;
  /**
   * `channel` is gone — `closed` by the guest (or its VM stopped), `rescinded` by the host, or
   * `failed` (the VSP called `channel.fail` or a handler threw): forget its state. Nothing sent
   * on it arrives any more.
   */
  onChannelClosed?(channel: VspChannel, reason: 'closed' | 'rescinded' | 'failed'): void;
}

/**
 * Where in a natively loaded plugin's code a fault came from, as text for a message —
 * `at onPacket (src/index.ts:12:5)`, a file relative to the plugin's root (or the repository's,
 * for a built-in), never an absolute path — or undefined when its stack does not say. `thrown` is
 * what the call threw (or an Error the host made where the plugin misused it); `handler` is the
 * plugin's handler the host called, for a thrown value that carries no stack (undefined for
 * `create`, whose own function the SDK's loader knows, and for misuse). The core keeps no stack
 * parsing of its own: the loader, which knows how the plugin's code was loaded, injects this.
 *
 * @example
 * ```ts
 * const locateFault: FaultLocator = (thrown) =>
 *   thrown instanceof Error ? firstPluginFrame(thrown.stack) : undefined;
 * ```
 */
export type FaultLocator = (thrown: unknown, handler: unknown) => string | undefined;

/** The plugin code a {@link VspCallObserver} is told of: `create`, or one of the handlers. */
export type VspCallName =
  | 'create'
  | 'onChannelOpened'
  | 'onPacket'
  | 'onDeviceCompleted'
  | 'onHostEvent'
  | 'onChannelClosed';

/**
 * Told by the VSP runtime when a call into a plugin's code starts and when it ends — `create`, then
 * each handler — for a module that has one (none has but a `--trusted-plugin` run's: the CLI's
 * watchdog publishes the call where another thread sees one that never returns). Every `enter`
 * is followed by one `exit`, the call's throw included. It must only record: it runs on every
 * call, and the run must not depend on it.
 */
export interface VspCallObserver {
  enter(call: VspCallName, channel: VspChannel | null): void;
  exit(): void;
}

/**
 * The sizes the sandbox lets through one call (plugins/sandbox/limits.ts), for a plugin that runs
 * natively but must behave as it would in the sandbox (`--trusted-plugin`): each check throws,
 * in the sandbox's words, where the sandbox would have thrown inside the plugin's call.
 */
export interface SandboxSizeChecks {
  /** `what` (e.g. `channel.complete: payload`) of `bytes` bytes: one completion, send or write. */
  checkPayloadSize(what: string, bytes: number): void;
  /** One `memory.readGpadl` of `length` bytes. */
  checkGpadlReadSize(length: number): void;
}

/**
 * A VSP implementation as the core loads it (the SDK's `defineVsp` produces one).
 *
 * @example
 * ```ts
 * // What a host makes of a plugin's definition (authors write defineVsp and never build one):
 * const vsp = toVspModule(definition, {
 *   source: 'my-vsp.ts',
 *   builtIn: false,
 *   isolation: 'native',
 *   digest: 'dev',
 * });
 * const handlers = vsp.create(host);
 * ```
 */
export interface VspModule {
  /** Namespaced id, e.g. `hyperkata.storvsp`. */
  readonly id: string;
  readonly deviceClass: DeviceClass;
  /** Where it runs: built-ins natively, untrusted plugins in the sandbox. */
  readonly isolation: 'native' | 'sandbox';
  /** A digest of the plugin's code, recorded in replays so a run names exactly what ran. */
  readonly digest: string;
  /**
   * Where in the plugin's own code a failed call went wrong, said as the sandbox says it
   * (`at onPacket (src/index.ts:12:5)`); set by whoever loaded the plugin natively. Called only
   * when a call failed, never per packet.
   */
  readonly locateFault?: FaultLocator;
  /**
   * Held natively to the sandbox's sizes: what a completion, send or memory access of the
   * plugin's may carry (the loader sets it for a trusted plugin). Absent: no limit of its own.
   */
  readonly sandboxSizes?: SandboxSizeChecks;
  /** Told of each call into the plugin's code (see {@link VspCallObserver}); absent for all but a watched run. */
  readonly observer?: VspCallObserver;
  /** Problems with an instance's settings, located under `path` (checked before the run). */
  checkSettings?(
    settings: Readonly<Record<string, number | string | boolean>>,
    path: readonly (string | number)[],
  ): InputIssue[];
  create(host: VspHost): VspHandlers;
}
