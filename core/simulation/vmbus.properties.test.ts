/**
 * Property-based checks of the VMBus rules (HYPERV.md rules 1–15) end to end, on random but valid
 * hosts built through the public API (`Simulation.create` with plain scenario and configuration
 * data and the built-in storvsp and netvsp) and read back only through what a caller of the API
 * sees: the report, the narration and — for what crosses a channel — the plugin API, as a VSP
 * author sees it (each packet the guest sent, each completion and message the VSP sent back).
 * Hosts mix VM counts, workloads and intensities, ring sizes, storvsp queue depths, subchannels,
 * vRSS queues, root VP counts, batched (monitor page) and low-latency channels, and legacy guests
 * on emulated devices. Seeds are fixed: a failure names its counterexample and replays.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { NS_PER_MS } from '../engine/index.js';
import type { HostOs, WorkloadKind } from '../model/index.js';
import { BUILT_IN_VSPS } from '../../plugins/index.js';
import type { VspChannel, VspHandlers, VspModule } from '../vsp/types.js';
import { HostChannel } from '../vsp/host-channel.js';
import { storvscMaxOutstandingRequests } from '../vmbus/ring/ring-sizes.js';
import type { VmbusRingReader } from '../vmbus/ring/ring-reader.js';
import { valuesOf, vmOf } from './by-name.js';
import type { NarrationLine } from './event-log.js';
import { Simulation } from './simulation.js';
import { wrapVsp } from '../vsp/testing/wrap-vsp.js';
import { buildBusHost, vmName } from './testing/random-bus-host.js';
import type { RandomBusHost, RandomBusVm } from './testing/random-bus-host.js';

/** Legacy guests and ring sizes drawn; no hostile guest, no SR-IOV, storvsp's newest protocol. */
type BusVm = Omit<RandomBusVm, 'enlightened' | 'storageRingKiB' | 'networkRingKiB' | 'hostile'> & {
  readonly enlightened: boolean;
  readonly storageRingKiB: number | undefined;
  readonly networkRingKiB: number | undefined;
};

type BusHost = Omit<RandomBusHost, 'vms' | 'sriov' | 'storageVersion'> & {
  readonly vms: readonly BusVm[];
};

const ringKiB = fc.option(
  fc.oneof(
    fc.constantFrom(16, 32, 128, 512),
    fc.integer({ min: 4, max: 128 }).map((n) => 4 * n),
  ),
  { nil: undefined },
);

const busVm = (maxVps: number): fc.Arbitrary<BusVm> =>
  fc.record({
    enlightened: fc.oneof(
      { weight: 5, arbitrary: fc.constant(true) },
      { weight: 1, arbitrary: fc.constant(false) },
    ),
    vps: fc.integer({ min: 1, max: maxVps }),
    kind: fc.constantFrom<WorkloadKind>('database', 'web', 'file', 'desktop', 'batch', 'idle'),
    intensity: fc.constantFrom(0.5, 1, 3, 10),
    network: fc.boolean(),
    storageRingKiB: ringKiB,
    networkRingKiB: ringKiB,
    batched: fc.boolean(),
  });

function busHost(options: { maxVms?: number; os?: readonly HostOs[] } = {}): fc.Arbitrary<BusHost> {
  return fc
    .record({
      os: fc.constantFrom<HostOs>(...(options.os ?? ['ws2016', 'ws2019', 'ws2022'])),
      cores: fc.integer({ min: 2, max: 4 }),
      rootVps: fc.integer({ min: 1, max: 2 }),
      queueDepth: fc.oneof(fc.constantFrom(1, 4, 256), fc.integer({ min: 1, max: 512 })),
      maxSubchannels: fc.integer({ min: -1, max: 3 }),
      maxQueues: fc.integer({ min: 1, max: 8 }),
      slowDisk: fc.boolean(),
      seed: fc.integer({ min: 1, max: 1000 }),
    })
    .chain((h) =>
      fc
        .array(busVm(2 * h.cores), { minLength: 1, maxLength: options.maxVms ?? 4 })
        .map((vms) => ({ ...h, vms })),
    );
}

