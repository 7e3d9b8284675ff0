/**
 * tiny-storvsp's tests (docs/plugins.md, step 3). The SDK's harness plays the guest's storvsc:
 * no simulation, no timing, every step deterministic. `npm test` runs them with node:test.
 */
// #region harness
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  expectChannelFailed,
  expectChannelOpen,
  expectNoPluginFaults,
  formatContractReport,
  runContractSuite,
  StorageGuest,
  VspTestHarness,
} from 'hyperkata/sdk/testing';
import tinyStorvsp from '../src/index.js';

/** A harness with one channel whose guest finished storvsc's handshake (rule 16). */
function ready() {
  const h = new VspTestHarness(tinyStorvsp, { device: { kind: 'block', latencySteps: 1 } });
  const channel = h.openChannel({ vm: 'db01', device: 'scsi0', diskBytes: 1 << 30 });
  const guest = new StorageGuest(h, channel);
  const state = guest.initialize();
  return { h, channel, guest, state };
}
// #endregion harness

describe('tiny-storvsp', () => {
  // #region read
  it('rule 16: finishes the handshake at protocol 6.2', () => {
    const { h, state } = ready();
    assert.equal(state.phase, 'ready');
    assert.equal(state.protocolVersion, 0x0602);
    expectNoPluginFaults(h);
  });

  it('rule 3: a 4 KiB read reaches the disk and completes with the guest’s trans_id', () => {
    const { h, channel, guest } = ready();
    const { transId } = guest.executeSrb({
      command: { kind: 'read16', lba: 8, blocks: 8, fua: false, dpo: false },
    });
    h.settle(); // let the fake disk finish
    const done = guest.completion(transId);
    assert.equal(done.srbStatus & 0x3f, 0x01); // SRB_STATUS_SUCCESS
    assert.equal(done.dataTransferLength, 4096);
    assert.deepEqual(h.deviceRequests[0]?.block, {
      op: 'read',
      offsetBytes: 4096,
      bytes: 4096,
      tag: 1,
    });
    expectChannelOpen(channel);
  });
  // #endregion read

  // #region hostile
  it('rule 37: a read past the end of the disk is refused and never reaches the disk', () => {
    const { h, channel, guest } = ready();
    const { transId } = guest.executeSrb({
      command: { kind: 'read16', lba: 2 ** 40, blocks: 8, fua: false, dpo: false },
    });
    h.settle();
    assert.notEqual(guest.completion(transId).srbStatus & 0x3f, 0x01);
    assert.equal(h.deviceRequests.length, 0);
    expectChannelOpen(channel);
  });

  it('rule 38: garbage stops that channel, and only that one', () => {
    const { h, channel } = ready();
    const other = h.openChannel({ vm: 'web01', device: 'scsi0' });
    h.deliver(channel, h.packets.inband(Uint8Array.of(0xde, 0xad)));
    expectChannelFailed(channel, 'malformed storage request');
    expectChannelOpen(other);
  });
  // #endregion hostile

  // #region contract
  it('passes the contract suite every VSP must pass', () => {
    const report = runContractSuite(tinyStorvsp, { runs: 100 });
    assert.ok(report.passed, formatContractReport(report));
  });
  // #endregion contract
});
