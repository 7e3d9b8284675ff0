/**
 * The player's settings, their defaults from the environment, and a lenient reader: one bad
 * setting falls back to its default instead of costing the player their progress.
 */
import { detectLanguage, isLanguage } from '../i18n/i18n.js';
import type { Language } from '../i18n/i18n.js';
import { isPaletteId } from '../style/palette.js';
import type { PaletteId } from '../style/palette.js';

/** Run speeds the player can pick (simulated time per real time, relative to 1×). */
export const SPEEDS = [1, 2, 4, 8, 16, 32, 64] as const;
export type Speed = (typeof SPEEDS)[number];

/**
 * A speed as every screen writes it, multiplier first as the Play toolbar and the tutorial do
 * ("×16"), in both languages.
 */
export function speedLabel(speed: Speed): string {
  return `×${speed.toString()}`;
}

export interface Settings {
  readonly language: Language;
  readonly palette: PaletteId;
  readonly reducedMotion: boolean;
  /** Default speed of a run. */
  readonly speed: Speed;
  readonly muted: boolean;
  /** 0–100. */
  readonly volume: number;
  /** Whether the event log panel is shown. */
  readonly logOpen: boolean;
}

/** What the browser tells us before the player chooses anything. */
export interface Environment {
  /** navigator.languages */
  readonly languages: readonly string[];
  /** matchMedia('(prefers-reduced-motion: reduce)').matches */
  readonly prefersReducedMotion: boolean;
}

export function defaultSettings(env: Environment): Settings {
  return {
    language: detectLanguage(env.languages),
    palette: 'standard',
    reducedMotion: env.prefersReducedMotion,
    speed: 1,
    muted: false,
    volume: 70,
    logOpen: true,
  };
}

function isSpeed(value: unknown): value is Speed {
  return typeof value === 'number' && (SPEEDS as readonly number[]).includes(value);
}

function isVolume(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100;
}

/** Keeps each valid field of `raw` and takes the default for the rest. */
export function readSettings(raw: unknown, defaults: Settings): Settings {
  const r = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  return {
    language: isLanguage(r.language) ? r.language : defaults.language,
    palette: isPaletteId(r.palette) ? r.palette : defaults.palette,
    reducedMotion: typeof r.reducedMotion === 'boolean' ? r.reducedMotion : defaults.reducedMotion,
    speed: isSpeed(r.speed) ? r.speed : defaults.speed,
    muted: typeof r.muted === 'boolean' ? r.muted : defaults.muted,
    volume: isVolume(r.volume) ? r.volume : defaults.volume,
    logOpen: typeof r.logOpen === 'boolean' ? r.logOpen : defaults.logOpen,
  };
}
