import { describe, expect, it } from '@jest/globals';
import {
  DEVICE_CLASS_GUIDS,
  IDE_ACCELERATOR_CLASS_GUID,
  isIdeAcceleratedDisk,
  offerClassGuid,
} from './class-guids.js';
import type { OfferingVm } from './class-guids.js';

// L: include/linux/hyperv.h — HV_IDE_GUID and HV_SCSI_GUID, both bound by storvsc (id_table).
const HV_IDE_GUID = '32412632-86cb-44a2-9b5c-50d1417354f5';
const HV_SCSI_GUID = 'ba6163d9-04a1-4d29-b605-72e2ffb1dc7f';

const devices: OfferingVm['devices'] = [
  { id: 'eth0', class: 'network' },
  { id: 'disk0', class: 'storage' },
  { id: 'disk1', class: 'storage' },
];

describe('the class GUID of a device’s offer (rule 11)', () => {
  it('is the same GUID Linux calls HV_IDE_GUID and HV_SCSI_GUID', () => {
    expect(IDE_ACCELERATOR_CLASS_GUID).toBe(HV_IDE_GUID);
    expect(DEVICE_CLASS_GUIDS.storage).toBe(HV_SCSI_GUID);
  });

  it('rule 11: a generation 1 VM offers its boot disk (its first storage device) through the IDE accelerator', () => {
    const vm: OfferingVm = { generation: 1, devices };
    expect(isIdeAcceleratedDisk(vm, 'disk0')).toBe(true);
    expect(offerClassGuid(vm, devices[1])).toBe(HV_IDE_GUID);
  });

  it('rule 11: its other disks and its network adapter keep their class GUIDs', () => {
    const vm: OfferingVm = { generation: 1, devices };
    expect(isIdeAcceleratedDisk(vm, 'disk1')).toBe(false);
    expect(offerClassGuid(vm, devices[2])).toBe(HV_SCSI_GUID);
    expect(offerClassGuid(vm, devices[0])).toBe(DEVICE_CLASS_GUIDS.network);
  });

  it('rule 11: a generation 2 VM has no IDE: every disk is offered as synthetic SCSI', () => {
    const vm: OfferingVm = { generation: 2, devices };
    expect(devices.filter((d) => isIdeAcceleratedDisk(vm, d.id))).toEqual([]);
    expect(offerClassGuid(vm, devices[1])).toBe(HV_SCSI_GUID);
    expect(offerClassGuid(vm, devices[2])).toBe(HV_SCSI_GUID);
  });
});
