/**
 * The inspector: the controls the level unlocks for the selected host, VM, VSC or VSP, each with
 * the PowerShell (or bcdedit) line a real administrator would type for the same change, and the
 * solution file the choices make.
 */
import { MAX_RING_KIB } from '../../core/model/limits.js';
import { HOST_RELEASE_NAMES } from '../../core/model/release-limits.js';
import type { MemorySettings } from '../../core/model/configuration.js';
import * as ps from '../../core/root/powershell.js';
import type { Level, Solution } from '../../levels/index.js';
import type { I18n } from '../i18n/i18n.js';
import type { StringKey } from '../i18n/i18n.js';
import { h } from '../ui/dom.js';
import type { Child } from '../ui/dom.js';
import { lockIcon, scrollableText } from '../ui/widgets.js';
import {
  addVsp,
  channelOf,
  dynamicMemoryLacks,
  removeVsp,
  setChannel,
  setHost,
  offerGuidOf,
  setIntegrationComponents,
  setMemory,
  setProcessor,
  setVspDevice,
  setVspSetting,
} from './draft.js';
import type { Draft } from './draft.js';
import { IDE_ACCELERATOR_CLASS_GUID } from '../../core/model/class-guids.js';
import { devicesFor, hostDevices, pluginsFor } from './device-match.js';
import { classOfPlugin } from './tutorial.js';
import { powerShellNotes } from './powershell-notes.js';
import { vmMemoryRanges } from './memory-range.js';
import { rootVpRange, vmReserveRange, vmVpRange } from './processor-range.js';

export interface InspectorOptions {
  readonly level: Level;
  readonly draft: Draft;
  readonly selection:
    | { readonly kind: 'host' }
    | { readonly kind: 'vm'; readonly vm: string }
    | { readonly kind: 'vsp'; readonly id: string }
    | { readonly kind: 'vsc'; readonly vm: string; readonly device: string };
  /** False while a run is on: the controls show their values but cannot change. */
  readonly editable: boolean;
  readonly solution: Solution;
  readonly i18n: I18n;
  readonly onChange: (draft: Draft) => void;
  readonly onDisconnect: (vm: string, device: string) => void;
  readonly onCopy: (text: string) => void;
  readonly onDownload: (text: string) => void;
  /** Asks for a solution file to put on the board (only offered while building). */
  readonly onOpenFile: () => void;
  /** Opens the whole draft as a PowerShell script (offered in every phase). */
  readonly onScript: () => void;
  /** Says why a change was not made (a notice and the event log); the inspector is redrawn. */
  readonly onRefuse: (text: string) => void;
}

interface FieldOptions {
  readonly id: string;
  readonly label: string;
  readonly unlocked: boolean;
  readonly editable: boolean;
  readonly fixed: string;
  /** The lock's spoken name ("Locked"). */
  readonly lockedName: string;
}

/**
 * A field's label; a value the level fixes gets a padlock named for a screen reader ("Locked"),
 * which then is part of the control's name ("Weight Locked"), so it is heard as well as seen.
 */
function fieldLabel(o: FieldOptions): HTMLElement {
  if (o.unlocked) return h('label', { attrs: { for: o.id } }, o.label);
  const lock = lockIcon(o.lockedName);
  lock.classList.add('field-lock');
  return h('label', { attrs: { for: o.id } }, `${o.label} `, lock);
}

/**
 * The field's box: a value the level fixes is disabled and drawn without an input's frame
 * (`field-locked`), so it never looks like one the player may change; the line under it says why.
 */
function fieldBox(o: FieldOptions, control: HTMLElement): HTMLElement {
  return h(
    'div',
    { className: o.unlocked ? 'field' : 'field field-locked' },
    fieldLabel(o),
    control,
    !o.unlocked && h('span', { className: 'field-fixed', id: `${o.id}-fixed` }, o.fixed),
  );
}

