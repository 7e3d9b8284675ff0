/**
 * The emulated PS/2 keyboard and mouse as the worker process registers them (rule 21): the i8042
 * model in the VMWP, fed by the VM's console, and the guest's i8042/psmouse driver against it.
 */
import { LegacyPs2Driver } from '../../guest/drivers/legacy/ps2.js';
import { Ps2ControllerModel } from './ps2-controller.js';
import type { EmulatedDeviceKind } from './registry.js';

export const PS2_CONTROLLER: EmulatedDeviceKind = {
  name: 'PS/2 keyboard and mouse (i8042)',
  model: (ctx) => new Ps2ControllerModel(ctx),
  driver: (ctx, device) => new LegacyPs2Driver(ctx, device),
};
