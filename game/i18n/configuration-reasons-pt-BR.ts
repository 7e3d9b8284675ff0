/**
 * Why the host refuses a configuration — an InputIssue's structured `reason`
 * (core/model/configuration-reasons.ts) — in Brazilian Portuguese, one entry per core reason id,
 * and the refused field said with the inspector's own labels. Typed as
 * {@link ConfigurationReasonTable}: a core reason id without its Portuguese words does not compile.
 * Each entry says, in one sentence, what a valid value is and what was there, numbers as
 * Portuguese writes them (`2.048 MiB`); Hyper-V's names (VSP, VSC, HV_IDE_GUID, storvsc, VMWP),
 * the host releases' names, ids and the rule numbers of HYPERV.md stay as they are.
 */
import type {
  ConfigurationReasonArgs,
  ConfigurationReasonId,
  DeviceClass,
  HostDeviceKind,
} from '../../core/index.js';
import { DEVICE_CLASS_GUIDS, IDE_ACCELERATOR_CLASS_GUID } from '../../core/model/class-guids.js';
import { formatPath } from '../../core/model/errors.js';
import { HOST_RELEASE_NAMES } from '../../core/model/release-limits.js';
import type { StringKey } from './en.js';
import { format } from './i18n.js';
import { formatPercent } from '../../levels/metric-text.js';
import { decimal, number, whole } from './numbers-pt-BR.js';
import { ptBR } from './pt-BR.js';

/** One Portuguese sentence per core configuration reason id. */
export type ConfigurationReasonTable = {
  readonly [I in ConfigurationReasonId]: (args: ConfigurationReasonArgs<I>) => string;
};

/** A device class in the middle of a sentence (`armazenamento`, `rede`…). */
const cls = (c: DeviceClass): string => ptBR[`device.${c}`].toLocaleLowerCase('pt-BR');
/** Ids, comma-separated; `nenhum` (or `nenhuma`) for none. */
/** A percentage as every other place in the game writes it in Portuguese (92,3%). */
const percent = (points: number): string => formatPercent(points, 'pt-BR');
const list = (ids: readonly string[], none = 'nenhum'): string => ids.join(', ') || none;
/** ` — você quis dizer db01?` after a list, for a name that is a near miss of one in it. */
const meant = (name: string | undefined): string =>
  name === undefined ? '' : ` — você quis dizer ${name}?`;
const quoted = (value: string): string => JSON.stringify(value);
/** One of the host's disks or NICs (a NIC is feminine in Portuguese: uma placa de rede). */
const oneOf = (kind: HostDeviceKind): string =>
  kind === 'disk' ? 'um dos discos do host' : 'uma das NICs do host';
const none = (kind: HostDeviceKind): string => (kind === 'disk' ? 'nenhum' : 'nenhuma');
const aDevice = (kind: HostDeviceKind): string => (kind === 'disk' ? 'um disco' : 'uma NIC');
const release = (os: keyof typeof HOST_RELEASE_NAMES): string => `o ${HOST_RELEASE_NAMES[os]}`;
const perVm = (generation1: boolean): string => (generation1 ? 'por VM de geração 1' : 'por VM');
const mib = (n: number): string => `${whole(n)} MiB`;

/** The emulated counterpart of each routable device class (rule 21): EMULATED_DEVICES. */
const EMULATED_PT_BR: Readonly<Partial<Record<DeviceClass, string>>> = {
  storage: 'a controladora IDE emulada',
  network: 'o adaptador de rede legado (DEC 21140, 100 Mbit/s)',
  video: 'o vídeo emulado S3 Trio',
  input: 'o teclado e mouse PS/2',
};

