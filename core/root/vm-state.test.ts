import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { VM_ACTIONS, VM_STATES, hasWorkerProcess, transition, vpsRun } from './vm-state.js';
import type { VmAction, VmState } from './vm-state.js';

describe('VMMS VM state machine', () => {
  it('walks a VM through start, pause, resume, save, restore and shut down', () => {
    let s: VmState = 'Off';
    const path: VmState[] = [s];
    for (const a of [
      'start',
      'start-done',
      'pause',
      'resume',
      'save',
      'save-done',
      'start',
      'start-done',
      'stop',
      'stop-done',
    ] as VmAction[]) {
      const r = transition(s, a);
      if (!r.ok) throw new Error(r.reason);
      s = r.state;
      path.push(s);
    }
    expect(path).toEqual([
      'Off',
      'Starting',
      'Running',
      'Paused',
      'Running',
      'Saving',
      'Saved',
      'Starting',
      'Running',
      'Stopping',
      'Off',
    ]);
  });

  it('refuses what Hyper-V refuses, saying why', () => {
    const r = transition('Off', 'pause');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe('cannot pause a VM that is Off (allowed: start)');
    expect(transition('Saved', 'resume').ok).toBe(false);
  });

  it('a started VM has a worker process; an off or saved one has none (one VMWP per running VM)', () => {
    expect(hasWorkerProcess('Running')).toBe(true);
    expect(hasWorkerProcess('Paused')).toBe(true);
    expect(hasWorkerProcess('Off')).toBe(false);
    expect(hasWorkerProcess('Saved')).toBe(false);
  });

  it('never leaves the set of states, and paused or saved VMs never run VPs', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...VM_ACTIONS), { maxLength: 60 }), (actions) => {
        let s: VmState = 'Off';
        for (const a of actions) {
          const r = transition(s, a);
          if (r.ok) s = r.state;
          expect(VM_STATES).toContain(s);
        }
        expect(vpsRun('Paused') || vpsRun('Saved') || vpsRun('Off')).toBe(false);
      }),
    );
  });
});
