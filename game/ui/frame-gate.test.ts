import { describe, expect, it } from '@jest/globals';
import { FrameGate, gateFrames } from './frame-gate.js';
import type { SteppedGame } from './frame-gate.js';

function game() {
  const calls: string[] = [];
  const g: SteppedGame = {
    step: (t: number) => calls.push(`render ${t}`),
    headlessStep: (t: number) => calls.push(`update ${t}`),
  };
  return { g, calls };
}

describe('FrameGate', () => {
  it('renders every frame unless a scene asks for rendering on demand', () => {
    const gate = new FrameGate();
    const { g, calls } = game();
    gateFrames(g, gate);
    for (let t = 0; t < 3; t++) g.step(t, 16);
    expect(calls).toEqual(['render 0', 'render 1', 'render 2']);
  });

  it('on demand, a frame renders only after something changed, and updates still run', () => {
    const gate = new FrameGate();
    const { g, calls } = game();
    gateFrames(g, gate);
    gate.onDemand = true;
    g.step(0, 16); // switching on draws the current picture once
    g.step(1, 16);
    g.step(2, 16);
    gate.invalidate();
    g.step(3, 16);
    g.step(4, 16);
    expect(calls).toEqual(['render 0', 'update 1', 'update 2', 'render 3', 'update 4']);
    expect(gate.skipped).toBe(3);
    gate.onDemand = false;
    g.step(5, 16);
    g.step(6, 16);
    expect(calls.slice(-2)).toEqual(['render 5', 'render 6']);
  });
});