export const CONFIGURATION_REASON_PT_BR: ConfigurationReasonTable = {
  'host.rootVpsAboveLps': (a) =>
    `no máximo ${number(a.max)} (um VP da raiz por processador lógico, e a raiz d${release(a.os)} vê no máximo ${number(a.rootVisible)}; regra 40), não ${number(a.rootVps)}`,
  'host.rootVpsOutOfRange': (a) =>
    `um número inteiro de 1 a ${number(a.max)} (os VPs da raiz ficam fixos 1:1 nos processadores lógicos; ${release(a.os)} permite no máximo ${number(a.rootVisible)} processadores virtuais da raiz, regra 40), não ${number(a.rootVps)}`,
  'host.rootSchedulerTooEarly': (a) =>
    `classic ou core, não root: o escalonador root chegou com o Windows 10 versão 1803, depois d${release(a.os)} (regra 30)`,
  'host.vpsAboveRelease': (a) =>
    `${number(a.total)} processadores virtuais ao todo, mas ${release(a.os)} permite no máximo ${number(a.limit)} por host (regra 40)`,
  'host.reservesAboveLps': (a) =>
    a.cores === undefined
      ? `as reservas de CPU somam ${decimal(a.reserved, 2)} processadores lógicos, mas o host tem ${number(a.lps)}: Σ quantidade × reserva deve ser no máximo ${number(a.lps)} (regra 32)`
      : `as reservas de CPU somam ${decimal(a.reserved, 2)} núcleos, mas o host tem ${number(a.cores)}: no agendador de núcleo um núcleo roda uma VM por vez, então uma VM reserva ⌈quantidade ÷ 2⌉ × reserva núcleos (quantidade × reserva se não for SMT, o padrão do Windows Server 2016) (regras 29 e 32)`,
  'host.memoryAboveHost': (a) =>
    `a memória estática e os mínimos da Memória Dinâmica somam ${mib(a.committedMiB)}, mas o host só pode dar ${mib(a.available)} (depois dos ${mib(a.rootReserveMiB)} da raiz)`,

  'vm.settingsMissing': (a) => `faltam as configurações da VM ${quoted(a.vm)}`,
  'vm.unknown': (a) =>
    `${quoted(a.name)} não é uma VM do cenário (${list(a.known, 'nenhuma')})${meant(a.meant)}`,
  'vm.memoryAboveHost': (a) =>
    `${mib(a.committedMiB)}, mas o host só pode dar ${mib(a.available)}: o que sobra dos seus ${mib(a.hostMiB)} depois dos ${mib(a.rootReserveMiB)} da raiz`,
  'vm.vpsAboveLps': (a) =>
    `no máximo ${number(a.lps)} (uma VM não pode ter mais processadores virtuais do que o host tem processadores lógicos), não ${number(a.count)}`,
  'vm.vpsAboveRelease': (a) =>
    `no máximo ${number(a.limit)} processadores virtuais ${perVm(a.generation1)}, o limite d${release(a.os)} (regra 40), não ${number(a.count)}`,
  'vm.memoryAboveRelease': (a) =>
    `no máximo ${mib(a.limit)} de memória ${perVm(a.generation1)}, o limite d${release(a.os)} (regra 40), não ${mib(a.mib)}`,
  'vm.reserveAboveLimit': (a) =>
    `no máximo o limite (${percent(a.limitPercent)}): um VP não pode ter garantido mais do que pode usar (regra 32), não ${percent(a.reservePercent)}`,
  'vm.noIntegrationComponents': (a) =>
    `desligado: ${a.release} não executa componentes de integração, então só pode usar dispositivos emulados`,

  'memory.minimumAboveStartup': (a) =>
    `no máximo a memória inicial (${mib(a.startupMiB)}) (regra 33), não ${mib(a.minimumMiB)}`,
  'memory.maximumBelowStartup': (a) =>
    `no mínimo a memória inicial (${mib(a.startupMiB)}) (regra 33), não ${mib(a.maximumMiB)}`,
  'memory.dynamicWithVirtualNuma': () =>
    'desligado: a Memória Dinâmica e o NUMA virtual não podem ser usados juntos (regra 35)',
  'memory.dynamicWithoutIntegration': () =>
    'desligada: a Memória Dinâmica precisa do driver de balão dos componentes de integração',
  'memory.noDynamicMemoryVsp': () =>
    'falta um VSP de memória dinâmica (por exemplo hyperkata.dynmem): as VMs com Memória Dinâmica precisam dele para inflar o balão e adicionar memória a quente',

  'processor.weightOutOfRange': (a) =>
    `um número inteiro de ${number(a.min)} a ${number(a.max)}, não ${number(a.weight)}`,
  'processor.percentOutOfRange': (a) => `uma porcentagem de 0 a 100, não ${number(a.value)}`,
  'processor.reserveAboveLimit': (a) =>
    `no máximo o limite (${percent(a.limitPercent)}), não ${percent(a.reservePercent)}`,

  'vsp.nameTwice': (a) => `o nome de VSP ${quoted(a.id)} aparece mais de uma vez`,
  'vsp.unknownPlugin': (a) =>
    `${quoted(a.plugin)} não é o id de um plugin de VSP carregado${a.loaded === undefined ? '' : ` (${list(a.loaded)})`}${meant(a.meant)}`,
  'vsp.deviceNotDriven': (a) =>
    `nenhum dispositivo físico: um VSP de ${cls(a.deviceClass)} não controla nenhum, e este nomeia ${quoted(a.device)}`,
  'vsp.deviceMissing': (a) => {
    const wanted = `${oneOf(a.needs)} (${list(a.devices, none(a.needs))}), porque ${a.plugin} é um VSP de ${cls(a.deviceClass)}`;
    if (a.device === undefined)
      return `${wanted}, e ${none(a.needs)} foi escolhid${a.needs === 'disk' ? 'o' : 'a'}`;
    return a.otherKind
      ? `${wanted}; ${quoted(a.device)} é ${aDevice(a.needs === 'disk' ? 'nic' : 'disk')}, que um VSP de ${cls(a.deviceClass)} não pode controlar`
      : `${wanted}, não ${quoted(a.device)}`;
  },

  'route.unknownVm': (a) => {
    const names =
      a.listed.length === 0
        ? 'nenhuma'
        : a.more > 0
          ? `${a.listed.join(', ')} e mais ${number(a.more)}`
          : a.listed.join(', ');
    return `${quoted(a.vm)} não é uma VM do cenário (${names})${meant(a.meant)}`;
  },
  'route.unknownDevice': (a) =>
    `${quoted(a.device)} não é um dos dispositivos de ${a.vm} (${list(a.devices)})${meant(a.meant)}`,
  'route.twice': (a) => `uma segunda rota para ${a.key}: cada dispositivo tem uma só`,
  'route.unknownVsp': (a) =>
    `${quoted(a.vsp)} não é uma das instâncias de VSP configuradas (${list(a.vsps)})${meant(a.meant)}`,
  'route.classMismatch': (a) => {
    const ide =
      a.classGuid === IDE_ACCELERATOR_CLASS_GUID
        ? ', HV_IDE_GUID: o disco de inicialização de uma VM de geração 1 fica na sua controladora IDE, e o storvsc chega a ele pelo canal do acelerador IDE'
        : '';
    return `um VSP de ${cls(a.deviceClass)} para ${a.key} (GUID de classe ${a.classGuid}${ide}), mas ${quoted(a.vsp)} atende ${cls(a.vspClass)} (GUID de classe ${DEVICE_CLASS_GUIDS[a.vspClass]}): um VSP só oferece canais com os GUIDs da sua própria classe e um VSC só se liga a uma oferta da sua classe, então nenhum canal pode ligar ${a.key} a um VSP de outra classe (regra 11)`;
  },
  'route.noIntegrationComponents': (a) =>
    `${a.vm} não tem componentes de integração, então não tem VSC para usar este canal (ligue ${a.device} pelo processo de trabalho, VMWP)`,
  'emulated.generation2': (a) =>
    `${a.vm} é de geração 2, e VMs de geração 2 não têm dispositivos emulados: é preciso uma VM de geração 1 (regra 21)`,
  'emulated.backingMissing': (a) => {
    const wanted = `${oneOf(a.needs)} para ${EMULATED_PT_BR[a.deviceClass] ?? 'o dispositivo'} (${list(a.devices, none(a.needs))})`;
    return a.backing === undefined
      ? `${wanted}, e ${none(a.needs)} foi escolhid${a.needs === 'disk' ? 'o' : 'a'}`
      : `${wanted}, não ${quoted(a.backing)}`;
  },
};