function numberField(
  o: FieldOptions & {
    value: number;
    min: number;
    max: number;
    step?: number;
    onValue: (v: number) => void;
  },
): HTMLElement {
  const input = h('input', {
    id: o.id,
    attrs: {
      type: 'number',
      min: o.min,
      max: o.max,
      step: o.step ?? 1,
      value: o.value,
      disabled: !o.unlocked || !o.editable,
      'aria-describedby': o.unlocked ? undefined : `${o.id}-fixed`,
    },
    on: {
      change: (e) => {
        const v = Number((e.target as HTMLInputElement).value);
        if (Number.isFinite(v)) o.onValue(Math.min(o.max, Math.max(o.min, v)));
      },
    },
  });
  return fieldBox(o, input);
}

function selectField<T extends string>(
  o: FieldOptions & {
    value: T;
    options: readonly { value: T; label: string }[];
    onValue: (v: T) => void;
  },
): HTMLElement {
  const select = h(
    'select',
    {
      id: o.id,
      attrs: {
        disabled: !o.unlocked || !o.editable,
        'aria-describedby': o.unlocked ? undefined : `${o.id}-fixed`,
      },
      on: {
        change: (e) => {
          o.onValue((e.target as HTMLSelectElement).value as T);
        },
      },
    },
    ...o.options.map((opt) =>
      h('option', { attrs: { value: opt.value, selected: opt.value === o.value } }, opt.label),
    ),
  );
  return fieldBox(o, select);
}

function psBlock(i18n: I18n, text: string): HTMLElement {
  return h(
    'figure',
    { className: 'ps-block' },
    h('figcaption', { className: 'eyebrow' }, i18n.t('play.powershell')),
    // Scrolls past 220 px: focusable so a keyboard can scroll it, as the script dialog's text.
    h(
      'pre',
      { className: 'ps-line', attrs: scrollableText(i18n.t('play.powershell')) },
      h('code', {}, text),
    ),
  );
}

/** Built-in VSPs that drive a physical device, by the device's class. */
const DEVICE_VSPS = { storage: 'hyperkata.storvsp', network: 'hyperkata.netvsp' } as const;

/**
 * storvsp's number settings, their defaults and bounds as plugins/storvsp/settings.ts declares
 * them (a unit test keeps the two equal; the plugin module stays out of the first download), so
 * the fields stop where the plugin's settings check would refuse the run.
 */
export const STORVSP_NUMBER_SETTINGS = {
  queueDepth: { default: 256, min: 1, max: 4096 },
  maxSubchannels: { default: -1, min: -1, max: 63 },
} as const;

/** The storvsp settings the inspector names in words, the setting's own name after them. */
const NAMED_VSP_SETTINGS: Readonly<Record<string, StringKey>> = {
  queueDepth: 'play.setting.queueDepth',
  maxSubchannels: 'play.setting.maxSubchannels',
};

/**
 * A VSP setting's field label in the player's language, its name as the level file, the solution
 * and the diagnosis write it kept in brackets ("Subcanais oferecidos (maxSubchannels)"); a
 * setting the game does not know (a plugin's own) is shown by its name.
 */
export function vspSettingLabel(i18n: I18n, key: string): string {
  const named = Object.hasOwn(NAMED_VSP_SETTINGS, key) ? NAMED_VSP_SETTINGS[key] : undefined;
  return named === undefined ? key : i18n.t(named);
}

function removeVspButton(o: InspectorOptions, id: string): HTMLElement {
  return h(
    'button',
    {
      id: `remove-vsp-${id}`,
      className: 'small-button',
      attrs: { type: 'button', 'aria-disabled': o.editable ? undefined : 'true' },
      on: {
        click: () => {
          if (o.editable) o.onChange(removeVsp(o.draft, id));
        },
      },
    },
    o.i18n.t('play.removeVsp', { name: id }),
  );
}

/**
 * The root partition's VSP instances, when the level unlocks them: each with a Remove button,
 * then a plugin and a physical device to add one (VMMS starts a VSP per device it drives).
 */
