/**
 * The examples on the VSP types a plugin author sees on hover (`hyperkata/sdk` re-exports them
 * from core/vsp/types.ts and core/model): each is a fragment of a handler, so each sits here inside
 * a small plugin that gives its free names a meaning. core/tsdoc.test.ts checks that every TSDoc
 * example is, verbatim, one of these regions, and runs the plugins through the SDK's harness.
 */
import { defineVsp, toVspModule } from '../../../plugins/sdk/index.js';
import {
  DEVICE_CLASS_GUIDS,
  IDE_ACCELERATOR_CLASS_GUID,
  type FaultLocator,
  type MemoryPageRange,
  type VspChannel,
  type VspHandlers,
  type VspHost,
} from '../../../plugins/sdk/index.js';
import { decodeVstorRequest } from '../../../core/protocols/index.js';

/** The part of a storage request these examples keep while the disk works. */
interface Srb {
  readonly dataTransferLength: number;
}

const answer = new Uint8Array(0);

/** Completes a storage request, with a status byte of 1 (success) or 4 (error). */
function finish(channel: VspChannel, transId: number, srb: Srb, ok: boolean): void {
  channel.complete(transId, Uint8Array.of(ok ? 1 : 4, srb.dataTransferLength & 0xff));
}

/** A storage VSP that writes each request's bytes to its disk and completes when the disk is done. */
export const writesToDisk = defineVsp({
  id: 'examples.writes-to-disk',
  sdk: '^1.0.0',
  deviceClass: 'storage',
  create(host) {
    const inFlight = new Map<number, { transId: number; srb: Srb }>();
    let nextTag = 1;
    return {
      onPacket(channel, packet) {
        const tag = nextTag++;
        const srb: Srb = { dataTransferLength: 4096 };
        const offsetBytes = 0;
        const bytes = srb.dataTransferLength;
        // #region BlockDevicePort
        if (host.device.kind === 'block') {
          inFlight.set(tag, { transId: packet.transId, srb });
          host.device.submit(channel, { op: 'write', offsetBytes, bytes, tag });
        } // onDeviceCompleted(channel, { tag, status, bytes }) says when the disk is done
        // #endregion BlockDevicePort
      },
      // #region DeviceCompletion
      onDeviceCompleted(channel, completion) {
        const request = inFlight.get(completion.tag);
        if (request === undefined) return;
        inFlight.delete(completion.tag);
        finish(channel, request.transId, request.srb, completion.status === 'ok');
      },
      // #endregion DeviceCompletion
    };
  },
});

/** A storage VSP that reads 4 KiB at LBA 8 for each request, into the pages the guest granted. */
export const readsFromDisk = defineVsp({
  id: 'examples.reads-from-disk',
  sdk: '^1.0.0',
  deviceClass: 'storage',
  create(host) {
    const inFlight = new Map<number, number>();
    let nextTag = 1;
    const lba = 8;
    return {
      onPacket(channel, packet) {
        const srb: Srb = { dataTransferLength: 4096 };
        // #region ChannelMemory
        // A read of srb.dataTransferLength bytes from the disk lands in the pages the packet granted:
        const granted = channel.memory.touchRanges(packet, srb.dataTransferLength, true);
        if (!granted.ok) {
          finish(channel, packet.transId, srb, false); // refused: the pages are not the guest's
          return;
        }
        // #endregion ChannelMemory
        // #region GpaRange
        // The guest pages that hold a storage request's data:
        for (const { byteCount, byteOffset, pfns } of packet.ranges)
          host.log(`${byteCount} bytes at offset ${byteOffset} of page ${pfns[0]}`);
        // #endregion GpaRange
        const tag = nextTag++;
        inFlight.set(tag, packet.transId);
        // #region BlockRequest
        if (host.device.kind === 'block')
          host.device.submit(channel, { op: 'read', offsetBytes: lba * 512, bytes: 4096, tag });
        // #endregion BlockRequest
      },
      onDeviceCompleted(channel, completion) {
        const transId = inFlight.get(completion.tag);
        inFlight.delete(completion.tag);
        if (transId !== undefined)
          finish(channel, transId, { dataTransferLength: completion.bytes }, true);
      },
    };
  },
});

