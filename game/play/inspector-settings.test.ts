/**
 * The VSP inspector's storvsp fields stop where storvsp's own settings check would refuse the run
 * (Run failed with "vsps[0].settings.queueDepth: expected an integer from 1 to 4096, found 0"):
 * the inspector's copy of the bounds is the plugin's.
 */
import { describe, expect, it } from '@jest/globals';
import { STORVSP_SETTINGS } from '../../plugins/storvsp/settings.js';
import { I18n } from '../i18n/i18n.js';
import { STORVSP_NUMBER_SETTINGS, vspSettingLabel } from './inspector.js';

describe('STORVSP_NUMBER_SETTINGS', () => {
  it('has the default and bounds storvsp declares for each of its integer settings', () => {
    const declared = Object.fromEntries(
      Object.entries(STORVSP_SETTINGS)
        .filter(([, spec]) => spec.type === 'integer')
        .map(([key, spec]) => [
          key,
          'min' in spec ? { default: spec.default, min: spec.min, max: spec.max } : spec,
        ]),
    );
    expect(STORVSP_NUMBER_SETTINGS).toEqual(declared);
  });
});

describe('vspSettingLabel', () => {
  // Before: the fields were labelled "queueDepth" and "maxSubchannels" in both languages.
  it("names storvsp's settings in the player's language, keeping the name the diagnosis uses", () => {
    const pt = new I18n('pt-BR');
    expect(vspSettingLabel(pt, 'queueDepth')).toBe('Profundidade da fila (queueDepth)');
    expect(vspSettingLabel(pt, 'maxSubchannels')).toBe('Subcanais oferecidos (maxSubchannels)');
    expect(vspSettingLabel(new I18n('en'), 'maxSubchannels')).toBe(
      'Subchannels offered (maxSubchannels)',
    );
  });

  it("shows a plugin's own setting by its name, and no inherited property as a name", () => {
    const pt = new I18n('pt-BR');
    expect(vspSettingLabel(pt, 'burstSize')).toBe('burstSize');
    expect(vspSettingLabel(pt, 'toString')).toBe('toString');
  });
});
