/**
 * The host side of Dynamic Memory: the VSP the guest's balloon driver talks to. It accepts a
 * protocol version the host knows and the driver's capabilities, relays each once-a-second
 * status report to the host's balancer (`reportMemoryPressure`), and turns the balancer's
 * decisions ('memory-target' events) into requests, one at a time:
 *
 * - balloon → DM_BALLOON_REQUEST, in 2 MiB units (L: "The host balloons pages in 2M
 *   granularity"); the guest's DM_BALLOON_RESPONSEs list the pages it gave;
 * - unballoon → DM_UNBALLOON_REQUEST listing ballooned pages, lowest first, until the guest's
 *   DM_UNBALLOON_RESPONSE;
 * - hot-add → DM_MEM_HOT_ADD_REQUEST with the page range to back and the region to add first;
 *   the guest's DM_MEM_HOT_ADD_RESPONSE says how many pages it brought online.
 *
 * What the guest actually did goes back to the host with `reportMemoryChange`; the host's
 * memory manager checks it again before changing anything. Every unballoon and hot-add target
 * gets an answer — 0 pages when the guest brought nothing online or the VSP could not ask — so
 * the host can release the pages it set aside for it. A malformed message, a message only
 * the host sends, or a response nobody asked for stops the channel (rules 37–38).
 *
 * L: drivers/hv/hv_balloon.c. HYPERV.md rules 33–34.
 */
import { decoderRefusal, vspFailure } from '../../core/vsp/failure-reasons.js';
import {
  DM_PAGE_RANGE_MAX_COUNT,
  DynmemProtocolVersion,
  decodeDmMessage,
  encodeDmMessage,
} from '../../core/protocols/index.js';
import type { DmMessage, DmPageRange } from '../../core/protocols/index.js';
import type { VspChannel, VspHandlers, VspHost, VspHostEvent, VspPacket } from '../sdk/index.js';
import { BalloonedPages } from './ballooned-pages.js';

// estimate: root CPU to decode, check and act on one Dynamic Memory message, or to build one.
export const DM_HOST_MESSAGE_NS = 3_000;
// estimate: root CPU per page range the host checks or lists.
export const DM_HOST_NS_PER_RANGE = 50;
/** L: hv_balloon.c — "The host balloons pages in 2M granularity" (PAGES_IN_2M = 512). */
export const BALLOON_GRANULARITY_PAGES = 512;
/** Ranges in one unballoon request: a one-page message, as the guest's responses are. */
const UNBALLOON_MAX_RANGES = (4096 - 16) / 8;
/** Versions a WS2016+ host accepts (L: DYNMEM_PROTOCOL_VERSION_WIN10, _WIN8, _WIN7). */
const HOST_VERSIONS: readonly number[] = [
  DynmemProtocolVersion.WIN10,
  DynmemProtocolVersion.WIN8,
  DynmemProtocolVersion.WIN7,
];

type MemoryTarget = Extract<VspHostEvent, { type: 'memory-target' }>;

interface Operation {
  readonly action: MemoryTarget['action'];
  readonly tag: number;
  /** Pages asked for. */
  readonly requested: number;
  /** Pages the guest gave so far (balloon). */
  given: number;
}

interface DmChannel {
  phase: 'version' | 'capabilities' | 'ready';
  version: number;
  hotAdd: boolean;
  readonly ballooned: BalloonedPages;
  readonly queue: MemoryTarget[];
  current: Operation | null;
  transactionId: number;
}

