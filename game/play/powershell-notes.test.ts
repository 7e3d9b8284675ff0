import { describe, expect, it } from '@jest/globals';
import * as ps from '../../core/root/powershell.js';
import type { PowerShellNotes } from '../../core/root/powershell.js';
import { PT_BR_NOTES, powerShellNotes } from './powershell-notes.js';

/** Everything the inspector renders, with each kind of comment. */
function rendered(notes: PowerShellNotes): string[] {
  const out = [
    ps.setVmProcessor(
      'db01',
      { count: 2, weight: 100, reservePercent: 12.5, limitPercent: 80 },
      notes,
    ),
    ps.setVirtualNuma('db01', true, notes),
    ps.setVirtualNuma('db01', false, notes),
    ps.setRootVps(2, notes),
  ];
  for (const t of ['classic', 'core', 'root'] as const) out.push(ps.setSchedulerType(t, notes));
  for (const family of ['windows', 'linux'] as const) {
    out.push(ps.integrationComponents('db01', true, family, notes));
    out.push(ps.integrationComponents('db01', false, family, notes));
  }
  const channel = {
    vm: 'db01',
    device: 'scsi0',
    vsp: 'storvsp-ssd0',
    signalling: 'batched' as const,
  };
  const emulated = { vm: 'db01', device: 'scsi0' };
  for (const route of [channel, emulated]) {
    for (const cls of ['storage', 'video', 'input']) {
      for (const bootDisk of [true, false])
        out.push(ps.routeCommand(route, cls, { generation: 1, bootDisk, notes }));
    }
  }
  for (const cls of ['storage', 'network', 'video'])
    for (const s of ['batched', 'low-latency'] as const)
      out.push(ps.channelSettingsNote(cls, 256, s, notes));
  for (const plugin of ['hyperkata.storvsp', 'hyperkata.netvsp', 'acme.vsp'])
    out.push(ps.vspSettingsNote({ id: 'v0', plugin, device: 'ssd0' }, notes));
  return out;
}

/** A rendered text split into what one types and the comments (`# …`, whole-line or trailing). */
function split(text: string): { commands: string[]; comments: string[] } {
  const commands: string[] = [];
  const comments: string[] = [];
  for (const line of text.split('\n')) {
    const at = line.indexOf('#');
    if (at === -1) commands.push(line);
    else {
      commands.push(line.slice(0, at).trimEnd());
      comments.push(line.slice(at + 1).trim());
    }
  }
  return { commands, comments };
}

describe('PowerShell comments in the player’s language', () => {
  const en = rendered(powerShellNotes('en'));
  const pt = rendered(powerShellNotes('pt-BR'));

  it('in English are exactly what the core renders without notes', () => {
    expect(powerShellNotes('en')).toBe(ps.ENGLISH_NOTES);
    expect(ps.setRootVps(4, powerShellNotes('en'))).toBe(ps.setRootVps(4));
  });

  it('in Portuguese keep every cmdlet, parameter and value as one types them', () => {
    expect(pt.map((t) => split(t).commands)).toEqual(en.map((t) => split(t).commands));
  });

  it('in Portuguese translate every comment line', () => {
    for (let i = 0; i < en.length; i++) {
      const a = split(en[i]).comments;
      const b = split(pt[i]).comments;
      expect(b.length).toBe(a.length);
      for (let j = 0; j < a.length; j++) {
        expect(b[j]).not.toBe(a[j]);
        // No English sentence left behind (names like "Windows Update" may stay).
        expect(b[j]).not.toMatch(/\b(the|takes effect|inside|through|no cmdlet|its|until)\b/);
      }
    }
  });

  it('name every note in Portuguese', () => {
    expect(Object.keys(PT_BR_NOTES).sort()).toEqual(Object.keys(ps.ENGLISH_NOTES).sort());
  });
});
