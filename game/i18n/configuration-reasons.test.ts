/**
 * A refused configuration says why in both languages: every core configuration reason id has its
 * English words (the CLI's, unchanged) and its Portuguese sentence, numbers as each language
 * writes them, the refused field in the inspector's words.
 */
import { describe, expect, it } from '@jest/globals';
import {
  CONFIGURATION_REASON_IDS,
  CONFIGURATION_REASON_TEXT,
  ConfigurationError,
  DEVICE_CLASS_GUIDS,
  IDE_ACCELERATOR_CLASS_GUID,
  checkConfiguration,
  configurationReasonText,
} from '../../core/index.js';
import type {
  ConfigurationReason,
  ConfigurationReasonArgs,
  ConfigurationReasonId,
  InputIssue,
} from '../../core/index.js';
import { LevelSchema } from '../../levels/index.js';
import { CONFIGURATION_REASON_PT_BR, fieldPtBR } from './configuration-reasons-pt-BR.js';
import { issuePtBR, refusalIn } from './refusal.js';
import { readFileSync } from 'node:fs';

/** One or more example arguments per reason id: a reason without one does not compile. */

const SAMPLES: { readonly [I in ConfigurationReasonId]: readonly ConfigurationReasonArgs<I>[] } = {
  'host.rootVpsAboveLps': [{ max: 8, os: 'ws2019', rootVisible: 320, rootVps: 12 }],
  'host.rootVpsOutOfRange': [{ max: 8, os: 'ws2016', rootVisible: 320, rootVps: 0 }],
  'host.rootSchedulerTooEarly': [{ os: 'ws2016' }],
  'host.vpsAboveRelease': [{ os: 'ws2016', limit: 2048, total: 2050 }],
  'host.reservesAboveLps': [{ lps: 4, reserved: 4.5 }],
  'host.memoryAboveHost': [{ available: 18816, rootReserveMiB: 1664, committedMiB: 21504 }],
  'vm.settingsMissing': [{ vm: 'db01' }],
  'vm.unknown': [
    { name: 'db1', known: ['db01', 'web01'] },
    { name: 'x', known: [] },
  ],
  'vm.memoryAboveHost': [
    { available: 18816, hostMiB: 20480, rootReserveMiB: 1664, committedMiB: 40000 },
  ],
  'vm.vpsAboveLps': [{ lps: 8, count: 12 }],
  'vm.vpsAboveRelease': [
    { os: 'ws2016', limit: 240, generation1: false, count: 241 },
    { os: 'ws2022', limit: 64, generation1: true, count: 65 },
  ],
  'vm.memoryAboveRelease': [{ os: 'ws2016', limit: 12582912, generation1: false, mib: 13000000 }],
  'vm.reserveAboveLimit': [{ limitPercent: 50, reservePercent: 60 }],
  'vm.noIntegrationComponents': [{ release: 'Windows XP' }],
  'memory.minimumAboveStartup': [{ startupMiB: 2048, minimumMiB: 4096 }],
  'memory.maximumBelowStartup': [{ startupMiB: 2048, maximumMiB: 1024 }],
  'memory.dynamicWithVirtualNuma': [{}],
  'memory.dynamicWithoutIntegration': [{}],
  'memory.noDynamicMemoryVsp': [{}],
  'processor.weightOutOfRange': [{ min: 1, max: 10000, weight: 12000 }],
  'processor.percentOutOfRange': [{ value: 150 }, { value: NaN }],
  'processor.reserveAboveLimit': [{ limitPercent: 40, reservePercent: 60 }],
  'vsp.nameTwice': [{ id: 'storvsp-ssd0' }],
  'vsp.unknownPlugin': [
    { plugin: 'acme.nope' },
    {
      plugin: 'hyperkata.storvps',
      loaded: ['hyperkata.storvsp', 'hyperkata.netvsp'],
      meant: 'hyperkata.storvsp',
    },
  ],
  'vsp.deviceNotDriven': [{ deviceClass: 'dynamic-memory', device: 'ssd0' }],
  'vsp.deviceMissing': [
    {
      needs: 'disk',
      devices: ['ssd0'],
      plugin: 'hyperkata.storvsp',
      deviceClass: 'storage',
      device: 'nic0',
      otherKind: true,
    },
    {
      needs: 'nic',
      devices: [],
      plugin: 'hyperkata.netvsp',
      deviceClass: 'network',
      otherKind: false,
    },
  ],
  'route.unknownVm': [
    { vm: 'db1', listed: ['db01'], more: 0 },
    { vm: 'vm9', listed: ['a', 'b'], more: 1010 },
    { vm: 'db1', listed: ['db01', 'web01'], more: 0, meant: 'db01' },
  ],
  'route.unknownDevice': [
    { vm: 'db01', device: 'scsi9', devices: ['scsi0', 'eth0'] },
    { vm: 'db01', device: 'scsi1', devices: ['scsi0', 'eth0'], meant: 'scsi0' },
  ],
  'route.twice': [{ key: 'db01/scsi0' }],
  'route.unknownVsp': [
    { vsp: 'nowhere', vsps: ['storvsp-ssd0'] },
    { vsp: 'storvsp-sd0', vsps: ['storvsp-ssd0', 'heartbeat'], meant: 'storvsp-ssd0' },
  ],
  'route.classMismatch': [
    {
      key: 'web01/eth0',
      deviceClass: 'network',
      classGuid: DEVICE_CLASS_GUIDS.network,
      vsp: 'storvsp-ssd0',
      vspClass: 'storage',
    },
    {
      key: 'old01/ide0',
      deviceClass: 'storage',
      classGuid: IDE_ACCELERATOR_CLASS_GUID,
      vsp: 'netvsp-nic0',
      vspClass: 'network',
    },
  ],
  'route.noIntegrationComponents': [{ vm: 'old01', device: 'ide0' }],
  'emulated.generation2': [{ vm: 'db01' }],
  'emulated.backingMissing': [
    { needs: 'disk', deviceClass: 'storage', devices: ['ssd0'], backing: 'nic0' },
    { needs: 'nic', deviceClass: 'network', devices: [] },
  ],
};

