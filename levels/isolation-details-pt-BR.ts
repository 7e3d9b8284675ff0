/**
 * The details of refused guest-memory accesses (core/memory/isolation-details.ts) in Portuguese,
 * for the diagnosis a Brazilian player reads. Typed over every id: a detail added to the core
 * without its translation does not compile. Sizes and counts are written the pt-BR way
 * ("65.536 bytes"); handles, partition, channel, page and range numbers are names, left as they are.
 */
import type {
  AccessVerb,
  IsolationDetail,
  IsolationDetailId,
  ISOLATION_DETAIL_TEXT,
  MemoryRefusal,
} from '../core/memory/isolation-details.js';
import type { TableArgs } from '../core/simulation/message-table.js';
import { formatNumber } from './metric-text.js';

const n = (x: number): string => formatNumber(x, 'pt-BR');
const VERB: Readonly<Record<AccessVerb, string>> = { read: 'leitura', write: 'escrita' };

type PtTable = {
  readonly [I in IsolationDetailId]: (a: TableArgs<typeof ISOLATION_DETAIL_TEXT, I>) => string;
};

export const ISOLATION_DETAIL_PT_BR: PtTable = {
  'gpadl.tornDown': (a) => `${VERB[a.verb]} na GPADL ${String(a.handle)} já desfeita`,
  'gpadl.outside': (a) =>
    `${VERB[a.verb]} de ${n(a.length)} bytes no deslocamento ${n(a.offset)} da GPADL ${String(a.handle)}, que tem ${n(a.size)} bytes`,
  'hostBuffer.tooShort': (a) =>
    `${VERB[a.verb]} de ${n(a.length)} bytes não cabe no buffer do host (${n(a.hostLength)} bytes a partir de ${n(a.hostOffset)})`,
  'grant.expired': (a) => `${VERB[a.verb]} depois de o pacote ter sido concluído`,
  'grant.outside': (a) =>
    `${VERB[a.verb]} de ${n(a.length)} bytes no deslocamento ${n(a.offset)} de um pacote que concede ${n(a.granted)} bytes`,
  'grant.transferTooLong': (a) =>
    `uma transferência de ${n(a.bytes)} bytes por intervalos que concedem ${n(a.granted)}`,
  'gpadl.unknown': (a) => `nenhuma GPADL viva com o identificador ${String(a.handle)}`,
  'gpadl.unknownGuestId': (a) =>
    `nenhuma GPADL viva com o id ${String(a.guestId)} dado pelo convidado`,
  'gpadl.otherPartition': (a) =>
    `a GPADL ${String(a.handle)} pertence à partição ${String(a.partition)}`,
  'gpadl.otherChannel': (a) => `a GPADL ${String(a.handle)} pertence ao canal ${String(a.channel)}`,
  'gpadl.pagesOutsideGuest': (a) =>
    `a lista de páginas da GPADL nomeia as páginas ${String(a.start)}+${n(a.count)}, fora da memória do convidado`,
  'partition.noMemory': (a) => `a partição ${String(a.partition)} não tem memória`,
  'ranges.none': () => 'pacote GPA-direct sem intervalos',
  'range.byteCount': (a) => `intervalo ${String(a.range)}: contagem de bytes ${n(a.byteCount)}`,
  'range.byteOffset': (a) =>
    `intervalo ${String(a.range)}: deslocamento ${n(a.byteOffset)} (deve ser de 0 a ${n(4095)})`,
  'range.tooFewPages': (a) =>
    `intervalo ${String(a.range)}: ${n(a.pages)} páginas para ${n(a.needed)} necessárias`,
  'range.pageOutsideGuest': (a) =>
    `intervalo ${String(a.range)}: a página ${String(a.page)} não é memória deste convidado`,
};

/** A detail in Portuguese. */
export function isolationDetailPtBr(d: IsolationDetail): string {
  const format = ISOLATION_DETAIL_PT_BR[d.id] as (args: IsolationDetail['args']) => string;
  return format(d.args);
}

/**
 * Guest memory's refusal of a transfer through a packet's page ranges, in Portuguese.
 *
 * @example
 * memoryRefusalPtBr({ detail: { id: 'ranges.none', args: {} }, invalidRanges: true });
 * // "os intervalos de páginas do convidado são inválidos: pacote GPA-direct sem intervalos"
 */
export function memoryRefusalPtBr(r: MemoryRefusal): string {
  const said = isolationDetailPtBr(r.detail);
  return r.invalidRanges ? `os intervalos de páginas do convidado são inválidos: ${said}` : said;
}
