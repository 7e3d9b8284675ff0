import { describe, expect, it } from '@jest/globals';
import {
  ConfigurationError,
  DEVICE_CLASS_GUIDS,
  formatPath,
  MAX_RING_KIB,
  parseConfiguration,
  parseScenario,
} from './index.js';
import type { ConfigurationInput } from './index.js';
import { smallConfiguration, smallScenario, TEST_PLUGINS } from '../testing/fixtures.js';
import { GPADL_MAX_PAGES } from '../vmbus/control/gpadl-limits.js';

/** The ConfigurationError for the small configuration after `mutate`, on `scenario`. */
function refuse(
  mutate: (c: ConfigurationInput & Record<string, unknown>) => void,
  scenario: unknown = smallScenario(),
) {
  const config = smallConfiguration() as ConfigurationInput & Record<string, unknown>;
  mutate(config);
  try {
    parseConfiguration(parseScenario(scenario), config, TEST_PLUGINS);
  } catch (e) {
    if (ConfigurationError.is(e)) return e;
    throw e;
  }
  throw new Error('configuration was accepted');
}

const paths = (e: ConfigurationError) => e.issues.map((i) => formatPath(i.path));

describe('configuration validation (refused before the run, with the field named)', () => {
  it('accepts the sample configuration', () => {
    const c = parseConfiguration(
      parseScenario(smallScenario()),
      smallConfiguration(),
      TEST_PLUGINS,
    );
    expect(c.vms.db01.processor.weight).toBe(100);
  });

  it('refuses a Dynamic Memory minimum above startup (rule 33)', () => {
    const e = refuse((c) => {
      c.vms.db01 = {
        ...c.vms.db01,
        memory: { dynamic: true, startupMiB: 2048, minimumMiB: 4096, maximumMiB: 8192 },
      };
      c.vsps = [...(c.vsps ?? []), { id: 'dm', plugin: 'hyperkata.dynmem' }];
    });
    expect(paths(e)).toEqual(['vms.db01.memory.minimumMiB']);
    expect(e.issues[0]?.expected).toContain('startup');
  });

  it('rule 33: refuses VM memory that is not a whole number of 2 MB units, as Hyper-V does', () => {
    // libvirt src/hyperv/hyperv_driver.c (Hyper-V WMI): "Memory value must be a multiple of 2 MB".
    const e = refuse((c) => {
      c.vms.db01 = { ...c.vms.db01, memory: { dynamic: false, startupMiB: 1537 } };
    });
    expect(paths(e)).toEqual(['vms.db01.memory.startupMiB']);
    expect(e.issues[0]?.expected).toBe('a multiple of 2');
    expect(e.issues[0]?.found).toBe('1537');
    const dynamic = refuse((c) => {
      c.vms.db01 = {
        ...c.vms.db01,
        memory: { dynamic: true, startupMiB: 2048, minimumMiB: 511, maximumMiB: 8191 },
      };
      c.vsps = [...(c.vsps ?? []), { id: 'dm', plugin: 'hyperkata.dynmem' }];
    });
    expect(paths(dynamic)).toEqual(['vms.db01.memory.minimumMiB', 'vms.db01.memory.maximumMiB']);
  });

  it('refuses weight 0 (rule 32: 1–10000)', () => {
    const e = refuse((c) => {
      c.vms.db01.processor = { count: 2, weight: 0 };
    });
    expect(paths(e)).toEqual(['vms.db01.processor.weight']);
    expect(e.issues[0]?.expected).toBe('a number ≥ 1');
    expect(e.issues[0]?.found).toBe('0');
  });

  it('rule 40: refuses 300 virtual processors in one VM on a Windows Server 2019 host (240 per VM)', () => {
    const e = refuse((c) => {
      c.vms.db01.processor = { count: 300 };
    });
    const issues = e.issues.filter((i) => formatPath(i.path) === 'vms.db01.processor.count');
    expect(issues.map((i) => i.found)).toEqual(['300', '300']);
    expect(issues.map((i) => i.expected)).toContain(
      'at most 240 virtual processors per VM, the limit of Windows Server 2019 (rule 40)',
    );
  });

  it('rule 40: refuses more than 64 VPs or 1 TB on a generation 1 VM, which generation 2 allows', () => {
    // WS "Hyper-V maximum scale limits in Windows Server", 2019 host: virtual processors "240
    // (generation 2); 64 (generation 1)", memory "12 TB (generation 2); 1 TB (generation 1)".
    const scenario = smallScenario();
    scenario.host = {
      ...scenario.host,
      processor: { sockets: 2, coresPerSocket: 64, threadsPerCore: 2 },
      memoryMiB: 4 * 1024 * 1024,
    };
    const caught = refuse((config) => {
      config.vms.old01 = {
        ...config.vms.old01,
        processor: { count: 65 },
        memory: { dynamic: false, startupMiB: 1024 * 1024 + 2 },
      };
      config.vms.db01 = {
        ...config.vms.db01,
        processor: { count: 65 },
        memory: { dynamic: false, startupMiB: 1024 * 1024 + 2 },
      };
    }, scenario);
    const refused = paths(caught);
    expect(refused).toContain('vms.old01.processor.count');
    expect(refused).toContain('vms.old01.memory.startupMiB');
    // The same settings are fine on the generation 2 VM.
    expect(refused.filter((p) => p.startsWith('vms.db01'))).toEqual([]);
  });

  it("refuses more static memory than the host has, naming the VM's startup memory", () => {
    const e = refuse((c) => {
      c.vms.db01.memory = { dynamic: false, startupMiB: 40_000 };
    });
    expect(paths(e)).toEqual(['vms.db01.memory.startupMiB']);
    expect(e.issues[0]?.found).toBe('40000 MiB');
    expect(e.issues[0]?.expected).toMatch(/at most \d+ MiB/);
  });

  it('refuses VMs whose static memory together exceeds the host, naming the VM list', () => {
    const e = refuse((c) => {
      c.vms.db01.memory = { dynamic: false, startupMiB: 20_000 };
      c.vms.old01.memory = { dynamic: false, startupMiB: 12_000 };
    });
    expect(paths(e)).toEqual(['vms']);
    expect(e.issues[0]?.found).toBe('32000 MiB');
  });

  it.each([
    ['storage VSC to a network VSP', 'scsi0', 'netvsp-nic0', 'storage', 'network'],
    ['network VSC to a storage VSP', 'nic0', 'storvsp-ssd0', 'network', 'storage'],
  ] as const)(
    'rule 11: refuses a channel from a %s, naming the field, the class GUID expected and the one found',
    (_what, device, vsp, wanted, served) => {
      const e = refuse((c) => {
        c.channels = [{ vm: 'db01', device, vsp }];
      });
      expect(paths(e)).toEqual(['channels[0].vsp']);
      expect(e.issues[0]?.expected).toContain(`a ${wanted} VSP for db01/${device}`);
      expect(e.issues[0]?.expected).toContain(DEVICE_CLASS_GUIDS[wanted]);
      expect(e.issues[0]?.found).toBe(
        `"${vsp}", which serves ${served} (class GUID ${DEVICE_CLASS_GUIDS[served]})`,
      );
    },
  );

  it("rule 11: a generation 1 VM's boot disk wired to netvsp is refused naming HV_IDE_GUID, the IDE accelerator's class GUID", () => {
    // L: include/linux/hyperv.h HV_IDE_GUID; storvsc_drv.c binds it as an IDE device.
    const scenario = smallScenario();
    scenario.vms[1] = {
      ...scenario.vms[1],
      os: { family: 'linux', release: 'Ubuntu 22.04', integrationComponents: true },
    };
    const e = refuse((config) => {
      config.vms = { ...config.vms, old01: { ...config.vms.old01, integrationComponents: true } };
      config.emulated = [];
      config.channels = [{ vm: 'old01', device: 'ide0', vsp: 'netvsp-nic0' }];
    }, scenario);
    expect(paths(e)).toEqual(['channels[0].vsp']);
    const expected = e.issues[0]?.expected ?? '';
    expect(expected).toContain(
      'a storage VSP for old01/ide0 (class GUID 32412632-86cb-44a2-9b5c-50d1417354f5',
    );
    expect(expected).toContain('IDE accelerator');
    expect(expected).not.toContain(DEVICE_CLASS_GUIDS.storage);
    expect(e.issues[0]?.found).toBe(
      `"netvsp-nic0", which serves network (class GUID ${DEVICE_CLASS_GUIDS.network})`,
    );
  });

  it('still refuses a channel to a VSP instance that does not exist', () => {
    const e = refuse((c) => {
      c.channels = [{ vm: 'db01', device: 'scsi0', vsp: 'nowhere' }];
    });
    expect(paths(e)).toEqual(['channels[0].vsp']);
  });

  it('refuses Dynamic Memory together with virtual NUMA (rule 35)', () => {
    const e = refuse((c) => {
      c.vms.db01 = {
        ...c.vms.db01,
        virtualNuma: true,
        memory: { dynamic: true, startupMiB: 2048, minimumMiB: 1024, maximumMiB: 8192 },
      };
      c.vsps = [...(c.vsps ?? []), { id: 'dm', plugin: 'hyperkata.dynmem' }];
    });
    expect(paths(e)).toEqual(['vms.db01.virtualNuma']);
  });

  it('refuses an emulated route on a generation 2 VM (rule 21)', () => {
    const e = refuse((c) => {
      c.channels = [{ vm: 'db01', device: 'nic0', vsp: 'netvsp-nic0' }];
      c.emulated = [...(c.emulated ?? []), { vm: 'db01', device: 'scsi0', backing: 'ssd0' }];
    });
    expect(paths(e)).toEqual(['emulated[1].vm']);
  });

  it('refuses integration components on a guest too old to run them', () => {
    const e = refuse((c) => {
      c.vms.old01.integrationComponents = true;
    });
    expect(paths(e)).toEqual(['vms.old01.integrationComponents']);
    expect(e.issues[0]?.expected).toContain('CentOS 5');
  });

  it('reports every problem at once, not just the first', () => {
    const e = refuse((c) => {
      c.vms.db01.processor = { count: 2, weight: 0, limitPercent: 150 };
      c.host = { scheduler: 'classic', rootVps: 0 };
    });
    expect(paths(e).sort()).toEqual([
      'host.rootVps',
      'vms.db01.processor.limitPercent',
      'vms.db01.processor.weight',
    ]);
  });

  it('refuses reserves the host cannot honour (rule 32)', () => {
    const e = refuse((c) => {
      c.vms.db01.processor = { count: 8, reservePercent: 100 };
      c.vms.old01.processor = { count: 1, reservePercent: 50 };
    });
    expect(e.issues.some((i) => i.expected.includes('reserve'))).toBe(true);
  });

  it('rule 32: refuses a reserve above the limit, naming the VM and the field', () => {
    const e = refuse((c) => {
      c.vms.db01.processor = { count: 2, reservePercent: 80, limitPercent: 20 };
    });
    expect(paths(e)).toEqual(['vms.db01.processor.reservePercent']);
    expect(e.issues[0]?.expected).toContain('at most the limit (20%)');
    expect(e.issues[0]?.found).toBe('80');
  });

  it('rule 9: refuses a ring whose two directions cannot be described by one GPADL', () => {
    // The guest shares both directions of a channel, header pages included, in one GPADL.
    const pagesFor = (kib: number) => 2 * Math.ceil(kib / 4);
    expect(pagesFor(MAX_RING_KIB)).toBeLessThanOrEqual(GPADL_MAX_PAGES);
    expect(pagesFor(MAX_RING_KIB + 1)).toBeGreaterThan(GPADL_MAX_PAGES);
    const e = refuse((c) => {
      c.channels = [{ vm: 'db01', device: 'scsi0', vsp: 'storvsp-ssd0', ringKiB: 16_384 }];
    });
    expect(paths(e)).toEqual(['channels[0].ringKiB']);
  });

  it('rule 9: refuses a ring that is not whole 4 KiB pages, saying so', () => {
    const e = refuse((c) => {
      c.channels = [{ vm: 'db01', device: 'scsi0', vsp: 'storvsp-ssd0', ringKiB: 130 }];
    });
    expect(paths(e)).toEqual(['channels[0].ringKiB']);
    expect(e.issues[0]?.expected).toBe('a multiple of 4');
    expect(e.issues[0]?.found).toBe('130');
  });

  it('a VM named like a property every object has ("constructor") still needs its settings', () => {
    const scenario = smallScenario();
    scenario.vms[1] = { ...scenario.vms[1], name: 'constructor' };
    const e = refuse((config) => {
      config.emulated = [];
      const { old01: _old01, ...vms } = config.vms;
      config.vms = vms;
    }, scenario);
    expect(paths(e)).toEqual(['vms.constructor']);
    expect(e.issues[0]?.expected).toBe('settings for VM "constructor"');
  });

  it('refuses an unknown plugin and a VM the scenario does not have', () => {
    const e = refuse((c) => {
      c.vsps = [{ id: 'x', plugin: 'acme.nope' }];
      c.channels = [];
      c.vms.ghost = c.vms.db01;
    });
    expect(paths(e)).toEqual(expect.arrayContaining(['vsps[0].plugin', 'vms.ghost']));
  });
});

