/**
 * Settings: language, palette (with the device legend: shape and colour), motion, default run
 * speed, sound (mute, volume, a preview of every cue), and progress export/import.
 */
import Phaser from 'phaser';
import { CUE_NAMES } from '../audio/cues.js';
import type { CueName } from '../audio/cues.js';
import { LANGUAGES, LANGUAGE_NAMES } from '../i18n/i18n.js';
import { SaveFormatError } from '../save/format.js';
import { SPEEDS, speedLabel } from '../save/settings.js';
import type { Settings as PlayerSettings } from '../save/settings.js';
import type { GameServices } from '../services.js';
import { DEVICE_CLASS_ORDER, DEVICE_STYLES, deviceSvg } from '../style/devices.js';
import { h, svg } from '../ui/dom.js';
import { backButton, choiceGroup, jsonFilePicker, screenHeader } from '../ui/widgets.js';
import { describeSaveError } from '../startup.js';
import { hostScreen, navigate } from './host.js';
import { SceneKey } from './keys.js';
import type { ReturnTo, SettingsData } from './keys.js';

const PREVIEW_CUES: readonly CueName[] = CUE_NAMES.filter((c) => c !== 'click');

export class Settings extends Phaser.Scene {
  constructor(private readonly services: GameServices) {
    super(SceneKey.Settings);
  }

  create(data: SettingsData = {}): void {
    const s = this.services;
    const returnTo: ReturnTo = data.returnTo ?? {
      key: SceneKey.Title,
      data: { focus: 'menu-settings' },
    };
    const back = (): void => {
      navigate(this, s, returnTo.key, returnTo.data ?? {});
    };
    hostScreen(this, s, {
      key: SceneKey.Settings,
      data,
      screen: () => ({ root: this.buildScreen(back), back }),
    });
  }

  private change<K extends keyof PlayerSettings>(
    key: K,
    value: PlayerSettings[K],
    /** The value and the setting's name, each in the current language (the log says them again). */
    spoken: () => string,
    setting: () => string,
  ): void {
    const { store, log, i18n } = this.services;
    store.updateSettings({ [key]: value });
    if (key !== 'language')
      log.narrate(() => i18n.t('log.setting', { setting: setting(), value: spoken() }));
  }

