/**
 * The simulation's narration in Brazilian Portuguese, one entry per core narration id. Typed as
 * {@link NarrationTable}: a core id without its Portuguese line does not compile. Hyper-V's
 * component names (VMMS, VMWP, storvsc, netvsc, VSP, VMBus, hv_balloon) and the Linux drivers'
 * own dmesg words stay as they are; a VM state is said in Portuguese with Hyper-V's name after it
 * (“em execução (Running)”), the name PowerShell's Get-VM shows in any language. Free-text
 * `reason`s come from protocol code in English and are quoted as they are.
 */
import type { DeviceClass, VmState } from '../../core/index.js';
import type { NarrationTable } from './narration.js';
import { ptBR } from './pt-BR.js';

/** Said of a VM (feminine in Portuguese: “a VM”), as the codex says them (desligada, iniciando, em execução…). */
export const VM_STATE_PT_BR: Readonly<Record<VmState, string>> = {
  Off: 'desligada',
  Starting: 'iniciando',
  Running: 'em execução',
  Paused: 'pausada',
  Saving: 'salvando',
  Saved: 'salva',
  Stopping: 'parando',
};

const hex = (n: number): string => `0x${n.toString(16)}`;
/** `1,5` — Portuguese puts a comma before the decimals. */
const decimal = (n: number, digits: number): string => n.toFixed(digits).replace('.', ',');
const deviceClass = (c: string): string =>
  c in DEVICE_CLASS_KEYS ? ptBR[DEVICE_CLASS_KEYS[c as DeviceClass]] : c;
const DEVICE_CLASS_KEYS = {
  storage: 'device.storage',
  network: 'device.network',
  video: 'device.video',
  input: 'device.input',
  'dynamic-memory': 'device.dynamic-memory',
  heartbeat: 'device.heartbeat',
} as const satisfies Readonly<Record<DeviceClass, keyof typeof ptBR>>;
const channels = (n: number): string => `${n.toString()} ${n === 1 ? 'canal' : 'canais'}`;

