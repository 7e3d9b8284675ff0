/**
 * Why something stopped, failed or was refused — a narration line's structured `reason`
 * (core/simulation/narration-reasons.ts) — in Brazilian Portuguese, one entry per core reason id.
 * Typed as {@link ReasonTable}: a core reason id without its Portuguese words does not compile, and
 * levels/ring-rejections-pt-BR.ts (shared with the diagnosis) must say every way a ring end can
 * refuse a packet; a VM state is said as the line table says it.
 */
import type { ReasonArgs, ReasonId, VmAction } from '../../core/index.js';
import { RING_REASON_PT_BR } from '../../levels/ring-rejections-pt-BR.js';
import { HOST_STOP_PT_BR, VSP_FAILURE_PT_BR } from '../../levels/vsp-failures-pt-BR.js';
import { VM_STATE_PT_BR } from './vm-state-pt-BR.js';
import { whole } from './numbers-pt-BR.js';

/** One Portuguese wording per core reason id. */
export type ReasonTable = {
  readonly [I in ReasonId]: (args: ReasonArgs<I>) => string;
};

/** A VMMS action in Portuguese, Hyper-V's (and the core's) name after it in the line. */
const VM_ACTION_PT_BR: Readonly<Record<VmAction, string>> = {
  start: 'iniciar',
  'start-done': 'concluir a inicialização de',
  pause: 'pausar',
  resume: 'retomar',
  save: 'salvar',
  'save-done': 'concluir o salvamento de',
  stop: 'desligar',
  'stop-done': 'concluir o desligamento de',
  'turn-off': 'desligar à força',
};

export const REASON_PT_BR: ReasonTable = {
  /** Why a VSP stopped a channel: the levels' table (the diagnosis says them too). */
  ...VSP_FAILURE_PT_BR,
  /** A ring end's refusal: the levels' table too (the diagnosis says a ring's channel stop). */
  ...RING_REASON_PT_BR,
  'guest.channelRescinded': () => 'o host revogou (rescind) o canal',
  'guest.offerRescinded': () => 'revogado (rescind) pelo host',
  'vm.actionNotAllowed': (a) =>
    `não é possível ${VM_ACTION_PT_BR[a.action]} (${a.action}) uma VM que está ${VM_STATE_PT_BR[a.state]} (${a.state}) (permitido: ${a.allowed || 'nada'})`,
  'vm.noShutdownService': () =>
    'o convidado não tem o serviço de integração de desligamento (sem componentes de integração): só Stop-VM -TurnOff o para',
  'vm.shutdownServiceNotReady': () =>
    'o serviço de integração de desligamento do convidado não está rodando (VMBus não conectado): aguarde, ou use Stop-VM -TurnOff',
  'vm.pausedNoShutdown': () =>
    'um convidado pausado não pode executar o desligamento: Resume-VM antes, ou use Stop-VM -TurnOff',
  'vm.restoreNoMemory': (a) =>
    `memória do host insuficiente para restaurar a VM salva (ela precisa de ${whole(a.neededMiB)} MiB: ${a.detail}); ela continua Salva (Saved)`,
  'vm.turnedOff': () => 'a VM foi desligada à força',
  /** A VSP that could not start: the levels' table too (the diagnosis says it). */
  ...HOST_STOP_PT_BR,
};
