/**
 * Why something stopped, failed or was refused — a narration line's structured `reason`
 * (core/simulation/narration-reasons.ts) — in Brazilian Portuguese, one entry per core reason id.
 * Typed as {@link ReasonTable}: a core reason id without its Portuguese words does not compile, and
 * {@link RING_REJECTION_PT_BR} must say every way a ring end can refuse a packet. Field names of the
 * ring layout (`write_index`, `offset8`…) and VMBus's terms (GPA-direct, transfer-page, PFN) stay
 * as the TLFS and the Linux drivers write them; a VM state is said as the line table says it.
 */
import type { ReasonArgs, ReasonId, RingRejection, VmAction } from '../../core/index.js';
import { VSP_FAILURE_PT_BR } from '../../levels/vsp-failures-pt-BR.js';
import { VM_STATE_PT_BR } from './vm-state-pt-BR.js';

/** One Portuguese wording per core reason id. */
export type ReasonTable = {
  readonly [I in ReasonId]: (args: ReasonArgs<I>) => string;
};

/** rejection.ts's REJECTION_TEXT in Portuguese. */
export const RING_REJECTION_PT_BR: Readonly<Record<RingRejection, string>> = {
  'write-index-out-of-range': 'write_index aponta para fora da área de dados do anel',
  'write-index-misaligned': 'write_index não é múltiplo de 8',
  'read-index-out-of-range': 'read_index aponta para fora da área de dados do anel',
  'read-index-misaligned': 'read_index não é múltiplo de 8',
  'available-less-than-descriptor': 'menos bytes publicados que um descritor de pacote',
  'offset8-below-descriptor': 'offset8 < 2: os dados se sobreporiam ao descritor',
  'len8-below-offset8': 'len8 < offset8: o pacote termina antes de seus dados começarem',
  'packet-exceeds-available': 'o pacote é maior que os dados que o escritor publicou',
  'packet-exceeds-reader-limit': 'o pacote é maior do que este leitor aceita',
  'unknown-type': 'tipo de pacote desconhecido ou não suportado',
  'unknown-flags': 'bits de flag de pacote desconhecidos',
  'gpa-direct-header-truncated': 'pacote GPA-direct curto demais para sua contagem de intervalos',
  'gpa-direct-no-ranges': 'pacote GPA-direct sem intervalos',
  'gpa-range-empty': 'intervalo GPA com contagem de 0 bytes',
  'gpa-range-offset-too-large': 'deslocamento do intervalo GPA além de sua primeira página',
  'gpa-ranges-exceed-header': 'os intervalos GPA não cabem no cabeçalho do pacote (offset8)',
  'gpa-range-pfn-out-of-range':
    'PFN do intervalo GPA além de qualquer endereço físico do convidado',
  'transfer-page-header-truncated':
    'pacote transfer-page curto demais para sua contagem de intervalos',
  'transfer-page-no-ranges': 'pacote transfer-page sem intervalos',
  'transfer-page-ranges-exceed-header':
    'os intervalos transfer-page não cabem no cabeçalho do pacote',
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
  'ring.rejectedByHost': (a) =>
    a.problem === null ? 'pacote malformado' : RING_REJECTION_PT_BR[a.problem],
  'ring.rejected': (a) =>
    `anel ${a.ring}: ${
      a.problem === null
        ? a.writing
          ? 'pacote grande demais'
          : 'pacote malformado'
        : RING_REJECTION_PT_BR[a.problem]
    }`,
  'guest.channelRescinded': () => 'o host revogou (rescind) o canal',
  'guest.offerRescinded': () => 'revogado (rescind) pelo host',
  'vm.actionNotAllowed': (a) =>
    `não é possível ${VM_ACTION_PT_BR[a.action]} (${a.action}) uma VM que está ${VM_STATE_PT_BR[a.state]} (${a.state}) (permitido: ${a.allowed || 'nada'})`,
  'vsp.notStarted': (a) => `o VSP não pôde iniciar: ${a.reason}`,
};
