/**
 * `hyperkata powershell`: what a teacher shows after a level — the script an administrator would
 * run to set a real Hyper-V host up the way the solution did, and nothing that no cmdlet does.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BUILT_IN_VSPS } from '../plugins/index.js';
import { CAMPAIGN_DIR } from './campaign.js';
import { runCaptured } from './testing/run-captured.js';

const cli = (...argv: string[]) => runCaptured(argv, { vsps: () => BUILT_IN_VSPS });
const campaign = (name: string) => path.join(CAMPAIGN_DIR, name);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hyperkata-ps-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('hyperkata powershell', () => {
  it("level 12's reference solution: minroot, each VM's processors and memory, each disk where its VSP drives it", async () => {
    const r = await cli(
      'powershell',
      '12',
      '--solution',
      campaign('12-consolidation.reference.solution.json'),
    );
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines).toContain(
      'bcdedit /set hypervisorrootproc 2   # minroot: the root partition gets 2 VP(s); takes effect after a reboot',
    );
    expect(lines).toContain(
      'Set-VMProcessor -VMName db01 -Count 2 -RelativeWeight 1000 -Reserve 0 -Maximum 100',
    );
    expect(lines).toContain(
      'Set-VMMemory -VMName db01 -DynamicMemoryEnabled $false -StartupBytes 7GB',
    );
    // db01 stays on storvsp-ssd0 (the first disk, D:); db02 moved to storvsp-ssd1 (E:).
    expect(lines).toContain(
      'Add-VMHardDiskDrive -VMName db01 -ControllerType SCSI -Path D:\\Hyper-V\\db01-scsi0.vhdx',
    );
    expect(lines).toContain(
      'Add-VMHardDiskDrive -VMName db02 -ControllerType SCSI -Path E:\\Hyper-V\\db02-scsi0.vhdx',
    );
    // old01, generation 1 with integration components now: its boot disk stays on IDE and
    // takes the IDE accelerator channel.
    expect(lines).toContain(
      "Enable-VMIntegrationService -VMName old01 -Name 'Heartbeat','Guest Service Interface'",
    );
    expect(r.out).toMatch(
      /ControllerType IDE -Path E:\\Hyper-V\\old01-disk0\.vhdx\n# generation 1 boots only from IDE/,
    );
  });

  it('level 03 as it starts: the legacy guest gets no integration components and an emulated IDE disk', async () => {
    const r = await cli('powershell', '03');
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      '# old01: no integration components — the guest uses emulated devices only',
    );
    expect(r.out).not.toContain('Enable-VMIntegrationService');
  });

  it('--lang pt-BR translates the comments, never the cmdlets', async () => {
    const en = await cli('powershell', '01');
    const pt = await cli('powershell', '01', '--lang', 'pt-BR');
    expect(pt.code).toBe(0);
    const commands = (text: string) =>
      text
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('#'))
        .map((l) => l.replace(/ {3}#.*$/, ''));
    expect(commands(pt.out)).toEqual(commands(en.out));
    expect(pt.out).not.toEqual(en.out);
    expect(pt.out).toContain('vale depois de reiniciar');
  });

  it('follows the locale when --lang is absent: LANG=pt_BR.UTF-8 writes the comments in Portuguese', async () => {
    const r = await runCaptured(['powershell', '01'], {
      vsps: () => BUILT_IN_VSPS,
      locale: { LANG: 'pt_BR.UTF-8' },
    });
    expect(r.out).toContain('vale depois de reiniciar');
    const c = await runCaptured(['powershell', '01', '--lang', 'en'], {
      vsps: () => BUILT_IN_VSPS,
      locale: { LANG: 'pt_BR.UTF-8' },
    });
    expect(c.out).toContain('takes effect after a reboot');
  });

  it('refuses a solution the level would refuse, naming the file and the field, and prints no script', async () => {
    const bad = path.join(dir, 'locked.solution.json');
    writeFileSync(
      bad,
      JSON.stringify({ format: 1, level: '01-first-partition', host: { rootVps: 4 } }),
    );
    const r = await cli('powershell', '01', '--solution', bad);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(bad);
    expect(r.err).toContain('host.rootVps');
  });
});