/** Creates the Dynamic Memory VSP's handlers for one VSP instance. */
export function createDynmemVsp(host: VspHost): VspHandlers {
  const channels = new Map<number, DmChannel>();
  const buffer = new Uint8Array(4096);

  const send = (channel: VspChannel, state: DmChannel, message: DmMessage): void => {
    host.cpu.charge(DM_HOST_MESSAGE_NS);
    const length = encodeDmMessage(message, buffer, 0);
    channel.send(buffer.subarray(0, length));
    state.transactionId = (state.transactionId + 1) >>> 0;
  };

  /** Starts the next queued target, skipping those with nothing to do. */
  const startNext = (channel: VspChannel, state: DmChannel): void => {
    while (state.current === null && state.queue.length > 0) {
      const target = state.queue.shift();
      if (target !== undefined) start(channel, state, target);
    }
  };

  const start = (channel: VspChannel, state: DmChannel, t: MemoryTarget): void => {
    const transactionId = state.transactionId;
    if (t.action === 'balloon') {
      const pages = Math.min(t.pages, 0xffff_ffff);
      const numPages = pages - (pages % BALLOON_GRANULARITY_PAGES);
      if (numPages <= 0) return;
      state.current = { action: 'balloon', tag: t.tag, requested: numPages, given: 0 };
      send(channel, state, { kind: 'balloonRequest', transactionId, numPages });
      return;
    }
    if (t.action === 'unballoon') {
      const ranges = state.ballooned.takeLowest(t.pages);
      const pages = ranges.reduce((sum, r) => sum + r.pageCount, 0);
      if (pages === 0) {
        host.reportMemoryChange(channel, { action: 'unballoon', pages: 0, tag: t.tag });
        return;
      }
      state.current = { action: 'unballoon', tag: t.tag, requested: pages, given: 0 };
      host.cpu.charge(ranges.length * DM_HOST_NS_PER_RANGE);
      for (let i = 0; i < ranges.length; i += UNBALLOON_MAX_RANGES) {
        const part = ranges.slice(i, i + UNBALLOON_MAX_RANGES);
        send(channel, state, {
          kind: 'unballoonRequest',
          transactionId: state.transactionId,
          morePages: i + UNBALLOON_MAX_RANGES < ranges.length,
          ranges: part,
        });
      }
      return;
    }
    const startPage = t.startPage;
    const pages = Math.min(t.pages, DM_PAGE_RANGE_MAX_COUNT);
    if (!state.hotAdd || startPage === undefined || !isPageRange({ startPage, pageCount: pages })) {
      host.reportMemoryChange(channel, { action: 'hot-add', pages: 0, tag: t.tag });
      return;
    }
    const region = t.region !== undefined && isPageRange(t.region) ? t.region : undefined;
    state.current = { action: 'hot-add', tag: t.tag, requested: pages, given: 0 };
    send(channel, state, {
      kind: 'hotAddRequest',
      transactionId,
      range: { startPage, pageCount: pages },
      region,
    });
  };

  const finish = (channel: VspChannel, state: DmChannel): void => {
    state.current = null;
    startNext(channel, state);
  };

  /** The guest's answer to the current operation; false when it answers nothing asked. */
  const answer = (channel: VspChannel, state: DmChannel, m: DmMessage): boolean => {
    const op = state.current;
    switch (m.kind) {
      case 'balloonResponse': {
        if (op?.action !== 'balloon') return false;
        return balloonResponse(channel, state, op, m.ranges, m.morePages);
      }
      case 'unballoonResponse':
        if (op?.action !== 'unballoon') return false;
        host.reportMemoryChange(channel, { action: 'unballoon', pages: op.requested, tag: op.tag });
        finish(channel, state);
        return true;
      case 'hotAddResponse': {
        if (op?.action !== 'hot-add') return false;
        const pages = m.result === 1 ? Math.min(m.pageCount, op.requested) : 0;
        host.reportMemoryChange(channel, { action: 'hot-add', pages, tag: op.tag });
        // L: hot_add_req — success with no pages is a permanent failure: ask no more.
        if (m.result === 1 && pages === 0) state.hotAdd = false;
        finish(channel, state);
        return true;
      }
      default:
        return false;
    }
  };

  const balloonResponse = (
    channel: VspChannel,
    state: DmChannel,
    op: Operation,
    ranges: readonly DmPageRange[],
    morePages: boolean,
  ): boolean => {
    host.cpu.charge(ranges.length * DM_HOST_NS_PER_RANGE);
    let pages = 0;
    for (const r of ranges) pages += r.pageCount;
    if (op.given + pages > op.requested) {
      channel.fail(
        vspFailure('dynmem.tooManyPages', { pages: op.given + pages, requested: op.requested }),
      );
      return true;
    }
    for (const r of ranges) {
      if (!state.ballooned.add(r)) {
        channel.fail(
          vspFailure('dynmem.rangeTwiceOrEmpty', { start: r.startPage, count: r.pageCount }),
        );
        return true;
      }
    }
    op.given += pages;
    if (pages > 0)
      host.reportMemoryChange(channel, { action: 'balloon', pages, tag: op.tag, ranges });
    if (!morePages) finish(channel, state);
    return true;
  };

  return {
    onChannelOpened(channel) {
      channels.set(channel.id, {
        phase: 'version',
        version: 0,
        hotAdd: false,
        ballooned: new BalloonedPages(),
        queue: [],
        current: null,
        transactionId: 1,
      });
    },

    onPacket(channel: VspChannel, packet: VspPacket) {
      host.cpu.charge(DM_HOST_MESSAGE_NS);
      const state = channels.get(channel.id);
      if (state === undefined) return;
      if (packet.kind !== 'inband') {
        channel.fail(
          vspFailure('packet.notInband', { protocol: 'dynamic-memory', kind: packet.kind }),
        );
        return;
      }
      const decoded = decodeDmMessage(packet.payload, 0, packet.payload.length);
      if (!decoded.ok) {
        channel.fail(
          vspFailure('message.malformed', {
            protocol: 'dynamic-memory',
            ...decoderRefusal(decoded),
          }),
        );
        return;
      }
      const m = decoded.value;
      switch (m.kind) {
        case 'versionRequest': {
          if (state.phase !== 'version') break;
          const accepted = HOST_VERSIONS.includes(m.version);
          if (accepted) {
            state.version = m.version;
            state.phase = 'capabilities';
          }
          send(channel, state, {
            kind: 'versionResponse',
            transactionId: m.transactionId,
            isAccepted: accepted,
          });
          return;
        }
        case 'capabilitiesReport': {
          if (state.phase !== 'capabilities') break;
          // Without a balloon the host cannot balance: refuse, and the guest stops the service.
          state.hotAdd = m.hotAdd;
          if (m.balloon) state.phase = 'ready';
          send(channel, state, {
            kind: 'capabilitiesResponse',
            transactionId: m.transactionId,
            isAccepted: m.balloon,
          });
          return;
        }
        case 'statusReport': {
          if (state.phase !== 'ready') return;
          const held = m.numCommitted + m.numAvailable;
          host.reportMemoryPressure(channel, {
            // The guest's own view: how much of what it has is committed.
            pressurePercent: held > 0 ? Math.round((100 * m.numCommitted) / held) : 0,
            committedPages: m.numCommitted,
            availablePages: m.numAvailable,
          });
          return;
        }
        default:
          if (state.phase === 'ready' && answer(channel, state, m)) return;
      }
      channel.fail(vspFailure('dynmem.unexpected', { message: m.kind }));
    },

    onHostEvent(channel, event) {
      const state = channels.get(channel.id);
      if (event.type !== 'memory-target' || state?.phase !== 'ready') return;
      if (!Number.isSafeInteger(event.pages) || event.pages <= 0) return;
      state.queue.push(event);
      startNext(channel, state);
    },

    onChannelClosed(channel) {
      channels.delete(channel.id);
    },
  };
}

function isPageRange(r: DmPageRange): boolean {
  return (
    Number.isSafeInteger(r.startPage) &&
    Number.isSafeInteger(r.pageCount) &&
    r.startPage >= 0 &&
    r.startPage < 2 ** 40 &&
    r.pageCount > 0 &&
    r.pageCount <= DM_PAGE_RANGE_MAX_COUNT
  );
}
