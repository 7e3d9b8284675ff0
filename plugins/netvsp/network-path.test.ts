/**
 * The network path end to end through a real Simulation: netvsc ↔ VMBus ↔ netvsp ↔ NIC (rule 19),
 * the SR-IOV data path (rule 20) and the legacy 21140 in the worker process (rule 21). Relations
 * are measured on runs of the model, never written into it.
 */
import { describe, expect, it } from '@jest/globals';
import type { Netvsc } from '../../core/guest/drivers/netvsc.js';
import {
  decodeNvspMessage,
  decodeRndisMessage,
  RndisChannelType,
} from '../../core/protocols/index.js';
import {
  ConfigurationError,
  DEVICE_CLASS_GUIDS,
  formatPath,
  HOSTILE_ATTACKS,
} from '../../core/model/index.js';
import type { HostileAttack } from '../../core/model/index.js';
import { vmOf } from '../../core/simulation/by-name.js';
import { Simulation, internalsOf } from '../../core/simulation/simulation.js';
import { completingTwice } from '../../core/vsp/testing/completing-twice.js';
import { minimalStorvsp } from '../../core/vsp/testing/minimal-storvsp.js';
import type { VspChannel, VspHandlers, VspModule, VspPacket } from '../sdk/index.js';
import type { NetvspStats } from './adapter.js';
import { BUILT_IN_VSPS } from '../index.js';
import { netvspModule } from './netvsp.js';
import { networkHost } from './testing/scenarios.js';
import type { NetworkVmOptions } from './testing/scenarios.js';

/** netvsp with every guest packet shown to `see` first (the handlers are netvsp's own). */
function spied(
  module: VspModule,
  see: (channel: VspChannel, packet: VspPacket) => void,
): VspModule {
  return {
    ...module,
    create(host) {
      const h: VspHandlers = module.create(host);
      return {
        onChannelOpened: (c) => h.onChannelOpened?.(c),
        onPacket: (c, p) => {
          see(c, p);
          h.onPacket(c, p);
        },
        onDeviceCompleted: (c, d) => h.onDeviceCompleted?.(c, d),
        onHostEvent: (c, e) => h.onHostEvent?.(c, e),
        onChannelClosed: (c, r) => h.onChannelClosed?.(c, r),
      };
    },
  };
}

/**
 * netvsp, with every channel it is handed replaced by `through(channel)` — the same stand-in for a
 * channel every time: netvsp keys its adapters by channel.
 */
function netvspThrough(through: (channel: VspChannel) => VspChannel): VspModule {
  return {
    ...netvspModule(),
    create(host) {
      const h = netvspModule().create(host);
      const stand = new WeakMap<VspChannel, VspChannel>();
      const stands = new WeakSet<VspChannel>();
      const d = (channel: VspChannel): VspChannel => {
        if (stands.has(channel)) return channel; // the NIC hands back what it was given
        let s = stand.get(channel);
        if (s === undefined) {
          s = through(channel);
          stand.set(channel, s);
          stands.add(s);
        }
        return s;
      };
      return {
        onChannelOpened: (c) => h.onChannelOpened?.(d(c)),
        onPacket: (c, p) => {
          h.onPacket(d(c), p);
        },
        onDeviceCompleted: (c, x) => h.onDeviceCompleted?.(d(c), x),
        onHostEvent: (c, e) => h.onHostEvent?.(d(c), e),
        onChannelClosed: (c, r) => h.onChannelClosed?.(d(c), r),
      };
    },
  };
}

function run(
  vms: readonly NetworkVmOptions[],
  options: Omit<Parameters<typeof networkHost>[0], 'vms'> = {},
  module: VspModule = netvspModule(),
): Simulation {
  const { scenario, configuration } = networkHost({ vms, ...options });
  return Simulation.create({ scenario, configuration, vsps: [module, minimalStorvsp()] });
}

function netvscOf(sim: Simulation, vm: string): Netvsc {
  const driver = internalsOf(sim).vms.get(vm)?.guest?.devices[0].driver;
  if (driver === null || driver === undefined || !('sendSectionsTotal' in driver))
    throw new Error(`${vm} has no netvsc`);
  return driver as Netvsc;
}

function rootRunNs(sim: Simulation): number {
  const rt = internalsOf(sim);
  return rt.scheduler.partitionMetrics(rt.rootPartitionId).runNs;
}