/** What crossed one channel, as its VSP saw it. */
interface ChannelLog {
  readonly vm: string;
  readonly device: string;
  readonly subchannel: number;
  /** Guest requests asking for a completion, by trans_id → when the VSP received it. */
  readonly guestRequests: Map<number, number>;
  /** Host messages asking for a completion (netvsp's receives), by trans_id. */
  readonly hostRequests: Set<number>;
  received: number;
  completedByVsp: number;
  completedByGuest: number;
  /** Host→guest packets: completions, messages and transfer pages the VSP sent. */
  hostPackets: number;
  /**
   * Times the host, reading the guest→host ring, woke the guest's blocked writer (rule 6: free
   * space crossed its pending_send_sz). The plugin API does not show it: read from the host's ring
   * reader behind the channel.
   */
  readonly writerWakeups: () => number;
  /** A request whose trans_id was still in flight (rule 3: each names one request). */
  reusedInFlight: number;
  /** Completions echoing no trans_id in flight (or one already completed), either way. */
  stray: number;
  /** The most guest requests in flight at the VSP at once. */
  peakInFlight: number;
  closed: string | null;
}

/** The host's reader of `channel`'s guest→host ring (the channel a VSP is handed is the host's). */
function hostReader(channel: VspChannel): VmbusRingReader {
  if (!(channel instanceof HostChannel))
    throw new Error('a VSP was handed a channel not the host’s');
  return channel.transport.reader;
}

interface Observer {
  readonly channels: ChannelLog[];
  readonly modules: VspModule[];
}

/**
 * The built-in VSPs, each channel they are handed replaced by the same stand-in every time (the
 * channel itself through the prototype) that counts what the VSP sends; each handler counts what
 * the guest sent. Nothing the VSP does changes.
 */
function observed(now: () => number, extra?: (m: VspModule) => VspModule): Observer {
  const channels: ChannelLog[] = [];
  const modules = BUILT_IN_VSPS.map((base) => {
    const module = extra?.(base) ?? base;
    return {
      ...module,
      create(host) {
        const inner = module.create(host);
        const stand = new WeakMap<VspChannel, VspChannel>();
        const stands = new WeakMap<VspChannel, ChannelLog>();
        const d = (channel: VspChannel): VspChannel => {
          if (stands.has(channel)) return channel;
          let s = stand.get(channel);
          if (s === undefined) {
            const log: ChannelLog = {
              vm: channel.vm,
              device: channel.device,
              subchannel: channel.subchannelIndex,
              guestRequests: new Map(),
              hostRequests: new Set(),
              received: 0,
              completedByVsp: 0,
              completedByGuest: 0,
              hostPackets: 0,
              writerWakeups: () => hostReader(channel).writerSignals,
              reusedInFlight: 0,
              stray: 0,
              peakInFlight: 0,
              closed: null,
            };
            channels.push(log);
            s = Object.assign(Object.create(channel) as VspChannel, {
              complete(transId: number, payload: Uint8Array) {
                log.hostPackets++;
                log.completedByVsp++;
                if (!log.guestRequests.delete(transId)) log.stray++;
                return channel.complete(transId, payload);
              },
              send(
                payload: Uint8Array,
                options?: { transId?: number; completionRequested?: boolean },
              ) {
                log.hostPackets++;
                if (options?.completionRequested === true)
                  log.hostRequests.add(options.transId ?? 0);
                return channel.send(payload, options);
              },
              sendTransferPages(
                pageSetId: number,
                ranges: readonly { byteOffset: number; byteCount: number }[],
                payload: Uint8Array,
                transId: number,
              ) {
                log.hostPackets++;
                log.hostRequests.add(transId);
                return channel.sendTransferPages(pageSetId, ranges, payload, transId);
              },
            });
            stand.set(channel, s);
            stands.set(s, log);
          }
          return s;
        };
        const logOf = (s: VspChannel) => stands.get(s) as ChannelLog;
        const handlers: VspHandlers = {
          onPacket: (c, p) => {
            const s = d(c);
            const log = logOf(s);
            log.received++;
            if (p.kind === 'completion') {
              log.completedByGuest++;
              if (!log.hostRequests.delete(p.transId)) log.stray++;
            } else if (p.completionRequested) {
              if (log.guestRequests.has(p.transId)) log.reusedInFlight++;
              log.guestRequests.set(p.transId, now());
              log.peakInFlight = Math.max(log.peakInFlight, log.guestRequests.size);
            }
            inner.onPacket(s, p);
          },
        };
        if (inner.onChannelOpened) handlers.onChannelOpened = (c) => inner.onChannelOpened?.(d(c));
        if (inner.onDeviceCompleted)
          handlers.onDeviceCompleted = (c, x) => inner.onDeviceCompleted?.(d(c), x);
        if (inner.onHostEvent) handlers.onHostEvent = (c, e) => inner.onHostEvent?.(d(c), e);
        handlers.onChannelClosed = (c, r) => {
          const s = d(c);
          logOf(s).closed = r;
          inner.onChannelClosed?.(s, r);
        };
        return handlers;
      },
    } satisfies VspModule;
  });
  return { channels, modules };
}