/** A storage VSP that checks each request and answers it at once. */
export const answersAtOnce = defineVsp({
  id: 'examples.answers-at-once',
  sdk: '^1.0.0',
  deviceClass: 'storage',
  create(host) {
    const kept: Uint8Array[] = [];
    return {
      onChannelOpened(channel) {
        // #region DEVICE_CLASS_GUIDS
        if (channel.classGuid === DEVICE_CLASS_GUIDS.storage)
          host.log(`${channel.device}: synthetic SCSI`);
        // #endregion DEVICE_CLASS_GUIDS
        // #region IDE_ACCELERATOR_CLASS_GUID
        // The IDE accelerator carries one channel: storvsp offers it no subchannels (O: build_ide).
        const maxSubchannels =
          channel.classGuid === IDE_ACCELERATOR_CLASS_GUID ? 0 : (channel.guestVps - 1) >> 2;
        // #endregion IDE_ACCELERATOR_CLASS_GUID
        host.log(`${channel.device}: up to ${maxSubchannels} subchannel(s)`);
      },
      // #region VspPacket
      onPacket(channel, packet) {
        const request = decodeVstorRequest(packet.payload, 0, packet.payload.length);
        if (!request.ok) {
          channel.fail(`malformed storage request: ${request.detail}`);
          return;
        }
        kept.push(packet.payload.slice()); // a copy: the payload is reused after the call
        channel.complete(packet.transId, answer);
      },
      // #endregion VspPacket
    };
  },
});

/** Answers each request; forgets what it tracked for a VM that has gone away meanwhile. */
export const forgetsClosed = defineVsp({
  id: 'examples.forgets-closed',
  sdk: '^1.0.0',
  deviceClass: 'storage',
  create(host) {
    const inFlight = new Map<number, number>();
    let nextTag = 1;
    return {
      // #region VspChannel
      onPacket(channel, packet) {
        host.log(`${channel.vm}/${channel.device} (subchannel ${channel.subchannelIndex})`);
        // The completion echoes the guest's transId (rule 3):
        if (packet.completionRequested) channel.complete(packet.transId, answer);
        else channel.fail('storage requests must ask for a completion');
      },
      // #endregion VspChannel
      onDeviceCompleted(channel, completion) {
        const tag = nextTag++;
        inFlight.set(tag, completion.tag);
        const packet = { transId: completion.tag };
        // #region SendResult
        if (channel.complete(packet.transId, answer) === 'closed') inFlight.delete(tag); // the VM is gone
        // #endregion SendResult
      },
    };
  },
});

/** A network VSP that sends every frame the guest hands it and frees the section once it left. */
export const sendsFrames = defineVsp({
  id: 'examples.sends-frames',
  sdk: '^1.0.0',
  deviceClass: 'network',
  create(host) {
    const free = new Set<number>();
    function freeSection(section: number): void {
      free.add(section);
    }
    return {
      // #region VspPacketKind
      onPacket(channel, packet) {
        // netvsc completes the receive packets the VSP lent it: no request to answer.
        if (packet.kind === 'completion') freeSection(packet.transId);
        else channel.complete(packet.transId, answer); // 'inband' and 'gpa-direct' are requests
      },
      // #endregion VspPacketKind
      onDeviceCompleted(channel, completion) {
        const section = completion.tag;
        const frameBytes = completion.bytes;
        // #region NetworkPort
        if (host.device.kind === 'network') host.device.transmit(channel, frameBytes, section);
        // onDeviceCompleted(channel, { tag: section, status, bytes }): the frame left, free its section
        // #endregion NetworkPort
      },
    };
  },
});

/** Whatever device it is bound to, it flushes or sends once per request. */
export const anyDevice = defineVsp({
  id: 'examples.any-device',
  sdk: '^1.0.0',
  deviceClass: 'storage',
  create(host) {
    // #region VirtualDevicePort
    // A heartbeat or dynamic-memory VSP has no hardware behind it:
    if (host.device.kind === 'virtual') host.log(`serving ${host.device.id}`);
    // #endregion VirtualDevicePort
    return {
      onPacket(channel, packet) {
        const tag = packet.transId;
        const frameBytes = packet.payload.length;
        // #region VspDevicePort
        switch (host.device.kind) {
          case 'block':
            host.device.submit(channel, { op: 'flush', offsetBytes: 0, bytes: 0, tag });
            break;
          case 'network':
            host.device.transmit(channel, frameBytes, tag);
            break;
          case 'virtual':
            break;
        }
        // #endregion VspDevicePort
      },
    };
  },
});

/** The smallest VSP: it completes every request with nothing and tracks each channel's phase. */
export const smallest = defineVsp({
  id: 'examples.smallest',
  sdk: '^1.0.0',
  deviceClass: 'storage',
  // #region VspHandlers
  create(host) {
    const phase = new Map<number, string>();
    return {
      onChannelOpened: (channel) => void phase.set(channel.id, 'init'),
      onPacket: (channel, packet) => void channel.complete(packet.transId, new Uint8Array(0)),
      onChannelClosed: (channel) => {
        phase.delete(channel.id);
        host.log(`${channel.vm}/${channel.device} closed`);
      },
    };
  },
  // #endregion VspHandlers
});

/** A VSP whose every request costs the root the CPU time its setting says. */
export const chargesCpu = defineVsp({
  id: 'examples.charges-cpu',
  sdk: '^1.0.0',
  deviceClass: 'storage',
  settings: {
    requestNs: {
      type: 'integer',
      default: 2_000,
      min: 0,
      max: 1_000_000,
      description: 'root CPU per request, ns',
    },
  },
  // #region VspHost
  create(host, settings) {
    host.log(`${host.instance} serves ${host.device.id}`);
    return {
      onPacket(channel, packet) {
        host.cpu.charge(settings.requestNs); // root CPU this request costs, ns
        channel.complete(packet.transId, new Uint8Array(0));
      },
    };
  },
  // #endregion VspHost
});