describe('synthetic networking through a simulation (rule 19)', () => {
  it("rule 19: netvsc brings the adapter up in Linux's order: INIT, NDIS config, NDIS version, receive buffer, send buffer, RNDIS, vRSS", () => {
    const seen: string[] = [];
    const sizes: Record<string, number | undefined> = {};
    let sendGpadl = -1;
    const module = spied(netvspModule(), (channel, packet) => {
      if (channel.subchannelIndex !== 0 || packet.kind === 'completion') return;
      const m = decodeNvspMessage(packet.payload, 0, packet.payload.length);
      if (!m.ok) return;
      const v = m.value;
      if (v.kind === 'sendReceiveBuffer') sizes.receive = channel.memory.gpadlSize(v.gpadlHandle);
      if (v.kind === 'sendSendBuffer') {
        sendGpadl = v.gpadlHandle;
        sizes.send = channel.memory.gpadlSize(v.gpadlHandle);
      }
      if (v.kind !== 'sendRndisPacket') {
        seen.push(v.kind);
      } else if (v.channelType === RndisChannelType.CONTROL) {
        const bytes = channel.memory.readGpadl(
          sendGpadl,
          v.sendBufferSectionIndex * 6144,
          v.sendBufferSectionSize,
        );
        const r = bytes.ok ? decodeRndisMessage(bytes.value, 0, bytes.value.length) : null;
        if (r?.ok === true)
          seen.push(
            'oid' in r.value
              ? `rndis ${r.value.kind} 0x${r.value.oid.toString(16)}`
              : `rndis ${r.value.kind}`,
          );
      }
    });
    const sim = run(
      [{ name: 'web01', path: 'synthetic', kind: 'idle' }],
      { durationMs: 60 },
      module,
    );
    sim.runToEnd();
    expect(seen).toEqual([
      'init',
      'sendNdisConfig',
      'sendNdisVersion',
      'sendReceiveBuffer',
      'sendSendBuffer',
      'rndis initializeRequest',
      'rndis queryRequest 0x1010101', // OID_802_3_PERMANENT_ADDRESS
      'rndis queryRequest 0x10114', // OID_GEN_MEDIA_CONNECT_STATUS
      'rndis queryRequest 0x10203', // OID_GEN_RECEIVE_SCALE_CAPABILITIES
      'subchannelRequest',
      'rndis setRequest 0x1010e', // OID_GEN_CURRENT_PACKET_FILTER
    ]);
    // 16 MiB receive buffer, 1 MiB send buffer (170 sections of 6144 bytes, page-rounded).
    expect(sizes).toEqual({ receive: 16 * 1024 * 1024, send: 1044480 });
    const netvsc = netvscOf(sim, 'web01');
    expect(netvsc.ready).toBe(true);
    expect(netvsc.sendSectionsTotal).toBe(170);
  });

  it('rule 19: every frame takes a send or receive section; completions give them back (in use = lent − completed)', () => {
    const stats: NetvspStats[] = [];
    const sim = run(
      [{ name: 'web01', path: 'synthetic', disk: true }],
      { durationMs: 300 },
      netvspModule({ observe: (s) => stats.push(s) }),
    );
    sim.runToEnd();
    const netvsc = netvscOf(sim, 'web01');
    const s = stats[0];
    expect(netvsc.sectionSends).toBeGreaterThan(1000);
    expect(netvsc.sendSectionsPeak).toBeGreaterThan(0);
    expect(netvsc.sendSectionsPeak).toBeLessThanOrEqual(170);
    expect(s.receiveSectionsPeak).toBeGreaterThan(0);
    // Every transfer-page packet netvsp lent was completed by netvsc (or is still in flight).
    expect(s.transferPagePackets - s.receiveCompletions).toBe(s.receiveSectionsInUse);
    expect(netvsc.completionsSent).toBeLessThanOrEqual(netvsc.transferPagePackets);
    expect(netvsc.transferPagePackets - netvsc.completionsSent).toBeLessThanOrEqual(
      s.receiveSectionsInUse,
    );
    expect(s.dropsNoSection).toBe(0);
    expect(s.protocolViolations).toBe(0);
    const report = sim.report();
    expect(report.vms.web01?.network.ops).toBeGreaterThan(400);
    expect(report.faults.plugins).toEqual([]);
    expect(report.faults.isolation).toEqual([]);
  });

  it('rule 3: a send completed twice — netvsc drops the second ("Invalid transaction ID") and goes on', () => {
    // netvsp, but every completion of a guest send (trans_id ≤ 2048, a send slot) goes twice.
    const twice = netvspThrough((c) => completingTwice(c, { only: (transId) => transId <= 2048 }));
    const honest = run([{ name: 'web01', path: 'synthetic' }]);
    const sloppy = run([{ name: 'web01', path: 'synthetic' }], {}, twice);
    const lines: string[] = [];
    sloppy.on((l) => lines.push(l.text));
    const [good, bad] = [
      vmOf(honest.runToEnd().vms, 'web01'),
      vmOf(sloppy.runToEnd().vms, 'web01'),
    ];
    expect(good.strayCompletions).toBe(0);
    expect(bad.strayCompletions).toBeGreaterThan(100);
    expect(bad.network.ops).toBeGreaterThan(0.9 * good.network.ops);
    expect(lines.filter((l) => l.includes('Invalid transaction ID'))[0]).toMatch(
      /^netvsc on \S+: Invalid transaction ID 0x[0-9a-f]+ — a completion for no request in flight, dropped \(1 so far\)$/,
    );
  });

  it('rule 3: the setup too — netvsc drops a second completion of a setup step already answered ("Invalid transaction ID") and comes up', () => {
    // L: netvsc_send_completion — `vmbus_request_addr` finds no request for the trans_id
    // (VMBUS_RQST_ERROR): "Invalid transaction ID", dropped. Each setup completion
    // (INIT, receive buffer, send buffer, SUBCHANNEL: trans_ids above the send slots) goes twice.
    let extra = 0;
    const twice = netvspThrough((c) =>
      completingTwice(c, {
        only: (transId) => transId > 2048,
        onExtra: () => {
          extra++;
        },
      }),
    );
    const sloppy = run([{ name: 'web01', path: 'synthetic' }], {}, twice);
    const lines: string[] = [];
    sloppy.on((l) => lines.push(l.text));
    const vm = vmOf(sloppy.runToEnd().vms, 'web01');
    expect(extra).toBeGreaterThanOrEqual(4);
    expect(vm.strayCompletions).toBe(extra);
    expect(lines.some((l) => l.startsWith('netvsc ready on'))).toBe(true);
    expect(vm.network.ops).toBeGreaterThan(0);
    expect(lines.filter((l) => l.includes('Invalid transaction ID'))[0]).toMatch(
      /^netvsc on \S+: Invalid transaction ID 0x100000001 — a completion for no request in flight, dropped \(1 so far\)$/,
    );
  });

  it('rule 3: the setup too — a completion naming a setup step not in progress is dropped, and netvsc waits on', () => {
    // The host answers NVSP INIT with the receive buffer's trans_id: no such request is in
    // flight (the receive buffer is not offered before INIT succeeds), so netvsc drops it.
    const INIT = 0x1_0000_0001;
    const RECEIVE_BUFFER = 0x1_0000_0002;
    const wrong = netvspThrough((c) =>
      Object.assign(Object.create(c) as VspChannel, {
        complete: (transId: number, payload: Uint8Array) => {
          c.complete(transId === INIT ? RECEIVE_BUFFER : transId, payload);
        },
      }),
    );
    const sim = run([{ name: 'web01', path: 'synthetic' }], {}, wrong);
    const lines: string[] = [];
    sim.on((l) => lines.push(l.text));
    const vm = vmOf(sim.runToEnd().vms, 'web01');
    expect(vm.strayCompletions).toBe(1);
    expect(vm.network.ops).toBe(0);
    expect(netvscOf(sim, 'web01').setup.phase).toBe('init');
    expect(lines.some((l) => l.startsWith('netvsc ready on'))).toBe(false);
    expect(lines.some((l) => l.includes('Invalid transaction ID 0x100000002 '))).toBe(true);
  });

  it('rule 19: with traffic stopped, every section is back: none in use on either side', () => {
    const stats: NetvspStats[] = [];
    const { scenario, configuration } = networkHost({
      vms: [{ name: 'web01', path: 'synthetic' }],
      durationMs: 300,
    });
    const vms = scenario.vms.map((vm) => ({
      ...vm,
      workload: {
        ...vm.workload,
        phases: [
          { durationMs: 100, intensity: 1 },
          { durationMs: 100_000, intensity: 0 },
        ],
      },
    }));
    const sim = Simulation.create({
      scenario: { ...scenario, vms },
      configuration,
      vsps: [netvspModule({ observe: (s) => stats.push(s) }), minimalStorvsp()],
    });
    sim.runToEnd();
    const netvsc = netvscOf(sim, 'web01');
    expect(netvsc.sendSectionsPeak).toBeGreaterThan(0);
    expect(netvsc.sendSectionsInUse).toBe(0);
    expect(stats[0].receiveSectionsPeak).toBeGreaterThan(0);
    expect(stats[0].receiveSectionsInUse).toBe(0);
    expect(netvsc.completionsSent).toBe(netvsc.transferPagePackets);
  });

  it('rule 19: when the send sections run out (a slow NIC backs frames up), netvsc sends GPA-direct', () => {
    const sim = run([{ name: 'web01', path: 'synthetic', intensity: 2 }], {
      gbps: 0.5,
      durationMs: 200,
    });
    sim.runToEnd();
    const netvsc = netvscOf(sim, 'web01');
    expect(netvsc.sendSectionsPeak).toBe(170);
    expect(netvsc.gpaDirectSends).toBeGreaterThan(0);
    expect(sim.report().faults.plugins).toEqual([]);
  });

  it('rule 19: vRSS opens 8 channels by default, fewer with fewer guest VPs or host queues', () => {
    const sim = run(
      [
        { name: 'one', path: 'synthetic', kind: 'idle', vps: 1 },
        { name: 'four', path: 'synthetic', kind: 'idle', vps: 4 },
        { name: 'sixteen', path: 'synthetic', kind: 'idle', vps: 16 },
      ],
      { durationMs: 80, cores: 16 },
    );
    sim.runToEnd();
    expect(netvscOf(sim, 'one').channelCount).toBe(1);
    expect(netvscOf(sim, 'four').channelCount).toBe(4);
    expect(netvscOf(sim, 'sixteen').channelCount).toBe(8);
    expect(sim.report().host.openChannels).toBe(13);

    const capped = run([{ name: 'sixteen', path: 'synthetic', kind: 'idle', vps: 16 }], {
      durationMs: 80,
      cores: 16,
      netvspSettings: { maxQueues: 2 },
    });
    capped.runToEnd();
    expect(netvscOf(capped, 'sixteen').channelCount).toBe(2);
  });

  it('sends a file workload out (no request comes in) as MTU frames', () => {
    const stats: NetvspStats[] = [];
    const sim = run(
      [{ name: 'files', path: 'synthetic', kind: 'file' }],
      { durationMs: 200 },
      netvspModule({ observe: (s) => stats.push(s) }),
    );
    const report = sim.runToEnd();
    const ops = vmOf(report.vms, 'files').network.ops;
    expect(ops).toBeGreaterThan(20);
    // 64 KiB each: 44 frames of ≤ 1500 bytes of payload.
    expect(stats[0].framesTransmitted).toBeGreaterThanOrEqual(ops * 44);
    expect(stats[0].framesReceived).toBe(0);
  });

  it('gives a request up after the client retransmission timeout when the host drops its frames', () => {
    // A netvsp that drops every frame from the wire (as when no receive section is free).
    const deaf = netvspModule();
    const module: VspModule = {
      ...deaf,
      create(host) {
        const h = deaf.create(host);
        return {
          onChannelOpened: (c) => h.onChannelOpened?.(c),
          onPacket: (c, p) => {
            h.onPacket(c, p);
          },
          onDeviceCompleted: (c, d) => h.onDeviceCompleted?.(c, d),
          onChannelClosed: (c, r) => h.onChannelClosed?.(c, r),
        };
      },
    };
    const sim = run(
      [{ name: 'web01', path: 'synthetic', intensity: 0.1, disk: true }],
      { durationMs: 320 },
      module,
    );
    sim.advance(220e6);
    const metrics = internalsOf(sim).vms.get('web01')?.metrics;
    expect(metrics?.networkOps).toBe(0);
    expect(metrics?.storageOps).toBeGreaterThan(0);
    const lostEarly = metrics?.droppedNoPath ?? 0;
    sim.advance(100e6);
    // Requests that began more than 200 ms ago (Linux TCP_RTO_MIN) have been given up; the disk
    // keeps working, so every loss is a network request.
    expect((metrics?.droppedNoPath ?? 0) - lostEarly).toBeGreaterThan(10);
    expect(metrics?.networkOps).toBe(0);
  });

  it('loses every network operation of an adapter routed nowhere', () => {
    const report = run([{ name: 'lonely', path: 'none' }], { durationMs: 150 }).runToEnd();
    expect(report.vms.lonely?.network.ops).toBe(0);
    expect(report.vms.lonely?.dropped).toBeGreaterThan(100);
  });
});

