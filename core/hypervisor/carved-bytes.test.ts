import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { carveBytes } from './carved-bytes.js';
import { SynicEventFlagsPage, SynicMessagePage } from './synic-pages.js';

describe('carveBytes', () => {
  it('hands out zeroed, aligned buffers that never share a byte', () => {
    const request = fc.record({
      length: fc.integer({ min: 1, max: 5000 }),
      align: fc.constantFrom(1, 8, 4096),
    });
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 60 }), (requests) => {
        const views = requests.map((r) => carveBytes(r.length, r.align));
        views.forEach((v, i) => {
          expect(v.length).toBe(requests[i].length);
          expect(v.byteOffset % requests[i].align).toBe(0);
          expect(v.every((b) => b === 0)).toBe(true);
          v.fill((i % 255) + 1);
        });
        views.forEach((v, i) => {
          expect(v.every((b) => b === (i % 255) + 1)).toBe(true);
        });
      }),
    );
  });

  it('rule 26: two VPs’ SynIC pages are separate pages (a flag set on one is not seen on the other)', () => {
    const a = new SynicEventFlagsPage();
    const b = new SynicEventFlagsPage();
    const m = new SynicMessagePage();
    expect(a.set(2, 5)).toBe(true);
    expect(a.nextSet(2, 0)).toBe(5);
    expect(b.isSet(2, 5)).toBe(false);
    expect(b.nextSet(2, 0)).toBe(-1);
    expect(m.isEmpty(2)).toBe(true);
  });
});
