import { describe, expect, it } from '@jest/globals';
import { bench, portsOf } from './emulation.test-support.js';
import { Ps2ControllerModel, PS2_QUEUE_BYTES } from './ps2-controller.js';
import { I8042Port, I8042Status, PS2_MOUSE_SYNC_BIT } from './ps2-i8042.js';

function setup() {
  const b = bench('input');
  const model = new Ps2ControllerModel(b.ctx);
  return { b, model, p: portsOf(model) };
}

describe('emulated i8042 PS/2 controller in the worker process', () => {
  it('rule 21: a mouse movement from the console is three bytes, each with its own interrupt and a status and a data read', () => {
    const { b, p } = setup();
    expect(b.console.userInput('dev0', 'pointer')).toBe(true);
    b.engine.runUntil(1_000_000);
    const bytes: number[] = [];
    let accesses = 0;
    for (;;) {
      const status = p.in(I8042Port.STATUS_COMMAND);
      accesses++;
      if ((status & I8042Status.OBF) === 0) break;
      expect(status & I8042Status.AUXDATA).toBe(I8042Status.AUXDATA);
      bytes.push(p.in(I8042Port.DATA));
      accesses++;
      b.engine.runUntil(b.engine.now + 1_000_000);
    }
    expect(bytes).toHaveLength(3);
    expect(bytes[0] & PS2_MOUSE_SYNC_BIT).toBe(PS2_MOUSE_SYNC_BIT);
    expect(b.interrupts).toBe(3);
    expect(accesses).toBe(7); // 3 × (status + data), and the status read that finds nothing more
  });

  it('a key is one byte from the keyboard port (no AUXDATA)', () => {
    const { b, p } = setup();
    b.console.userInput('dev0', 'key');
    b.engine.runUntil(1_000_000);
    expect(p.in(I8042Port.STATUS_COMMAND) & (I8042Status.OBF | I8042Status.AUXDATA)).toBe(
      I8042Status.OBF,
    );
    p.in(I8042Port.DATA);
    expect(p.in(I8042Port.STATUS_COMMAND) & I8042Status.OBF).toBe(0);
    expect(b.interrupts).toBe(1);
  });

  it('drops events the devices cannot buffer while the guest does not read', () => {
    const { b, model } = setup();
    const events = PS2_QUEUE_BYTES; // 3 bytes each: more than fit
    for (let i = 0; i < events; i++) b.console.userInput('dev0', 'pointer');
    b.engine.runUntil(10_000_000);
    expect(model.dropped).toBeGreaterThan(0);
    expect(model.events + model.dropped).toBe(events);
  });
});