/** netvsp that never answers data frames: every send the guest makes stays outstanding. */
function neverCompletingData(module: VspModule): VspModule {
  return {
    ...module,
    create(host) {
      const h: VspHandlers = module.create(host);
      return {
        onChannelOpened: (c) => h.onChannelOpened?.(c),
        onPacket: (c, p) => {
          if (p.kind !== 'completion') {
            const m = decodeNvspMessage(p.payload, 0, p.payload.length);
            if (
              m.ok &&
              m.value.kind === 'sendRndisPacket' &&
              m.value.channelType === RndisChannelType.DATA
            )
              return;
          }
          h.onPacket(c, p);
        },
        onDeviceCompleted: (c, d) => h.onDeviceCompleted?.(c, d),
        onHostEvent: (c, e) => h.onHostEvent?.(c, e),
        onChannelClosed: (c, r) => h.onChannelClosed?.(c, r),
      };
    },
  };
}

describe("netvsc's send queue", () => {
  it("counts the time frames wait with every request slot taken in the report's ringFullPercent", () => {
    const opts = { durationMs: 300 };
    const vm: NetworkVmOptions = { name: 'web01', path: 'synthetic', vps: 1, intensity: 8 };
    const stuck = run([vm], opts, neverCompletingData(netvspModule()));
    const report = stuck.runToEnd();
    const now = internalsOf(stuck).engine.now;
    expect(netvscOf(stuck, 'web01').queueFullNs(now)).toBeGreaterThan(0);
    expect(report.vms.web01?.ringFullPercent).toBeGreaterThan(10);
    const healthy = run([vm], opts).runToEnd();
    expect(healthy.vms.web01?.ringFullPercent).toBeLessThan(
      vmOf(report.vms, 'web01').ringFullPercent,
    );
  });
});

