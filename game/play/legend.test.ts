import { describe, expect, it } from '@jest/globals';
import { legendName } from './legend.js';

describe('the scheduler legend names each VM as far as its column allows', () => {
  it("level 7's nightshift is shown whole in an 80 px column, not cut to 'nightshi…'", () => {
    // Play-test: the legend of level 7 read "nightshi…" beside two empty-looking columns; ten
    // monospace characters at 9 px need 55 px, and a column has 80 − 14 (the swatch) = 66.
    expect(legendName('nightshift', 66, 9)).toBe('nightshift');
    expect(legendName('dayshift', 66, 9)).toBe('dayshift');
  });

  it('a name longer than its room is cut with an ellipsis and still fits', () => {
    const shown = legendName('consolidation-db01', 66, 9);
    expect(shown.endsWith('…')).toBe(true);
    expect(shown.length * 9 * 0.61).toBeLessThanOrEqual(66);
    // A wider column (one column only, beside the grid) shows more of it.
    expect(legendName('consolidation-db01', 200, 9)).toBe('consolidation-db01');
  });
});