/** A VM's setting, by its path under `vms.<name>`, as the inspector labels it. */
const VM_FIELDS: Readonly<Record<string, StringKey>> = {
  'processor.count': 'play.field.vps',
  'processor.weight': 'play.field.weight',
  'processor.reservePercent': 'play.field.reserve',
  'processor.limitPercent': 'play.field.limit',
  'memory.startupMiB': 'play.field.memory',
  'memory.dynamic': 'play.field.dynamic',
  'memory.minimumMiB': 'play.field.minimum',
  'memory.maximumMiB': 'play.field.maximum',
  'memory.bufferPercent': 'play.field.buffer',
  'memory.priority': 'play.field.priority',
  integrationComponents: 'play.field.ic',
};

/** The host's settings, by their path under `host`. */
const HOST_FIELDS: Readonly<Record<string, StringKey>> = {
  rootVps: 'play.field.rootVps',
  scheduler: 'play.field.scheduler',
};

/** A VSP instance's own fields, by their name under `vsps[i]`. */
const VSP_FIELDS: Readonly<Record<string, StringKey>> = {
  device: 'play.field.device',
  plugin: 'play.field.plugin',
};

const t = (key: StringKey, params?: Readonly<Record<string, string | number>>): string =>
  format(ptBR[key], params);
const labelOf = (table: Readonly<Record<string, StringKey>>, key: string): string | undefined =>
  Object.hasOwn(table, key) ? t(table[key]) : undefined;

