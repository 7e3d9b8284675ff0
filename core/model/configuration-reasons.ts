/**
 * Why the model refuses a configuration, as a stable id and its parameters beside its English
 * words — the `reason` an {@link InputIssue} carries. The configuration checks a player can reach
 * (check-configuration.ts, check-memory.ts, the processor controls and the root VPs of the
 * scheduler) build every issue from a reason here, so the game can say the refusal in the player's
 * language (game/i18n/configuration-reasons-pt-BR.ts, typed over every id: a missing translation
 * does not compile) while the CLI keeps printing the English it always printed.
 *
 * The same design as the narration's reasons (core/simulation/narration-reasons.ts), with one
 * difference: a refusal says two things, what a valid value looks like and what was there instead,
 * so each entry gives both — the issue's `expected` and `found` are derived from it and cannot
 * drift from it. The English is exactly the text the checks built before reasons had ids.
 *
 * Issues found while parsing a file against its schema (parse.ts, zod) carry no reason: levels
 * and solutions are validated files, and the game's inspector only offers values inside the
 * schema's ranges, so those words reach a developer, not a player. Nor do a plugin's own
 * settings checks (`checkSettings`, the plugin's words; the inspector bounds the settings it
 * knows), the hypervisor's option checks (hypervisor.ts) and the scheduler's timing settings:
 * the schema and the checks here refuse every configuration value that would reach those first.
 */
import type { InputIssue } from './errors.js';
import type { HostRelease } from './release-limits.js';
import { HOST_RELEASE_NAMES, releaseAllows, releaseLimit } from './release-limits.js';
import type { DeviceClass } from './scenario.js';
import { DEVICE_CLASS_GUIDS, IDE_ACCELERATOR_CLASS_GUID } from './class-guids.js';

/** What a refusal says in words: the two halves of "expected …, found …". */
export interface IssueWords {
  readonly expected: string;
  readonly found: string;
}

/** Emulated counterpart of each routable device class (rule 21), shown to the player. */
export const EMULATED_DEVICES: Readonly<Partial<Record<DeviceClass, string>>> = {
  storage: 'emulated IDE controller',
  network: 'legacy network adapter (DEC 21140, 100 Mbit/s)',
  video: 'S3 Trio emulated video',
  input: 'PS/2 keyboard and mouse',
};

/** Which physical device a VSP (or an emulated device's backing) needs: a disk or a NIC. */
export type HostDeviceKind = 'disk' | 'nic';

/** A list of ids as the messages name them: comma-separated, `none` for an empty one. */
const list = (ids: readonly string[]): string => ids.join(', ') || 'none';
/** ` — did you mean db01?` after a list, for a name that is a near miss of one in it. */
const meant = (name: string | undefined): string =>
  name === undefined ? '' : ` — did you mean ${name}?`;
const quoted = (value: string | undefined): string =>
  value === undefined ? 'nothing' : JSON.stringify(value);
/** Rule 40's limits are per VM, or per generation 1 VM (which keep 64 VPs and 1 TB everywhere). */
const perVm = (generation1: boolean): string => (generation1 ? 'per generation 1 VM' : 'per VM');

/**
 * The English words of each configuration reason id: exactly what the checks said before
 * reasons had ids (the CLI's output, the docs and the tests quote them).
 */
