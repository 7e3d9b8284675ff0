import { describe, expect, it } from '@jest/globals';
import { Random, SimEngine } from '../../engine/index.js';
import type { EventType } from '../../engine/index.js';
import { PhysicalNic } from '../../hardware/nic.js';
import type { HostCpu } from '../../host/cpu.js';

import type { GuestDevice } from '../../guest/stacks/types.js';
import {
  Csr,
  DESC_OWN,
  OpMode,
  Status,
  TDES1_FS,
  TDES1_LS,
  TULIP_FIRST_IO_BASE,
  TULIP_21140_VALID_INTRS,
} from '../../guest/drivers/legacy/tulip-registers.js';
import { clientFrameTag } from '../../guest/drivers/netvsc-frame.js';
import type { VirtualSwitch, SwitchPort } from '../vswitch.js';
import { LegacyNicModel } from './legacy-nic.js';
import type { EmulationContext } from './registry.js';
import type { VirtualIrq } from './virtual-irq.js';
import { VmConsole } from './console.js';

const BASE = TULIP_FIRST_IO_BASE;
const TX_RING = 0x1000;
const RX_RING = 0x2000;
const RX_BUFFER = 0x3000;

/** A 21140 model on a guest of 64 KiB, with a CPU that runs work at once and a counting IRQ. */
function chip() {
  const engine = new SimEngine();
  const memory = new Uint8Array(0x10000);
  const view = new DataView(memory.buffer);
  const irq = { asserted: 0 };
  let port: SwitchPort | null = null;
  const cpu = {
    vp: () => 0,
    run<A>(_vp: number, cost: number, _cls: unknown, done: EventType<A>, arg: A) {
      engine.after(cost, done, arg);
    },
    charge: () => undefined,
  };
  const nic = new PhysicalNic({ id: 'nic0', gbps: 10, latencyUs: 1, sriov: false }, engine);
  const ctx: EmulationContext = {
    engine,
    cpu: cpu as unknown as HostCpu,
    random: new Random(1),
    vm: 'old01',
    partitionId: 1,
    rootPartitionId: 0,
    rootVpIndex: 0,
    device: { spec: { id: 'eth0', class: 'network' } } as GuestDevice,
    disk: undefined,
    nic,
    vswitch: {
      attach: (_vm: string, _device: string, _nic: string, p: SwitchPort) => {
        port = p;
        return true;
      },
    } as unknown as VirtualSwitch,
    irq: {
      assert: () => {
        irq.asserted++;
      },
    } as unknown as VirtualIrq,
    log: () => undefined,
    ram: { read: () => false, backed: () => false },
    vram: null,
    console: new VmConsole(engine, cpu as unknown as HostCpu, 0, 'old01'),
    classIndex: 0,
    dma: {
      read: (gpa, dest) => {
        if (gpa < 0 || gpa + dest.length > memory.length) return false;
        dest.set(memory.subarray(gpa, gpa + dest.length));
        return true;
      },
      write: (gpa, src) => {
        if (gpa < 0 || gpa + src.length > memory.length) return false;
        memory.set(src, gpa);
        return true;
      },
    },
  };
  const model = new LegacyNicModel(ctx);
  const out = (csr: number, value: number) =>
    model.onAccess({ vm: 'old01', vpIndex: 0, port: BASE + csr, size: 4, write: true, value });
  const inp = (csr: number) =>
    model.onAccess({ vm: 'old01', vpIndex: 0, port: BASE + csr, size: 4, write: false, value: 0 })
      .value ?? -1;
  out(Csr.RX_LIST, RX_RING);
  out(Csr.TX_LIST, TX_RING);
  out(Csr.INTR_MASK, TULIP_21140_VALID_INTRS);
  out(Csr.OP_MODE, OpMode.START_RX | OpMode.START_TX);
  const switchPort = (): SwitchPort => {
    if (port === null) throw new Error('the model did not attach to the switch');
    return port;
  };
  return { engine, memory, view, irq, nic, model, out, inp, switchPort };
}