describe('SR-IOV (rule 20)', () => {
  it('rule 20: the guest switches its data path to the VF — no VMBus packets, no root CPU — and falls back to synthetic when the VF is removed', () => {
    const sim = run([{ name: 'web01', path: 'synthetic', vps: 4 }], {
      sriov: true,
      durationMs: 450,
    });
    const rt = internalsOf(sim);
    const vsp = rt.vsps.get('net');
    const metrics = rt.vms.get('web01')?.metrics;
    if (vsp === undefined || metrics === undefined) throw new Error('no VM');
    sim.advance(200e6);
    const netvsc = netvscOf(sim, 'web01');
    expect(netvsc.activeDataPath).toBe('vf');
    const packets = vsp.packetsHandled;
    const root = rootRunNs(sim);
    const ops = metrics.networkOps;
    sim.advance(100e6);
    // 100 ms of web traffic on the VF: the host's VSP and root VPs saw none of it.
    expect(metrics.networkOps - ops).toBeGreaterThan(150);
    expect(vsp.packetsHandled).toBe(packets);
    expect(rootRunNs(sim)).toBe(root);

    rt.virtualFunctions.get('web01', 'eth0')?.remove();
    const opsAtRemoval = metrics.networkOps;
    sim.advance(150e6);
    expect(netvsc.activeDataPath).toBe('synthetic');
    expect(vsp.packetsHandled).toBeGreaterThan(packets + 1000);
    expect(metrics.networkOps - opsAtRemoval).toBeGreaterThan(200);
    expect(netvsc.vfSwitches).toBe(2);
  });

  it('rule 20: without an SR-IOV NIC the data path stays synthetic', () => {
    const sim = run([{ name: 'web01', path: 'synthetic' }], { sriov: false, durationMs: 250 });
    sim.runToEnd();
    expect(netvscOf(sim, 'web01').activeDataPath).toBe('synthetic');
    expect(netvscOf(sim, 'web01').vfSwitches).toBe(0);
  });
});

