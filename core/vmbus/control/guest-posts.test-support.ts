/**
 * Shared helper for tests that drive the VMBus control path as a guest would (not a test file
 * itself): one control message posted from the guest's VP 0 to the root.
 */
import { expect } from '@jest/globals';
import { CostMeter } from '../../host/cpu.js';
import { HvStatus } from '../../hypervisor/index.js';
import type { Simulation } from '../../simulation/simulation.js';
import { internalsOf } from '../../simulation/simulation.js';
import { encodeChannelMessage, VMBUS_MESSAGE_CONNECTION_ID_4 } from './index.js';
import type { ChannelMessage } from './index.js';

/** HvCallPostMessage of one control message from the guest's VP 0 to the root (rule 10). */
export function guestPosts(sim: Simulation, pid: number, message: ChannelMessage): void {
  const bytes = new Uint8Array(240);
  const length = encodeChannelMessage(message, bytes, 0);
  const status = internalsOf(sim).io.postMessage(
    pid,
    0,
    VMBUS_MESSAGE_CONNECTION_ID_4,
    bytes,
    length,
    new CostMeter(),
  );
  expect(status).toBe(HvStatus.SUCCESS);
}
