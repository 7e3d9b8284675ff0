import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { FixedStepLoop } from './loop.js';

function loopWith(options: { speed?: number; maxStepsPerFrame?: number } = {}) {
  const advanced: number[] = [];
  const loop = new FixedStepLoop({
    stepNs: 50_000,
    realMsPerStep: 10,
    advance: (ns) => advanced.push(ns),
    ...(options.maxStepsPerFrame === undefined
      ? {}
      : { maxStepsPerFrame: options.maxStepsPerFrame }),
  });
  loop.speed = options.speed ?? 1;
  return { loop, advanced };
}

describe('FixedStepLoop', () => {
  it('turns real time into whole, equal simulation steps, carrying the remainder', () => {
    const { loop, advanced } = loopWith();
    expect(loop.tick(25)).toBe(2);
    expect(loop.tick(5)).toBe(1); // 5 left over + 5
    expect(advanced).toEqual([50_000, 50_000, 50_000]);
  });

  it('runs the same simulated time whatever the frame rate', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 200 }),
        (frames) => {
          const { loop, advanced } = loopWith({ maxStepsPerFrame: 1000 });
          for (const ms of frames) loop.tick(ms);
          const real = frames.reduce((a, b) => a + b, 0);
          return advanced.length === Math.floor(real / 10);
        },
      ),
    );
  });

  it('runs proportionally more steps at a higher speed', () => {
    const { loop, advanced } = loopWith({ speed: 4 });
    loop.tick(20);
    expect(advanced).toHaveLength(8);
  });

  it('advances nothing while paused', () => {
    const { loop, advanced } = loopWith();
    loop.paused = true;
    expect(loop.tick(1000)).toBe(0);
    expect(advanced).toEqual([]);
  });

  it('does not try to catch up forever after a stall', () => {
    const { loop } = loopWith({ maxStepsPerFrame: 5 });
    expect(loop.tick(10_000)).toBe(5);
    expect(loop.tick(10)).toBeLessThanOrEqual(2);
  });

  it('refuses a step that is not whole nanoseconds', () => {
    expect(() => new FixedStepLoop({ stepNs: 1.5, advance: () => undefined })).toThrow(RangeError);
  });

  it('stops stepping a frame when its time budget is spent, always in whole steps', () => {
    let clock = 0;
    const advanced: number[] = [];
    const loop = new FixedStepLoop({
      stepNs: 1000,
      realMsPerStep: 1,
      maxStepsPerFrame: 100,
      budgetMs: 3,
      clock: () => clock,
      advance: (ns) => {
        advanced.push(ns);
        clock += 1;
      },
    });
    expect(loop.tick(50)).toBe(3);
    expect(advanced).toEqual([1000, 1000, 1000]);
  });
});