const samples = (): ConfigurationReason[] =>
  CONFIGURATION_REASON_IDS.flatMap((id) =>
    (SAMPLES[id] as readonly ConfigurationReason['args'][]).map(
      (args) => ({ id, args }) as ConfigurationReason,
    ),
  );

/** English words a pt-BR refusal must not carry (its "expected …, found …" frame and prose). */
const ENGLISH = /\b(expected|found|at most|at least|cannot|which|the host|nothing|none)\b/;

describe('configuration refusals in both languages', () => {
  it('every reason id has English words and a Portuguese sentence', () => {
    expect(Object.keys(CONFIGURATION_REASON_PT_BR).sort()).toEqual([...CONFIGURATION_REASON_IDS]);
    expect(Object.keys(CONFIGURATION_REASON_TEXT).sort()).toEqual([...CONFIGURATION_REASON_IDS]);
    for (const reason of samples()) {
      const english = configurationReasonText(reason);
      expect(english.expected.length).toBeGreaterThan(0);
      expect(english.found.length).toBeGreaterThan(0);
      const portuguese = issuePtBR({ path: ['vms'], ...english, reason }) ?? '';
      expect(portuguese.length).toBeGreaterThan('Todas as VMs juntas: '.length);
      expect(portuguese).not.toMatch(ENGLISH);
      expect(portuguese).not.toContain(english.expected);
    }
  });

  it('a near miss is named in both languages', () => {
    const [, , db1] = SAMPLES['route.unknownVm'];
    const reason = { id: 'route.unknownVm', args: db1 } as const;
    const english = configurationReasonText(reason);
    expect(english.expected).toBe(
      'the name of a VM in the scenario (db01, web01) — did you mean db01?',
    );
    expect(issuePtBR({ path: ['channels', 0, 'vm'], ...english, reason })).toContain(
      '— você quis dizer db01?',
    );
  });

  it('the English is the words the checks always printed', () => {
    const say = <I extends ConfigurationReasonId>(id: I, args: ConfigurationReasonArgs<I>) =>
      configurationReasonText({ id, args } as ConfigurationReason);
    expect(say('memory.minimumAboveStartup', { startupMiB: 2048, minimumMiB: 4096 })).toEqual({
      expected: 'at most the startup memory (2048 MiB) (rule 33)',
      found: '4096',
    });
    expect(say('host.reservesAboveLps', { lps: 4, reserved: 4.5 })).toEqual({
      expected:
        'CPU reserves that fit the host: Σ count × reserve ≤ 4 logical processors (rule 32)',
      found: '4.50 logical processors reserved',
    });
    expect(
      say('host.memoryAboveHost', { available: 18816, rootReserveMiB: 1664, committedMiB: 21504 }),
    ).toEqual({
      expected:
        "static memory plus Dynamic Memory minimums within what the host can give (18816 MiB after the root's 1664 MiB)",
      found: '21504 MiB',
    });
    expect(say('vm.vpsAboveRelease', SAMPLES['vm.vpsAboveRelease'][0]).expected).toBe(
      'at most 240 virtual processors per VM, the limit of Windows Server 2016 (rule 40)',
    );
    expect(say('host.rootVpsAboveLps', SAMPLES['host.rootVpsAboveLps'][0]).expected).toBe(
      "at most 8 (one root VP per logical processor, and Windows Server 2019's root sees at most 320; rule 40)",
    );
    expect(say('vsp.deviceMissing', SAMPLES['vsp.deviceMissing'][0])).toEqual({
      expected: "one of the host's disks (ssd0): hyperkata.storvsp is a storage VSP",
      found: '"nic0", a nic, which a storage VSP cannot drive',
    });
    expect(say('vsp.deviceMissing', SAMPLES['vsp.deviceMissing'][1])).toEqual({
      expected: "one of the host's nics (none): hyperkata.netvsp is a network VSP",
      found: 'nothing',
    });
    expect(say('route.unknownVm', SAMPLES['route.unknownVm'][1]).expected).toBe(
      'the name of a VM in the scenario (a, b and 1010 more)',
    );
    expect(say('emulated.backingMissing', SAMPLES['emulated.backingMissing'][1])).toEqual({
      expected:
        "one of the host's nics for the legacy network adapter (DEC 21140, 100 Mbit/s) (none)",
      found: 'nothing',
    });
  });

  it('a real check’s issues carry their reason, and their English is the reason’s words', () => {
    const level = LevelSchema.parse(
      JSON.parse(
        readFileSync(
          new URL('../../levels/campaign/12-consolidation.json', import.meta.url),
          'utf8',
        ),
      ),
    );
    const d = level.defaults;
    const db01 = d.vms.db01;
    const broken = {
      ...d,
      host: { ...d.host, rootVps: 64 },
      vms: {
        ...d.vms,
        db01: {
          ...db01,
          processor: { ...db01.processor, count: 99, reservePercent: 90, limitPercent: 50 },
        },
      },
      channels: [
        ...d.channels,
        { vm: 'nobody', device: 'scsi0', vsp: 'x', signalling: 'batched' as const },
      ],
    };
    const issues: InputIssue[] = checkConfiguration(level.scenario, broken, {
      deviceClassOf: () => 'storage',
    });
    expect(issues.length).toBeGreaterThanOrEqual(4);
    for (const issue of issues) {
      expect(issue.reason).toBeDefined();
      if (issue.reason)
        expect(configurationReasonText(issue.reason)).toEqual({
          expected: issue.expected,
          found: issue.found,
        });
    }
  });

  it('Portuguese groups thousands with a dot and names the field as the inspector does', () => {
    const issue = (path: (string | number)[], reason: ConfigurationReason): string | null =>
      issuePtBR({ path, ...configurationReasonText(reason), reason });
    expect(
      issue(['vms', 'db01', 'memory', 'minimumMiB'], {
        id: 'memory.minimumAboveStartup',
        args: { startupMiB: 2048, minimumMiB: 4096 },
      }),
    ).toBe(
      'VM db01 · Mínimo (MiB): no máximo a memória inicial (2.048 MiB) (regra 33), não 4.096 MiB',
    );
    expect(issue(['vms'], { id: 'host.reservesAboveLps', args: { lps: 4, reserved: 4.5 } })).toBe(
      'Todas as VMs juntas: as reservas de CPU somam 4,50 processadores lógicos, mas o host tem 4: Σ quantidade × reserva deve ser no máximo 4 (regra 32)',
    );
    expect(fieldPtBR(['host', 'rootVps'])).toBe('VPs da raiz (minroot)');
    expect(fieldPtBR(['vms', 'db01', 'processor', 'reservePercent'])).toBe('VM db01 · Reserva %');
    expect(fieldPtBR(['vms', 'db01', 'virtualNuma'])).toBe('VM db01 · NUMA virtual');
    expect(fieldPtBR(['vsps', 1, 'device'])).toBe('Instâncias de VSP · 2 · Dispositivo');
    expect(fieldPtBR(['channels', 0, 'vsp'])).toBe('Canal 1 · vsp');
    // A place without a label keeps the path the solution file writes.
    expect(fieldPtBR(['vms', 'db01', 'memory', 'somethingNew'])).toBe(
      'VM db01 · memory.somethingNew',
    );
    expect(fieldPtBR(['objectives', 2, 'metric'])).toBe('objectives[2].metric');
  });

  it('English keeps the core’s message; an issue without a reason keeps its English line', () => {
    const reasoned: InputIssue = {
      path: ['vms', 'db01', 'memory', 'minimumMiB'],
      ...configurationReasonText(SAMPLE_MINIMUM),
      reason: SAMPLE_MINIMUM,
    };
    const plugin: InputIssue = {
      path: ['vsps', 0, 'settings', 'turbo'],
      expected: 'a boost from 1 to 3',
      found: '9',
    };
    const message = ConfigurationError.describe('solution', [reasoned, plugin]);
    expect(refusalIn('en', { message, issues: [reasoned, plugin] })).toBe(message);
    expect(refusalIn('pt-BR', { message })).toBe(message);
    expect(refusalIn('pt-BR', { message, issues: [reasoned, plugin] })).toBe(
      [
        'VM db01 · Mínimo (MiB): no máximo a memória inicial (2.048 MiB) (regra 33), não 4.096 MiB',
        'solution: vsps[0].settings.turbo: expected a boost from 1 to 3, found 9',
      ].join('\n'),
    );
  });
});

const SAMPLE_MINIMUM: ConfigurationReason = {
  id: 'memory.minimumAboveStartup',
  args: { startupMiB: 2048, minimumMiB: 4096 },
};