export const CONFIGURATION_REASON_TEXT = {
  // ── Host ───────────────────────────────────────────────────────────────────────────────────
  /** Rule 40: one root VP per LP, and no more than the release's root can see. */
  'host.rootVpsAboveLps': (a: {
    max: number;
    os: HostRelease;
    rootVisible: number;
    rootVps: number;
  }) => ({
    expected: `at most ${a.max} (one root VP per logical processor, and ${HOST_RELEASE_NAMES[a.os]}'s root sees at most ${a.rootVisible}; rule 40)`,
    found: `${a.rootVps}`,
  }),
  /** The scheduler's own check of the root VPs (a whole number, pinned 1:1 to LPs; rule 40). */
  'host.rootVpsOutOfRange': (a: {
    max: number;
    os: HostRelease;
    rootVisible: number;
    rootVps: number;
  }) => ({
    expected: `a whole number from 1 to ${a.max} (root VPs are pinned 1:1 to logical processors; ${releaseAllows(a.os, a.rootVisible, 'root virtual processors')})`,
    found: String(a.rootVps),
  }),
  /** Rule 30: the root scheduler arrived with Windows 10 version 1803. */
  'host.rootSchedulerTooEarly': (a: { os: HostRelease }) => ({
    expected: `classic or core: the root scheduler arrived with Windows 10 version 1803, after ${HOST_RELEASE_NAMES[a.os]} (rule 30)`,
    found: 'root',
  }),
  /** Rule 40: the VPs of all VMs together. */
  'host.vpsAboveRelease': (a: { os: HostRelease; limit: number; total: number }) => ({
    expected: releaseLimit(a.os, a.limit, 'virtual processors per host'),
    found: `${a.total}`,
  }),
  /**
   * Rule 32: Σ count × reserve of all VMs, in logical processors — or, with `cores`, under the
   * core scheduler on an SMT host (rule 29), in cores: a core runs one VM at a time, so an SMT
   * VM's reserve takes ⌈count ÷ 2⌉ × reserve cores and a non-SMT VM's count × reserve.
   */
  'host.reservesAboveLps': (a: { lps: number; reserved: number; cores?: number }) =>
    a.cores === undefined
      ? {
          expected: `CPU reserves that fit the host: Σ count × reserve ≤ ${a.lps} logical processors (rule 32)`,
          found: `${a.reserved.toFixed(2)} logical processors reserved`,
        }
      : {
          expected: `CPU reserves that fit the host's ${a.cores} cores: under the core scheduler a core runs one VM at a time, so a VM reserves ⌈count ÷ 2⌉ × reserve cores (count × reserve if it is non-SMT, the Windows Server 2016 default) (rules 29, 32)`,
          found: `${a.reserved.toFixed(2)} cores reserved`,
        },
  /** Rule 33: static memory plus Dynamic Memory minimums of all VMs, after the root's reserve. */
  'host.memoryAboveHost': (a: {
    available: number;
    rootReserveMiB: number;
    committedMiB: number;
  }) => ({
    expected: `static memory plus Dynamic Memory minimums within what the host can give (${a.available} MiB after the root's ${a.rootReserveMiB} MiB)`,
    found: `${a.committedMiB} MiB`,
  }),

  // ── One VM ─────────────────────────────────────────────────────────────────────────────────
  /** The configuration has no settings for one of the scenario's VMs. */
  'vm.settingsMissing': (a: { vm: string }) => ({
    expected: `settings for VM "${a.vm}"`,
    found: 'nothing',
  }),
  /** Settings for a VM the scenario does not have. */
  'vm.unknown': (a: { name: string; known: readonly string[]; meant?: string }) => ({
    expected: `one of the scenario's VMs (${list(a.known)})${meant(a.meant)}`,
    found: JSON.stringify(a.name),
  }),
  /** One VM alone holds more memory than the host can give after the root's reserve. */
  'vm.memoryAboveHost': (a: {
    available: number;
    hostMiB: number;
    rootReserveMiB: number;
    committedMiB: number;
  }) => ({
    expected: `at most ${a.available} MiB: what the host's ${a.hostMiB} MiB leave after the root's ${a.rootReserveMiB} MiB`,
    found: `${a.committedMiB} MiB`,
  }),
  /** A VM cannot have more VPs than the host has LPs. */
  'vm.vpsAboveLps': (a: { lps: number; count: number }) => ({
    expected: `at most ${a.lps} (a VM cannot have more virtual processors than the host has logical processors)`,
    found: `${a.count}`,
  }),
  /** Rule 40: the VPs one VM may have on the release. */
  'vm.vpsAboveRelease': (a: {
    os: HostRelease;
    limit: number;
    generation1: boolean;
    count: number;
  }) => ({
    expected: releaseLimit(a.os, a.limit, `virtual processors ${perVm(a.generation1)}`),
    found: `${a.count}`,
  }),
  /** Rule 40: the memory one VM may have on the release (static, or the Dynamic maximum). */
  'vm.memoryAboveRelease': (a: {
    os: HostRelease;
    limit: number;
    generation1: boolean;
    mib: number;
  }) => ({
    expected: releaseLimit(a.os, a.limit, `MiB of memory ${perVm(a.generation1)}`),
    found: `${a.mib} MiB`,
  }),
  /** Rule 32, in the configuration: a reserve above the VM's limit. */
  'vm.reserveAboveLimit': (a: { limitPercent: number; reservePercent: number }) => ({
    expected: `at most the limit (${a.limitPercent}%): a VP cannot be guaranteed more than it may use (rule 32)`,
    found: `${a.reservePercent}`,
  }),
  /** A guest OS too old for integration components (`release` is the scenario's name for it). */
  'vm.noIntegrationComponents': (a: { release: string }) => ({
    expected: `false: ${a.release} cannot run integration components, so it can only use emulated devices`,
    found: 'true',
  }),

  // ── Memory (rules 33, 35; check-memory.ts) ─────────────────────────────────────────────────
  'memory.minimumAboveStartup': (a: { startupMiB: number; minimumMiB: number }) => ({
    expected: `at most the startup memory (${a.startupMiB} MiB) (rule 33)`,
    found: `${a.minimumMiB}`,
  }),
  'memory.maximumBelowStartup': (a: { startupMiB: number; maximumMiB: number }) => ({
    expected: `at least the startup memory (${a.startupMiB} MiB) (rule 33)`,
    found: `${a.maximumMiB}`,
  }),
  'memory.dynamicWithVirtualNuma': () => ({
    expected: 'false: Dynamic Memory and virtual NUMA cannot be used together (rule 35)',
    found: 'true',
  }),
  'memory.dynamicWithoutIntegration': () => ({
    expected: 'false: Dynamic Memory needs the balloon driver from integration components',
    found: 'true',
  }),
  /** Dynamic Memory needs a dynamic-memory VSP to balloon and hot-add. */
  'memory.noDynamicMemoryVsp': () => ({
    expected:
      'a dynamic-memory VSP (e.g. hyperkata.dynmem): VMs with Dynamic Memory need it to balloon and hot-add',
    found: 'none',
  }),

  // ── Processor controls (rule 32; processor-controls.ts) ────────────────────────────────────
  'processor.weightOutOfRange': (a: { min: number; max: number; weight: number }) => ({
    expected: `a whole number from ${a.min} to ${a.max}`,
    found: String(a.weight),
  }),
  'processor.percentOutOfRange': (a: { value: number }) => ({
    expected: 'a percentage from 0 to 100',
    found: String(a.value),
  }),
  'processor.reserveAboveLimit': (a: { limitPercent: number; reservePercent: number }) => ({
    expected: `at most the limit (${a.limitPercent}%)`,
    found: String(a.reservePercent),
  }),

  // ── VSP instances ──────────────────────────────────────────────────────────────────────────
  'vsp.nameTwice': (a: { id: string }) => ({
    expected: 'a VSP name used once',
    found: JSON.stringify(a.id),
  }),
  /** `loaded` when the catalog can list its plugins; `meant` the loaded id `plugin` is a near miss of. */
  'vsp.unknownPlugin': (a: { plugin: string; loaded?: readonly string[]; meant?: string }) => ({
    expected: `the id of a loaded VSP plugin${a.loaded === undefined ? '' : ` (${list(a.loaded)})`}${meant(a.meant)}`,
    found: JSON.stringify(a.plugin),
  }),
  /** A VSP of a class that drives no physical device was given one. */
  'vsp.deviceNotDriven': (a: { deviceClass: DeviceClass; device: string }) => ({
    expected: `no physical device: a ${a.deviceClass} VSP drives none`,
    found: JSON.stringify(a.device),
  }),
  /**
   * A VSP that drives a disk or a NIC names none of the host's: `devices` are the ones it could
   * drive; `otherKind` when `device` is a device of the other kind (which the class cannot drive).
   */
  'vsp.deviceMissing': (a: {
    needs: HostDeviceKind;
    devices: readonly string[];
    plugin: string;
    deviceClass: DeviceClass;
    device?: string;
    otherKind: boolean;
  }) => ({
    expected: `one of the host's ${a.needs}s (${list(a.devices)}): ${a.plugin} is a ${a.deviceClass} VSP`,
    found: a.otherKind
      ? `${quoted(a.device)}, a ${a.needs === 'disk' ? 'nic' : 'disk'}, which a ${a.deviceClass} VSP cannot drive`
      : quoted(a.device),
  }),

  // ── Routes: channels (synthetic devices) and emulated devices ──────────────────────────────
  /** `listed` are the first names of the scenario's VMs, `more` how many were left out. */
  'route.unknownVm': (a: {
    vm: string;
    listed: readonly string[];
    more: number;
    meant?: string;
  }) => ({
    expected: `the name of a VM in the scenario (${
      a.listed.length === 0
        ? 'none'
        : a.more > 0
          ? `${a.listed.join(', ')} and ${a.more.toString()} more`
          : a.listed.join(', ')
    })${meant(a.meant)}`,
    found: JSON.stringify(a.vm),
  }),
  'route.unknownDevice': (a: {
    vm: string;
    device: string;
    devices: readonly string[];
    meant?: string;
  }) => ({
    expected: `one of ${a.vm}'s devices (${list(a.devices)})${meant(a.meant)}`,
    found: JSON.stringify(a.device),
  }),
  /** A device routed twice (`key` is `vm/device`). */
  'route.twice': (a: { key: string }) => ({
    expected: `one route for ${a.key}`,
    found: 'a second route',
  }),
  'route.unknownVsp': (a: { vsp: string; vsps: readonly string[]; meant?: string }) => ({
    expected: `one of the configured VSP instances (${list(a.vsps)})${meant(a.meant)}`,
    found: JSON.stringify(a.vsp),
  }),
  /**
   * Rule 11: a channel between a device and a VSP of another class. `classGuid` is the GUID the
   * device's offer carries (HV_IDE_GUID for a generation 1 VM's boot disk).
   */
  'route.classMismatch': (a: {
    key: string;
    deviceClass: DeviceClass;
    classGuid: string;
    vsp: string;
    vspClass: DeviceClass;
  }) => ({
    expected: `a ${a.deviceClass} VSP for ${a.key} (class GUID ${a.classGuid}${
      a.classGuid === IDE_ACCELERATOR_CLASS_GUID
        ? ', HV_IDE_GUID: the boot disk of a generation 1 VM sits on its IDE controller, and storvsc reaches it through the IDE accelerator channel'
        : ''
    }): a VSP offers channels only with its own class's GUIDs and a VSC binds only to an offer of its own class, so no channel can join ${a.key} to a VSP of another class (rule 11)`,
    found: `${JSON.stringify(a.vsp)}, which serves ${a.vspClass} (class GUID ${DEVICE_CLASS_GUIDS[a.vspClass]})`,
  }),
  /** A channel to a VM without integration components (no VSC to use it). */
  'route.noIntegrationComponents': (a: { vm: string; device: string }) => ({
    expected: `a VM with integration components: without them ${a.vm} has no VSC to use this channel (route ${a.device} through the worker process instead)`,
    found: 'integrationComponents: false',
  }),
  /** Rule 21: generation 2 VMs have no emulated devices. */
  'emulated.generation2': (a: { vm: string }) => ({
    expected: `a generation 1 VM: generation 2 VMs have no emulated devices (rule 21)`,
    found: `${a.vm} (generation 2)`,
  }),
  /** An emulated disk or NIC whose `backing` is none of the host's devices of that kind. */
  'emulated.backingMissing': (a: {
    needs: HostDeviceKind;
    deviceClass: DeviceClass;
    devices: readonly string[];
    backing?: string;
  }) => ({
    expected: `one of the host's ${a.needs}s for the ${EMULATED_DEVICES[a.deviceClass] ?? 'device'} (${list(a.devices)})`,
    found: quoted(a.backing),
  }),
} as const satisfies Readonly<Record<string, (args: never) => IssueWords>>;

