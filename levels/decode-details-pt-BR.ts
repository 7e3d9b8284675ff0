/**
 * Why a decoder refused the guest's bytes (core/protocols/codec/decode-details.ts) in Portuguese,
 * for the diagnosis and the narration a Brazilian player reads when a VSP stops a channel over a
 * malformed message. Typed over every id: a detail added to the core without its translation does
 * not compile. Sizes and counts are written the pt-BR way ("65.536 bytes"); message codes,
 * operations, offsets' bounds and the protocols' structure and field names (`vstor_packet header`,
 * `hdr.size`, MODE DATA LENGTH) are names, left as the headers write them.
 */
import type {
  DecodeCounted,
  DecodedProtocol,
  DecodeDetail,
  DecodeDetailArgs,
  DecodeDetailId,
  DecodeHeader,
  DecodeLimit,
} from '../core/protocols/codec/decode-details.js';
import { formatNumber } from './metric-text.js';

const n = (x: number): string => formatNumber(x, 'pt-BR');

/** The table's type: one Portuguese wording per detail id. */
export type DecodeDetailPtTable = {
  readonly [I in DecodeDetailId]: (a: DecodeDetailArgs<I>) => string;
};

/** "tipo de mensagem NVSP 9 desconhecido": each protocol's message codes. */
const TYPE: Readonly<Record<DecodedProtocol, string>> = {
  'dynamic-memory': 'tipo de mensagem de Memória Dinâmica',
  ic: 'tipo de mensagem de IC',
  nvsp: 'tipo de mensagem NVSP',
  rndis: 'tipo de mensagem RNDIS',
  synthhid: 'tipo de mensagem synthhid',
  synthvid: 'tipo de mensagem synthvid',
  vstor: 'operação vstor',
};

/** The same, for a code the model does not implement ("a mensagem RNDIS 0x8 não é modelada"). */
const NOT_MODELLED: Readonly<
  Record<DecodeDetailArgs<'type.notModelled'>['protocol'], (code: string) => string>
> = {
  ic: (c) => `o tipo de mensagem de IC ${c} não é modelado`,
  nvsp: (c) => `o tipo de mensagem NVSP ${c} não é modelado`,
  rndis: (c) => `a mensagem RNDIS ${c} não é modelada`,
  synthvid: (c) => `${c} não é modelada`,
};

const LIMIT: Readonly<Record<DecodeLimit, string>> = {
  message: 'a mensagem',
  CDB: 'o CDB',
  'sense buffer': 'o buffer de sense',
  'pipe message': 'a mensagem do pipe',
};

const COUNTED: Readonly<Record<DecodeCounted, (count: number) => string>> = {
  versions: (c) => `${n(c)} versões`,
  num_sections: (c) => `num_sections ${n(c)}`,
  'video outputs': (c) => `${n(c)} saídas de vídeo`,
  'dirty rectangles': (c) => `${n(c)} retângulos sujos`,
};

const HEADER: Readonly<Record<DecodeHeader, string>> = {
  header: 'o cabeçalho',
  'synthhid header': 'o cabeçalho synthhid',
};

