import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ShareLinkError, decodeShare, encodeShare, shareValueFromHash } from './share.js';

const solution = {
  levelId: 'two-lanes',
  name: 'Storage on its own lane',
  data: {
    $schema: 'hyperkata-solution',
    channels: [
      { vm: 'web01', vsc: 'disk0', vsp: 'storvsp' },
      { vm: 'web01', vsc: 'nic0', vsp: 'netvsp' },
    ],
  },
};

async function kindOf(value: string): Promise<string> {
  try {
    await decodeShare(value);
    return 'read';
  } catch (error) {
    return ShareLinkError.is(error) ? error.kind : `other: ${String(error)}`;
  }
}

describe('share links', () => {
  it('round-trip a solution through the URL fragment', async () => {
    const value = await encodeShare(solution);
    expect(value).toMatch(/^1\.two-lanes\.[A-Za-z0-9_-]+$/);
    const hash = `#solution=${value}`;
    expect(shareValueFromHash(hash)).toBe(value);
    expect(await decodeShare(value)).toEqual(solution);
  });

  it('compresses: a repetitive solution gives a short link', async () => {
    const big = {
      ...solution,
      data: { channels: Array.from({ length: 200 }, () => solution.data.channels[0]) },
    };
    const value = await encodeShare(big);
    expect(value.length).toBeLessThan(JSON.stringify(big).length / 10);
  });

  it('finds no share in an ordinary hash', () => {
    expect(shareValueFromHash('')).toBeUndefined();
    expect(shareValueFromHash('#codex=vmbus')).toBeUndefined();
  });

  it('refuses damaged, foreign and oversized links with a typed error', async () => {
    const good = await encodeShare(solution);
    expect(await kindOf('2.two-lanes.abc')).toBe('unsupported-version');
    expect(await kindOf('1.Two Lanes.abc')).toBe('malformed');
    expect(await kindOf('1.two-lanes')).toBe('malformed');
    expect(await kindOf('1.two-lanes.***')).toBe('malformed');
    expect(await kindOf(good.slice(0, -6))).toBe('malformed');
    expect(await kindOf('1.two-lanes.' + 'A'.repeat(40_000))).toBe('too-large');
  });

  it('refuses a small link that inflates into a huge solution', async () => {
    const bomb = await encodeShare({
      levelId: 'two-lanes',
      name: 'x',
      data: { pad: 'a'.repeat(600_000) },
    });
    expect(bomb.length).toBeLessThan(32_000);
    expect(await kindOf(bomb)).toBe('too-large');
  });

  it('refuses content that is not a solution', async () => {
    const array = await encodeShare({ levelId: 'two-lanes', name: 'x', data: {} });
    expect(await kindOf(array)).toBe('read');
    // Hand-made payloads: valid deflate of non-solution JSON.
    const fake = async (json: string) => {
      const stream = new Blob([json]).stream().pipeThrough(new CompressionStream('deflate-raw'));
      const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
      const b64 = btoa(String.fromCharCode(...bytes))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
      return `1.two-lanes.${b64}`;
    };
    expect(await kindOf(await fake('[1,2]'))).toBe('malformed');
    expect(await kindOf(await fake('{"name":"x","data":[1]}'))).toBe('malformed');
    expect(await kindOf(await fake('not json'))).toBe('malformed');
  });

  it('never throws anything but ShareLinkError for arbitrary input (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc
            .base64String()
            .map(
              (s) => `1.two-lanes.${s.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}`,
            ),
        ),
        async (value) => !(await kindOf(value)).startsWith('other'),
      ),
      { numRuns: 300 },
    );
  });
});
