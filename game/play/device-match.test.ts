import { describe, expect, it } from '@jest/globals';
import { devicesFor, hostDevices, pluginsFor } from './device-match.js';

const host = { disks: [{ id: 'ssd0' }, { id: 'ssd1' }], nics: [{ id: 'nic0' }] };
const plugins = ['hyperkata.storvsp', 'hyperkata.netvsp', 'example.turbo-storvsp', 'acme.mystery'];

describe('matching VSP plugins and devices in the inspector', () => {
  it('a disk is offered storage VSPs only (and plugins whose class is unknown)', () => {
    expect(pluginsFor(plugins, 'storage')).toEqual([
      'hyperkata.storvsp',
      'example.turbo-storvsp',
      'acme.mystery',
    ]);
    expect(pluginsFor(plugins, 'network')).toEqual(['hyperkata.netvsp', 'acme.mystery']);
  });

  it('a storvsp instance may move to another disk but not to a NIC', () => {
    const devices = hostDevices(host);
    expect(devicesFor(devices, 'hyperkata.storvsp').map((d) => d.id)).toEqual(['ssd0', 'ssd1']);
    expect(devicesFor(devices, 'hyperkata.netvsp').map((d) => d.id)).toEqual(['nic0']);
    expect(devicesFor(devices, 'acme.mystery')).toHaveLength(3);
  });
});