/**
 * Where a refused setting is, in the words of the inspector: `VM db01 · Mínimo (MiB)`,
 * `VPs da raiz (minroot)`, `Canal 2`. A place it has no label for keeps its path
 * (`vms.db01.memory.foo`), which names the field exactly as the solution file writes it.
 *
 * @example
 * fieldPtBR(['vms', 'db01', 'memory', 'minimumMiB']) // 'VM db01 · Mínimo (MiB)'
 */
export function fieldPtBR(path: readonly (string | number)[]): string {
  const [top, second, ...rest] = path;
  const tail = rest.map(String).join('.');
  if (top === 'host' && path.length === 2)
    return labelOf(HOST_FIELDS, String(second)) ?? formatPath(path);
  if (top === 'vms') {
    if (path.length === 1) return 'Todas as VMs juntas';
    const vm = t('play.inspect.vm', { name: String(second) });
    if (rest.length === 0) return vm;
    const field = tail === 'virtualNuma' ? 'NUMA virtual' : labelOf(VM_FIELDS, tail);
    return `${vm} · ${field ?? tail}`;
  }
  if (typeof second === 'number') {
    const n = second + 1;
    const entry =
      top === 'vsps'
        ? `${ptBR['play.vspInstances']} · ${number(n)}`
        : top === 'channels'
          ? `Canal ${number(n)}`
          : top === 'emulated'
            ? `Dispositivo emulado ${number(n)}`
            : undefined;
    if (entry !== undefined) {
      if (rest.length === 0) return entry;
      const field = top === 'vsps' ? labelOf(VSP_FIELDS, tail) : undefined;
      return `${entry} · ${field ?? tail}`;
    }
  }
  if (top === 'vsps' && path.length === 1) return ptBR['play.vspInstances'];
  return formatPath(path);
}
