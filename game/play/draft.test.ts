import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseLevel, parseSolution, resolveConfiguration } from '../../levels/index.js';
import {
  addVsp,
  channelsWithoutVsc,
  connect,
  dynamicMemoryLacks,
  disconnect,
  draftFromLevel,
  draftFromSolution,
  offerGuidOf,
  otherClassOf,
  removeVsp,
  setChannel,
  setMemory,
  setHost,
  setIntegrationComponents,
  toSolution,
  vscsOf,
} from './draft.js';
import type { ConfigurationInput } from '../../core/index.js';
import type { Solution } from '../../levels/index.js';
import { layoutHost } from './layout.js';
import { startRun, vspClassOf } from './session.js';
import { BUILT_IN_VSPS } from '../../plugins/index.js';
import { builtInClassOf } from './tutorial.js';
import { tutorialStep } from './tutorial.js';

const dir = new URL('../../levels/campaign/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
const level1 = parseLevel(read('01-first-partition.json'), '01');
const level4 = parseLevel(read('04-the-root-works-too.json'), '04');
const level10 = parseLevel(read('10-two-disks.json'), '10');
const level2 = parseLevel(read('02-two-lanes.json'), '02');
const level7 = parseLevel(read('07-memory-pressure.json'), '07');

/** A configuration with its instance and channel lists in a fixed order, to compare contents. */
const sorted = (c: ConfigurationInput) => ({
  ...c,
  vsps: [...(c.vsps ?? [])].sort((a, b) => a.id.localeCompare(b.id)),
  channels: [...(c.channels ?? [])].sort((a, b) =>
    `${a.vm}/${a.device}`.localeCompare(`${b.vm}/${b.device}`),
  ),
});

describe('VSP instances in the build draft', () => {
  it('adding a storvsp for the second disk and routing two VMs to it is level 10’s reference', () => {
    let draft = addVsp(draftFromLevel(level10), 'hyperkata.storvsp', 'ssd1');
    expect(draft.vsps.map((v) => v.id)).toContain('storvsp-ssd1');
    draft = connect(draft, 'db02', 'scsi0', 'storvsp-ssd1');
    draft = connect(draft, 'files02', 'scsi0', 'storvsp-ssd1');
    const built = toSolution(level10, draft);
    expect(built.vsps).toBeDefined();
    const reference = parseSolution(read('10-two-disks.reference.solution.json'), 'ref');
    expect(
      sorted(resolveConfiguration(level10, parseSolution(JSON.stringify(built), 'game'))),
    ).toEqual(sorted(resolveConfiguration(level10, reference)));
  });

  it('a ring size typed in the inspector becomes the nearest whole number of 4 KiB pages', () => {
    let draft = connect(draftFromLevel(level10), 'db02', 'scsi0', 'storvsp-ssd0');
    draft = setChannel(draft, 'db02', 'scsi0', { ringKiB: 129 });
    expect(draft.channels.find((c) => c.vm === 'db02')?.ringKiB).toBe(128);
    draft = setChannel(draft, 'db02', 'scsi0', { ringKiB: 131 });
    expect(draft.channels.find((c) => c.vm === 'db02')?.ringKiB).toBe(132);
    draft = setChannel(draft, 'db02', 'scsi0', { signalling: 'batched' });
    expect(draft.channels.find((c) => c.vm === 'db02')).toMatchObject({
      ringKiB: 132,
      signalling: 'batched',
    });
  });

  it('a memory size typed in the inspector becomes the nearest whole 2 MB, static or dynamic', () => {
    const vm = Object.keys(draftFromLevel(level7).vms)[0];
    let draft = setMemory(draftFromLevel(level7), vm, { dynamic: false, startupMiB: 1537.4 });
    expect(draft.vms[vm].memory).toEqual({ dynamic: false, startupMiB: 1538 });
    draft = setMemory(draft, vm, {
      dynamic: true,
      startupMiB: 2049,
      minimumMiB: 511,
      maximumMiB: 4095,
      bufferPercent: 20,
      priority: 50,
    });
    expect(draft.vms[vm].memory).toMatchObject({
      startupMiB: 2050,
      minimumMiB: 512,
      maximumMiB: 4096,
    });
    // …and the result passes the configuration's checks (a multiple of 2 MB).
    expect(() =>
      resolveConfiguration(
        level7,
        parseSolution(JSON.stringify(toSolution(level7, draft)), 'game'),
      ),
    ).not.toThrow();
  });

  it('gives each new instance its own id', () => {
    const once = addVsp(draftFromLevel(level10), 'hyperkata.storvsp', 'ssd1');
    const twice = addVsp(once, 'hyperkata.storvsp', 'ssd1');
    const ids = twice.vsps.map((v) => v.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('removing an instance removes the channels that went to it', () => {
    const draft = removeVsp(draftFromLevel(level10), 'storvsp-ssd0');
    expect(draft.vsps.map((v) => v.id)).not.toContain('storvsp-ssd0');
    expect(draft.channels.filter((c) => c.vsp === 'storvsp-ssd0')).toEqual([]);
    expect(toSolution(level10, draft).vsps).toEqual(draft.vsps);
  });
});

describe('the build draft', () => {
  it('an untouched level makes a solution with no changes', () => {
    expect(toSolution(level1, draftFromLevel(level1))).toEqual({
      format: 1,
      level: '01-first-partition',
    });
  });

  it('connecting the VSC resolves to the same configuration as the reference solution', () => {
    const reference = parseSolution(read('01-first-partition.reference.solution.json'), 'ref');
    const built = toSolution(
      level1,
      connect(draftFromLevel(level1), 'db01', 'scsi0', 'storvsp-ssd0'),
    );
    expect(resolveConfiguration(level1, parseSolution(JSON.stringify(built), 'game'))).toEqual(
      resolveConfiguration(level1, reference),
    );
  });

  it('a device has one path: reconnecting replaces its channel, disconnecting removes it', () => {
    let draft = connect(draftFromLevel(level1), 'db01', 'scsi0', 'storvsp-ssd0');
    draft = connect(draft, 'db01', 'scsi0', 'heartbeat');
    expect(draft.channels).toHaveLength(1);
    expect(draft.channels[0].vsp).toBe('heartbeat');
    expect(disconnect(draft, 'db01', 'scsi0').channels).toEqual([]);
  });

  it('rule 11: a VSC and a VSP of another class cannot be wired; a VSP of its own class can', () => {
    const draft = draftFromLevel(level2);
    const [scsi0, eth0] = ['scsi0', 'eth0'].map((device) => {
      const vsc = vscsOf(level2).find((v) => v.device === device);
      if (vsc === undefined) throw new Error(`level 02 has no ${device}`);
      return vsc;
    });
    expect(otherClassOf(draft, eth0, 'storvsp-ssd0', vspClassOf)).toBe('storage');
    expect(otherClassOf(draft, scsi0, 'netvsp-nic0', vspClassOf)).toBe('network');
    expect(otherClassOf(draft, eth0, 'netvsp-nic0', vspClassOf)).toBeNull();
    expect(otherClassOf(draft, scsi0, 'storvsp-ssd0', vspClassOf)).toBeNull();
  });

  it("rule 11: a generation 1 VM's boot disk is offered with HV_IDE_GUID (the IDE accelerator), other disks with HV_SCSI_GUID", () => {
    // L: include/linux/hyperv.h — HV_IDE_GUID and HV_SCSI_GUID, both bound by storvsc.
    const level3 = parseLevel(read('03-legacy-guest.json'), '03');
    const level12 = parseLevel(read('12-consolidation.json'), '12');
    const guids = (level: typeof level3) =>
      Object.fromEntries(vscsOf(level).map((v) => [`${v.vm}/${v.device}`, offerGuidOf(level, v)]));
    expect(guids(level3)).toEqual({ 'old01/disk0': '32412632-86cb-44a2-9b5c-50d1417354f5' });
    const l12 = guids(level12);
    expect(l12['old01/disk0']).toBe('32412632-86cb-44a2-9b5c-50d1417354f5');
    expect(l12['db01/scsi0']).toBe('ba6163d9-04a1-4d29-b605-72e2ffb1dc7f');
    expect(guids(level2)).toEqual({
      'web01/scsi0': 'ba6163d9-04a1-4d29-b605-72e2ffb1dc7f',
      'web01/eth0': 'f8615163-df3e-46c5-913f-f2d2f965ed0e',
    });
  });

  it('a solution read back gives the draft it came from', () => {
    const draft = setHost(draftFromLevel(level4), { rootVps: 4 });
    const solution = toSolution(level4, draft);
    expect(solution.host).toEqual({ rootVps: 4 });
    expect(draftFromSolution(level4, solution)).toEqual(draft);
  });

  it.each(['__proto__', 'constructor', 'toString'])(
    'an imported solution naming a VM %s (a name every object answers to) adds no VM the level lacks',
    (name) => {
      // Shared links and saves are read with JSON.parse, which keeps "__proto__" as an own key.
      const imported = JSON.parse(
        `{"format":1,"level":"${level4.id}","vms":{"${name}":{"integrationComponents":false,"processor":{"count":2},"memory":{"startupMiB":512}}}}`,
      ) as Solution;
      const draft = draftFromSolution(level4, imported);
      expect(Object.keys(draft.vms)).toEqual(Object.keys(draftFromLevel(level4).vms));
      expect(draft).toEqual(draftFromLevel(level4));
    },
  );
});

describe('the host layout', () => {
  it('puts every VSC inside its VM box and every LP cell inside the hypervisor strip', () => {
    for (const level of [level1, level4]) {
      const layout = layoutHost(level.scenario, level.defaults.vsps);
      expect(layout.vms.flatMap((v) => v.vscs)).toHaveLength(vscsOf(level).length);
      for (const vm of layout.vms) {
        for (const vsc of vm.vscs) {
          expect(vsc.x).toBeGreaterThanOrEqual(vm.x);
          expect(vsc.x + vsc.width).toBeLessThanOrEqual(vm.x + vm.width);
        }
      }
      for (const cell of layout.schedulerGrid)
        expect(cell.x + cell.width).toBeLessThanOrEqual(layout.counters.x);
    }
  });
});

describe('the level-1 tutorial', () => {
  it('walks VSC → VSP → Run → watch → results', () => {
    const steps = [
      tutorialStep({ connected: false, pending: false, phase: 'build' }),
      tutorialStep({ connected: false, pending: true, phase: 'build' }),
      tutorialStep({ connected: true, pending: false, phase: 'build' }),
      tutorialStep({ connected: true, pending: false, phase: 'running' }),
      tutorialStep({ connected: true, pending: false, phase: 'done' }),
    ];
    expect(steps.map((s) => s.n)).toEqual([1, 2, 3, 4, 5]);
    expect(steps.map((s) => s.target)).toEqual([
      'vsc-db01-scsi0',
      'vsp-storvsp-ssd0',
      'play-run',
      'objectives',
      'play-results',
    ]);
  });
});

describe('builtInClassOf (what the Play scene refuses wires by)', () => {
  it('rule 11: names the class every built-in VSP serves, and nothing for other plugins', () => {
    for (const m of BUILT_IN_VSPS) expect(builtInClassOf(m.id)).toBe(m.deviceClass);
    expect(builtInClassOf('local.my-nic')).toBeUndefined();
  });
});

describe('channelsWithoutVsc (the wires the build phase refuses for a guest without ICs)', () => {
  const level3 = parseLevel(read('03-legacy-guest.json'), '03');
  const level12 = parseLevel(read('12-consolidation.json'), '12');
  const hostRefuses = (level: typeof level3, draft: ReturnType<typeof draftFromLevel>) => {
    try {
      startRun(level, parseSolution(JSON.stringify(toSolution(level, draft)), 'game'));
      return false;
    } catch {
      return true;
    }
  };

  it('rule 21: old01 without integration components has no VSC for a channel to storvsp', () => {
    const wired = connect(draftFromLevel(level3), 'old01', 'disk0', 'storvsp-ssd0');
    expect(channelsWithoutVsc(wired)).toEqual([
      expect.objectContaining({ vm: 'old01', device: 'disk0', vsp: 'storvsp-ssd0' }),
    ]);
    // The host refuses exactly what the build phase would.
    expect(hostRefuses(level3, wired)).toBe(true);
    const enlightened = setIntegrationComponents(wired, 'old01', true);
    expect(channelsWithoutVsc(enlightened)).toEqual([]);
    expect(hostRefuses(level3, enlightened)).toBe(false);
  });

  it('finds the channels a VM keeps when its integration components are switched off', () => {
    const draft = setIntegrationComponents(draftFromLevel(level12), 'db02', false);
    expect(channelsWithoutVsc(draft).map((c) => `${c.vm}/${c.device}`)).toEqual(['db02/scsi0']);
    expect(hostRefuses(level12, draft)).toBe(true);
    expect(channelsWithoutVsc(draftFromLevel(level12))).toEqual([]);
  });
});

describe('dynamicMemoryLacks (why the inspector refuses Dynamic Memory)', () => {
  const level12 = parseLevel(read('12-consolidation.json'), '12');
  const dynamicOn = {
    dynamic: true as const,
    startupMiB: 2048,
    minimumMiB: 512,
    maximumMiB: 4096,
    bufferPercent: 20,
    priority: 50,
  };
  const hostTakes = (level: typeof level12, draft: ReturnType<typeof draftFromLevel>) => {
    try {
      startRun(level, parseSolution(JSON.stringify(toSolution(level, draft)), 'game'));
      return true;
    } catch {
      return false;
    }
  };

  it('rule 33: level 12 has no dynamic-memory VSP, and old01 no balloon driver until its ICs', () => {
    const draft = draftFromLevel(level12);
    expect(dynamicMemoryLacks(draft, 'db01', builtInClassOf)).toEqual(['vsp']);
    expect(dynamicMemoryLacks(draft, 'old01', builtInClassOf)).toEqual(['ics', 'vsp']);
    // The host refuses exactly what the inspector would.
    expect(hostTakes(level12, setMemory(draft, 'db01', dynamicOn))).toBe(false);
  });

  it('level 7 has what Dynamic Memory needs, and the host takes it', () => {
    const draft = draftFromLevel(level7);
    expect(dynamicMemoryLacks(draft, 'dayshift', builtInClassOf)).toEqual([]);
    expect(hostTakes(level7, setMemory(draft, 'dayshift', dynamicOn))).toBe(true);
  });
});