function vspInstancesSection(o: InspectorOptions): HTMLElement {
  const { i18n, level, draft } = o;
  const devices = hostDevices(level.scenario.host);
  const plugins = [
    ...new Set([...devices.map((d) => DEVICE_VSPS[d.deviceClass]), ...level.plugins]),
  ];
  const pluginSelect = h('select', {
    id: 'field-new-vsp-plugin',
    attrs: { disabled: !o.editable },
  });
  // Only plugins that drive the chosen device's class; the built-in one proposed first.
  const offerPluginsFor = (deviceId: string): void => {
    const d = devices.find((x) => x.id === deviceId);
    const offered = d ? pluginsFor(plugins, d.deviceClass) : plugins;
    pluginSelect.replaceChildren(...offered.map((p) => h('option', { attrs: { value: p } }, p)));
    if (d) pluginSelect.value = DEVICE_VSPS[d.deviceClass];
  };
  const deviceSelect = h(
    'select',
    {
      id: 'field-new-vsp-device',
      attrs: { disabled: !o.editable },
      on: {
        // Choosing a NIC offers network VSPs (netvsp first), a disk storage VSPs.
        change: (e) => {
          offerPluginsFor((e.target as HTMLSelectElement).value);
        },
      },
    },
    ...devices.map((d) => h('option', { attrs: { value: d.id } }, d.id)),
  );
  offerPluginsFor(devices.at(0)?.id ?? '');
  return h(
    'section',
    { className: 'vsp-instances', attrs: { 'aria-labelledby': 'vsp-instances-heading' } },
    h('h3', { className: 'eyebrow', id: 'vsp-instances-heading' }, i18n.t('play.vspInstances')),
    h(
      'ul',
      { className: 'vsp-list' },
      ...draft.vsps.map((v) =>
        h(
          'li',
          {},
          h('span', {}, `${v.id} · ${v.plugin}${v.device ? ` · ${v.device}` : ''} `),
          removeVspButton(o, v.id),
        ),
      ),
    ),
    h(
      'div',
      { className: 'field' },
      h('label', { attrs: { for: 'field-new-vsp-device' } }, i18n.t('play.field.device')),
      deviceSelect,
    ),
    h(
      'div',
      { className: 'field' },
      h('label', { attrs: { for: 'field-new-vsp-plugin' } }, i18n.t('play.field.plugin')),
      pluginSelect,
    ),
    h(
      'button',
      {
        id: 'add-vsp',
        className: 'small-button',
        attrs: { type: 'button', 'aria-disabled': o.editable ? undefined : 'true' },
        on: {
          click: () => {
            const plugin = pluginSelect.value;
            const device = deviceSelect.value;
            if (o.editable && plugin && device) o.onChange(addVsp(draft, plugin, device));
          },
        },
      },
      i18n.t('play.addVsp'),
    ),
  );
}