export const DECODE_DETAIL_PT_BR: DecodeDetailPtTable = {
  text: (a) => `“${a.text}”, nas palavras do plugin`,
  'span.outside': (a) =>
    `a janela [${String(a.offset)}, +${n(a.length)}) não cabe em ${n(a.size)} bytes`,
  truncated: (a) => `${a.what} precisa de ${n(a.need)} bytes, há ${n(a.have)} disponíveis`,
  'type.unknown': (a) => `${TYPE[a.protocol]} ${a.code} desconhecido`,
  'type.notModelled': (a) => NOT_MODELLED[a.protocol](a.code),
  'field.undefined': (a) => `${a.field} ${String(a.value)} não é definido`,
  'field.outside': (a) => `${a.field} ${n(a.value)} fora do intervalo ${n(a.min)}..${n(a.max)}`,
  'field.exceeds': (a) =>
    `${a.field} ${n(a.value)} excede ${LIMIT[a.what]}${a.limit === null ? '' : ` de ${n(a.limit)} bytes`}`,
  'field.belowMessage': (a) =>
    `${a.field} ${n(a.value)} é menor que a mensagem de ${n(a.size)} bytes`,
  'field.belowHeader': (a) => `${a.field} ${n(a.value)} é menor que ${HEADER[a.header]}`,
  'field.below': (a) => `${a.field} ${n(a.value)} é menor que ${n(a.min)}`,
  'field.runsPast': (a) =>
    `${a.field} ${n(a.value)} passa do fim da mensagem (restam ${n(a.left)})`,
  'count.notFit': (a) =>
    `${COUNTED[a.counted](a.count)} não cabem em ${n(a.bytes)} bytes${a.payload ? ' de carga útil' : ''}`,
  'count.notFitMessage': (a) =>
    `${a.field} ${n(a.count)} não cabe numa mensagem de ${n(a.size)} bytes`,
  'pipe.notData': (a) => `o tipo de mensagem do pipe ${String(a.type)} não é ${a.expected}`,

  'dm.pagesBeyond2p53': (a) => `${a.field} excede 2^53 páginas`,
  'dm.hotAddSize': (a) => `o tamanho de hot-add ${n(a.size)} não é 16 nem ≥ 24`,

  'ic.negotiateCounts': (a) =>
    `as contagens da negociação ${n(a.framework)}/${n(a.message)} excedem ${n(a.max)}`,

  'nvsp.tableEntries': (a) =>
    `${n(a.count)} entradas da tabela não cabem depois do deslocamento ${n(a.offset)}`,
  'netvsc.sectionCount': (a) => `${n(a.sections)} seções; o netvsc aceita exatamente 1`,
  'netvsc.sectionOffset': (a) => `o deslocamento da seção, ${n(a.offset)}, não é 0`,
  'netvsc.sectionsOverflow': (a) =>
    `seções de ${n(a.size)} × ${n(a.count)} transbordam ${n(a.bytes)} bytes`,
  'netvsc.sectionIndex': (a) => `seção ${String(a.index)} de ${n(a.count)}`,
  'netvsc.sectionSize': (a) => `${n(a.bytes)} bytes numa seção de ${n(a.sectionSize)} bytes`,

  'synthhid.reportDescriptor': (a) =>
    `o descritor de relatório de ${n(a.bytes)} bytes passa do fim da mensagem`,
  'synthvid.resolutionCount': (a) => `resolution_count ${n(a.count)} (máximo ${n(a.max)}) não cabe`,

  'vstor.unknownOperation': (a) =>
    `operação vstor ${String(a.operation)} desconhecida (máximo ${String(a.max)})`,
  'vstor.notGuestRequest': (a) =>
    `a operação ${String(a.operation)} não é um pedido que o convidado possa enviar a este VSP`,
  'vstor.notFromHost': (a) => `a operação ${String(a.operation)} não é enviada pelo host`,
  'vstor.noSrb': (a) => `a operação ${String(a.operation)} não leva um SRB`,
  'srb.dataIn': (a) => `data_in ${String(a.value)} não é escrita (0), leitura (1) nem nenhum (2)`,
  'storage.completionFromGuest': () => 'o convidado não pode enviar uma conclusão ao storvsp',
  'storage.packetType': (a) =>
    `pedidos de armazenamento são in-band (6) ou GPA-direct (9), não do tipo ${String(a.type)}`,
  'storage.notTransactional': () =>
    'pedido de armazenamento sem VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED',
  'storage.tooManyRanges': (a) => `${n(a.ranges)} intervalos GPA; o storvsp aceita um`,
  'storage.dataRangeTooShort': (a) =>
    `o data_transfer_length de ${n(a.dataTransferLength)} bytes excede os ${n(a.rangeBytes)} bytes de memória do convidado fornecidos`,

  'scsi.modeDataBelowHeader': (a) => `MODE DATA LENGTH ${n(a.length)} é menor que o cabeçalho`,
  'scsi.blockDescriptors': () => 'os descritores de bloco excedem o MODE DATA LENGTH',
  'scsi.modePage': (a) => `a página de modo ${a.page} excede o MODE DATA LENGTH`,
  'scsi.lastLba': () => 'o último LBA passa de 2^53',
  'scsi.lunListLength': (a) => `LUN LIST LENGTH ${n(a.length)} não é múltiplo de 8`,
  'scsi.multiLevelLun': () => 'LUNs de vários níveis não são usados pelo storvsc',
  'scsi.lunAddressing': () => 'só o endereçamento de dispositivo periférico é usado',
  'scsi.senseResponseCode': (a) => `código de resposta de sense ${a.code}`,
};

/**
 * A decoder's detail in Portuguese.
 *
 * @example
 * decodeDetailPtBr({ id: 'truncated', args: { what: 'vstor_packet', need: 64, have: 8 } });
 * // "vstor_packet precisa de 64 bytes, há 8 disponíveis"
 */
export function decodeDetailPtBr(d: DecodeDetail): string {
  const say = DECODE_DETAIL_PT_BR[d.id] as (args: DecodeDetail['args']) => string;
  return say(d.args);
}
