/**
 * Shared setup of storvsp's tests: the built-in module in a harness, a guest whose handshake is
 * done, and small decoders for the data storvsp returns.
 */
import { BUILT_IN_VSPS } from '../index.js';
import { StorageGuest, VspTestHarness } from '../sdk/testing/index.js';
import type { FakeChannel, FakeDeviceOptions } from '../sdk/testing/index.js';
import type { SettingValue, VspModule } from '../sdk/index.js';
import { STORVSP_ID } from './index.js';

/** The storvsp module exactly as the host loads it. */
export function storvspModule(): VspModule {
  const m = BUILT_IN_VSPS.find((v) => v.id === STORVSP_ID);
  if (m === undefined) throw new Error('storvsp is not registered as a built-in');
  return m;
}

export interface ReadyOptions {
  readonly settings?: Readonly<Record<string, SettingValue>>;
  readonly device?: FakeDeviceOptions;
  readonly guestVps?: number;
  readonly diskBytes?: number;
  readonly vm?: string;
  readonly guestPages?: number;
}

/** A harness with one storvsp channel whose guest finished the rule-16 handshake. */
export function readyGuest(options: ReadyOptions = {}): {
  h: VspTestHarness;
  channel: FakeChannel;
  guest: StorageGuest;
} {
  const h = new VspTestHarness(storvspModule(), {
    settings: options.settings,
    device: options.device ?? { kind: 'block', latencySteps: 1 },
    guestPages: options.guestPages,
  });
  const channel = h.openChannel({
    vm: options.vm ?? 'db01',
    device: 'scsi0',
    guestVps: options.guestVps ?? 2,
    diskBytes: options.diskBytes ?? 1 << 30,
  });
  const guest = new StorageGuest(h, channel);
  const state = guest.initialize();
  if (state.phase !== 'ready') throw new Error(`handshake ended in ${state.phase}`);
  return { h, channel, guest };
}

/** Opens another VM's channel on the same harness and brings it up. */
export function secondGuest(
  h: VspTestHarness,
  vm: string,
): { channel: FakeChannel; guest: StorageGuest } {
  const channel = h.openChannel({ vm, device: 'scsi0', guestVps: 2, diskBytes: 1 << 30 });
  const guest = new StorageGuest(h, channel);
  guest.initialize();
  return { channel, guest };
}

/** Big-endian reads for checking SCSI data by hand (SCSI fields are big-endian). */
export function be32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(offset, false);
}

export function be64(bytes: Uint8Array, offset: number): number {
  return Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(offset, false));
}