interface Run {
  readonly sim: Simulation;
  readonly observer: Observer;
  readonly lines: NarrationLine[];
}

function start(
  h: BusHost,
  durationMs: number,
  options: { batched?: boolean; extra?: (m: VspModule) => VspModule } = {},
): Run {
  let sim: Simulation | null = null;
  const observer = observed(() => sim?.now ?? 0, options.extra);
  const { scenario, configuration } = buildBusHost(h, durationMs, options.batched);
  sim = Simulation.create({ scenario, configuration, vsps: observer.modules });
  const lines: NarrationLine[] = [];
  sim.on((l) => lines.push(l));
  return { sim, observer, lines };
}

const MIB = 1024 * 1024;
/** Rule 14: what a host lets guests share through GPADLs. */
const gpadlCap = (os: HostOs) => (os === 'ws2016' ? 384 : 1280) * MIB;

/** Ring bytes per direction a route gives its channels (rule 9: storage 128 KiB, network 512 KiB). */
function ringBytes(h: BusHost, vm: string, device: string): number {
  const spec = h.vms[Number(vm.slice(2))];
  return 1024 * (device === 'nic0' ? (spec.networkRingKiB ?? 512) : (spec.storageRingKiB ?? 128));
}

/** Channels open now by VM and device, as the narration tells it (opened less rescinded and closed). */
function openByNarration(lines: readonly NarrationLine[]): Map<string, number> {
  const open = new Map<string, number>();
  for (const l of lines) {
    const { id } = l.message;
    if (id !== 'channel.opened' && id !== 'channel.rescinded' && id !== 'channel.closed') continue;
    const key = `${l.source}/${l.message.args.device}`;
    open.set(key, (open.get(key) ?? 0) + (id === 'channel.opened' ? 1 : -1));
  }
  return open;
}