  private buildScreen(back: () => void): HTMLElement {
    const { i18n, store } = this.services;
    const settings = store.settings;
    const t = i18n.t.bind(i18n);

    const language = choiceGroup({
      idPrefix: 'set-lang',
      label: t('settings.language'),
      value: settings.language,
      choices: LANGUAGES.map((lang) => ({ value: lang, label: LANGUAGE_NAMES[lang], lang })),
      onChoose: (value) => {
        this.change(
          'language',
          value,
          () => LANGUAGE_NAMES[value],
          () => t('settings.language'),
        );
      },
    });
    const paletteKeys = {
      standard: 'settings.palette.standard',
      'colour-blind': 'settings.palette.colourBlind',
    } as const;
    const palette = choiceGroup({
      idPrefix: 'set-palette',
      label: t('settings.palette'),
      value: settings.palette,
      choices: (['standard', 'colour-blind'] as const).map((id) => ({
        value: id,
        label: t(paletteKeys[id]),
      })),
      onChoose: (value) => {
        this.change(
          'palette',
          value,
          () => t(paletteKeys[value]),
          () => t('settings.palette'),
        );
      },
    });
    const legend = h(
      'ul',
      { className: 'device-legend', attrs: { 'aria-label': t('settings.palette.hint') } },
      ...DEVICE_CLASS_ORDER.map((deviceClass) =>
        h(
          'li',
          {},
          svg(deviceSvg(deviceClass, settings.palette, 28)),
          h('span', {}, t(DEVICE_STYLES[deviceClass].label)),
        ),
      ),
    );
    const motionKeys = {
      full: 'settings.motion.full',
      reduced: 'settings.motion.reduced',
    } as const;
    const motion = choiceGroup({
      idPrefix: 'set-motion',
      label: t('settings.motion'),
      value: settings.reducedMotion ? 'reduced' : 'full',
      choices: (['full', 'reduced'] as const).map((id) => ({
        value: id,
        label: t(motionKeys[id]),
      })),
      onChoose: (value) => {
        this.change(
          'reducedMotion',
          value === 'reduced',
          () => t(motionKeys[value]),
          () => t('settings.motion'),
        );
      },
    });
    const speed = choiceGroup({
      idPrefix: 'set-speed',
      label: t('settings.speed'),
      value: settings.speed,
      choices: SPEEDS.map((v) => ({ value: v, label: speedLabel(v) })),
      onChoose: (value) => {
        this.change(
          'speed',
          value,
          () => speedLabel(value),
          () => t('settings.speed'),
        );
      },
    });
    const soundKeys = { on: 'settings.sound.on', off: 'settings.sound.off' } as const;
    const sound = choiceGroup({
      idPrefix: 'set-sound',
      label: t('settings.sound'),
      value: settings.muted ? 'off' : 'on',
      choices: (['on', 'off'] as const).map((id) => ({ value: id, label: t(soundKeys[id]) })),
      onChoose: (value) => {
        this.change(
          'muted',
          value === 'off',
          () => t(soundKeys[value]),
          () => t('settings.sound'),
        );
        this.restartKeepingFocus(`set-sound-${value}`);
      },
    });
    const volume = h('input', {
      id: 'set-volume',
      className: 'slider',
      attrs: {
        type: 'range',
        min: 0,
        max: 100,
        step: 5,
        value: settings.volume,
        'aria-valuetext': i18n.percent(settings.volume),
      },
      on: {
        input: () => {
          const text = i18n.percent(Number(volume.value));
          volume.setAttribute('aria-valuetext', text);
          volumeValue.textContent = text;
        },
        change: () => {
          const level = Number(volume.value);
          this.change(
            'volume',
            level,
            () => i18n.percent(level),
            () => t('settings.volume'),
          );
          this.services.sound.play('click');
        },
      },
    });
    const volumeValue = h(
      'span',
      { className: 'slider-value', attrs: { 'aria-hidden': 'true' } },
      i18n.percent(settings.volume),
    );
    const preview = h(
      'div',
      { className: 'choice-row' },
      h('span', { className: 'choice-label', id: 'preview-label' }, t('settings.preview')),
      h(
        'div',
        {
          className: 'choice-group wrap',
          attrs: { role: 'group', 'aria-labelledby': 'preview-label' },
        },
        ...PREVIEW_CUES.map((cue) =>
          h(
            'button',
            {
              id: `cue-${cue}`,
              className: 'small-button',
              attrs: { type: 'button', 'aria-disabled': settings.muted ? 'true' : undefined },
              on: {
                click: (event) => {
                  event.stopPropagation();
                  this.services.sound.play(cue);
                },
              },
            },
            h('span', { attrs: { 'aria-hidden': 'true' } }, '♪ '),
            t(`cue.${cue}`),
          ),
        ),
      ),
    );
    const fileInput = jsonFilePicker('import-file', (file) => void this.importFile(file));

    return h(
      'section',
      { className: 'settings-screen', attrs: { 'aria-labelledby': 'settings-heading' } },
      h(
        'div',
        { place: { x: 28, y: 24, width: 968 } },
        screenHeader({
          id: 'settings-heading',
          title: t('settings.heading'),
          back: backButton(t('nav.back'), back),
        }),
      ),
      h(
        'div',
        { className: 'panel settings-card', place: { x: 28, y: 104, width: 476, height: 584 } },
        language,
        palette,
        legend,
        h('p', { className: 'hint' }, t('settings.palette.hint')),
        motion,
        h('p', { className: 'hint' }, t('settings.motion.hint')),
      ),
      h(
        'div',
        { className: 'panel settings-card', place: { x: 520, y: 104, width: 476, height: 584 } },
        speed,
        h('p', { className: 'hint' }, t('settings.speed.hint')),
        sound,
        h(
          'div',
          { className: 'choice-row' },
          h(
            'label',
            { className: 'choice-label', attrs: { for: 'set-volume' } },
            t('settings.volume'),
          ),
          h('div', { className: 'slider-row' }, volume, volumeValue),
        ),
        preview,
        h('h2', { className: 'card-heading' }, t('settings.progress')),
        h('p', { className: 'hint' }, t('settings.progress.hint')),
        h(
          'div',
          { className: 'button-row' },
          h(
            'button',
            {
              id: 'export-progress',
              className: 'secondary-button',
              attrs: { type: 'button' },
              on: {
                click: () => {
                  this.exportFile();
                },
              },
            },
            h('span', { attrs: { 'aria-hidden': 'true' } }, '⤓ '),
            t('settings.export'),
          ),
          h(
            'button',
            {
              id: 'import-progress',
              className: 'secondary-button',
              attrs: { type: 'button' },
              on: {
                click: () => {
                  fileInput.click();
                },
              },
            },
            h('span', { attrs: { 'aria-hidden': 'true' } }, '⤒ '),
            t('settings.import'),
          ),
          fileInput,
        ),
      ),
    );
  }

  private restartKeepingFocus(focus: string): void {
    this.scene.restart({ ...(this.scene.settings.data as SettingsData), focus, restarted: true });
  }

  private exportFile(): void {
    const { store, notices, i18n } = this.services;
    const file = store.exportFile();
    this.services.download(file.fileName, file.text);
    notices.show({ kind: 'success', text: i18n.t('notice.exported', { file: file.fileName }) });
  }

  private async importFile(file: File): Promise<void> {
    const { store, notices, i18n } = this.services;
    try {
      const summary = store.importFile(await file.text());
      notices.show({
        kind: 'success',
        text: i18n.t('notice.imported', { levels: summary.levels, solutions: summary.solutions }),
      });
    } catch (error) {
      const reason = SaveFormatError.is(error) ? describeSaveError(error, i18n) : String(error);
      notices.show({ kind: 'error', text: i18n.t('notice.importFailed', { reason }) });
    }
  }
}
