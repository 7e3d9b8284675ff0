/**
 * Why a VSP stopped a channel (core/vsp/failure-reasons.ts) in Portuguese, for the diagnosis and
 * the narration a Brazilian player reads. Typed over every id: a failure id added to the core
 * without its translation does not compile. Sizes and counts are written the pt-BR way
 * ("65.536 bytes"); trans_ids, packet types, page numbers and addresses are names, left as they
 * are, as are the protocols' message and field names (SEND_RNDIS_PKT, data_transfer_length) and a
 * decoder's rejection code (`data-range-too-short`). A decoder's sentence is said in Portuguese
 * when the VSP passed its id on (`said`, levels/decode-details-pt-BR.ts); what a plugin said in its
 * own words (`thrown`, a `detail` without its id) is shown as it is.
 */
import type { ReasonArgs } from '../core/index.js';
import type {
  SandboxPayload,
  VspFailureArgs,
  VspFailureId,
  VspFailureReason,
  VspProtocolName,
} from '../core/vsp/failure-reasons.js';
import { decodeDetailPtBr } from './decode-details-pt-BR.js';
import { memoryRefusalPtBr } from './isolation-details-pt-BR.js';
import { formatNumber } from './metric-text.js';
import { RING_REASON_PT_BR, RING_REJECTION_PT_BR } from './ring-rejections-pt-BR.js';

const n = (x: number): string => formatNumber(x, 'pt-BR');

/** The table's type: one Portuguese wording per failure id. */
export type VspFailurePtTable = {
  readonly [I in VspFailureId]: (a: VspFailureArgs<I>) => string;
};

const PROTOCOL: Readonly<Record<VspProtocolName | 'heartbeat', string>> = {
  synthvid: 'synthvid',
  synthhid: 'synthhid',
  'dynamic-memory': 'de Memória Dinâmica',
  ic: 'de IC',
  nvsp: 'NVSP',
  heartbeat: 'de heartbeat',
};

const KIND: Readonly<Record<'inband' | 'gpa-direct' | 'completion', string>> = {
  inband: 'in-band',
  'gpa-direct': 'GPA-direct',
  completion: 'de conclusão',
};

const SEND_PACKET: Readonly<Record<VspFailureArgs<'plugin.sendTooLarge'>['packet'], string>> = {
  completion: 'uma conclusão',
  message: 'uma mensagem',
  'transfer-page packet': 'um pacote transfer-page',
};

/** A decoder's sentence: in Portuguese when the VSP passed its id on, else its English as written. */
const decoderSaid = (a: VspFailureArgs<'storvsp.malformedRequest'>): string =>
  a.said === undefined ? a.detail : decodeDetailPtBr(a.said);

/** What a sandboxed plugin passed ("uma leitura de GPADL"). */
const PAYLOAD: Readonly<Record<SandboxPayload, string>> = {
  'a GPADL read': 'uma leitura de GPADL',
  'a GPADL write': 'uma escrita em GPADL',
  'a completion payload': 'uma carga útil de conclusão',
  'a send payload': 'uma carga útil de envio',
  'a transfer-page payload': 'uma carga útil transfer-page',
  'writeRanges data': 'dados de writeRanges',
};

const r37 = (s: string): string => `regra 37: ${s}`;
const range = (s: string): string => r37(`intervalo de páginas malformado: ${s}`);

