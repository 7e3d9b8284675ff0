/**
 * Level 1 as an interactive tutorial: from what the player has done so far, which step to show
 * and which control to point at. Pure.
 */
import type { DeviceClass } from '../style/devices.js';

export const TUTORIAL_LEVEL = '01-first-partition';

export interface TutorialState {
  readonly connected: boolean;
  readonly pending: boolean;
  readonly phase: 'build' | 'running' | 'paused' | 'done';
}

export interface TutorialStep {
  /** 1–5, the `play.tut.N` string. */
  readonly n: 1 | 2 | 3 | 4 | 5;
  /** Id of the element the pointer shows. */
  readonly target: string;
}

/**
 * @example
 * tutorialStep({ connected: false, pending: false, phase: 'build' }) // { n: 1, target: 'vsc-db01-scsi0' }
 */
export function tutorialStep(state: TutorialState): TutorialStep {
  if (state.phase === 'done') return { n: 5, target: 'play-results' };
  if (state.phase !== 'build') return { n: 4, target: 'objectives' };
  if (state.connected) return { n: 3, target: 'play-run' };
  if (state.pending) return { n: 2, target: 'vsp-storvsp-ssd0' };
  return { n: 1, target: 'vsc-db01-scsi0' };
}

const PLUGIN_CLASS: Readonly<Partial<Record<string, DeviceClass>>> = {
  'hyperkata.storvsp': 'storage',
  'hyperkata.netvsp': 'network',
  'hyperkata.synthvid': 'video',
  'hyperkata.synthhid': 'input',
  'hyperkata.dynmem': 'dynamic-memory',
  'hyperkata.heartbeat': 'heartbeat',
};

/** The device class a built-in VSP plugin serves; undefined for any other plugin. */
export function builtInClassOf(plugin: string): DeviceClass | undefined {
  return PLUGIN_CLASS[plugin];
}

/** The device class a VSP plugin serves (built-ins by id; others by a class word in the id). */
export function classOfPlugin(plugin: string): DeviceClass | undefined {
  const known = PLUGIN_CLASS[plugin];
  if (known) return known;
  if (/stor|disk|scsi/.test(plugin)) return 'storage';
  if (/net|nic/.test(plugin)) return 'network';
  return undefined;
}