/** A dynamic-memory VSP in miniature: relays pressure, answers memory targets, beats the heart. */
export const memoryAndTimers = defineVsp({
  id: 'examples.memory-and-timers',
  sdk: '^1.0.0',
  deviceClass: 'dynamic-memory',
  create(host) {
    function sendHeartbeat(channel: VspChannel, sequence: number): void {
      host.reportHeartbeat(channel, sequence);
      host.setTimer(channel, 1_000_000_000, sequence + 1);
    }
    function lendToGuest(channel: VspChannel, bytes: number, tag: number): void {
      channel.send(Uint8Array.of(bytes & 0xff), { transId: tag });
    }
    return {
      onPacket(channel, packet) {
        // #region MemoryPressureReport
        host.reportMemoryPressure(channel, { pressurePercent: 80, committedPages: 262_144 });
        // #endregion MemoryPressureReport
        channel.complete(packet.transId, answer);
      },
      // #region VspHostEvent
      onHostEvent(channel, event) {
        if (event.type === 'timer') sendHeartbeat(channel, event.tag);
        else if (event.type === 'frame-received') lendToGuest(channel, event.bytes, event.tag);
        else if (event.type === 'memory-target') giveBack(channel, event);
      },
      // #endregion VspHostEvent
    };
    function giveBack(channel: VspChannel, event: { readonly tag: number }): void {
      // #region MemoryPageRange
      const range: MemoryPageRange = { startPage: 0x10000, pageCount: 512 }; // 2 MiB at 256 MiB
      // #endregion MemoryPageRange
      const ranges = [range];
      // #region MemoryChangeReport
      // The guest gave back the pages a balloon target asked for:
      host.reportMemoryChange(channel, { action: 'balloon', pages: 512, tag: event.tag, ranges });
      // #endregion MemoryChangeReport
    }
  },
});

/** A VSP that reads a header from the send buffer the guest shared, as netvsp's RNDIS path does. */
export const readsSendBuffer = defineVsp({
  id: 'examples.reads-send-buffer',
  sdk: '^1.0.0',
  deviceClass: 'network',
  create() {
    const sendBuffer = 1;
    return {
      onPacket(channel, packet) {
        const offset = packet.transId % 4096;
        // #region MemoryAccessResult
        const header = channel.memory.readGpadl(sendBuffer, offset, 44);
        if (!header.ok) {
          channel.fail(header.reason); // a section outside what the guest shared
          return;
        }
        const bytes: Uint8Array = header.value;
        // #endregion MemoryAccessResult
        channel.complete(packet.transId, bytes.subarray(0, 4));
      },
    };
  },
});

/** The plugin file of a network VSP: its default export is the definition. */
function create(host: VspHost): VspHandlers {
  host.log(`${host.instance} serves ${host.device.id}`);
  return { onPacket: (channel, packet) => void channel.complete(packet.transId, answer) };
}
// #region DeviceClass
export default defineVsp({ id: 'acme.my-nic', sdk: '^1.0.0', deviceClass: 'network', create });
// #endregion DeviceClass

/** What a host does with a definition, and how it places a plugin's fault. */
export function hostSide(host: VspHost): VspHandlers {
  const definition = smallest;
  // #region VspModule
  // What a host makes of a plugin's definition (authors write defineVsp and never build one):
  const vsp = toVspModule(definition, {
    source: 'my-vsp.ts',
    builtIn: false,
    isolation: 'native',
    digest: 'dev',
  });
  const handlers = vsp.create(host);
  // #endregion VspModule
  return handlers;
}

function firstPluginFrame(stack: string | undefined): string | undefined {
  return stack?.split('\n').find((line) => line.includes('my-vsp.ts'));
}

// #region FaultLocator
const locateFault: FaultLocator = (thrown) =>
  thrown instanceof Error ? firstPluginFrame(thrown.stack) : undefined;
// #endregion FaultLocator
export { locateFault };

/** A video VSP that speaks in-band only: any other packet stops the channel, said by id. */
export const inbandOnly = defineVsp({
  id: 'examples.inband-only',
  sdk: '^1.2.0',
  deviceClass: 'video',
  create() {
    return {
      // #region VspFailureReason
      onPacket(channel, packet) {
        if (packet.kind !== 'inband') {
          // An id the game translates; its English: "synthvid carries in-band messages only, …"
          channel.fail({
            id: 'packet.notInband',
            args: { protocol: 'synthvid', kind: packet.kind },
          });
          return;
        }
        channel.complete(packet.transId, answer);
      },
      // #endregion VspFailureReason
    };
  },
});