export const VSP_FAILURE_PT_BR: VspFailurePtTable = {
  'message.malformed': (a) =>
    `mensagem ${PROTOCOL[a.protocol]} malformada (${a.problem}: ${decoderSaid(a)})`,
  'message.fromHost': (a) =>
    `${a.message} é uma mensagem ${PROTOCOL[a.protocol]} do host; o convidado não pode enviá-la`,
  'message.beforeVersion': (a) => `${a.message} antes de uma versão de protocolo ser acordada`,
  'packet.notInband': (a) =>
    `mensagens ${PROTOCOL[a.protocol]} trafegam só in-band, chegou um pacote ${KIND[a.kind]}`,

  'storvsp.completionFromGuest': () =>
    r37('unexpected-packet-type: o convidado não pode enviar uma conclusão ao storvsp'),
  'storvsp.packetType': (a) =>
    r37(
      `unexpected-packet-type: pedidos de armazenamento são in-band (6) ou GPA-direct (9), não do tipo ${String(a.type)}`,
    ),
  'storvsp.notTransactional': () =>
    r37(
      'not-transactional: pedido de armazenamento sem VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED',
    ),
  'storvsp.transId': (a) =>
    r37(`o trans_id ${String(a.transId)} não pode ser devolvido numa conclusão`),
  'storvsp.noRanges': () => r37('pacote GPA-direct sem intervalos'),
  'storvsp.malformedRequest': (a) => r37(`${a.problem}: ${decoderSaid(a)}`),
  'storvsp.malformedSrb': (a) => r37(`EXECUTE_SRB malformado: ${a.problem}: ${decoderSaid(a)}`),
  'storvsp.rangeByteCount': (a) => range(`contagem de bytes ${n(a.byteCount)}`),
  'storvsp.rangeByteOffset': (a) => range(`deslocamento ${n(a.byteOffset)}`),
  'storvsp.rangeTooFewPages': (a) => range(`${n(a.pages)} páginas para ${n(a.bytes)} bytes`),
  'storvsp.rangePageNumber': (a) => range(`número de página ${String(a.pfn)}`),
  'storvsp.tooManyRanges': (a) =>
    r37(`count-out-of-range: ${n(a.ranges)} intervalos GPA; o storvsp aceita um`),
  'storvsp.dataRangeTooShort': (a) =>
    r37(
      `data-range-too-short: o data_transfer_length de ${n(a.dataTransferLength)} bytes excede os ${n(a.rangeBytes)} bytes de memória do convidado fornecidos`,
    ),

  'netvsp.subchannelWithoutPrimary': () => 'um subcanal vRSS aberto sem seu canal primário',
  'netvsp.unservedChannel': () => 'um pacote num canal que o netvsp não atende',
  'netvsp.transIdTooLarge': () => 'um trans_id além de 2^53',
  'netvsp.gpaDirect': (a) => `um pacote GPA-direct levando a mensagem NVSP ${a.message}`,
  'netvsp.ndisConfigBeforeV2': () => 'SEND_NDIS_CONFIG antes de o NVSP 2 ser acordado',
  'netvsp.ndisVersionBeforeInit': () => 'SEND_NDIS_VERSION antes do NVSP INIT',
  'netvsp.onSubchannel': (a) => `${a.message} num subcanal`,
  'netvsp.notTransactional': (a) => `${a.message} sem pedir uma conclusão (não transacional)`,
  'netvsp.initTwice': () => 'NVSP INIT depois de uma versão ter sido acordada',
  'netvsp.subchannelBeforeV5': () => 'NVSP SUBCHANNEL antes de o NVSP 5 ser acordado',
  'netvsp.noSendBuffer': () =>
    'SEND_RNDIS_PKT aponta uma seção de envio antes de o buffer de envio existir',
  'netvsp.badSendSection': (a) => `SEND_RNDIS_PKT: ${a.problem}: ${decoderSaid(a)}`,
  'netvsp.noSectionNoRanges': () => 'SEND_RNDIS_PKT sem seção de envio e sem intervalos de páginas',
  'netvsp.rangesRefused': (a) =>
    `intervalos de páginas do SEND_RNDIS_PKT recusados: ${a.said === undefined ? a.detail : memoryRefusalPtBr(a.said)}`,
  'netvsp.notSendComplete': () => 'uma conclusão que não é SEND_RNDIS_PKT_COMPLETE',
  'netvsp.unknownLend': (a) =>
    `uma conclusão de páginas de transferência que o host nunca emprestou (trans_id ${String(a.transId)})`,

  'synthvid.resolutionNeedsWin10': () => 'RESOLUTION_REQUEST exige o synthvid 3.5 (WIN10)',
  'synthvid.vramMisaligned': (a) => `VRAM em ${a.gpa} não está alinhada a página`,
  'synthvid.situationBeforeVram': () => 'SITUATION_UPDATE antes de VRAM_LOCATION',
  'synthvid.outputCount': (a) =>
    `SITUATION_UPDATE com ${n(a.outputs)} saídas de vídeo (o host oferece 1)`,
  'synthvid.depth': (a) => `uma profundidade de ${n(a.bits)} bits por pixel`,
  'synthvid.mode': (a) => `um modo de ${String(a.width)}×${String(a.height)}`,
  'synthvid.pitch': (a) => `um pitch de ${n(a.pitch)} bytes para ${n(a.width)} pixels`,
  'synthvid.pastVram': () => 'um modo que passa do fim da VRAM',
  'synthvid.dirtBeforeMode': () => 'SYNTHVID_DIRT antes de um modo ser definido',

  'synthhid.secondProtocolRequest': () =>
    'um segundo SYNTH_HID_PROTOCOL_REQUEST num canal já inicializado',
  'synthhid.ackWithoutInfo': () =>
    'SYNTH_HID_INITIAL_DEVICE_INFO_ACK sem informações de dispositivo a confirmar',

  'dynmem.tooManyPages': (a) =>
    `o convidado devolveu ${n(a.pages)} páginas para um balão de ${n(a.requested)}`,
  'dynmem.rangeTwiceOrEmpty': (a) =>
    `o convidado devolveu o intervalo de páginas ${String(a.start)}+${n(a.count)} duas vezes ou vazio`,
  'dynmem.unexpected': (a) => `mensagem de Memória Dinâmica inesperada do convidado: ${a.message}`,

  'heartbeat.notResponse': () =>
    'o convidado enviou uma mensagem de IC que não é uma resposta de transação',

  'plugin.threw': (a) =>
    `${a.handler} lançou ${a.thrown.startsWith('threw ') ? a.thrown.slice('threw '.length) : a.thrown}${a.where === null ? '' : ` (${a.where})`}`,
  'plugin.outsideHandler': (a) =>
    `um método do canal foi chamado fora de um handler${a.where === null ? '' : ` (${a.where})`}`,
  'plugin.sendTooLarge': (a) =>
    `enviou ${SEND_PACKET[a.packet]} de ${n(a.bytes)} bytes: mais do que cabe no anel de ${n(a.ringBytes)} bytes do convidado`,
  'sandbox.cpuBudget': (a) =>
    `excedeu seu orçamento de CPU de ${n(a.ticks)} ticks (chamadas e desvios) em ${a.call}${a.at}`,
  'sandbox.memoryLimit': (a) => `excedeu seu limite de memória de ${n(a.mib)} MiB em ${a.call}`,
  'sandbox.payloadTooLarge': (a) =>
    `passou ${PAYLOAD[a.what]} de ${n(a.bytes)} bytes; a sandbox permite no máximo ${n(a.max)}`,
  'sandbox.broken': (a) => `violou sua sandbox em ${a.call} (${a.why}); o plugin foi parado`,
  'plugin.badReason': (a) => `channel.fail recebeu um motivo estruturado inválido (${a.problem})`,
};