export function buildInspector(o: InspectorOptions): HTMLElement {
  const { i18n, level, draft, selection } = o;
  const c = level.controls;
  // The commands stay as one types them; their comments are in the player's language.
  const notes = powerShellNotes(i18n.language);
  const field = (id: string, key: StringKey, unlocked: boolean): FieldOptions => ({
    id,
    label: i18n.t(key),
    unlocked,
    editable: o.editable,
    fixed: i18n.t('play.inspect.fixed'),
    lockedName: i18n.t('play.inspect.locked'),
  });
  let heading: string;
  const body: Child[] = [];

  if (selection.kind === 'host') {
    heading = i18n.t('play.inspect.host', { name: level.scenario.host.name });
    const p = level.scenario.host.processor;
    body.push(
      h(
        'p',
        { className: 'muted' },
        i18n.t('play.inspect.hostSummary', {
          sockets: p.sockets,
          cores: p.coresPerSocket,
          threads: p.threadsPerCore,
          memory: (level.scenario.host.memoryMiB / 1024).toFixed(0),
          os: HOST_RELEASE_NAMES[level.scenario.host.os],
        }),
      ),
      numberField({
        ...field('field-root-vps', 'play.field.rootVps', c.rootVps),
        value: draft.host.rootVps,
        ...rootVpRange(level.scenario),
        onValue: (v) => {
          o.onChange(setHost(draft, { rootVps: v }));
        },
      }),
      selectField({
        ...field('field-scheduler', 'play.field.scheduler', c.scheduler),
        value: draft.host.scheduler,
        options: (['classic', 'core', 'root'] as const).map((v) => ({ value: v, label: v })),
        onValue: (v) => {
          o.onChange(setHost(draft, { scheduler: v }));
        },
      }),
      psBlock(
        i18n,
        [
          ps.setRootVps(draft.host.rootVps, notes),
          ps.setSchedulerType(draft.host.scheduler, notes),
        ].join('\n'),
      ),
    );
    if (c.vspInstances) body.push(vspInstancesSection(o));
  } else if (selection.kind === 'vm') {
    const name = selection.vm;
    heading = i18n.t('play.inspect.vm', { name });
    const vm = draft.vms[name];
    const spec = level.scenario.vms.find((v) => v.name === name);
    body.push(
      h(
        'p',
        { className: 'muted' },
        spec
          ? i18n.t('play.inspect.vmSummary', {
              os: spec.os.release,
              generation: spec.generation,
              workload: i18n.t(`workload.${spec.workload.kind}`),
            })
          : '',
      ),
      selectField({
        ...field(`field-ic-${name}`, 'play.field.ic', c.integrationComponents),
        value: vm.integrationComponents ? 'on' : 'off',
        options: [
          { value: 'on', label: i18n.t('play.field.on') },
          { value: 'off', label: i18n.t('play.field.off') },
        ],
        onValue: (v) => {
          o.onChange(setIntegrationComponents(draft, name, v === 'on'));
        },
      }),
      numberField({
        ...field(`field-vps-${name}`, 'play.field.vps', c.vpCount),
        value: vm.processor.count,
        ...vmVpRange(level.scenario, draft, name),
        onValue: (v) => {
          o.onChange(setProcessor(draft, name, { count: v }));
        },
      }),
      numberField({
        ...field(`field-weight-${name}`, 'play.field.weight', c.cpuControls),
        value: vm.processor.weight,
        min: 1,
        max: 10_000,
        onValue: (v) => {
          o.onChange(setProcessor(draft, name, { weight: v }));
        },
      }),
      numberField({
        ...field(`field-reserve-${name}`, 'play.field.reserve', c.cpuControls),
        value: vm.processor.reservePercent,
        ...vmReserveRange(level.scenario, draft, name),
        onValue: (v) => {
          o.onChange(setProcessor(draft, name, { reservePercent: v }));
        },
      }),
      numberField({
        ...field(`field-limit-${name}`, 'play.field.limit', c.cpuControls),
        value: vm.processor.limitPercent,
        min: 0,
        max: 100,
        onValue: (v) => {
          o.onChange(setProcessor(draft, name, { limitPercent: v }));
        },
      }),
      ...memoryFields(o, name, vm.memory, field),
      psBlock(
        i18n,
        [
          ps.setVmProcessor(name, vm.processor, notes),
          ps.setVmMemory(name, vm.memory),
          ps.integrationComponents(
            name,
            vm.integrationComponents,
            spec?.os.family ?? 'windows',
            notes,
          ),
        ].join('\n'),
      ),
    );
  } else if (selection.kind === 'vsc') {
    const { vm, device } = selection;
    const route = channelOf(draft, vm, device);
    const vmSpec = level.scenario.vms.find((v) => v.name === vm);
    const spec = vmSpec?.devices.find((d) => d.id === device);
    heading = `${vm} · ${device}`;
    body.push(
      h(
        'p',
        { className: 'muted' },
        i18n.t('play.inspect.vscRoute', {
          cls: spec ? i18n.t(`device.${spec.class}`).toLocaleLowerCase() : '',
          vsp: route?.vsp ?? '—',
        }),
      ),
    );
    if (route) {
      // Rule 11: the class GUID of the channel's offer (HV_IDE_GUID for a generation 1 boot disk).
      const guid = spec ? offerGuidOf(level, { vm, device, deviceClass: spec.class }) : '';
      const ide = guid === IDE_ACCELERATOR_CLASS_GUID;
      body.push(
        h(
          'p',
          { className: 'muted', id: `offer-guid-${vm}-${device}` },
          i18n.t(ide ? 'play.inspect.offerIde' : 'play.inspect.offer', { guid, vm, device }),
        ),
      );
      body.push(
        numberField({
          ...field(`field-ring-${vm}-${device}`, 'play.field.ring', c.channelSettings),
          value: route.ringKiB ?? (spec?.class === 'network' ? 512 : 128),
          min: 16,
          max: MAX_RING_KIB,
          step: 16,
          onValue: (v) => {
            o.onChange(setChannel(draft, vm, device, { ringKiB: v }));
          },
        }),
        selectField({
          ...field(`field-signalling-${vm}-${device}`, 'play.field.signalling', c.channelSettings),
          value: route.signalling,
          options: [
            { value: 'low-latency', label: i18n.t('play.signalling.lowLatency') },
            { value: 'batched', label: i18n.t('play.signalling.batched') },
          ],
          onValue: (v) => {
            o.onChange(setChannel(draft, vm, device, { signalling: v }));
          },
        }),
      );
      if (c.routing && o.editable) {
        body.push(
          h(
            'button',
            {
              id: `disconnect-${vm}-${device}`,
              className: 'secondary-button',
              attrs: { type: 'button' },
              on: {
                click: () => {
                  o.onDisconnect(vm, device);
                },
              },
            },
            i18n.t('play.disconnect', { vm, device }),
          ),
        );
      }
      body.push(
        psBlock(
          i18n,
          [
            ps.routeCommand(
              route,
              spec?.class ?? 'storage',
              ps.routeBackingOf(level.scenario, draft, route, notes),
            ),
            ps.channelSettingsNote(
              spec?.class ?? 'storage',
              route.ringKiB ?? (spec?.class === 'network' ? 512 : 128),
              route.signalling,
              notes,
            ),
          ].join('\n'),
        ),
      );
    } else if (!c.routing) {
      body.push(h('p', { className: 'muted' }, i18n.t('play.locked')));
    } else {
      body.push(h('p', { className: 'muted' }, i18n.t('play.dragHint')));
    }
  } else {
    const vsp = draft.vsps.find((v) => v.id === selection.id);
    heading = i18n.t('play.inspect.vsp', { name: selection.id });
    if (vsp) {
      // A VSP moves only to another device of the class it drives.
      const devices = devicesFor(hostDevices(level.scenario.host), vsp.plugin).map((d) => d.id);
      body.push(h('p', { className: 'muted' }, vsp.plugin));
      if (vsp.device !== undefined) {
        body.push(
          selectField({
            ...field(`field-device-${vsp.id}`, 'play.field.device', c.vspInstances),
            value: vsp.device,
            options: devices.map((d) => ({ value: d, label: d })),
            onValue: (d) => {
              o.onChange(setVspDevice(draft, vsp.id, d));
            },
          }),
        );
      }
      const storvsp = vsp.plugin === 'hyperkata.storvsp';
      const settings: Record<string, number | string | boolean> = storvsp
        ? {
            queueDepth: STORVSP_NUMBER_SETTINGS.queueDepth.default,
            maxSubchannels: STORVSP_NUMBER_SETTINGS.maxSubchannels.default,
            ...vsp.settings,
          }
        : { ...vsp.settings };
      const boundsOf = (key: string): { min: number; max: number } => {
        if (!storvsp || !Object.hasOwn(STORVSP_NUMBER_SETTINGS, key))
          return { min: -1, max: 100_000 };
        const { min, max } = STORVSP_NUMBER_SETTINGS[key as keyof typeof STORVSP_NUMBER_SETTINGS];
        return { min, max };
      };
      for (const [key, value] of Object.entries(settings)) {
        if (typeof value !== 'number') continue;
        body.push(
          numberField({
            ...field(`field-vsp-${vsp.id}-${key}`, 'play.field.setting', c.vspSettings),
            label: vspSettingLabel(i18n, key),
            value,
            ...boundsOf(key),
            onValue: (v) => {
              o.onChange(setVspSetting(draft, vsp.id, key, v));
            },
          }),
        );
      }
      if (c.vspInstances) body.push(removeVspButton(o, vsp.id));
      body.push(psBlock(i18n, ps.vspSettingsNote(vsp, notes)));
    }
  }

  const json = JSON.stringify(o.solution, null, 2);
  return h(
    'div',
    { className: 'inspector-body' },
    h('h2', { className: 'card-heading', id: 'inspector-heading' }, heading),
    ...body,
    h(
      'button',
      {
        id: 'play-script',
        className: 'small-button script-open',
        attrs: { type: 'button', 'aria-haspopup': 'dialog' },
        on: {
          click: () => {
            o.onScript();
          },
        },
      },
      i18n.t('play.script.open'),
    ),
    h(
      'details',
      { className: 'solution-box', attrs: { open: selection.kind === 'host' } },
      h('summary', {}, i18n.t('play.solution')),
      h(
        'pre',
        {
          id: 'solution-json',
          className: 'ps-line',
          attrs: scrollableText(i18n.t('play.solution')),
        },
        json,
      ),
      h(
        'div',
        { className: 'detail-actions' },
        h(
          'button',
          {
            className: 'small-button',
            attrs: { type: 'button' },
            on: {
              click: () => {
                o.onCopy(json);
              },
            },
          },
          i18n.t('play.copySolution'),
        ),
        h(
          'button',
          {
            className: 'small-button',
            attrs: { type: 'button' },
            on: {
              click: () => {
                o.onDownload(json + '\n');
              },
            },
          },
          i18n.t('play.downloadSolution'),
        ),
        o.editable
          ? h(
              'button',
              {
                className: 'small-button',
                attrs: { type: 'button' },
                on: {
                  click: () => {
                    o.onOpenFile();
                  },
                },
              },
              i18n.t('play.openSolutionFile'),
            )
          : null,
      ),
    ),
  );
}

