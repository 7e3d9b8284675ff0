/**
 * What scenes are given (by constructor) instead of reaching for globals: one object built once in
 * the composition root, StartGame.
 */
import type { SoundBoard } from './audio/sound-board.js';
import type { CampaignSource } from './campaign/types.js';
import type { I18n } from './i18n/i18n.js';
import type { SaveStore } from './save/store.js';
import type { Palette } from './style/palette.js';
import type { EventLog } from './ui/event-log.js';
import type { FrameGate } from './ui/frame-gate.js';
import type { Fit } from './ui/geometry.js';
import type { Notices } from './ui/notices.js';
import type { UiLayer } from './ui/ui-layer.js';

export interface GameServices {
  readonly i18n: I18n;
  readonly store: SaveStore;
  readonly sound: SoundBoard;
  readonly log: EventLog;
  readonly notices: Notices;
  readonly ui: UiLayer;
  /** The levels; the integrator swaps in levels/ here. */
  readonly campaign: CampaignSource;
  /** The palette the settings chose. */
  palette(): Palette;
  /** Whether animation must be skipped (settings, which default to the OS preference). */
  reducedMotion(): boolean;
  /** Which frames render: a scene whose picture is still can skip them (see FrameGate). */
  readonly frames: FrameGate;
  /** Applies the design-space fit to the DOM overlay (scenes apply it to their camera). */
  fitOverlay(fit: Fit): void;
  /** Saves a text file on the player's computer. */
  download(fileName: string, text: string): void;
  /** Copies text to the clipboard; false if the browser refused. */
  copy(text: string): Promise<boolean>;
  /** The page address without its fragment (for share links). */
  baseUrl(): string;
}
