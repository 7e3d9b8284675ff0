/**
 * The comment lines of the PowerShell (and bcdedit) the inspector shows, in the player's
 * language. The core renders the commands and stays locale-free: it takes the comments' words
 * from here. Cmdlets, parameters, values, driver and file names stay as one types them.
 */
import { ENGLISH_NOTES } from '../../core/root/powershell.js';
import type { PowerShellNotes } from '../../core/root/powershell.js';
import type { Language } from '../i18n/i18n.js';

export const PT_BR_NOTES: PowerShellNotes = {
  wmiPercent: (wmi) =>
    `-Reserve e -Maximum aceitam só porcentagens inteiras; pelo WMI, Msvm_ProcessorSettingData (porcentagem × 1.000): ${wmi}`,
  virtualNuma: (vm, enabled) =>
    enabled
      ? `${vm}: o convidado vê a topologia NUMA do host (exige memória estática: a Memória Dinâmica esconde o NUMA virtual)`
      : `${vm}: um único nó NUMA virtual`,
  afterReboot: 'vale depois de reiniciar',
  rootScheduler:
    'o agendador raiz é o padrão do Windows cliente; o Hyper-V do Windows Server não o suporta, e ele ignora peso, reserva e limite por VM',
  minroot: (count) => `minroot: a partição raiz recebe ${count} VP(s); vale depois de reiniciar`,
  noIntegrationComponents: (vm) =>
    `${vm}: sem componentes de integração — o convidado usa só dispositivos emulados`,
  integrationComponentsLinux:
    'dentro do convidado: os drivers do Hyper-V (hv_vmbus, hv_storvsc, hv_netvsc, hv_balloon, hv_utils) vêm no kernel Linux e são atualizados com ele; só distribuições antigas precisam do Linux Integration Services à parte',
  integrationComponentsWindows:
    'dentro do convidado: os componentes de integração vêm no Windows; num host Windows Server 2016 ou mais novo, convidados antigos os atualizam pelo Windows Update (sem vmguest.iso)',
  generation1BootDisk: (guid) =>
    `a geração 1 só dá boot por IDE; com os componentes de integração o convidado chega a este disco pelo storvsp via VMBus (o canal acelerador de IDE, GUID de classe ${guid}), não pelo controlador emulado`,
  generation1NoScsi: 'uma VM de geração 1 não tem controlador SCSI até que um seja adicionado',
  video: (vm, synthetic) =>
    synthetic
      ? `${vm}: o vídeo sintético do Hyper-V (synthvid) é o padrão para convidados iluminados`
      : `${vm}: vídeo S3 Trio emulado (VMs de geração 1 sem componentes de integração)`,
  input: (vm, synthetic) =>
    synthetic
      ? `${vm}: entrada sintética pelo VMBus: o mouse fala synthhid (L: hid-hyperv.c), o teclado o seu próprio protocolo (L: hyperv-keyboard.c)`
      : `${vm}: teclado e mouse PS/2 emulados pelo processo de trabalho`,
  ring: (ringKiB, knob) =>
    `anel: ${ringKiB} KiB por sentido, alocado pelo driver do convidado ao abrir o canal${knob === null ? '' : ` (convidados Linux: parâmetro ${knob.parameter} do ${knob.driver})`}; nenhum cmdlet do Hyper-V o define`,
  signalling: (batched) =>
    `sinalização: ${batched ? 'agrupada pela página de monitoração (~100 µs)' : 'imediata, sem passar pela página de monitoração'}; combinada entre a oferta do canal pelo Hyper-V e o driver do convidado, nenhum cmdlet a define`,
  vspInstance: (id, plugin, device) =>
    `${id}: ${plugin} na partição raiz${device !== undefined ? `, controlando ${device}` : ''}`,
  storvspSettings:
    'queueDepth, maxSubchannels, maxProtocolVersion: internos ao VSP de armazenamento do Hyper-V; nenhum cmdlet ou configuração documentada os altera',
  netvspSriov:
    'sriov: o switch precisa ser criado com New-VMSwitch -EnableIov $true; depois Set-VMNetworkAdapter -IovWeight 100 por adaptador (0 desliga)',
  netvspQueues:
    'maxQueues: o controle mais próximo é Set-VMNetworkAdapter -VrssMaxQueuePairs, por adaptador',
  pluginSettings:
    'as configurações pertencem ao plugin desta simulação; o Hyper-V não tem cmdlet para elas',
};

/** The comments' words in `language`. */
export function powerShellNotes(language: Language): PowerShellNotes {
  return language === 'pt-BR' ? PT_BR_NOTES : ENGLISH_NOTES;
}