function memoryFields(
  o: InspectorOptions,
  name: string,
  memory: MemorySettings,
  field: (id: string, key: StringKey, unlocked: boolean) => FieldOptions,
): HTMLElement[] {
  const c = o.level.controls;
  const set = (m: MemorySettings): void => {
    o.onChange(setMemory(o.draft, name, m));
  };
  const ranges = vmMemoryRanges(o.level.scenario, o.draft, name);
  const fields: HTMLElement[] = [
    selectField({
      ...field(`field-dynamic-${name}`, 'play.field.dynamic', c.memory),
      value: memory.dynamic ? 'on' : 'off',
      options: [
        { value: 'on', label: o.i18n.t('play.field.on') },
        { value: 'off', label: o.i18n.t('play.field.off') },
      ],
      onValue: (v) => {
        const lacks = v === 'on' ? dynamicMemoryLacks(o.draft, name, classOfPlugin) : [];
        if (lacks.length > 0) {
          o.onRefuse(
            [
              o.i18n.t('play.dynamicRefused', { vm: name }),
              ...lacks.map((l) => o.i18n.t(`play.dynamicLacks.${l}`, { vm: name })),
            ].join(' '),
          );
          return;
        }
        set(
          v === 'on'
            ? {
                dynamic: true,
                startupMiB: memory.startupMiB,
                minimumMiB: Math.min(512, memory.startupMiB),
                maximumMiB: memory.startupMiB * 2,
                bufferPercent: 20,
                priority: 50,
              }
            : { dynamic: false, startupMiB: memory.startupMiB },
        );
      },
    }),
    numberField({
      ...field(`field-memory-${name}`, 'play.field.memory', c.memory),
      value: memory.startupMiB,
      ...ranges.startup,
      step: 256,
      onValue: (v) => {
        set({ ...memory, startupMiB: v });
      },
    }),
  ];
  if (memory.dynamic) {
    fields.push(
      numberField({
        ...field(`field-minimum-${name}`, 'play.field.minimum', c.memory),
        value: memory.minimumMiB,
        ...ranges.minimum,
        step: 256,
        onValue: (v) => {
          set({ ...memory, minimumMiB: v });
        },
      }),
      numberField({
        ...field(`field-maximum-${name}`, 'play.field.maximum', c.memory),
        value: memory.maximumMiB,
        ...ranges.maximum,
        step: 256,
        onValue: (v) => {
          set({ ...memory, maximumMiB: v });
        },
      }),
      // WS: Set-VMMemory -Buffer (5–2000 %) and -Priority (0–100), the two Dynamic Memory
      // settings the diagnosis of memory pressure names besides the maximum.
      numberField({
        ...field(`field-buffer-${name}`, 'play.field.buffer', c.memory),
        value: memory.bufferPercent,
        min: 5,
        max: 2000,
        onValue: (v) => {
          set({ ...memory, bufferPercent: v });
        },
      }),
      numberField({
        ...field(`field-priority-${name}`, 'play.field.priority', c.memory),
        value: memory.priority,
        min: 0,
        max: 100,
        onValue: (v) => {
          set({ ...memory, priority: v });
        },
      }),
    );
  }
  return fields;
}
