/**
 * Shared helpers for tests that drive the VMBus control path (not a test file itself): one control
 * message posted from the guest's VP 0 to the root, or from the root's VP 0 to a guest.
 */
import { expect } from '@jest/globals';
import { CostMeter } from '../../host/cpu.js';
import { HvPortType, HvStatus } from '../../hypervisor/index.js';
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

/**
 * HvCallPostMessage of one control message from the root's VP 0 to a guest's VMBus message port,
 * on the connection the VMBus server posts through: what the guest sees is exactly what a host
 * that sent it would look like (rule 10).
 */
export function hostPosts(sim: Simulation, pid: number, message: ChannelMessage): void {
  const rt = internalsOf(sim);
  const connection = [...(rt.hv.partition(rt.rootPartitionId)?.connections.values() ?? [])].find(
    (c) => c.port.partitionId === pid && c.port.type === HvPortType.Message,
  );
  if (connection === undefined) throw new Error(`the root has no message connection to ${pid}`);
  const bytes = new Uint8Array(240);
  const length = encodeChannelMessage(message, bytes, 0);
  const status = rt.io.postMessage(
    rt.rootPartitionId,
    0,
    connection.id,
    bytes,
    length,
    new CostMeter(),
  );
  expect(status).toBe(HvStatus.SUCCESS);
}
