/** A VM state in Brazilian Portuguese, for the narration's lines and reasons. */
import type { VmState } from '../../core/index.js';

/** Said of a VM (feminine in Portuguese: “a VM”), as the codex says them (desligada, iniciando, em execução…). */
export const VM_STATE_PT_BR: Readonly<Record<VmState, string>> = {
  Off: 'desligada',
  Starting: 'iniciando',
  Running: 'em execução',
  Paused: 'pausada',
  Saving: 'salvando',
  Saved: 'salva',
  Stopping: 'parando',
};
