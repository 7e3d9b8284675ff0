/**
 * The emulated IDE controller as the worker process registers it (rule 21): the PIIX4 model in
 * the VMWP and the guest's bus-master ATA driver against it. Generation 1 only.
 */
import { LegacyIdeDriver } from '../../guest/drivers/legacy/ide.js';
import { IdeControllerModel } from './ide-controller.js';
import type { EmulatedDeviceKind } from './registry.js';

export const IDE_CONTROLLER: EmulatedDeviceKind = {
  name: 'emulated IDE controller (Intel PIIX4)',
  model: (ctx) => new IdeControllerModel(ctx),
  driver: (ctx, device) => new LegacyIdeDriver(ctx, device),
};
