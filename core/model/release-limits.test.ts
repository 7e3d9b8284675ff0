/**
 * Rule 40 per host release: what a scenario and a configuration may ask of a host depends on the
 * Windows Server release it runs, and a refusal names that release.
 */
import { describe, expect, it } from '@jest/globals';
import { smallConfiguration, smallScenario, TEST_PLUGINS } from '../testing/fixtures.js';
import {
  ConfigurationError,
  formatPath,
  parseConfiguration,
  parseScenario,
  type ConfigurationInput,
  type HostOs,
  type ScenarioInput,
} from './index.js';

/**
 * WS "Hyper-V maximum scale limits in Windows Server" (one tab per host release): VPs per
 * generation 2 VM, LPs per host, LPs the root sees, memory per host and per generation 2 VM.
 */
const TIB = 1024 * 1024;
const PUBLISHED: Record<
  HostOs,
  { name: string; vpsPerVm: number; lps: number; rootLps: number; hostMiB: number; vmMiB: number }
> = {
  ws2016: {
    name: 'Windows Server 2016',
    vpsPerVm: 240,
    lps: 512,
    rootLps: 320,
    hostMiB: 24 * TIB,
    vmMiB: 12 * TIB,
  },
  ws2019: {
    name: 'Windows Server 2019',
    vpsPerVm: 240,
    lps: 512,
    rootLps: 320,
    hostMiB: 24 * TIB,
    vmMiB: 12 * TIB,
  },
  ws2022: {
    name: 'Windows Server 2022',
    vpsPerVm: 1024,
    lps: 1024,
    rootLps: 1024,
    hostMiB: 256 * TIB,
    vmMiB: 240 * TIB,
  },
};
const RELEASES = Object.keys(PUBLISHED) as HostOs[];

/** The small scenario on a `os` host with `lps` logical processors (SMT on) and `memoryMiB`. */
function hostScenario(os: HostOs, lps: number, memoryMiB = 64 * 1024): ScenarioInput {
  const s = smallScenario();
  s.host = {
    ...s.host,
    os,
    processor: { sockets: lps / 64, coresPerSocket: 32, threadsPerCore: 2 },
    memoryMiB,
  };
  return s;
}

/** The issues `parse` refuses its input with, paths formatted, or [] when it accepts it. */
function issuesRaisedBy(parse: () => unknown) {
  try {
    parse();
    return [];
  } catch (e) {
    if (!ConfigurationError.is(e)) throw e;
    return e.issues.map((i) => ({
      path: formatPath(i.path),
      expected: i.expected,
      found: i.found,
    }));
  }
}

/** Issues of the configuration after `mutate` on `scenario`, or [] when it is accepted. */
function issuesOf(scenario: ScenarioInput, mutate: (c: ConfigurationInput) => void) {
  const config = smallConfiguration();
  mutate(config);
  return issuesRaisedBy(() => parseConfiguration(parseScenario(scenario), config, TEST_PLUGINS));
}

function scenarioIssues(scenario: ScenarioInput) {
  return issuesRaisedBy(() => parseScenario(scenario));
}

