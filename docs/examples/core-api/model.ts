/**
 * The examples on the model's functions (core/model): each returns what its example shows, and
 * core/tsdoc.test.ts checks that it is what the example's comment says.
 */
import {
  channelClassIssue,
  checkMemorySettings,
  committedMemoryMiB,
  DEVICE_CLASS_GUIDS,
  HOST_RELEASE_LIMITS,
  isIdeAcceleratedDisk,
  nearest,
  offerClassGuid,
  releaseAllows,
  releaseLimit,
  vmMemoryLimitMiB,
} from '../../../core/index.js';

export function bootsFromIde(): boolean {
  // #region isIdeAcceleratedDisk
  const boots = isIdeAcceleratedDisk(
    { generation: 1, devices: [{ id: 'disk0', class: 'storage' }] },
    'disk0',
  ); // true
  // #endregion isIdeAcceleratedDisk
  return boots;
}

export function offeredGuids(): { ide: string; scsi: string } {
  // #region offerClassGuid
  const old01 = { generation: 1, devices: [{ id: 'disk0', class: 'storage' }] } as const;
  const db01 = { generation: 2, devices: [{ id: 'scsi0', class: 'storage' }] } as const;
  const ide = offerClassGuid(old01, old01.devices[0]); // '32412632-…' (HV_IDE_GUID, the IDE accelerator)
  const scsi = offerClassGuid(db01, db01.devices[0]); // 'ba6163d9-…' (HV_SCSI_GUID, synthetic SCSI)
  // #endregion offerClassGuid
  return { ide, scsi };
}

export function releaseWording(): string {
  // #region releaseAllows
  const text = releaseAllows('ws2022', 1024, 'virtual processors per VM');
  // 'Windows Server 2022 allows at most 1024 virtual processors per VM (rule 40)'
  // #endregion releaseAllows
  return text;
}

export function releaseFieldLimit(): string {
  // #region releaseLimit
  const expected = releaseLimit('ws2016', 240, 'virtual processors per VM');
  // 'at most 240 virtual processors per VM, the limit of Windows Server 2016 (rule 40)'
  // #endregion releaseLimit
  return expected;
}

export function memoryIssues(): ReturnType<typeof checkMemorySettings> {
  // #region checkMemorySettings
  const issues = checkMemorySettings(
    {
      dynamic: true,
      startupMiB: 2048,
      minimumMiB: 4096,
      maximumMiB: 8192,
      bufferPercent: 20,
      priority: 50,
    },
    { virtualNuma: false, integrationComponents: true, path: ['vms', 'db01'] },
  );
  // [{ path: ['vms', 'db01', 'memory', 'minimumMiB'],
  //    expected: 'at most the startup memory (2048 MiB) (rule 33)', found: '4096',
  //    reason: { id: 'memory.minimumAboveStartup', args: { startupMiB: 2048, minimumMiB: 4096 } } }]
  // #endregion checkMemorySettings
  return issues;
}

export function classIssue(): ReturnType<typeof channelClassIssue> {
  // #region channelClassIssue
  const nic = {
    key: 'web01/eth0',
    class: 'network',
    classGuid: DEVICE_CLASS_GUIDS.network,
  } as const;
  const issue = channelClassIssue(['channels', 1, 'vsp'], nic, 'storvsp-ssd0', 'storage');
  // { path: ['channels', 1, 'vsp'],
  //   expected: 'a network VSP for web01/eth0 (class GUID f8615163-…) … (rule 11)',
  //   found: '"storvsp-ssd0", which serves storage (class GUID ba6163d9-…)' }
  // #endregion channelClassIssue
  return issue;
}

export function heldFromTheStart(): number {
  // #region committedMemoryMiB
  const held = committedMemoryMiB({ dynamic: false, startupMiB: 4096 }); // 4096
  // #endregion committedMemoryMiB
  return held;
}

export function generation1Limit(): number {
  // #region vmMemoryLimitMiB
  const limit = vmMemoryLimitMiB(HOST_RELEASE_LIMITS.ws2022, 1); // 1048576: 1 TiB on every release
  // #endregion vmMemoryLimitMiB
  return limit;
}

export function nearMisses(): [string | undefined, string | undefined] {
  // #region nearest
  const meant = nearest('wieght', ['weight', 'reservePercent', 'limitPercent']); // 'weight'
  const none = nearest('colour', ['weight', 'count']); // undefined
  // #endregion nearest
  return [meant, none];
}
