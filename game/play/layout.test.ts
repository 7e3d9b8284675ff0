import { describe, expect, it } from '@jest/globals';
import { vmwpLabel } from './layout.js';

describe('worker process labels', () => {
  it('say "VMWP name" when the box has room for it', () => {
    expect(vmwpLabel('shop01', 90)).toBe('VMWP shop01');
  });

  it('never hold more characters than fit in the box, so neighbouring boxes do not overlap', () => {
    // Level 08: seven VMs share the root's row, each worker box about 52 px wide.
    for (const width of [30, 40, 52, 60, 75]) {
      const fits = Math.floor((width - 8) / 5.6);
      for (const vm of ['db01', 'log06', 'nightshift', 'a-very-long-vm-name']) {
        expect(vmwpLabel(vm, width).length).toBeLessThanOrEqual(Math.max(2, fits));
      }
    }
  });

  it('keep the VM name whole when only the prefix does not fit', () => {
    expect(vmwpLabel('log06', 52)).toBe('log06');
  });
});