describe('host limits follow the host release (rule 40)', () => {
  it.each(RELEASES)(
    "rule 40: a %s host accepts a VM with the release's VPs and refuses one more, naming the release",
    (os) => {
      const p = PUBLISHED[os];
      const scenario = hostScenario(os, p.lps);
      expect(
        issuesOf(scenario, (c) => {
          c.vms.db01.processor = { count: p.vpsPerVm };
        }),
      ).toEqual([]);
      const refused = issuesOf(scenario, (c) => {
        c.vms.db01.processor = { count: p.vpsPerVm + 1 };
      });
      expect(refused).toContainEqual({
        path: 'vms.db01.processor.count',
        expected: `at most ${p.vpsPerVm} virtual processors per VM, the limit of ${p.name} (rule 40)`,
        found: String(p.vpsPerVm + 1),
      });
    },
  );

  it('rule 40: a Windows Server 2016 host refuses the 241 VPs a 2022 host gives a VM', () => {
    const setCount = (c: ConfigurationInput) => {
      c.vms.db01.processor = { count: 241 };
    };
    expect(issuesOf(hostScenario('ws2022', 512), setCount)).toEqual([]);
    expect(issuesOf(hostScenario('ws2016', 512), setCount)).toEqual([
      {
        path: 'vms.db01.processor.count',
        expected:
          'at most 240 virtual processors per VM, the limit of Windows Server 2016 (rule 40)',
        found: '241',
      },
    ]);
  });

  it('rule 40: a generation 1 VM keeps 64 VPs and 1 TB even on a Windows Server 2022 host', () => {
    const refused = issuesOf(hostScenario('ws2022', 128, 4 * TIB), (c) => {
      c.vms.old01.processor = { count: 65 };
      c.vms.old01.memory = { dynamic: false, startupMiB: TIB + 2 };
    });
    expect(refused.map((i) => [i.path, i.expected])).toEqual([
      [
        'vms.old01.processor.count',
        'at most 64 virtual processors per generation 1 VM, the limit of Windows Server 2022 (rule 40)',
      ],
      [
        'vms.old01.memory.startupMiB',
        `at most ${TIB} MiB of memory per generation 1 VM, the limit of Windows Server 2022 (rule 40)`,
      ],
    ]);
  });

  it.each(RELEASES)(
    "rule 40: a %s host accepts its release's LPs and refuses more, naming the release",
    (os) => {
      const p = PUBLISHED[os];
      expect(scenarioIssues(hostScenario(os, p.lps))).toEqual([]);
      expect(scenarioIssues(hostScenario(os, p.lps + 64))).toContainEqual({
        path: 'host.processor',
        expected: `at most ${p.lps} logical processors per host, the limit of ${p.name} (rule 40)`,
        found: String(p.lps + 64),
      });
    },
  );

  it.each(RELEASES)(
    "rule 40: a %s host has at most the release's memory, and a VM on it at most its share",
    (os) => {
      const p = PUBLISHED[os];
      expect(scenarioIssues(hostScenario(os, 64, p.hostMiB))).toEqual([]);
      expect(scenarioIssues(hostScenario(os, 64, p.hostMiB + 1024))).toContainEqual({
        path: 'host.memoryMiB',
        expected: `at most ${p.hostMiB} MiB of memory per host, the limit of ${p.name} (rule 40)`,
        found: String(p.hostMiB + 1024),
      });
      const scenario = hostScenario(os, 64, p.hostMiB);
      const vmMemory = (startupMiB: number) =>
        issuesOf(scenario, (c) => {
          c.vms.db01.memory = { dynamic: false, startupMiB };
        });
      expect(vmMemory(p.vmMiB)).toEqual([]);
      expect(vmMemory(p.vmMiB + 2)).toEqual([
        {
          path: 'vms.db01.memory.startupMiB',
          expected: `at most ${p.vmMiB} MiB of memory per VM, the limit of ${p.name} (rule 40)`,
          found: `${p.vmMiB + 2} MiB`,
        },
      ]);
    },
  );

  it.each(RELEASES)(
    "rule 40: a %s host's root gets at most the LPs the release lets it see",
    (os) => {
      const p = PUBLISHED[os];
      const scenario = hostScenario(os, p.lps);
      expect(
        issuesOf(scenario, (c) => {
          c.host.rootVps = p.rootLps;
        }),
      ).toEqual([]);
      if (p.rootLps < p.lps) {
        const refused = issuesOf(scenario, (c) => {
          c.host.rootVps = p.rootLps + 1;
        });
        expect(refused).toHaveLength(1);
        expect(refused[0]?.path).toBe('host.rootVps');
        expect(refused[0]?.expected).toContain(`${p.name}'s root sees at most ${p.rootLps}`);
      }
    },
  );
});

describe('scheduler types per host release (rule 30)', () => {
  // WS "Manage Hyper-V hypervisor scheduler types": "The root scheduler arrived with Windows 10,
  // version 1803"; Windows Server 2016 is version 1607, so its bcdedit offers Classic and Core.
  it('rule 30: a Windows Server 2016 host has no root scheduler; 2019 and 2022 accept it', () => {
    const useRoot = (c: ConfigurationInput) => {
      c.host.scheduler = 'root';
    };
    expect(issuesOf(hostScenario('ws2019', 64), useRoot)).toEqual([]);
    expect(issuesOf(hostScenario('ws2022', 64), useRoot)).toEqual([]);
    expect(issuesOf(hostScenario('ws2016', 64), useRoot)).toEqual([
      {
        path: 'host.scheduler',
        expected:
          'classic or core: the root scheduler arrived with Windows 10 version 1803, after Windows Server 2016 (rule 30)',
        found: 'root',
      },
    ]);
    expect(
      issuesOf(hostScenario('ws2016', 64), (c) => {
        c.host.scheduler = 'core';
      }),
    ).toEqual([]);
  });
});