describe('scenario validation', () => {
  it('refuses a generation 2 guest without integration components', () => {
    const s = smallScenario();
    s.vms[1] = { ...s.vms[1], generation: 2 };
    expect(() => parseScenario(s)).toThrow(/vms\[1\]\.os\.integrationComponents/);
  });

  it('names what a union accepts: a VM generation is 1 or 2, a core has 1 or 2 threads', () => {
    const s = smallScenario() as unknown as {
      host: { processor: Record<string, unknown> };
      vms: Record<string, unknown>[];
    };
    s.host.processor.threadsPerCore = 4;
    s.vms[0].generation = '2';
    delete s.vms[1].generation;
    try {
      parseScenario(s);
    } catch (e) {
      if (!ConfigurationError.is(e)) throw e;
      expect(e.issues.map((i) => [formatPath(i.path), i.expected, i.found])).toEqual([
        ['host.processor.threadsPerCore', 'one of 1, 2', '4'],
        ['vms[0].generation', 'one of 1, 2', '"2"'],
        ['vms[1].generation', 'one of 1, 2', 'nothing'],
      ]);
      return;
    }
    throw new Error('scenario was accepted');
  });

  it('refuses duplicate VM names', () => {
    const s = smallScenario();
    s.vms[1] = { ...s.vms[1], name: 'db01' };
    expect(() => parseScenario(s)).toThrow(/vms\[1\]\.name/);
  });
});
