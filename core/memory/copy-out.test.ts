import { describe, expect, it } from '@jest/globals';
import { copyOut, copyOutInto, copyThenValidate } from './copy-out.js';
import { GpadlTable } from './gpadl-table.js';
import { IsolationFaultLog } from './isolation-fault-log.js';
import { MemoryManager } from './memory-manager.js';
import { mibToPages } from './units.js';

/** A guest request header in shared memory: u32 length, then that many payload bytes. */
function setup() {
  const memory = new MemoryManager({ memoryMiB: 4096, os: 'ws2019', rootReserveMiB: 512 });
  const gpadls = new GpadlTable(memory, new IsolationFaultLog({ now: 0 }));
  memory.createPartition({ partition: 1, startupPages: mibToPages(256) });
  const shared = memory.allocate(1, 1);
  if (!shared.ok || shared.value.bytes === null) throw new Error('allocation failed');
  const g = gpadls.create(1, 1, [shared.value.pfn]);
  if (!g.ok) throw new Error(g.detail);
  const view = gpadls.portFor({ partition: 1, channel: 1, actor: 'hyperkata.test' }).view(g.handle);
  if (!view.ok) throw new Error(view.detail);
  return { guest: new DataView(shared.value.bytes.buffer, shared.value.bytes.byteOffset), view };
}

const MAX_PAYLOAD = 64;

describe('copy, then validate', () => {
  it('rule 36: a length validated on the host copy cannot be changed by the guest afterwards', () => {
    const { guest, view } = setup();
    guest.setUint32(0, 32, true);
    const header = copyOut(view, 0, 4);
    if (!header.ok) throw new Error(header.detail);
    const length = new DataView(header.bytes.buffer).getUint32(0, true);
    expect(length).toBeLessThanOrEqual(MAX_PAYLOAD); // validated on the copy
    guest.setUint32(0, 0xffff_ffff, true); // the guest races the host
    // the host uses what it validated: the copy did not change
    expect(new DataView(header.bytes.buffer).getUint32(0, true)).toBe(32);
  });

  it('rule 36: reading the live shared bytes twice (a double fetch) would see the guest’s change', () => {
    const { guest, view } = setup();
    const live = view.bytes;
    if (live === null) throw new Error('contiguous view expected');
    guest.setUint32(0, 32, true);
    const checked = new DataView(live.buffer, live.byteOffset).getUint32(0, true);
    guest.setUint32(0, 0xffff_ffff, true);
    const used = new DataView(live.buffer, live.byteOffset).getUint32(0, true);
    expect(checked).not.toBe(used); // why VSPs must copy first
  });

  it('rule 36: copyThenValidate runs the validator on the copy and returns that same copy', () => {
    const { guest, view } = setup();
    guest.setUint32(0, 8, true);
    let validated: Uint8Array | undefined;
    const r = copyThenValidate(view, 0, 4 + MAX_PAYLOAD, (copy) => {
      validated = copy;
      const len = new DataView(copy.buffer).getUint32(0, true);
      guest.setUint32(0, 9999, true); // the guest changes memory while the host validates
      return len <= MAX_PAYLOAD ? { ok: true as const, len } : { ok: false as const };
    });
    if (!r.ok) throw new Error(r.detail);
    expect(r.value).toEqual({ ok: true, len: 8 });
    expect(r.bytes).toBe(validated);
    expect(new DataView(r.bytes.buffer).getUint32(0, true)).toBe(8);
  });

  it('copies into a host buffer the caller owns, and refuses ranges outside the GPADL', () => {
    const { guest, view } = setup();
    guest.setUint8(4095, 0x5a);
    const mine = new Uint8Array(8);
    expect(copyOutInto(view, 4095, mine, 7, 1).ok).toBe(true);
    expect(mine[7]).toBe(0x5a);
    expect(copyOutInto(view, 4095, mine, 0, 2)).toMatchObject({
      ok: false,
      kind: 'offset-outside-gpadl',
    });
    expect(copyOut(view, 0, -1)).toMatchObject({ ok: false, kind: 'offset-outside-gpadl' });
  });
});