describe('the legacy network adapter (rule 21)', () => {
  const measure = (path: 'synthetic' | 'emulated', intensity: number) => {
    const sim = run([{ name: 'web01', path, intensity }], { durationMs: 300 });
    const report = sim.runToEnd();
    const vm = vmOf(report.vms, 'web01');
    return {
      p50: vm.network.p50LatencyUs,
      ops: vm.network.ops,
      rootNsPerOp: rootRunNs(sim) / Math.max(1, vm.network.ops),
      intercepts: report.host.intercepts,
      nicBytesSent: internalsOf(sim).nics.get('nic0')?.bytesSent ?? 0,
      seconds: report.durationMs / 1000,
    };
  };

  it('rule 21: at a load both paths keep up with, each web request costs the root far more CPU (intercepts) and takes longer on the emulated 21140', () => {
    const synthetic = measure('synthetic', 0.2);
    const legacy = measure('emulated', 0.2);
    // Both served (nearly) every request…
    expect(legacy.ops).toBeGreaterThan(0.9 * synthetic.ops);
    // …but every frame on the legacy adapter is several worker-process round trips.
    expect(synthetic.intercepts).toBe(0);
    expect(legacy.intercepts).toBeGreaterThan(legacy.ops * 13);
    expect(legacy.rootNsPerOp).toBeGreaterThan(5 * synthetic.rootNsPerOp);
    expect(legacy.p50).toBeGreaterThan(4 * synthetic.p50);
  });

  it('rule 21: at full web load the 100 Mbit/s legacy adapter saturates: far fewer requests served, far higher latency', () => {
    const synthetic = measure('synthetic', 1);
    const legacy = measure('emulated', 1);
    expect(legacy.ops).toBeLessThan(synthetic.ops / 2);
    expect(legacy.p50).toBeGreaterThan(10 * synthetic.p50);
    // What left through the 10 Gbit/s NIC stayed within 100 Mbit/s (12.5 MB/s), give or take
    // the frames of one transmit ring still queued at the end.
    expect(legacy.nicBytesSent).toBeLessThanOrEqual(12.5e6 * legacy.seconds + 32 * 1518);
    expect(synthetic.nicBytesSent).toBeGreaterThan(2 * legacy.nicBytesSent);
  });

  it('rule 21: a legacy adapter and an emulated IDE disk share the VM and its worker process; both keep working', () => {
    const legacyVm = (path: 'emulated' | 'none') => {
      const { scenario, configuration } = networkHost({
        vms: [{ name: 'old01', path, vps: 2, intensity: 0.2 }],
        durationMs: 300,
      });
      const vm = scenario.vms[0];
      const vms = [
        {
          ...vm,
          generation: 1 as const,
          os: { ...vm.os, integrationComponents: false },
          devices: [...vm.devices, { id: 'ide0', class: 'storage' as const, sizeGiB: 40 }],
        },
      ];
      const config = {
        ...configuration,
        vms: { old01: { ...configuration.vms.old01, integrationComponents: false } },
        emulated: [
          ...(configuration.emulated ?? []),
          { vm: 'old01', device: 'ide0', backing: 'ssd0' },
        ],
      };
      const report = Simulation.create({
        scenario: { ...scenario, vms },
        configuration: config,
        vsps: [netvspModule()],
      }).runToEnd();
      return vmOf(report.vms, 'old01');
    };
    const diskOnly = legacyVm('none');
    const both = legacyVm('emulated');
    expect(diskOnly.storage.ops).toBeGreaterThan(10);
    expect(both.storage.ops).toBeGreaterThanOrEqual(0.9 * diskOnly.storage.ops);
    expect(both.network.ops).toBeGreaterThan(100);
    // The NIC's intercepts queue in front of the disk's on the same root VP.
    expect(both.storage.p50LatencyUs).toBeGreaterThanOrEqual(diskOnly.storage.p50LatencyUs);
  });

  it('gives the same report for the same seed on both paths', () => {
    const once = (path: 'synthetic' | 'emulated') =>
      run([{ name: 'web01', path }], { durationMs: 120, seed: 9 }).runToEnd();
    expect(once('synthetic').hash).toBe(once('synthetic').hash);
    expect(JSON.stringify(once('emulated'))).toBe(JSON.stringify(once('emulated')));
  });
});