/**
 * A failure reason in Portuguese.
 *
 * @example
 * vspFailurePtBr({ id: 'storvsp.noRanges', args: {} }); // "regra 37: pacote GPA-direct sem intervalos"
 */
export function vspFailurePtBr(reason: VspFailureReason): string {
  const say = VSP_FAILURE_PT_BR[reason.id] as (args: VspFailureReason['args']) => string;
  return say(reason.args);
}

/**
 * The host's own reason for stopping a channel that is no VSP's failure id: the VSP's `create`
 * threw (`vsp.notStarted`, core/simulation/narration-reasons.ts). The game's reason table spreads
 * it, the diagnosis says it.
 */
export const HOST_STOP_PT_BR: {
  readonly 'vsp.notStarted': (a: ReasonArgs<'vsp.notStarted'>) => string;
} = {
  'vsp.notStarted': (a) =>
    `o VSP não pôde iniciar: ${a.said === undefined ? a.reason : vspFailurePtBr(a.said)}`,
};

/** A ring reader's refusal, if `m` is one whose problem the table knows. */
function ringStopPtBr(m: { readonly id: string; readonly args?: unknown }): string | null {
  if (m.id !== 'ring.rejectedByHost' && m.id !== 'ring.rejected') return null;
  const problem = (m.args as { readonly problem?: unknown } | undefined)?.problem;
  if (
    problem !== null &&
    !(
      typeof problem === 'string' &&
      Object.prototype.hasOwnProperty.call(RING_REJECTION_PT_BR, problem)
    )
  )
    return null;
  const say = RING_REASON_PT_BR[m.id] as (args: unknown) => string;
  return say(m.args);
}

/**
 * Why a VSP stopped a channel (a report's channel fault), in Portuguese: a reason with an id from
 * {@link VSP_FAILURE_PT_BR}, a ring reader's refusal (levels/ring-rejections-pt-BR.ts) or a VSP
 * that could not start ({@link HOST_STOP_PT_BR}); a plugin's free text quoted as its own words;
 * the English as written for a reason none of these says, or a report made before faults had
 * messages.
 *
 * @example
 * channelStopPtBr({ reason: 'no thanks', message: null }); // "“no thanks”, nas palavras do plugin"
 */
export function channelStopPtBr(f: {
  readonly reason: string;
  readonly message?: { readonly id: string; readonly args?: unknown } | null;
}): string {
  const m = f.message;
  if (m === null) return `“${f.reason}”, nas palavras do plugin`;
  if (m === undefined) return f.reason;
  if (Object.prototype.hasOwnProperty.call(VSP_FAILURE_PT_BR, m.id))
    return vspFailurePtBr(m as VspFailureReason);
  if (m.id === 'vsp.notStarted') {
    const args = m.args as ReasonArgs<'vsp.notStarted'> | undefined;
    if (typeof args?.reason === 'string') return HOST_STOP_PT_BR['vsp.notStarted'](args);
  }
  return ringStopPtBr(m) ?? f.reason;
}
