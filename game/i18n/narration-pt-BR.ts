/**
 * The simulation's narration in Brazilian Portuguese, one entry per core narration id. Typed as
 * {@link NarrationTable}: a core id without its Portuguese line does not compile. Hyper-V's
 * component names (VMMS, VMWP, storvsc, netvsc, VSP, VMBus, hv_balloon) and the Linux drivers'
 * own dmesg words stay as they are; a VM state is said in Portuguese with Hyper-V's name after it
 * (“em execução (Running)”), the name PowerShell's Get-VM shows in any language. A structured
 * `reason` is said from REASON_PT_BR (narration-reasons-pt-BR.ts); a free-text one (a plugin's
 * words, an error's message) is English and quoted as it is.
 */
import { reasonText } from '../../core/simulation/narration-reasons.js';
import type { DeviceClass, NarrationReason, Reason } from '../../core/index.js';
import type { NarrationTable } from './narration.js';
import { REASON_PT_BR } from './narration-reasons-pt-BR.js';
import { decimal, whole } from './numbers-pt-BR.js';
import { ptBR } from './pt-BR.js';
import { VM_STATE_PT_BR } from './vm-state-pt-BR.js';

export { VM_STATE_PT_BR };

const hex = (n: number): string => `0x${n.toString(16)}`;
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
/** A line's reason in Portuguese: structured ones from their table, free text as it is. */
export function reasonPtBR(reason: Reason): string {
  if (typeof reason === 'string') return reason;
  const say = (REASON_PT_BR as Readonly<Partial<Record<string, (args: never) => string>>>)[
    reason.id
  ] as ((args: NarrationReason['args']) => string) | undefined;
  // A reason of an id this build does not know (none, the table is typed): its English words.
  return say === undefined ? reasonText(reason) : say(reason.args);
}
const channels = (n: number): string => `${n.toString()} ${n === 1 ? 'canal' : 'canais'}`;