describe('the worker process’s DEC 21140 (rule 21)', () => {
  it('rule 21: sits on its PCI I/O BAR of 128 bytes and reads all ones outside its 32-bit CSRs', () => {
    const c = chip();
    expect(c.model.ports).toEqual([{ base: 0xec00, end: 0xec7f }]);
    const odd = c.model.onAccess({
      vm: 'old01',
      vpIndex: 0,
      port: BASE + 2,
      size: 2,
      write: false,
      value: 0,
    });
    expect(odd.value).toBe(0xffffffff);
  });

  it('rule 21: a frame with no receive descriptor owned by the chip is missed — RU raised, CSR8 counts it and clears when read', () => {
    const c = chip();
    // The ring is all zeros: the guest gave the chip no buffer.
    c.switchPort().deliver(714, 5);
    c.engine.runUntil(1e6);
    const status = c.inp(Csr.STATUS);
    expect(status & Status.RX_NO_BUF).not.toBe(0);
    expect(status & Status.ABNORMAL_SUMMARY).not.toBe(0);
    expect(c.inp(Csr.MISSED)).toBe(1);
    expect(c.inp(Csr.MISSED)).toBe(0);
    expect(c.model.counters.framesMissed).toBe(1);
  });

  it('rule 21: a received frame is written into the owned buffer by DMA, its descriptor handed back with the length, RI raised', () => {
    const c = chip();
    c.view.setUint32(RX_RING, DESC_OWN, true);
    c.view.setUint32(RX_RING + 4, 1536, true);
    c.view.setUint32(RX_RING + 8, RX_BUFFER, true);
    c.switchPort().deliver(714, 0x42);
    c.engine.runUntil(1e6);
    const rdes0 = c.view.getUint32(RX_RING, true);
    expect(rdes0 & DESC_OWN).toBe(0);
    expect((rdes0 >>> 16) & 0x3fff).toBe(714 + 4); // with the FCS
    expect(clientFrameTag(c.memory, RX_BUFFER, 714)).toBe(0x42);
    expect(c.inp(Csr.STATUS) & (Status.RX_INTR | Status.NORMAL_SUMMARY)).toBe(
      Status.RX_INTR | Status.NORMAL_SUMMARY,
    );
    expect(c.irq.asserted).toBe(1);
  });

  it('rule 21: the interrupt line is level-triggered: raised once per new cause, quiet until the driver acknowledges (write 1 to clear)', () => {
    const c = chip();
    for (let i = 0; i < 3; i++) {
      c.view.setUint32(RX_RING + 16 * i, DESC_OWN, true);
      c.view.setUint32(RX_RING + 16 * i + 8, RX_BUFFER + 1536 * i, true);
    }
    c.switchPort().deliver(100, 1);
    c.switchPort().deliver(100, 2);
    c.engine.runUntil(1e6);
    expect(c.irq.asserted).toBe(1);
    const status = c.inp(Csr.STATUS);
    c.out(Csr.STATUS, status & 0x1ffff);
    expect(c.inp(Csr.STATUS) & (Status.NORMAL_SUMMARY | Status.ABNORMAL_SUMMARY)).toBe(0);
    c.switchPort().deliver(100, 3);
    c.engine.runUntil(2e6);
    expect(c.irq.asserted).toBe(2);
  });

  it('rule 21: a transmit poll demand sends each descriptor the chip owns at no more than 100 Mbit/s, then closes it', () => {
    const c = chip();
    for (let i = 0; i < 4; i++) {
      const at = TX_RING + 16 * i;
      c.view.setUint32(at + 4, TDES1_FS | TDES1_LS | 1514, true);
      c.view.setUint32(at, DESC_OWN, true);
    }
    c.out(Csr.TX_POLL, 0);
    c.engine.runUntil(10e6);
    for (let i = 0; i < 4; i++) expect(c.view.getUint32(TX_RING + 16 * i, true) & DESC_OWN).toBe(0);
    expect(c.model.counters.framesSent).toBe(4);
    expect(c.nic.bytesSent).toBe(4 * (1514 + 4));
    // 4 frames of 1518 bytes at 100 Mbit/s keep the wire busy for ≥ 485 µs (a 10 Gbit/s NIC
    // alone would take 5 µs).
    expect(c.nic.utilization().transmit * c.engine.now).toBeGreaterThanOrEqual(4 * 1518 * 80);
    expect(c.inp(Csr.STATUS) & Status.TX_INTR).not.toBe(0);
  });
});
