/**
 * The legacy network adapter as an emulated device kind (rule 21): the worker process's 21140
 * model and the guest's tulip driver. Registered in `EMULATED_DEVICES.network`.
 */
import { TulipDriver } from '../../guest/drivers/legacy/tulip.js';
import type { EmulatedDeviceKind } from './registry.js';
import { LegacyNicModel } from './legacy-nic.js';

export const LEGACY_NETWORK_ADAPTER: EmulatedDeviceKind = {
  name: 'Legacy Network Adapter (DEC 21140, 100 Mbit/s)',
  model: (ctx) => new LegacyNicModel(ctx),
  driver: (ctx, device) => new TulipDriver(ctx, device),
};
