/**
 * Scene keys and the data each scene is started with. The Play scene (scenes/Play.ts) receives
 * {@link PlaySceneData} and shows a run's results itself, over the board.
 */

export const SceneKey = {
  Boot: 'Boot',
  Preloader: 'Preloader',
  Title: 'Title',
  CampaignMap: 'CampaignMap',
  Codex: 'Codex',
  Settings: 'Settings',
  Play: 'Play',
} as const;
export type SceneKey = (typeof SceneKey)[keyof typeof SceneKey];

/** Where Esc / Back returns to. */
export interface ReturnTo {
  readonly key: SceneKey;
  readonly data?: object;
}

/** Every screen scene accepts these. */
export interface ScreenData {
  /** Id of the element to focus when the screen opens (focus survives a language switch). */
  readonly focus?: string;
  /** Set when the scene restarts itself (language or palette change): no "now on" narration. */
  readonly restarted?: boolean;
}

export type TitleData = ScreenData;

export interface CampaignMapData extends ScreenData {
  /** The level to select when the map opens. */
  readonly levelId?: string;
}

export interface CodexData extends ScreenData {
  readonly entryId?: string;
  readonly returnTo?: ReturnTo;
}

export interface SettingsData extends ScreenData {
  readonly returnTo?: ReturnTo;
}

/** The Play scene's input: which level, and optionally which saved solution to load. */
export interface PlaySceneData extends ScreenData {
  readonly levelId: string;
  readonly solutionId?: string;
}
