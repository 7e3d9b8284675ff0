/**
 * Which VSP plugins and physical devices go together in the host inspector: a VSP drives one
 * class of device (storvsp a disk, netvsp a NIC), so the lists only offer matching pairs.
 */
import type { DeviceClass } from '../style/devices.js';
import { classOfPlugin } from './tutorial.js';

export interface HostDevice {
  readonly id: string;
  /** A host's physical devices are disks and NICs. */
  readonly deviceClass: Extract<DeviceClass, 'storage' | 'network'>;
}

/** The host's disks and NICs, with their class. */
export function hostDevices(host: {
  readonly disks: readonly { readonly id: string }[];
  readonly nics: readonly { readonly id: string }[];
}): HostDevice[] {
  return [
    ...host.disks.map((d) => ({ id: d.id, deviceClass: 'storage' as const })),
    ...host.nics.map((n) => ({ id: n.id, deviceClass: 'network' as const })),
  ];
}

/** Plugins that can drive a device of this class (a plugin of unknown class is kept). */
export function pluginsFor(plugins: readonly string[], deviceClass: DeviceClass): string[] {
  return plugins.filter((p) => {
    const c = classOfPlugin(p);
    return c === undefined || c === deviceClass;
  });
}

/** Devices a plugin can drive (every device when the plugin's class is unknown). */
export function devicesFor(devices: readonly HostDevice[], plugin: string): HostDevice[] {
  const c = classOfPlugin(plugin);
  return c === undefined ? [...devices] : devices.filter((d) => d.deviceClass === c);
}