/** The id of a kind of configuration refusal (`host.reservesAboveLps`, `memory.minimumAboveStartup`…). */
export type ConfigurationReasonId = keyof typeof CONFIGURATION_REASON_TEXT;

/** The parameters a configuration reason of kind `I` carries (an empty record for none). */
export type ConfigurationReasonArgs<I extends ConfigurationReasonId> = Parameters<
  (typeof CONFIGURATION_REASON_TEXT)[I]
>[0] extends undefined
  ? Readonly<Record<string, never>>
  : Readonly<Parameters<(typeof CONFIGURATION_REASON_TEXT)[I]>[0]>;

/** One structured configuration reason: its id and parameters; plain data (it crosses workers). */
export type ConfigurationReason = {
  readonly [I in ConfigurationReasonId]: {
    readonly id: I;
    readonly args: ConfigurationReasonArgs<I>;
  };
}[ConfigurationReasonId];

/** Every configuration reason id, sorted (for tests and translation tables). */
export const CONFIGURATION_REASON_IDS: readonly ConfigurationReasonId[] = Object.freeze(
  (Object.keys(CONFIGURATION_REASON_TEXT) as ConfigurationReasonId[]).sort(),
);

/**
 * The English words of a configuration reason (its id in both halves, should a reason of an
 * unknown id ever reach here, rather than nothing).
 */
export function configurationReasonText(reason: ConfigurationReason): IssueWords {
  const format = (
    CONFIGURATION_REASON_TEXT as Readonly<
      Partial<Record<string, (args: ConfigurationReason['args']) => IssueWords>>
    >
  )[reason.id];
  return format === undefined ? { expected: reason.id, found: reason.id } : format(reason.args);
}

/**
 * The issue at `path` for the reason `id` with `args`: its English `expected` and `found` are the
 * reason's own words.
 */
export function refusal<I extends ConfigurationReasonId>(
  path: readonly (string | number)[],
  id: I,
  args: ConfigurationReasonArgs<I>,
): InputIssue {
  const reason = { id, args } as ConfigurationReason;
  return { path, ...configurationReasonText(reason), reason };
}
