/**
 * A ring end's refusal (rules 36–38: the reader of a VMBus ring refusing what the other side put
 * in shared memory) in Brazilian Portuguese: the narration's `ring.*` reasons and a channel stop
 * the diagnosis explains, one wording for both (the game's reason table spreads this one). Field
 * names of the ring layout (`write_index`, `offset8`…) and VMBus's terms (GPA-direct,
 * transfer-page, PFN) stay as the TLFS and the Linux drivers write them.
 */
import type { ReasonArgs, RingRejection } from '../core/index.js';

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

/** The ring reasons' ids (core/simulation/narration-reasons.ts). */
type RingReasonId = 'ring.rejectedByHost' | 'ring.rejected';

/** The `ring.*` reasons in Portuguese. */
export const RING_REASON_PT_BR: {
  readonly [I in RingReasonId]: (a: ReasonArgs<I>) => string;
} = {
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
};