describe('a hostile guest against netvsp in a running host (rules 36–38)', () => {
  const host = (attack: HostileAttack | null) => {
    const { scenario, configuration } = networkHost({
      vms: [
        { name: 'good', path: 'synthetic' },
        { name: 'evil', path: 'synthetic' },
      ],
      durationMs: 120,
    });
    if (attack !== null) {
      (scenario.vms[1] as Record<string, unknown>).hostile = {
        attacks: [attack],
        ratePerSecond: 200,
        startMs: 40,
      };
    }
    return Simulation.create({
      scenario,
      configuration,
      vsps: [netvspModule(), minimalStorvsp()],
    }).runToEnd();
  };
  const calm = host(null);

  it.each(HOSTILE_ATTACKS.filter((a) => a !== 'signal-flood'))(
    'rules 37–38: %s on a network channel is refused; only the attacker’s adapter stops, its neighbour’s traffic is untouched',
    (attack) => {
      const report = host(attack);
      const evil = report.faults.plugins.filter((f) => f.vm === 'evil');
      expect(evil.length).toBeGreaterThan(0);
      for (const f of evil)
        expect(['guest-ring-violation', 'guest-protocol-violation']).toContain(f.kind);
      expect(report.faults.plugins.filter((f) => f.vm === 'good')).toEqual([]);
      expect(report.vms.good?.network.ops).toBe(calm.vms.good?.network.ops);
      expect(report.vms.evil?.network.ops).toBeLessThan(vmOf(calm.vms, 'evil').network.ops);
      expect(report.host.isolationFaults).toBe(0);
    },
  );
});

