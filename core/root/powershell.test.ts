import { describe, expect, it } from '@jest/globals';
import { ConfigurationSchema, ScenarioSchema } from '../model/index.js';
import { storageHost, TWO_DISKS } from '../testing/scenarios.js';
import {
  channelSettingsNote,
  configurationScript,
  integrationComponents,
  managementCommand,
  routeCommand,
  setRootVps,
  setSchedulerType,
  setVmMemory,
  setVmProcessor,
  vspSettingsNote,
} from './powershell.js';

describe('PowerShell an administrator would type', () => {
  it('renders Set-VMProcessor with the rule 32 parameters', () => {
    expect(
      setVmProcessor('db01', { count: 4, weight: 200, reservePercent: 10, limitPercent: 75 }),
    ).toBe('Set-VMProcessor -VMName db01 -Count 4 -RelativeWeight 200 -Reserve 10 -Maximum 75');
  });

  it('rule 32: keeps a fractional reserve or limit off the Int64 parameters and gives the WMI value', () => {
    // WS Set-VMProcessor: -Reserve <Int64>, -Maximum <Int64>, "Allowed values range from 0 to
    // 100"; WS Msvm_ProcessorSettingData: AllocationUnits = "percent / 1000", Limit = 100000.
    const text = setVmProcessor('db01', {
      count: 2,
      weight: 100,
      reservePercent: 12.5,
      limitPercent: 80,
    });
    const [command, note] = text.split('\n');
    expect(command).toBe('Set-VMProcessor -VMName db01 -Count 2 -RelativeWeight 100 -Maximum 80');
    expect(command).not.toMatch(/-Reserve/);
    expect(note).toMatch(/^# .*Msvm_ProcessorSettingData/);
    expect(note).toContain('Reservation = 12500');
    expect(note).not.toContain('Limit =');
  });

  it('renders Set-VMMemory for static and Dynamic Memory (rule 33 parameters)', () => {
    expect(setVmMemory('web01', { dynamic: false, startupMiB: 4096 })).toBe(
      'Set-VMMemory -VMName web01 -DynamicMemoryEnabled $false -StartupBytes 4GB',
    );
    expect(
      setVmMemory('web01', {
        dynamic: true,
        startupMiB: 2048,
        minimumMiB: 512,
        maximumMiB: 8192,
        bufferPercent: 20,
        priority: 80,
      }),
    ).toBe(
      'Set-VMMemory -VMName web01 -DynamicMemoryEnabled $true -MinimumBytes 512MB -StartupBytes 2GB -MaximumBytes 8GB -Buffer 20 -Priority 80',
    );
  });

  it('uses bcdedit for host-wide hypervisor settings', () => {
    expect(setSchedulerType('core')).toMatch(/^bcdedit \/set hypervisorschedulertype Core/);
    expect(setRootVps(4)).toMatch(/^bcdedit \/set hypervisorrootproc 4/);
  });

  it('says both boot options apply only after a reboot (WS: scheduler types; minroot)', () => {
    // WS "Manage Hyper-V hypervisor scheduler types": "You must restart the system for any
    // changes you make to the hypervisor scheduler type to take effect." Minroot: "The system
    // must be rebooted ... cannot be changed dynamically at runtime."
    for (const type of ['classic', 'core', 'root'] as const) {
      expect(setSchedulerType(type).split('\n')[0]).toMatch(/reboot/);
    }
    expect(setRootVps(2)).toMatch(/reboot/);
  });

  it('rule 30: flags the root scheduler as unsupported on Windows Server and blind to CPU controls', () => {
    // WS: "The hypervisor root scheduler isn't supported on Hyper-V on Windows Server at this
    // time"; "The Hyper-V per-VM processor resource controls ... only apply ... with the classic
    // and core scheduler types."
    const [command, ...notes] = setSchedulerType('root').split('\n');
    expect(command).toMatch(/^bcdedit \/set hypervisorschedulertype Root /);
    expect(notes.join('\n')).toMatch(/^# .*not support/);
    expect(notes.join('\n')).toMatch(/weight, reserve and limit/);
    expect(setSchedulerType('core')).not.toContain('\n');
  });

  it('attaches a synthetic disk to SCSI and an emulated one to IDE', () => {
    expect(
      routeCommand(
        { vm: 'db01', device: 'scsi0', vsp: 'stor-a', signalling: 'low-latency' },
        'storage',
        { diskIndex: 1 },
      ),
    ).toBe(
      'Add-VMHardDiskDrive -VMName db01 -ControllerType SCSI -Path E:\\Hyper-V\\db01-scsi0.vhdx',
    );
    expect(
      routeCommand({ vm: 'old01', device: 'ide0', backing: 'ssd0' }, 'storage', { diskIndex: 0 }),
    ).toContain('-ControllerType IDE');
  });

  it('keeps a generation 1 boot disk on IDE and adds a SCSI controller before a SCSI data disk', () => {
    // WS "Plan for Hyper-V scalability in Windows Server 2016": "The startup disk ... must be
    // attached to one of the IDE devices"; Add-VMHardDiskDrive -ControllerType SCSI needs a SCSI
    // controller, which a generation 1 VM gets only from Add-VMScsiController.
    const synthetic = {
      vm: 'old01',
      device: 'disk0',
      vsp: 'stor-a',
      signalling: 'batched',
    } as const;
    const boot = routeCommand(synthetic, 'storage', {
      diskIndex: 0,
      generation: 1,
      bootDisk: true,
    });
    expect(boot.split('\n')[0]).toBe(
      'Add-VMHardDiskDrive -VMName old01 -ControllerType IDE -Path D:\\Hyper-V\\old01-disk0.vhdx',
    );
    expect(boot).toMatch(
      /^# .*IDE accelerator channel, class GUID 32412632-86cb-44a2-9b5c-50d1417354f5/m,
    );

    const data = routeCommand({ ...synthetic, device: 'disk1' }, 'storage', {
      diskIndex: 0,
      generation: 1,
      bootDisk: false,
    }).split('\n');
    expect(data[0]).toMatch(/^Add-VMScsiController -VMName old01\b/);
    expect(data[1]).toMatch(/^Add-VMHardDiskDrive -VMName old01 -ControllerType SCSI /);

    // Generation 2 has a SCSI controller from the start, and no IDE at all.
    expect(
      routeCommand(synthetic, 'storage', { diskIndex: 0, generation: 2, bootDisk: true }),
    ).toBe(
      'Add-VMHardDiskDrive -VMName old01 -ControllerType SCSI -Path D:\\Hyper-V\\old01-disk0.vhdx',
    );
  });

  it('marks a legacy network adapter as such', () => {
    expect(
      routeCommand({ vm: 'old01', device: 'eth0', backing: 'nic0' }, 'network', {
        switchName: 'External',
      }),
    ).toBe('Add-VMNetworkAdapter -VMName old01 -Name eth0 -SwitchName External -IsLegacy $true');
  });

  it('rule 9: says no cmdlet sets a ring size or the signalling mode, instead of inventing one', () => {
    const text = channelSettingsNote('storage', 128, 'batched');
    const lines = text.split('\n');
    expect(lines).toHaveLength(2);
    // Every line is a comment: nothing here is a command an administrator could run.
    for (const line of lines) expect(line).toMatch(/^# /);
    expect(lines[0]).toMatch(/128 KiB per direction/);
    expect(lines[0]).toMatch(/storvsc_ringbuffer_size/); // L: storvsc_drv.c module parameter
    expect(lines[0]).toMatch(/no Hyper-V cmdlet/);
    expect(lines[1]).toMatch(/monitor page/);
    expect(channelSettingsNote('network', 512, 'low-latency')).toMatch(/ring_size/); // L: netvsc_drv.c
  });

  it("names the real per-adapter cmdlets for netvsp's settings and none for storvsp's", () => {
    // WS New-VMSwitch: -EnableIov <Boolean>; Set-VMNetworkAdapter: -IovWeight <UInt32> "from 0
    // through 100. Specify 0 to disable SR-IOV", -VrssMaxQueuePairs <UInt32>.
    const net = vspSettingsNote({ id: 'net', plugin: 'hyperkata.netvsp', device: 'nic0' });
    expect(net).toContain('New-VMSwitch -EnableIov $true');
    expect(net).toContain('Set-VMNetworkAdapter -IovWeight 100');
    expect(net).toContain('Set-VMNetworkAdapter -VrssMaxQueuePairs');
    const stor = vspSettingsNote({ id: 'stor', plugin: 'hyperkata.storvsp', device: 'ssd0' });
    for (const line of stor.split('\n')) expect(line).toMatch(/^# /);
    expect(stor).toMatch(/queueDepth.*no cmdlet/);
  });

  it('does not call the synthetic keyboard synthhid: it has its own VMBus protocol', () => {
    // L: include/linux/hyperv.h — HV_MOUSE_GUID (hid-hyperv, synthhid) and HV_KBD_GUID
    // (hyperv-keyboard) are two devices.
    const text = routeCommand(
      { vm: 'web01', device: 'input0', vsp: 'hid', signalling: 'low-latency' },
      'input',
      {},
    );
    expect(text).not.toMatch(/keyboard and mouse \(synthhid\)/);
    expect(text).toMatch(/mouse speaks synthhid/);
  });

  it('tells a Linux admin the drivers come with the kernel, not from an installer', () => {
    // WS "Manage Hyper-V Integration Services": "Linux integration services are generally
    // provided through the Linux kernel"; Windows guests update through Windows Update and
    // "vmguest.iso isn't included with Hyper-V on ... Windows Server 2016/2019".
    const linux = integrationComponents('web01', true, 'linux').split('\n');
    expect(linux[0]).toMatch(/^# .*built into the Linux kernel/);
    expect(linux[0]).not.toMatch(/^# inside the guest: install/);
    const windows = integrationComponents('db01', true, 'windows').split('\n');
    expect(windows[0]).toMatch(/^# .*Windows Update/);
    expect(windows[1]).toBe(
      "Enable-VMIntegrationService -VMName db01 -Name 'Heartbeat','Guest Service Interface'",
    );
  });
});

describe('the whole configuration as one script', () => {
  // Three VMs: a generation 2 database with two disks (one left unconnected) on a batched ring,
  // a generation 1 guest with no integration components on emulated IDE, and an enlightened
  // generation 1 guest whose boot disk takes the IDE accelerator channel.
  const { scenario: scenarioInput, configuration: configurationInput } = storageHost({
    vms: [
      { name: 'db01', vps: 4, disks: TWO_DISKS },
      { name: 'old01', generation: 1, integrationComponents: false, disks: TWO_DISKS },
      { name: 'new01', generation: 1, disks: TWO_DISKS },
    ],
    rootVps: 2,
    scheduler: 'core',
  });
  const scenario = ScenarioSchema.parse(scenarioInput);
  const configuration = ConfigurationSchema.parse({
    ...configurationInput,
    vsps: [
      { id: 'stor', plugin: 'hyperkata.storvsp', device: 'ssd0', settings: { queueDepth: 64 } },
    ],
    channels: [
      { vm: 'db01', device: 'disk0', vsp: 'stor', ringKiB: 256, signalling: 'batched' },
      { vm: 'new01', device: 'disk0', vsp: 'stor' },
      { vm: 'new01', device: 'disk1', vsp: 'stor' },
    ],
    emulated: [{ vm: 'old01', device: 'disk0', backing: 'ssd0' }],
  });
  const script = configurationScript(scenario, configuration);
  const lines = script.split('\n');

  it('starts with the host boot settings, then each VM in the scenario order', () => {
    expect(lines[1]).toBe(setRootVps(2));
    expect(lines[2]).toBe(setSchedulerType('core'));
    const heads = lines.filter((l) => /^# ── /.test(l));
    expect(heads).toEqual(['# ── host ──', '# ── db01 ──', '# ── old01 ──', '# ── new01 ──']);
  });

  it('gives each VM its Set-VMProcessor and Set-VMMemory lines, as the inspector shows them', () => {
    for (const name of ['db01', 'old01', 'new01']) {
      const vm = configuration.vms[name];
      expect(lines).toContain(setVmProcessor(name, vm.processor));
      expect(lines).toContain(setVmMemory(name, vm.memory));
    }
  });

  it('types nothing for a device connected to nothing, and a route for each connected one', () => {
    expect(script).toContain('-Path D:\\Hyper-V\\db01-disk0.vhdx');
    expect(script).not.toContain('db01-disk1');
    // old01: no integration components — emulated IDE, no Enable-VMIntegrationService.
    expect(script).toContain(integrationComponents('old01', false, 'linux'));
    expect(script).not.toContain('Enable-VMIntegrationService -VMName old01');
    expect(script).toContain(
      'Add-VMHardDiskDrive -VMName old01 -ControllerType IDE -Path D:\\Hyper-V\\old01-disk0.vhdx',
    );
    // new01: generation 1 boots from IDE (the accelerator channel); its data disk needs SCSI.
    expect(script).toContain('Add-VMScsiController -VMName new01');
    expect(script).toContain(
      'Add-VMHardDiskDrive -VMName new01 -ControllerType SCSI -Path D:\\Hyper-V\\new01-disk1.vhdx',
    );
  });

  it('rule 9: says what no cmdlet sets only for the ring the player changed', () => {
    const ringNotes = lines.filter((l) => l.startsWith('# ring:'));
    expect(ringNotes).toEqual([channelSettingsNote('storage', 256, 'batched').split('\n')[0]]);
    expect(script).toContain(channelSettingsNote('storage', 256, 'batched'));
  });

  it('names each VSP instance once, and what can be done about its settings where it has some', () => {
    expect(script.trimEnd().endsWith(vspSettingsNote(configuration.vsps[0]))).toBe(true);
    const bare = ConfigurationSchema.parse({
      ...configuration,
      vsps: [{ id: 'stor', plugin: 'hyperkata.storvsp', device: 'ssd0' }],
    });
    const tail = configurationScript(scenario, bare).trimEnd().split('\n').at(-1);
    expect(tail).toBe('# stor: hyperkata.storvsp in the root partition, driving ssd0');
  });
});

describe('VM management cmdlets (Suspend-VM, Resume-VM, Save-VM, Start-VM, Stop-VM)', () => {
  it('renders each operation as the cmdlet Hyper-V takes for it; -TurnOff pulls the plug', () => {
    expect(managementCommand('db01', 'pause')).toBe('Suspend-VM -Name db01');
    expect(managementCommand('db01', 'resume')).toBe('Resume-VM -Name db01');
    expect(managementCommand('db01', 'save')).toBe('Save-VM -Name db01');
    expect(managementCommand('db01', 'start')).toBe('Start-VM -Name db01');
    // WS Stop-VM: without -TurnOff, the guest is shut down through its integration services.
    expect(managementCommand('db01', 'stop')).toBe('Stop-VM -Name db01');
    expect(managementCommand('db01', 'turn-off')).toBe('Stop-VM -Name db01 -TurnOff');
  });

  it('quotes a VM name PowerShell would otherwise split', () => {
    expect(managementCommand("Bob's VM", 'pause')).toBe("Suspend-VM -Name 'Bob''s VM'");
  });
});
