import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { configurationScript } from '../../core/root/powershell.js';
import { parseLevel, parseSolution, startLevel } from '../../levels/index.js';
import { BUILT_IN_VSPS } from '../../plugins/index.js';
import { I18n } from '../i18n/i18n.js';
import { draftFromLevel, draftFromSolution, setHost, setProcessor } from './draft.js';
import { draftScript, scriptFileName } from './script.js';

const dir = new URL('../../levels/campaign/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
const level12 = parseLevel(read('12-consolidation.json'), '12');
const reference = parseSolution(read('12-consolidation.reference.solution.json'), 'reference');
const en = new I18n('en');
const pt = new I18n('pt-BR');
const TITLE = 'Level 12 · Consolidation';

describe('the whole draft as a PowerShell script', () => {
  it('is, under its header, what `hyperkata powershell 12 --solution …` prints for the same solution', () => {
    const simulation = startLevel({ level: level12, solution: reference, vsps: BUILT_IN_VSPS });
    const cli = configurationScript(level12.scenario, simulation.configuration);
    const script = draftScript(level12, draftFromSolution(level12, reference), en, TITLE);
    expect(script.endsWith(`\n\n${cli}`)).toBe(true);
    expect(script.split('\n').slice(0, 2)).toEqual([
      '# Hyperkata · Level 12 · Consolidation: the configuration on the board',
      '# Run it in an elevated PowerShell on the Hyper-V host, with the VMs turned off.',
    ]);
  });

  it('follows the board: a root VP count and a VM VP count the player changed are in it, the defaults are not', () => {
    const start = draftFromLevel(level12);
    const vm = level12.scenario.vms[0].name;
    const before = start.vms[vm].processor.count;
    const changed = setProcessor(setHost(start, { rootVps: 3 }), vm, { count: before + 1 });
    const script = draftScript(level12, changed, en, TITLE);
    expect(start.host.rootVps).not.toBe(3);
    expect(script).toContain('bcdedit /set hypervisorrootproc 3 ');
    expect(script).toContain(`Set-VMProcessor -VMName ${vm} -Count ${before + 1} `);
    expect(script).not.toContain(`Set-VMProcessor -VMName ${vm} -Count ${before} `);
  });

  it('speaks pt-BR in its comments and header, and keeps the commands as one types them', () => {
    const draft = draftFromSolution(level12, reference);
    const script = draftScript(level12, draft, pt, 'Fase 12 · Consolidação');
    expect(script).toContain('# Hyperkata · Fase 12 · Consolidação: a configuração do tabuleiro');
    expect(script).toContain('minroot: a partição raiz recebe 2 VP(s)');
    expect(script).not.toContain('takes effect after a reboot');
    // The commands are the English script's, line for line, with only the comments translated.
    const commands = (s: string) =>
      s
        .split('\n')
        .filter((l) => !l.startsWith('#'))
        .map((l) => l.replace(/ {3}# .*$/, ''));
    expect(commands(script)).toEqual(commands(draftScript(level12, draft, en, TITLE)));
  });

  it('downloads as the level id with .ps1', () => {
    expect(scriptFileName(level12)).toBe(`${level12.id}.ps1`);
  });
});