describe('VMBus properties on random hosts (rules 1–15)', () => {
  it('rule 3: every request the guest sent is completed at most once, each completion echoes a trans_id in flight, and none is lost on an open channel', () => {
    fc.assert(
      fc.property(busHost(), (h) => {
        const { sim, observer } = start(h, 400);
        const report = sim.runToEnd();
        for (const log of observer.channels) {
          const where = `${log.vm}/${log.device}#${String(log.subchannel)}`;
          expect({ where, stray: log.stray, reused: log.reusedInFlight }).toEqual({
            where,
            stray: 0,
            reused: 0,
          });
          // Nothing vanishes: what is still in flight on an open channel was sent lately.
          if (log.closed !== null || log.guestRequests.size === 0) continue;
          const oldestMs = (sim.now - Math.min(...log.guestRequests.values())) / NS_PER_MS;
          expect({ where, oldestMs: Math.min(oldestMs, 200) }).toEqual({ where, oldestMs });
        }
        for (const vm of valuesOf(report.vms)) expect(vm.strayCompletions).toBe(0);
      }),
      { numRuns: 5 },
    );
  });

  it('rules 2, 18: a storage channel never has more requests in flight than its ring holds, and no ring is ever full to the last slot', () => {
    fc.assert(
      fc.property(busHost(), (h) => {
        const { sim, observer } = start(h, 400);
        const report = sim.runToEnd();
        for (const log of observer.channels) {
          if (log.device !== 'scsi0') continue;
          const limit = storvscMaxOutstandingRequests(ringBytes(h, log.vm, log.device));
          expect(log.peakInFlight).toBeLessThanOrEqual(limit);
        }
        for (const vm of valuesOf(report.vms)) {
          expect(vm.ringPeakPercent).toBeLessThan(100);
          expect(vm.ringOccupancyPercent).toBeLessThanOrEqual(vm.ringPeakPercent);
        }
      }),
      { numRuns: 4 },
    );
  });

  it('rules 2, 6, 18: on a slow disk behind small rings the guest fills its request slots, never overfills a ring, and is woken to go on sending', () => {
    const full = fc
      .record({
        os: fc.constantFrom<HostOs>('ws2016', 'ws2019', 'ws2022'),
        rootVps: fc.integer({ min: 1, max: 2 }),
        queueDepth: fc.constantFrom(1, 16, 256, 512),
        maxSubchannels: fc.integer({ min: 0, max: 1 }),
        seed: fc.integer({ min: 1, max: 1000 }),
        vms: fc.array(
          fc.record({
            vps: fc.integer({ min: 2, max: 8 }),
            storageRingKiB: fc.constantFrom(16, 20, 32, 64),
            batched: fc.boolean(),
          }),
          { minLength: 1, maxLength: 2 },
        ),
      })
      .map((d): BusHost => ({
        ...d,
        cores: 4,
        maxQueues: 1,
        slowDisk: true,
        vms: d.vms.map((v) => ({
          ...v,
          enlightened: true,
          kind: 'database' as const,
          intensity: 10,
          network: false,
          networkRingKiB: undefined,
        })),
      }));
    let waited = 0;
    fc.assert(
      fc.property(full, (h) => {
        const { sim, observer } = start(h, 400);
        sim.advance(300 * NS_PER_MS);
        const before = sim.snapshot({ history: 0 }).vms;
        const report = sim.runToEnd();
        const after = sim.snapshot({ history: 0 }).vms;
        for (const log of observer.channels) {
          const limit = storvscMaxOutstandingRequests(ringBytes(h, log.vm, log.device));
          expect(log.peakInFlight).toBeLessThanOrEqual(limit);
        }
        h.vms.forEach((_, i) => {
          const name = vmName(i);
          const vm = vmOf(report.vms, name);
          expect(vm.ringPeakPercent).toBeLessThan(100);
          expect(vm.strayCompletions).toBe(0);
          if (vm.ringFullPercent > 0) waited++;
          // Rule 6: a writer that waited for room is woken when the reader frees it; the guest
          // still completes I/O in the last 100 ms.
          expect(vmOf(after, name).completed).toBeGreaterThan(vmOf(before, name).completed);
        });
      }),
      { numRuns: 6 },
    );
    // the guests did wait for room: the property saw full rings, not only quiet ones
    expect(waited).toBeGreaterThan(0);
  });

  it('rule 18: behind a 16 KiB ring storvsc keeps at most 30 requests in flight — (16 KiB less the 4 KiB header) ÷ 360 bytes, less 10 %', () => {
    // Before the fix the guest budgeted the ring as if a header page were added to it (20 KiB):
    // 40 slots, 40 requests in flight at storvsp, where the 12 KiB data area holds 34 of storvsc's
    // largest requests.
    const h: BusHost = {
      os: 'ws2019',
      cores: 4,
      rootVps: 2,
      queueDepth: 512,
      maxSubchannels: 0,
      maxQueues: 1,
      slowDisk: true,
      seed: 1,
      vms: [
        {
          enlightened: true,
          vps: 2,
          kind: 'database',
          intensity: 10,
          network: false,
          storageRingKiB: 16,
          networkRingKiB: undefined,
          batched: false,
        },
      ],
    };
    const { sim, observer } = start(h, 300);
    const report = sim.runToEnd();
    const [disk] = observer.channels;
    expect(storvscMaxOutstandingRequests(16 * 1024)).toBe(34);
    expect(disk.peakInFlight).toBe(Math.floor(34 * 0.9));
    expect(vmOf(report.vms, 'vm0').ringFullPercent).toBeGreaterThan(50);
  });

  it('rules 4, 6: a guest gets no interrupt the host had no packet or room for — no more than the packets written to it, the wakeups of its blocked writer, plus the control path', () => {
    fc.assert(
      fc.property(
        busHost().filter((h) => h.vms.some((v) => v.enlightened && v.kind !== 'idle')),
        (h) => {
          const { sim, observer } = start(h, 300);
          const report = sim.runToEnd();
          h.vms.forEach((v, i) => {
            if (!v.enlightened) return;
            const mine = observer.channels.filter((c) => c.vm === vmName(i));
            const written = mine.reduce((a, c) => a + c.hostPackets, 0);
            // Rule 6: a guest whose send found the ring full is signalled when the host's reads
            // free the room it asked for — no packet of the host's, but an interrupt it waits for
            // (HYPERKATA_FC_SEED=7: a web guest on 16 KiB network rings, 11,378 of them).
            const wakeups = mine.reduce((a, c) => a + c.writerWakeups(), 0);
            // The control path (rules 10–12), one SynIC message each: VERSION_RESPONSE, the
            // integration services' offers, ALLOFFERS_DELIVERED, and per channel its offer,
            // GPADL_CREATED and OPENCHANNEL_RESULT (and a buffer's GPADL_CREATED).
            const control = 16 + 4 * mine.length;
            expect(vmOf(report.vms, vmName(i)).interrupts).toBeLessThanOrEqual(
              written + wakeups + control,
            );
          });
        },
      ),
      { numRuns: 5 },
    );
  });

  it('rule 8: a channel that signals through monitor pages costs its guest no hypercall — batched, a busy guest makes no more than the same guest idle, beyond a control message retried', () => {
    fc.assert(
      fc.property(
        busHost().filter((h) => h.vms.some((v) => v.enlightened && v.kind !== 'idle')),
        (h) => {
          const idleHost = { ...h, vms: h.vms.map((v) => ({ ...v, kind: 'idle' as const })) };
          const busy = start(h, 300, { batched: true }).sim.runToEnd();
          const idle = start(idleHost, 300, { batched: true }).sim.runToEnd();
          h.vms.forEach((v, i) => {
            if (!v.enlightened) return;
            const a = vmOf(busy.vms, vmName(i));
            const b = vmOf(idle.vms, vmName(i));
            // The slack is the control path's: a PostMessage (a GPADL_BODY of netvsc's buffers)
            // retried when the host's message slot was full moves with timing. A signal per
            // request would add about one hypercall per completed operation.
            expect({ vm: vmName(i), hypercalls: a.hypercalls }).toEqual({
              vm: vmName(i),
              hypercalls: Math.min(a.hypercalls, Math.ceil(1.1 * b.hypercalls) + 8),
            });
          });
        },
      ),
      { numRuns: 6 },
    );
  });

  it('rule 8: with its disk channel batched, a busy database guest makes only its control path’s hypercalls, as many as an idle one; low-latency, one per signal', () => {
    // Before the fix each monitor scan was counted as the guest's HvCallSignalEvent: 931
    // hypercalls for this guest (924 of them signals) where it made 7.
    const h = (kind: WorkloadKind): BusHost => ({
      os: 'ws2019',
      cores: 4,
      rootVps: 2,
      queueDepth: 256,
      maxSubchannels: 0,
      maxQueues: 1,
      slowDisk: false,
      seed: 411,
      vms: [
        {
          enlightened: true,
          vps: 2,
          kind,
          intensity: 1,
          network: false,
          storageRingKiB: undefined,
          networkRingKiB: undefined,
          batched: true,
        },
      ],
    });
    const run = (kind: WorkloadKind, batched: boolean) =>
      vmOf(start(h(kind), 300, { batched }).sim.runToEnd().vms, 'vm0');
    const busy = run('database', true);
    const idle = run('idle', true);
    const lowLatency = run('database', false);
    expect(busy.completed).toBeGreaterThan(1000);
    expect(busy.hypercalls).toBe(idle.hypercalls);
    expect(busy.hypercalls).toBeLessThan(10);
    expect(lowLatency.hypercalls).toBeGreaterThan(1000);
  });

  it('rules 12, 14: GPADL memory is exactly the open channels’ rings and netvsc buffers, and never exceeds the host’s cap', () => {
    // Many network VMs with big rings and vRSS queues: a Windows Server 2016 host runs out.
    const netHost = (d: {
      os: HostOs;
      count: number;
      ring: number;
      queues: number;
      seed: number;
    }): BusHost => {
      const { os, count, ring, queues, seed } = d;
      return {
        os,
        cores: 4,
        rootVps: 2,
        queueDepth: 256,
        maxSubchannels: 0,
        maxQueues: queues,
        slowDisk: false,
        seed,
        vms: Array.from({ length: count }, () => ({
          enlightened: true,
          vps: 8,
          kind: 'idle' as const,
          intensity: 1,
          network: true,
          storageRingKiB: undefined,
          networkRingKiB: ring,
          batched: false,
        })),
      };
    };
    const host = fc
      .record({
        os: fc.constantFrom<HostOs>('ws2016', 'ws2016', 'ws2019'),
        count: fc.integer({ min: 10, max: 24 }),
        ring: fc.constantFrom(128, 512, 1024),
        queues: fc.integer({ min: 4, max: 8 }),
        seed: fc.integer({ min: 1, max: 1000 }),
      })
      .map(netHost);
    let capped = 0;
    fc.assert(
      fc.property(host, (h) => {
        // The netvsc buffers each guest shared: the GPADL the host accepted, then announced to
        // netvsp (NVSP SEND_RECEIVE_BUFFER 101, SEND_SEND_BUFFER 104). An adapter that fails after
        // its receive buffer keeps that GPADL (the modelled guests tear none down).
        const shared = { receive: 0, send: 0 };
        const announced = (m: VspModule): VspModule =>
          wrapVsp(m, (inner) => ({
            onPacket(channel, packet) {
              if (channel.device === 'nic0' && packet.kind === 'inband') {
                const type = new DataView(
                  packet.payload.buffer,
                  packet.payload.byteOffset,
                  packet.payload.byteLength,
                ).getUint32(0, true);
                if (type === 101) shared.receive++;
                if (type === 104) shared.send++;
              }
              inner.onPacket(channel, packet);
            },
          }));
        const { sim, lines } = start(h, 400, { extra: announced });
        let peak = 0;
        while (!sim.finished) {
          sim.advance(20 * NS_PER_MS);
          peak = Math.max(peak, sim.report().host.gpadlBytes);
        }
        const report = sim.report();
        expect(peak).toBeLessThanOrEqual(gpadlCap(h.os));
        const open = openByNarration(lines);
        let expected = 0;
        let channels = 0;
        for (const [key, n] of open) {
          const [vm, device] = key.split('/');
          channels += n;
          expected += n * 2 * ringBytes(h, vm, device);
        }
        // netvsc's receive (16 MiB) and send buffers (170 sections of 6144 bytes: 255 pages)
        expected += shared.receive * 16 * MIB + shared.send * 255 * 4096;
        // an adapter that shared both buffers comes up: a subchannel ring the host refuses costs
        // it a queue, not the adapter (HYPERKATA_FC_SEED=2 found adapters waiting forever)
        const up = lines.filter((l) => l.message.id === 'netvsc.ready').length;
        expect(up).toBe(shared.send);
        if (up < h.vms.length) capped++;
        expect(report.host.openChannels).toBe(channels);
        expect(report.host.gpadlBytes).toBe(expected);
      }),
      {
        numRuns: 5,
        // A host known to run out, whatever is drawn: 16 adapters with 1 MiB rings on ws2016 —
        // four get their receive buffer but not their send buffer (HYPERKATA_FC_SEED=3 found the
        // receive buffers those keep; the property counted only adapters that came up).
        examples: [[netHost({ os: 'ws2016', count: 16, ring: 1024, queues: 5, seed: 1 })]],
      },
    );
    // some hosts did run into the cap: the adapters past it did not come up
    expect(capped).toBeGreaterThan(0);
  });

  it('rules 13, 38: a channel its VSP stops mid-run is rescinded: closed, its GPADLs torn down (a network adapter’s buffers with its primary), its requests not completed twice', () => {
    const enlightened = busHost().map((h) => ({
      ...h,
      vms: h.vms.map((v) => ({ ...v, enlightened: true })),
    }));
    let stopped = 0;
    let primaries = 0;
    // One web VM with a disk and a network adapter, no subchannels: its first two channels to send
    // are scsi0#0 and nic0#0, so pick 0 or pick 1 stops the adapter's primary (random draws alone
    // missed it: HYPERKATA_FC_SEED=987654321 stopped no network primary in 8 runs).
    const oneNic: BusHost = {
      os: 'ws2022',
      cores: 2,
      rootVps: 1,
      queueDepth: 256,
      maxSubchannels: 0,
      maxQueues: 1,
      slowDisk: false,
      seed: 1,
      vms: [
        {
          enlightened: true,
          vps: 2,
          kind: 'web',
          intensity: 1,
          network: true,
          storageRingKiB: undefined,
          networkRingKiB: undefined,
          batched: false,
        },
      ],
    };
    fc.assert(
      fc.property(
        enlightened,
        fc.integer({ min: 1, max: 8 }),
        fc.nat(),
        (h, afterPackets, pick) => {
          let seen = 0;
          const keys: string[] = [];
          let victim = null as string | null;
          const failing = (m: VspModule): VspModule =>
            m.id !== 'hyperkata.storvsp' && m.id !== 'hyperkata.netvsp'
              ? m
              : wrapVsp(m, (inner) => ({
                  onPacket(channel, packet) {
                    const key = `${channel.vm}/${channel.device}#${String(channel.subchannelIndex)}`;
                    if (!keys.includes(key)) {
                      keys.push(key);
                      // one of the first three channels that send anything
                      if (keys.length - 1 === pick % 3) victim = key;
                    }
                    if (key === victim && ++seen === afterPackets) {
                      channel.fail('test: the VSP gives up');
                      return;
                    }
                    inner.onPacket(channel, packet);
                  },
                }));
          const { sim, observer, lines } = start(h, 250, { extra: failing });
          const report = sim.runToEnd();
          const open = openByNarration(lines);
          let expected = 0;
          let channels = 0;
          for (const [key, n] of open) {
            const [vm, device] = key.split('/');
            channels += n;
            expected += n * 2 * ringBytes(h, vm, device);
          }
          // netvsc's receive and send buffers hang on its primary channel: they go with it
          const failed = seen >= afterPackets ? victim : null;
          for (const l of lines)
            if (l.message.id === 'netvsc.ready' && failed !== `${l.source}/nic0#0`)
              expected += 16 * MIB + 255 * 4096;
          expect(report.host.openChannels).toBe(channels);
          expect(report.host.gpadlBytes).toBe(expected);
          for (const log of observer.channels) expect(log.stray).toBe(0);
          for (const vm of valuesOf(report.vms)) expect(vm.strayCompletions).toBe(0);
          if (failed !== null) {
            const [vm, rest] = failed.split('/');
            const [device, index] = rest.split('#');
            const rescinded = lines.some(
              (l) =>
                l.source === vm &&
                l.message.id === 'channel.rescinded' &&
                l.message.args.device === device,
            );
            expect(rescinded).toBe(true);
            // A primary's rescind takes the device; a subchannel's takes one of its queues only.
            if (index === '0') expect(vmOf(report.vms, vm).deviceFailures[device]).toBeDefined();
            stopped++;
            if (index === '0' && device === 'nic0') primaries++;
          }
        },
      ),
      {
        numRuns: 8,
        examples: [
          [oneNic, 2, 0],
          [oneNic, 2, 1],
          [oneNic, 6, 0],
          [oneNic, 6, 1],
        ],
      },
    );
    // the fault did happen (on the examples' four hosts at least), and at least once to a network
    // adapter's primary
    expect(stopped).toBeGreaterThanOrEqual(4);
    expect(primaries).toBeGreaterThan(0);
  });

  it('rules 1–15: the same host and seed give the same report and event-log hash', () => {
    fc.assert(
      fc.property(busHost(), (h) => {
        const a = start(h, 200).sim.runToEnd();
        const b = start(h, 200).sim.runToEnd();
        expect(b.hash).toBe(a.hash);
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      }),
      { numRuns: 3 },
    );
  });
});