describe('a VSC and a VSP of another class (rules 11, 37, 38)', () => {
  it('rule 11: a channel from netvsc to storvsp is refused before the run, naming the field and both class GUIDs', () => {
    const { scenario, configuration } = networkHost({
      vms: [{ name: 'web01', path: 'synthetic', disk: true }],
    });
    const config = {
      ...configuration,
      vsps: [
        ...(configuration.vsps ?? []),
        { id: 'stor', plugin: 'hyperkata.storvsp' as const, device: 'ssd0' },
      ],
      channels: [
        { vm: 'web01', device: 'eth0', vsp: 'stor' },
        { vm: 'web01', device: 'scsi0', vsp: 'stor' },
      ],
    };
    let refused: unknown = null;
    try {
      Simulation.create({ scenario, configuration: config, vsps: BUILT_IN_VSPS });
    } catch (e) {
      refused = e;
    }
    if (!ConfigurationError.is(refused)) throw new Error('the cross-class channel was accepted');
    const issue = refused.issues.find((i) => formatPath(i.path) === 'channels[0].vsp');
    expect(issue?.expected).toContain(
      `a network VSP for web01/eth0 (class GUID ${DEVICE_CLASS_GUIDS.network})`,
    );
    expect(issue?.found).toContain(`serves storage (class GUID ${DEVICE_CLASS_GUIDS.storage})`);
  });

  const hostile = (attack: HostileAttack | null) => {
    const { scenario, configuration } = networkHost({
      vms: [
        { name: 'good', path: 'synthetic' },
        { name: 'evil', path: 'synthetic' },
      ],
      durationMs: 120,
    });
    if (attack !== null) {
      (scenario.vms[1] as Record<string, unknown>).hostile = {
        attacks: [attack],
        ratePerSecond: 200,
        startMs: 40,
      };
    }
    return Simulation.create({
      scenario,
      configuration,
      vsps: [netvspModule(), minimalStorvsp()],
    }).runToEnd();
  };

  it('rule 37: a hostile guest writes storage requests into its network channel: netvsp counts them misrouted, rejects them, and only that adapter stops', () => {
    const calm = hostile(null);
    const report = hostile('non-transactional-request');
    expect(calm.vms.evil?.misrouted).toBe(0);
    expect(report.vms.evil?.misrouted).toBeGreaterThan(0);
    expect(report.vms.good?.misrouted).toBe(0);
    // Rule 38: the channel stops; the fault names netvsp and the attacker's adapter.
    const fault = report.faults.plugins.find((f) => f.vm === 'evil');
    expect(fault).toMatchObject({ instance: 'net', device: 'eth0' });
    expect(report.faults.plugins.filter((f) => f.vm === 'good')).toEqual([]);
    expect(report.vms.good?.network.ops).toBe(calm.vms.good?.network.ops);
  });
});
