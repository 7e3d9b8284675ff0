/**
 * The VMBus class GUID each device class's offers carry (rule 11). Its own module, free of zod,
 * so the game's first download can name GUIDs without the schemas.
 */
import type { DeviceClass } from './scenario.js';

/**
 * The class GUID (the offer's if_type) of each device class's channels (L: include/linux/hyperv.h
 * HV_SCSI_GUID, HV_NIC_GUID…). A storage VSP's channel to a generation 1 VM's boot disk carries
 * {@link IDE_ACCELERATOR_CLASS_GUID} instead.
 *
 * @example
 * ```ts
 * if (channel.classGuid === DEVICE_CLASS_GUIDS.storage)
 *   host.log(`${channel.device}: synthetic SCSI`);
 * ```
 */
export const DEVICE_CLASS_GUIDS: Readonly<Record<DeviceClass, string>> = {
  storage: 'ba6163d9-04a1-4d29-b605-72e2ffb1dc7f',
  network: 'f8615163-df3e-46c5-913f-f2d2f965ed0e',
  video: 'da0a7802-e377-4aac-8e77-0558eb1073f8',
  input: 'cfa8b69e-5b4a-4cc0-b98b-8ba1a1f3f95a',
  'dynamic-memory': '525074dc-8985-46e2-8057-a307dc18a502',
  heartbeat: '57164f39-9115-4e78-ab55-382f3bd5422d',
};

/**
 * The class GUID of the IDE accelerator: the VMBus channel through which storvsc reaches a disk
 * that sits on a generation 1 VM's emulated IDE controller (L: include/linux/hyperv.h
 * HV_IDE_GUID; O: storvsp `IDE_ACCELERATOR_INTERFACE_ID`). storvsp serves it with the same
 * storage protocol as the synthetic SCSI controller, whose offers carry
 * `DEVICE_CLASS_GUIDS.storage` (HV_SCSI_GUID); storvsc binds both (L: storvsc_drv.c `id_table`).
 *
 * @example
 * ```ts
 * // The IDE accelerator carries one channel: storvsp offers it no subchannels (O: build_ide).
 * const maxSubchannels =
 *   channel.classGuid === IDE_ACCELERATOR_CLASS_GUID ? 0 : (channel.guestVps - 1) >> 2;
 * ```
 */
export const IDE_ACCELERATOR_CLASS_GUID = '32412632-86cb-44a2-9b5c-50d1417354f5';

/** A VM as far as the class GUIDs of its offers depend on it. */
export interface OfferingVm {
  readonly generation: 1 | 2;
  readonly devices: readonly { readonly id: string; readonly class: DeviceClass }[];
}

/**
 * Whether `device` is the boot disk of a generation 1 VM: its first storage device, which sits on
 * the emulated IDE controller (a generation 1 VM boots only from IDE: WS "Plan for Hyper-V
 * scalability"), so that with integration components storvsc reaches it through the IDE
 * accelerator channel. Simplification: the model puts a generation 1 VM's other disks on a
 * synthetic SCSI controller (Add-VMScsiController), never on the other IDE locations.
 *
 * @example
 * ```ts
 * const boots = isIdeAcceleratedDisk(
 *   { generation: 1, devices: [{ id: 'disk0', class: 'storage' }] },
 *   'disk0',
 * ); // true
 * ```
 */
export function isIdeAcceleratedDisk(vm: OfferingVm, device: string): boolean {
  if (vm.generation !== 1) return false;
  return vm.devices.find((d) => d.class === 'storage')?.id === device;
}

/**
 * The class GUID of the offer for `device`, one of `vm`'s devices (rule 11): HV_IDE_GUID for a
 * generation 1 VM's boot disk, otherwise its device class's GUID (HV_SCSI_GUID for every other
 * storage device).
 *
 * @example
 * ```ts
 * const old01 = { generation: 1, devices: [{ id: 'disk0', class: 'storage' }] } as const;
 * const db01 = { generation: 2, devices: [{ id: 'scsi0', class: 'storage' }] } as const;
 * const ide = offerClassGuid(old01, old01.devices[0]); // '32412632-…' (HV_IDE_GUID, the IDE accelerator)
 * const scsi = offerClassGuid(db01, db01.devices[0]); // 'ba6163d9-…' (HV_SCSI_GUID, synthetic SCSI)
 * ```
 */
export function offerClassGuid(
  vm: OfferingVm,
  device: { readonly id: string; readonly class: DeviceClass },
): string {
  return isIdeAcceleratedDisk(vm, device.id)
    ? IDE_ACCELERATOR_CLASS_GUID
    : DEVICE_CLASS_GUIDS[device.class];
}
