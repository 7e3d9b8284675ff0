import { describe, expect, it } from '@jest/globals';
import { bench, portsOf } from './emulation.test-support.js';
import { S3Crtc, VgaPort, VgaStatus1 } from './s3-vga.js';
import { S3_REFRESH_INTERVAL_NS, S3VideoModel } from './s3-video.js';
import { S3_DESKTOP_MODE } from './s3-vram.js';

function setup() {
  const b = bench('video', { vram: true });
  const model = new S3VideoModel(b.ctx);
  const frames: number[] = [];
  b.console.watchScreen('dev0', { framePresented: (g) => frames.push(g) });
  return { b, model, frames, p: portsOf(model) };
}

/** The guest's stores of a w×h rectangle at (x, y), row by row. */
function draw(model: S3VideoModel, x: number, y: number, w: number, h: number): number {
  const m = S3_DESKTOP_MODE;
  let faults = 0;
  for (let row = y; row < y + h; row++)
    faults += model.vram.write(row * m.pitchBytes + x * m.bytesPerPixel, w * m.bytesPerPixel);
  return faults;
}

describe('emulated S3 video in the worker process', () => {
  it('rule 21: the worker finds a drawing only by scanning dirty pages — 64 KiB of pixels in 128 rows costs 128 whole pages', () => {
    const { b, model, frames } = setup();
    const faults = draw(model, 100, 200, 128, 128); // 128×128×4 bytes = 64 KiB
    expect(faults).toBe(128); // each row lives in its own 4 KiB page at a 4096-byte pitch
    expect(frames).toEqual([]); // nobody told the worker
    b.engine.runUntil(S3_REFRESH_INTERVAL_NS + 1_000_000);
    expect(model.pagesCopied).toBe(128);
    expect(frames).toEqual([model.vram.generation]);
    // Drawing the same rows again after the scan faults again: tracking was re-armed.
    expect(draw(model, 100, 200, 128, 128)).toBe(128);
  });

  it('rule 21: every refresh costs the dirty-page query, even when nothing was drawn', () => {
    const { b, model, frames } = setup();
    b.engine.runUntil(3 * S3_REFRESH_INTERVAL_NS + 1);
    expect(model.refreshes).toBe(3);
    expect(b.cpu.charged).toBeGreaterThan(0);
    expect(model.pagesCopied).toBe(0);
    expect(frames).toEqual([]);
  });

  it('flips vertical retrace on every read of input status 1, so a polling driver sees it within two reads', () => {
    const { p } = setup();
    const first = p.in(VgaPort.INPUT_STATUS_1) & VgaStatus1.VERTICAL_RETRACE;
    const second = p.in(VgaPort.INPUT_STATUS_1) & VgaStatus1.VERTICAL_RETRACE;
    expect(first ^ second).toBe(VgaStatus1.VERTICAL_RETRACE);
  });

  it('takes a word OUT to the CRTC index port as index and data (the S3 cursor registers)', () => {
    const { p } = setup();
    p.out(VgaPort.CRTC_INDEX, S3Crtc.CURSOR_X_LOW | (0x5a << 8), 2);
    p.out(VgaPort.CRTC_INDEX, S3Crtc.CURSOR_X_LOW);
    expect(p.in(VgaPort.CRTC_DATA)).toBe(0x5a);
  });
});
