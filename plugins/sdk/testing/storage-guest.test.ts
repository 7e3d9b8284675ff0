/**
 * StorageGuest plays storvsc against a storage VSP (rule 16): checked against the built-in
 * storvsp, and for what it tells a test author who asks too early.
 */
import { describe, expect, it } from '@jest/globals';
import storvsp from '../../storvsp/index.js';
import { StorageGuest, VspTestHarness } from './index.js';

const READ_4K = { kind: 'read16', lba: 8, blocks: 8, fua: false, dpo: false } as const;

describe('StorageGuest', () => {
  it('rule 3: a read completes once the fake disk has finished, echoing the trans_id', () => {
    const h = new VspTestHarness(storvsp, { device: { kind: 'block', latencySteps: 1 } });
    const guest = new StorageGuest(h, h.openChannel({ diskBytes: 1 << 30 }));
    expect(guest.initialize().phase).toBe('ready');
    const { transId } = guest.executeSrb({ command: READ_4K });
    expect(() => guest.completion(transId)).toThrow(
      `no completion for trans_id ${String(transId)}: the fake device has 1 request to finish (call h.settle() first)`,
    );
    h.settle();
    expect(guest.completion(transId)).toMatchObject({ transId, dataTransferLength: 4096 });
  });
});