export const NARRATION_PT_BR: NarrationTable = {
  'vm.state': (a) => `${a.vm} está ${VM_STATE_PT_BR[a.state]} (${a.state})`,
  'vm.startFailed': (a) => `${a.vm} não pôde iniciar: ${reasonPtBR(a.reason)}`,
  'vm.actionRefused': (a) => `${a.vm}: ação recusada — ${reasonPtBR(a.reason)}`,
  'vm.heartbeatOk': (a) => `${a.vm}: heartbeat OK`,
  'vm.heartbeatLost': (a) => `${a.vm}: heartbeat perdido`,
  'vm.dynamicMemoryOff': (a) => `${a.vm}: Memória Dinâmica desligada: ${reasonPtBR(a.reason)}`,
  'vm.command': (a) => `${a.vm}: o administrador executa ${a.command}`,
  'vm.partitionDeleted': (a) =>
    `${a.vm}: partição ${whole(a.partitionId)} excluída — ${whole(a.freedMiB)} MiB de volta ao host${
      a.channels > 0 ? `, ${whole(a.channels)} canal(is) aberto(s) revogado(s)` : ''
    }`,
  'vm.savingMemory': (a) =>
    `${a.vm}: VPs retidos, E/S em andamento concluída; gravando ${whole(a.mib)} MiB de memória no arquivo de estado salvo`,
  'vm.saved': (a) =>
    `${a.vm}: salva — ${whole(a.freedMiB)} MiB de volta ao host; nenhum VP executa até o Start-VM restaurá-la`,
  'vm.restoringMemory': (a) =>
    `${a.vm}: restaurando — ${whole(a.mib)} MiB tomados do host, lendo o estado salvo de volta (sem boot: o convidado continua de onde estava)`,
  'vm.shutdownStuck': (a) =>
    `${a.vm}: o convidado não desligou após ${whole(a.afterMs)} ms; continua Desligando (Stopping) (Stop-VM -TurnOff encerra)`,

  'guest.booted': (a) =>
    `inicializou (${a.enlightened ? 'iluminado: VMBus iniciando' : 'sem componentes de integração: só dispositivos emulados'})`,
  'guest.shuttingDown': (a) =>
    `desligando: nenhum trabalho novo, aguardando ${whole(a.inFlight)} operação(ões) em andamento, depois fechando o VMBus`,
  'guest.devicesLate': () =>
    'alguns dispositivos não ficaram prontos a tempo; a carga de trabalho começa sem eles',
  'guest.handshakeFailed': () =>
    'o handshake com o hipervisor falhou; os componentes de integração não podem iniciar',
  'guest.enlightenmentFailed': (a) => `a iluminação falhou: ${reasonPtBR(a.reason)}`,
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
  'synthvid.stopped': (a) => `synthvid em ${a.device} parou: ${reasonPtBR(a.reason)}`,
  'synthhid.ready': (a) => `synthhid pronto em ${a.device} (mouse ${a.product})`,
  'synthhid.stopped': (a) => `synthhid em ${a.device} parou: ${reasonPtBR(a.reason)}`,
  'vsc.strayCompletion': (a) =>
    `${a.driver} em ${a.device}: ${a.message} ${a.transId < 0 ? 'além de 2^53' : hex(a.transId)} — uma conclusão sem pedido em andamento, descartada (${whole(a.count)} até agora)`,
  'vsc.failed': (a) => `${a.driver} em ${a.device} falhou: ${reasonPtBR(a.reason)}`,
  'heartbeat.ready': (a) =>
    `serviço de heartbeat pronto (framework de IC ${a.framework}, heartbeat ${a.service})`,
  'heartbeat.noVersion': () => 'serviço de heartbeat: nenhuma versão em comum com o host',
  'heartbeat.stopped': (a) => `serviço de heartbeat parou: ${reasonPtBR(a.reason)}`,
  'balloon.ready': (a) =>
    `hv_balloon pronto (protocolo de Memória Dinâmica ${a.major.toString()}.${a.minor.toString()})`,
  'balloon.stopped': (a) => `hv_balloon parou: ${reasonPtBR(a.reason)}`,
  'balloon.failed': (a) => `hv_balloon falhou: ${reasonPtBR(a.reason)}`,
  'ic.lost': (a) => `${a.driver} perdido: ${reasonPtBR(a.reason)}`,
  'tulip.up': (a) => `tulip: ${a.device} ativo na porta de E/S ${hex(a.port)}, 100 Mbit/s`,

  'legacyNic.unbacked': (a) =>
    `${a.device}: o adaptador de rede legado não tem NIC física (ou DMA); não conectado`,

  'memory.growNotDone': (a) =>
    `${a.action === 'hot-add' ? 'adição a quente (hot-add)' : 'devolução do balão (unballoon)'} não feita: o convidado não colocou memória online`,
  'memory.balloonRefused': (a) => `resposta do balão recusada: ${reasonPtBR(a.reason)}`,
  'memory.ballooned': (a) =>
    `balão tomou ${whole(a.mib)} MiB (ballooned; atribuídos ${whole(a.assignedMib)} MiB)`,
  'memory.unballooned': (a) =>
    `balão devolveu ${whole(a.mib)} MiB (unballooned; atribuídos ${whole(a.assignedMib)} MiB)`,
  'memory.hotAddFailed': (a) => `adição a quente não aplicada: ${reasonPtBR(a.reason)}`,
  'memory.hotAdded': (a) =>
    `adição a quente (hot-added) de ${whole(a.mib)} MiB de memória instalada, ${whole(a.backedMib)} MiB com respaldo (instalados ${whole(a.installedMib)} MiB)`,

  'channel.registered': (a) =>
    `${a.device}: canal registrado — oferta de ${deviceClass(a.deviceClass)} pelo VSP ${a.vsp} (GUID de classe ${a.classGuid}${a.ideAccelerator ? ', o acelerador IDE' : ''}) aguarda o convidado pedir as ofertas`,
  'channel.offered': (a) =>
    `${a.device}: canal ofertado — oferta de ${deviceClass(a.deviceClass)} pelo VSP ${a.vsp} (GUID de classe ${a.classGuid}${a.ideAccelerator ? ', o acelerador IDE' : ''})`,
  'channel.opened': (a) =>
    `${a.device}: canal aberto — ${a.vm}/${a.device} ↔ ${a.vsp} (relid ${a.relid.toString()}, VP de destino ${a.targetVp.toString()})`,
  'vmbus.offersDelivered': (a) =>
    `VMBus conectado (versão ${a.major.toString()}.${a.minor.toString()} acordada); ${a.offers.toString()} oferta(s) de canal entregue(s) ao convidado (ALLOFFERS_DELIVERED)`,
  'channel.throttled': (a) =>
    `${a.device}: canal estrangulado (throttled) — o convidado inundou o host de interrupções desnecessárias; suspenso até ${decimal(a.untilNs / 1e6, 1)} ms`,
  'channel.failed': (a) => `${a.device}: canal falhou — ${reasonPtBR(a.reason)}`,
  'channel.rescinded': (a) => `${a.device}: canal revogado (rescind) — ${reasonPtBR(a.reason)}`,
  'channel.closed': (a) => `${a.device}: canal fechado — o convidado fechou o canal`,

  'vsp.createFailed': (a) => `${a.plugin} não pôde iniciar: ${reasonPtBR(a.reason)}`,
  'vsp.channelStopped': (a) =>
    `canal ${a.channel.toString()} (${a.vm}/${a.device}) parado: ${reasonPtBR(a.reason)}`,
  'vsp.pluginLog': (a) => a.text,
};