export const NARRATION_PT_BR: NarrationTable = {
  'vm.state': (a) => `${a.vm} está ${VM_STATE_PT_BR[a.state]} (${a.state})`,
  'vm.startFailed': (a) => `${a.vm} não pôde iniciar: ${a.reason}`,
  'vm.actionRefused': (a) => `${a.vm}: ação recusada — ${a.reason}`,
  'vm.heartbeatOk': (a) => `${a.vm}: heartbeat OK`,
  'vm.heartbeatLost': (a) => `${a.vm}: heartbeat perdido`,
  'vm.dynamicMemoryOff': (a) => `${a.vm}: Memória Dinâmica desligada: ${a.reason}`,

  'guest.booted': (a) =>
    `inicializou (${a.enlightened ? 'iluminado: VMBus iniciando' : 'sem componentes de integração: só dispositivos emulados'})`,
  'guest.devicesLate': () =>
    'alguns dispositivos não ficaram prontos a tempo; a carga de trabalho começa sem eles',
  'guest.handshakeFailed': () =>
    'o handshake com o hipervisor falhou; os componentes de integração não podem iniciar',
  'guest.enlightenmentFailed': (a) => `a iluminação falhou: ${a.reason}`,
  'storvsc.ready': (a) =>
    `storvsc pronto em ${a.device} (${a.ide ? 'acelerador IDE, ' : ''}protocolo de armazenamento ${a.major.toString()}.${a.minor.toString()}, ${
      a.subchannels > 0
        ? `canal primário, ${a.subchannels.toString()} ${a.subchannels === 1 ? 'subcanal pedido' : 'subcanais pedidos'}`
        : channels(a.channels)
    })`,
  'netvsc.ready': (a) =>
    `netvsc pronto em ${a.device} (NVSP ${hex(a.nvsp)}, ${channels(a.channels)})`,
  'netvsc.vfUp': (a) => `netvsc: o caminho de dados de ${a.device} passou para a VF`,
  'netvsc.vfGone': (a) =>
    `netvsc: a VF de ${a.device} saiu; o caminho de dados volta a ser o sintético`,
  'synthvid.ready': (a) =>
    `synthvid pronto em ${a.device} (protocolo ${a.version}, ${a.width.toString()}×${a.height.toString()})`,
  'synthvid.stopped': (a) => `synthvid em ${a.device} parou: ${a.reason}`,
  'synthhid.ready': (a) => `synthhid pronto em ${a.device} (mouse ${a.product})`,
  'synthhid.stopped': (a) => `synthhid em ${a.device} parou: ${a.reason}`,
  'vsc.strayCompletion': (a) =>
    `${a.driver} em ${a.device}: ${a.message} ${a.transId < 0 ? 'além de 2^53' : hex(a.transId)} — uma conclusão sem pedido em andamento, descartada (${a.count.toString()} até agora)`,
  'vsc.failed': (a) => `${a.driver} em ${a.device} falhou: ${a.reason}`,
  'heartbeat.ready': (a) =>
    `serviço de heartbeat pronto (framework de IC ${a.framework}, heartbeat ${a.service})`,
  'heartbeat.noVersion': () => 'serviço de heartbeat: nenhuma versão em comum com o host',
  'heartbeat.stopped': (a) => `serviço de heartbeat parou: ${a.reason}`,
  'balloon.ready': (a) =>
    `hv_balloon pronto (protocolo de Memória Dinâmica ${a.major.toString()}.${a.minor.toString()})`,
  'balloon.stopped': (a) => `hv_balloon parou: ${a.reason}`,
  'balloon.failed': (a) => `hv_balloon falhou: ${a.reason}`,
  'ic.lost': (a) => `${a.driver} perdido: ${a.reason}`,
  'tulip.up': (a) => `tulip: ${a.device} ativo na porta de E/S ${hex(a.port)}, 100 Mbit/s`,

  'legacyNic.unbacked': (a) =>
    `${a.device}: o adaptador de rede legado não tem NIC física (ou DMA); não conectado`,

  'memory.growNotDone': (a) =>
    `${a.action === 'hot-add' ? 'adição a quente (hot-add)' : 'devolução do balão (unballoon)'} não feita: o convidado não colocou memória online`,
  'memory.balloonRefused': (a) => `resposta do balão recusada: ${a.reason}`,
  'memory.ballooned': (a) =>
    `balão tomou ${a.mib} MiB (ballooned; atribuídos ${a.assignedMib} MiB)`,
  'memory.unballooned': (a) =>
    `balão devolveu ${a.mib} MiB (unballooned; atribuídos ${a.assignedMib} MiB)`,
  'memory.hotAddFailed': (a) => `adição a quente não aplicada: ${a.reason}`,
  'memory.hotAdded': (a) =>
    `adição a quente (hot-added) de ${a.mib} MiB de memória instalada, ${a.backedMib} MiB com respaldo (instalados ${a.installedMib} MiB)`,

  'channel.offered': (a) =>
    `${a.device}: canal ofertado — oferta de ${deviceClass(a.deviceClass)} pelo VSP ${a.vsp} (GUID de classe ${a.classGuid}${a.ideAccelerator ? ', o acelerador IDE' : ''})`,
  'channel.opened': (a) =>
    `${a.device}: canal aberto — ${a.vm}/${a.device} ↔ ${a.vsp} (relid ${a.relid.toString()}, VP de destino ${a.targetVp.toString()})`,
  'channel.throttled': (a) =>
    `${a.device}: canal estrangulado (throttled) — o convidado inundou o host de interrupções desnecessárias; suspenso até ${decimal(a.untilNs / 1e6, 1)} ms`,
  'channel.failed': (a) => `${a.device}: canal falhou — ${a.reason}`,
  'channel.rescinded': (a) => `${a.device}: canal revogado (rescind) — ${a.reason}`,
  'channel.closed': (a) => `${a.device}: canal fechado — o convidado fechou o canal`,

  'vsp.createFailed': (a) => `${a.plugin} não pôde iniciar: ${a.reason}`,
  'vsp.channelStopped': (a) =>
    `canal ${a.channel.toString()} (${a.vm}/${a.device}) parado: ${a.reason}`,
  'vsp.pluginLog': (a) => a.text,
};
