/**
 * The VM state machine VMMS keeps for every child partition (what Get-VM shows in its State
 * column). Transitions are pure: `transition(state, action)` returns the next state or a refusal,
 * and the caller (VMMS) performs the effects — start a worker process, create the partition,
 * tear it down. Transitional states end when their work completes (`…-done` actions).
 */
export const VM_STATES = [
  'Off',
  'Starting',
  'Running',
  'Paused',
  'Saving',
  'Saved',
  'Stopping',
] as const;
export type VmState = (typeof VM_STATES)[number];

/** What VMMS can be asked to do to a VM, and the `…-done` steps that end a transitional state. */
export const VM_ACTIONS = [
  'start',
  'start-done',
  'pause',
  'resume',
  'save',
  'save-done',
  'stop',
  'stop-done',
  'turn-off',
] as const;
export type VmAction = (typeof VM_ACTIONS)[number];

const TABLE: Readonly<Record<VmState, Partial<Record<VmAction, VmState>>>> = {
  Off: { start: 'Starting' },
  Starting: { 'start-done': 'Running', 'turn-off': 'Off' },
  Running: { pause: 'Paused', save: 'Saving', stop: 'Stopping', 'turn-off': 'Off' },
  Paused: { resume: 'Running', save: 'Saving', stop: 'Stopping', 'turn-off': 'Off' },
  Saving: { 'save-done': 'Saved' },
  Saved: { start: 'Starting' },
  Stopping: { 'stop-done': 'Off', 'turn-off': 'Off' },
};

export type TransitionResult = { ok: true; state: VmState } | { ok: false; reason: string };

/** The actions `state` allows, comma-separated as a refusal lists them; '' for none. */
export function allowedActions(state: VmState): string {
  return Object.keys(TABLE[state]).join(', ');
}

export function transition(state: VmState, action: VmAction): TransitionResult {
  const next = TABLE[state][action];
  if (next !== undefined) return { ok: true, state: next };
  const allowed = allowedActions(state);
  return {
    ok: false,
    reason: `cannot ${action} a VM that is ${state} (allowed: ${allowed || 'nothing'})`,
  };
}

/** Whether the VM's virtual processors may run in this state. */
export function vpsRun(state: VmState): boolean {
  return state === 'Running' || state === 'Starting' || state === 'Stopping';
}

/** Whether a worker process (VMWP) exists for the VM in this state: one per VM that is not off or saved. */
export function hasWorkerProcess(state: VmState): boolean {
  return state !== 'Off' && state !== 'Saved';
}
