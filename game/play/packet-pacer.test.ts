import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { PacketPacer } from './packet-pacer.js';

/** Runs `seconds` of a busy VM (completing `perSecond` operations) at `fps`; counts the packets. */
function packetsSent(fps: number, seconds: number, perSecond: number): number {
  const pacer = new PacketPacer({ gapMs: 50, maxOwed: 10 });
  const frameMs = 1000 / fps;
  let sent = 0;
  for (let frame = 1; frame <= fps * seconds; frame++) {
    sent += pacer.tick(frameMs, Math.floor((frame * frameMs * perSecond) / 1000));
  }
  return sent;
}

describe('PacketPacer', () => {
  it('sends a busy lane’s stream at one packet per gap, whatever the frame rate', () => {
    // 20 packets a second at a 50 ms gap: 40 in 2 s at 30, 60 or 144 frames a second.
    for (const fps of [30, 60, 144]) {
      expect(Math.abs(packetsSent(fps, 2, 5000) - 40)).toBeLessThanOrEqual(1);
    }
  });

  it('sends nothing while nothing completes, and one packet per completion when they are rare', () => {
    expect(packetsSent(60, 2, 0)).toBe(0);
    expect(packetsSent(60, 2, 3)).toBe(6);
  });

  it('sends at most one packet a frame and one per gap over time, for any frames', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ delta: fc.double({ min: 0, max: 100, noNaN: true }), done: fc.nat(50) }),
          { maxLength: 200 },
        ),
        (frames) => {
          const pacer = new PacketPacer({ gapMs: 50, maxOwed: 10 });
          let total = 0;
          let elapsed = 0;
          let sent = 0;
          for (const f of frames) {
            total += f.done;
            elapsed += f.delta;
            const now = pacer.tick(f.delta, total);
            expect(now === 0 || now === 1).toBe(true);
            sent += now;
            // The first packet may leave at once; after it, one per 50 ms at most.
            expect(sent).toBeLessThanOrEqual(2 + elapsed / 50);
            expect(sent).toBeLessThanOrEqual(total);
          }
        },
      ),
    );
  });

  it('forgets a burst beyond what it may owe', () => {
    const pacer = new PacketPacer({ gapMs: 50, maxOwed: 10 });
    let sent = pacer.tick(16, 1_000_000);
    for (let i = 0; i < 600; i++) sent += pacer.tick(50, 1_000_000);
    expect(sent).toBe(10);
  });
});
