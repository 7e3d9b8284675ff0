/**
 * Why an objective failed, in plain words and in both languages: which VM, which measure against
 * which target, the dominant cause found in the metrics, and which control would address it —
 * e.g. "db01: p99 latency 48 ms — needed ≤ 10 ms: its storage ring held 62% of its capacity on
 * average and the root VPs were 98% busy. Try: more root VPs."
 */
import type { Configuration, DiskSpec, SimReport, VmReport } from '../core/index.js';
import { entriesOf, valuesOf } from '../core/index.js';
import { DM_STATUS_REPORT_INTERVAL_NS } from '../core/protocols/dynamic-memory/constants.js';
import type { IsolationDetail } from '../core/memory/isolation-details.js';
import { isolationDetailPtBr } from './isolation-details-pt-BR.js';
import { channelStopPtBr } from './vsp-failures-pt-BR.js';
import { formatNumber, formatPercent, objectiveOutcome } from './metric-text.js';
import type { Level, Objective } from './schema/level.js';

export interface Diagnosis {
  readonly en: string;
  readonly 'pt-BR': string;
  /** The control the diagnosis points at (the game highlights it). */
  readonly control: string;
  /** Short id of the cause found. */
  readonly cause: string;
}

interface Cause {
  readonly id: string;
  readonly weight: number;
  readonly en: string;
  readonly pt: string;
  readonly control: string;
  readonly tryEn: string;
  readonly tryPt: string;
}

interface Input {
  readonly objective: Objective;
  readonly value: number;
  readonly vm?: string;
  readonly report: SimReport;
  readonly config: Configuration;
  readonly level: Level;
}

/**
 * The diagnosis's own numbers (what it measured) as each language writes them: "53.9%",
 * "37,237" / "53,9%", "37.237". What it quotes from the model — a VM's start failure, a plugin's
 * fault reason, an isolation fault's detail, names, versions and GUIDs — it quotes as written.
 */
const en = (x: number): string => formatNumber(x, 'en');
const pt = (x: number): string => formatNumber(x, 'pt-BR');
const enPercent = (x: number): string => formatPercent(x, 'en');
const ptPercent = (x: number): string => formatPercent(x, 'pt-BR');

export function diagnose(input: Input): Diagnosis {
  const { objective, value, report } = input;
  const subject = input.vm ?? 'host';
  const outcome = { metric: objective.metric, value, op: objective.op, target: objective.value };
  const head = {
    // "bigdb: time its ring was full 92.4%", as the Portuguese writes it — without the colon
    // the VM's name ran into the measure's ("bigdb time its ring was full", "host root partition CPU").
    en: `${subject}: ${objectiveOutcome(outcome, 'en')}`,
    pt: `${subject}: ${objectiveOutcome(outcome, 'pt-BR')}`,
  };
  const causes =
    input.vm === undefined ? hostCauses(input) : vmCauses(input, input.vm, report.vms[input.vm]);
  const best = causes.sort((a, b) => b.weight - a.weight).at(0);
  if (best === undefined) {
    return {
      en: `${head.en}. No single cause stands out in the metrics; compare the VM's CPU wait, ring occupancy and its disk's load.`,
      'pt-BR': `${head.pt}. Nenhuma causa única se destaca nas métricas; compare a espera por CPU da VM, a ocupação do anel e a carga do disco.`,
      control: 'none',
      cause: 'unclear',
    };
  }
  return {
    en: `${head.en}: ${best.en}. Try: ${best.tryEn}.`,
    'pt-BR': `${head.pt}: ${best.pt}. Tente: ${best.tryPt}.`,
    control: best.control,
    cause: best.id,
  };
}

/** Device classes in Portuguese. */
const CLASS_PT: Record<string, string> = {
  storage: 'armazenamento',
  network: 'rede',
  video: 'vídeo',
  input: 'entrada',
};

/**
 * Packets of another device class's protocol that reached a VSP (rules 11, 37): name the channel
 * and the VSP. A channel only ever joins a VSC to a VSP of its own class (rule 11: the
 * configuration refuses any other), so the guest wrote them on purpose or by a bug; the VSP
 * rejected them and stopped the channel (rule 38).
 */
function misroutedCause(input: Input, vm: string, r: VmReport): Cause | null {
  if (r.misrouted <= 0) return null;
  const devices = input.level.scenario.vms.find((v) => v.name === vm)?.devices ?? [];
  // The channel that stopped first: the guest's first rejected packet went there.
  const route =
    input.report.faults.plugins
      .filter((f) => f.vm === vm)
      .map((f) => input.config.channels.find((c) => c.vm === vm && c.device === f.device))
      .find((c) => c !== undefined) ?? input.config.channels.find((c) => c.vm === vm);
  const cls = devices.find((d) => d.id === route?.device)?.class ?? 'storage';
  const dev = route?.device ?? 'a device';
  const vsp = route?.vsp ?? 'a VSP';
  return {
    id: 'misrouted',
    weight: 95,
    en: `its guest wrote ${en(r.misrouted)} packet(s) of another device class's protocol into its ${dev} channel; ${vsp}, a ${cls} VSP, cannot understand them, so it rejected them and stopped the channel (a VSC only binds to a VSP of its own class, so only a buggy or hostile guest sends these)`,
    pt: `seu convidado escreveu ${pt(r.misrouted)} pacote(s) do protocolo de outra classe de dispositivo no canal ${dev}; ${vsp}, um VSP de ${CLASS_PT[cls]}, não os entende, então os rejeitou e encerrou o canal (um VSC só se liga a um VSP da sua própria classe, então só um convidado com defeito ou hostil envia esses pacotes)`,
    control: 'vspInstances',
    tryEn: `find what ${vm}'s guest writes into ${dev}, and keep a misbehaving guest away from the others`,
    tryPt: `descobrir o que o convidado de ${vm} escreve em ${dev}, e isolar um convidado problemático dos demais`,
  };
}

/**
 * What to try for a VM that pages (rules 33–34). Dynamic Memory is offered only where it can act
 * within the run: the guest needs integration components (hv_balloon), the host a dynamic-memory
 * VSP (hyperkata.dynmem), and the run must outlast the balancer's first round, one second in —
 * the guest posts its first pressure report a second after it boots, and nothing is hot-added
 * before. A level that rules it out (level 12 runs 400 ms) gets static sizing, with the
 * working set to size against.
 */
function memoryRemedy(input: Input, vm: string, r: VmReport): Pick<Cause, 'tryEn' | 'tryPt'> {
  const { config, level } = input;
  const vmConfig: Configuration['vms'][string] | undefined = Object.hasOwn(config.vms, vm)
    ? config.vms[vm]
    : undefined;
  const demand = Math.ceil(r.memory.demandMiB);
  const durationMs = level.scenario.durationMs;
  const firstRoundMs = DM_STATUS_REPORT_INTERVAL_NS / 1_000_000;
  const hasDmVsp = config.vsps.some((v) => v.plugin === DYNMEM_PLUGIN);
  const icsPossible =
    vmConfig?.integrationComponents === true || level.controls.integrationComponents;
  const why: { en: string; pt: string } | null =
    durationMs <= firstRoundMs
      ? {
          en: `Dynamic Memory cannot help within this run: its first balancing round comes ${en(firstRoundMs)} ms in, after the run's ${en(durationMs)} ms`,
          pt: `a Memória Dinâmica não age a tempo nesta execução: sua primeira rodada de balanceamento vem aos ${pt(firstRoundMs)} ms, depois dos ${pt(durationMs)} ms da execução`,
        }
      : !hasDmVsp && !level.controls.vspInstances
        ? {
            en: 'this host has no Dynamic Memory VSP',
            pt: 'este host não tem VSP de Memória Dinâmica',
          }
        : !icsPossible
          ? {
              en: `${vm} has no integration components, so no balloon driver`,
              pt: `${vm} não tem componentes de integração, então não tem driver de balão`,
            }
          : null;
  if (why !== null) {
    return {
      tryEn: `give ${vm} more static memory, at least its working set of ${en(demand)} MiB (${why.en})`,
      tryPt: `dar mais memória estática a ${vm}, ao menos seu conjunto de trabalho de ${pt(demand)} MiB (${why.pt})`,
    };
  }
  if (vmConfig?.memory.dynamic === true) {
    const { startupMiB, maximumMiB } = vmConfig.memory;
    // Pressure under 100% at the end yet the VM paged: it ran short at an earlier peak. Until
    // the first balancing round the VM has only its startup memory, and even after it the
    // balancer adds memory a round at a time; a maximum already above the working set is not
    // what held it back (rule 33).
    if (r.memoryPressure <= 100 && maximumMiB >= demand) {
      return {
        tryEn: `raise ${vm}'s startup memory (now ${en(startupMiB)} MiB; it has only that until the first balancing round, ${en(firstRoundMs)} ms in), its buffer or its priority — its maximum, ${en(maximumMiB)} MiB, is not what held it back`,
        tryPt: `aumentar a memória inicial de ${vm} (hoje ${pt(startupMiB)} MiB; ela só tem isso até a primeira rodada de balanceamento, aos ${pt(firstRoundMs)} ms), o buffer ou a prioridade — o máximo, ${pt(maximumMiB)} MiB, não é o que a limitou`,
      };
    }
    return {
      tryEn: `raise ${vm}'s Dynamic Memory maximum (its working set is ${en(demand)} MiB), buffer or priority`,
      tryPt: `aumentar o máximo da Memória Dinâmica de ${vm} (seu conjunto de trabalho é ${pt(demand)} MiB), o buffer ou a prioridade`,
    };
  }
  const needsVsp = hasDmVsp
    ? { en: '', pt: '' }
    : { en: ' and a hyperkata.dynmem VSP', pt: ' e um VSP hyperkata.dynmem' };
  return {
    tryEn: `give ${vm} more memory (its working set is ${en(demand)} MiB), or Dynamic Memory with a maximum above it${needsVsp.en}`,
    tryPt: `dar mais memória a ${vm} (seu conjunto de trabalho é ${pt(demand)} MiB), ou Memória Dinâmica com máximo acima dele${needsVsp.pt}`,
  };
}

/** "a", "a and b", "a, b and c" — `and` is the language's word ("e" in Portuguese). */
function listOf(items: readonly string[], and: string): string {
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1] ?? ''}`;
}

/** The built-in dynamic-memory VSP (plugins/dynmem). */
const DYNMEM_PLUGIN = 'hyperkata.dynmem';

/**
 * A device whose guest driver gave up with no VSP to blame (a VSP's own fault is
 * `channel-failed`): the VSP answered correctly but not as this guest needs — storvsp limited to
 * protocol versions storvsc no longer speaks (rule 16: "Obsolete Hyper-V version"), say. The
 * driver's words are quoted as written.
 */
function deviceFailedCause(input: Input, vm: string, r: VmReport): Cause | null {
  const blamed = new Set(
    input.report.faults.plugins.filter((f) => f.vm === vm).map((f) => f.device),
  );
  const [device, reason] = entriesOf(r.deviceFailures).find(([d]) => !blamed.has(d)) ?? [];
  if (device === undefined || reason === undefined) return null;
  const vsp = input.config.channels.find((c) => c.vm === vm && c.device === device)?.vsp;
  const by = vsp === undefined ? '' : ` to ${vsp}`;
  const porPt = vsp === undefined ? '' : ` com ${vsp}`;
  const settings = input.level.controls.vspSettings;
  return {
    id: 'device-failed',
    weight: 88,
    en: `its ${device} driver gave up on the channel${by}: "${reason}", so its I/O on ${device} is lost`,
    pt: `o driver de ${device} desistiu do canal${porPt}: "${reason}", então sua E/S em ${device} se perde`,
    control: settings ? 'vspSettings' : 'vspInstances',
    tryEn: settings
      ? `check ${vsp ?? 'the VSP'}'s settings: they must leave something ${vm}'s driver accepts, such as a protocol version it speaks`
      : `serve ${device} with a VSP that speaks what ${vm}'s driver proposes`,
    tryPt: settings
      ? `verificar as configurações de ${vsp ?? 'o VSP'}: elas precisam deixar algo que o driver de ${vm} aceite, como uma versão de protocolo que ele fale`
      : `servir ${device} com um VSP que fale o que o driver de ${vm} propõe`,
  };
}

/**
 * The VSP instances serving `vm` that run a plugin rather than a built-in (the reserved
 * `hyperkata.` namespace), in routing order: where a plugin author's bug would be.
 */
function pluginInstancesServing(config: Configuration, vm: string): string[] {
  const routed = new Set(config.channels.filter((c) => c.vm === vm).map((c) => c.vsp));
  return [...routed].filter(
    (id) => config.vsps.find((v) => v.id === id)?.plugin.startsWith('hyperkata.') === false,
  );
}

function vmCauses(input: Input, vm: string, r: VmReport | undefined): Cause[] {
  const { report, config } = input;
  const causes: Cause[] = [];
  if (r === undefined) return causes;
  if (r.failure !== '') {
    causes.push({
      id: 'vm-failed',
      weight: 100,
      en: `the VM did not start (${r.failure})`,
      pt: `a VM não iniciou (${r.failure})`,
      control: 'memory',
      tryEn: 'give it memory the host can provide',
      tryPt: 'dar a ela memória que o host consiga fornecer',
    });
  }
  const paths = entriesOf(r.path);
  const none = paths.filter(([, p]) => p === 'none').map(([d]) => d);
  if (none.length > 0 && (r.dropped > 0 || r.completed === 0)) {
    causes.push({
      id: 'not-connected',
      weight: 90,
      en: `${none.join(', ')} is connected to nothing, so its I/O is lost (${en(r.dropped)} operations dropped)`,
      pt: `${none.join(', ')} não está ligado a nada, então sua E/S se perde (${pt(r.dropped)} operações perdidas)`,
      control: 'routing',
      tryEn: `draw a channel from ${vm}'s ${none[0] ?? ''} VSC to a VSP of the same class`,
      tryPt: `ligar o VSC ${none[0] ?? ''} de ${vm} a um VSP da mesma classe`,
    });
  }
  if (r.completed === 0 && r.failure === '' && none.length === 0) {
    causes.push({
      id: 'nothing-completed',
      weight: 80,
      en: 'none of its operations completed: its I/O went out and nothing came back',
      pt: 'nenhuma de suas operações foi concluída: a E/S saiu e nada voltou',
      control: 'vspInstances',
      tryEn:
        'check the VSP that serves it: it must complete every request it takes (a plugin that never answers stalls the guest)',
      tryPt:
        'verificar o VSP que a atende: ele precisa concluir cada requisição que recebe (um plugin que nunca responde trava o convidado)',
    });
  }
  const gaveUp = deviceFailedCause(input, vm, r);
  if (gaveUp !== null) causes.push(gaveUp);
  const misrouted = misroutedCause(input, vm, r);
  if (misrouted !== null) causes.push(misrouted);
  if (r.strayCompletions > 0) {
    // Rule 3: a completion echoes the trans_id of the request it answers. Stock guests never
    // send a request twice, so extra completions come from a VSP of the VM's. The built-ins (the
    // reserved hyperkata. namespace) complete each request once — their tests and the SDK's
    // contract suite hold them to it — so when a plugin's instance serves the VM too, it is
    // the one to look at: a plugin author is not sent to debug storvsp for their netvsp's bug.
    const routed = [...new Set(config.channels.filter((c) => c.vm === vm).map((c) => c.vsp))];
    const suspects = pluginInstancesServing(config, vm);
    const who = (suspects.length > 0 ? suspects : routed).join(', ') || 'its VSP';
    const one = r.strayCompletions === 1;
    causes.push({
      id: 'stray-completions',
      weight: 70,
      en: `${who} sent ${en(r.strayCompletions)} ${one ? 'completion' : 'completions'} whose trans_id named no request in flight — a request completed twice, or one it never received — and the guest dropped ${one ? 'it' : 'them'} (the guest’s driver logs it: storvsc “Incorrect transaction ID”, netvsc “Invalid transaction ID”)`,
      pt: `${who} enviou ${pt(r.strayCompletions)} ${one ? 'conclusão' : 'conclusões'} cujo trans_id não era de nenhum pedido em andamento — um pedido concluído duas vezes, ou um que nunca recebeu — e o convidado ${one ? 'a' : 'as'} descartou (o driver do convidado registra, em inglês: storvsc “Incorrect transaction ID”, netvsc “Invalid transaction ID”)`,
      control: 'vspInstances',
      tryEn: `make ${who} complete each request exactly once, echoing its trans_id (the SDK's contract harness checks this)`,
      tryPt: `fazer ${who} concluir cada pedido exatamente uma vez, ecoando seu trans_id (o harness de contrato do SDK verifica isso)`,
    });
  }
  const faults = report.faults.plugins.filter((f) => f.vm === vm);
  if (faults.length > 0) {
    const f = faults.at(0);
    // A VSP stopped the channel blaming the guest. The model's guests run stock integration
    // components that speak the protocol correctly; only a hostile one breaks it. So, from a
    // guest that is not hostile, the VSP's own checks were wrong.
    const hostile = input.level.scenario.vms.find((v) => v.name === vm)?.hostile !== undefined;
    const wrongBlame = f !== undefined && f.kind === 'guest-protocol-violation' && !hostile;
    if (f !== undefined)
      causes.push({
        id: 'channel-failed',
        weight: 85,
        en: `its ${f.device} channel was stopped (${f.plugin}: ${f.reason})${wrongBlame ? `, though ${vm}'s guest runs stock integration components that speak the protocol correctly` : ''}`,
        pt: `seu canal ${f.device} foi encerrado (${f.plugin}: ${channelStopPtBr(f)})${wrongBlame ? `, embora o convidado de ${vm} rode componentes de integração padrão, que falam o protocolo corretamente` : ''}`,
        control: 'vspInstances',
        tryEn: f.kind.startsWith('plugin-')
          ? 'serve the device with a VSP plugin that does not fail'
          : wrongBlame
            ? `check the VSP's protocol checks: it refused valid requests from ${vm}`
            : 'keep the misbehaving guest away from the others',
        tryPt: f.kind.startsWith('plugin-')
          ? 'servir o dispositivo com um plugin VSP que não falhe'
          : wrongBlame
            ? `revisar as verificações de protocolo do VSP: ele recusou requisições válidas de ${vm}`
            : 'isolar o convidado problemático dos demais',
      });
  }
  const emulated = paths.filter(([, p]) => p === 'emulated').map(([d]) => d);
  if (emulated.length > 0) {
    causes.push({
      id: 'emulated-path',
      weight: 70,
      en: `${emulated.join(', ')} goes through the emulated device in the worker process: every port access is an intercept to the root`,
      pt: `${emulated.join(', ')} passa pelo dispositivo emulado no processo de trabalho (VMWP): cada acesso a porta é uma interceptação até a raiz`,
      control: 'integrationComponents',
      tryEn: `install integration components in ${vm} and give it a synthetic channel`,
      tryPt: `instalar os componentes de integração em ${vm} e dar a ela um canal sintético`,
    });
  }
  const root = report.host.rootCpuPercent;
  if (r.ringOccupancyPercent > 5 || (root > 85 && r.ringOccupancyPercent > 1)) {
    causes.push({
      id: 'root-busy',
      weight: 40 + r.ringOccupancyPercent + (root > 85 ? 30 : 0),
      en: `its guest→host ring held ${enPercent(r.ringOccupancyPercent)} of its capacity on average and the root VPs were ${enPercent(root)} busy`,
      pt: `seu anel convidado→host ficou em média ${ptPercent(r.ringOccupancyPercent)} cheio e os VPs da raiz estiveram ${ptPercent(root)} ocupados`,
      control: 'rootVps',
      tryEn: 'more root VPs, so the VSPs keep up',
      tryPt: 'mais VPs na partição raiz, para os VSPs darem conta',
    });
  }
  if (r.ringFullPercent > 5) {
    // Rule 16: storvsc opens subchannels only as many as the VSP offers; a VSP set to offer none
    // (maxSubchannels 0) leaves one ring whatever the VP count, so name that setting instead.
    const noSubchannels = config.vsps.find(
      (v) =>
        config.channels.some((c) => c.vm === vm && c.vsp === v.id) &&
        v.settings.maxSubchannels === 0,
    );
    // The wait counts every request slot in flight (rule 18) too: a plugin that never completes
    // what it takes keeps its slots until none is left, which a larger ring only postpones. Its
    // author is told that first; the built-ins complete each request they take.
    const plugins = pluginInstancesServing(config, vm);
    const checkEn =
      plugins.length === 0
        ? ''
        : `check that ${plugins.join(', ')} completes every request it takes (one never completed keeps its slot in the ring, and with every slot taken the guest waits), or `;
    const checkPt =
      plugins.length === 0
        ? ''
        : `verificar se ${plugins.join(', ')} conclui cada pedido que recebe (um pedido nunca concluído mantém seu lugar no anel, e com todos os lugares tomados o convidado espera), ou `;
    causes.push({
      id: 'ring-full',
      weight: 35 + r.ringFullPercent,
      en: `its ring was full ${enPercent(r.ringFullPercent)} of the time, so requests waited inside the guest`,
      pt: `seu anel ficou cheio ${ptPercent(r.ringFullPercent)} do tempo, então as requisições esperaram dentro do convidado`,
      control: 'channelSettings',
      tryEn:
        checkEn +
        (noSubchannels === undefined
          ? 'a larger ring, or more VPs so storvsc opens subchannels'
          : `a larger ring, or let ${noSubchannels.id} offer subchannels (its maxSubchannels is 0; −1 offers one per four vCPUs)`),
      tryPt:
        checkPt +
        (noSubchannels === undefined
          ? 'um anel maior, ou mais VPs para o storvsc abrir subcanais'
          : `um anel maior, ou deixar ${noSubchannels.id} oferecer subcanais (seu maxSubchannels é 0; −1 oferece um a cada quatro vCPUs)`),
    });
  }
  if (r.readyPercent > 10) {
    causes.push({
      id: 'cpu-wait',
      weight: 30 + r.readyPercent,
      en: `its VPs waited for a logical processor ${enPercent(r.readyPercent)} of the time`,
      pt: `seus VPs esperaram por um processador lógico ${ptPercent(r.readyPercent)} do tempo`,
      control: 'cpuControls',
      // Weight and reserve decide who goes first; a limit on the hog only caps it (level 5's
      // third hint), so it is not offered as a cure.
      tryEn: `raise ${vm}'s weight well above the other VMs', or reserve CPU for it; a limit on another VM does not let ${vm} go first`,
      tryPt: `aumentar o peso de ${vm} bem acima do das outras VMs, ou reservar CPU para ela; um limite em outra VM não faz ${vm} passar na frente`,
    });
  }
  const memoryObjective =
    input.objective.metric === 'pagingMB' || input.objective.metric === 'memoryPressure';
  const pagedMB = r.memory.pagingMB;
  if (r.memoryPressure > 100 || (memoryObjective && pagedMB > 0)) {
    causes.push({
      id: 'memory-pressure',
      weight: memoryObjective ? 100 : 30 + (r.memoryPressure - 100) / 2,
      // Pressure is read at the end of the run; a VM may have paged at an earlier peak.
      en:
        r.memoryPressure > 100
          ? `its memory pressure is ${enPercent(r.memoryPressure)} (it wants more memory than it has), so it pages to disk`
          : `its memory pressure went over 100% during the run (${enPercent(r.memoryPressure)} at the end), so it paged ${en(pagedMB)} MB to disk`,
      pt:
        r.memoryPressure > 100
          ? `sua pressão de memória é ${ptPercent(r.memoryPressure)} (ela quer mais memória do que tem), então pagina em disco`
          : `sua pressão de memória passou de 100% durante a execução (${ptPercent(r.memoryPressure)} no fim), então paginou ${pt(pagedMB)} MB em disco`,
      control: 'memory',
      ...memoryRemedy(input, vm, r),
    });
  }
  const disk = diskOf(config, vm, input);
  if (disk !== undefined && disk.busy > 85) causes.push(diskCause(input, vm, disk));
  if (r.heartbeat === 'Lost Communication') {
    causes.push({
      id: 'heartbeat-lost',
      weight: 20,
      en: 'its heartbeat was lost: the guest stopped answering',
      pt: 'seu heartbeat se perdeu: o convidado parou de responder',
      control: 'cpuControls',
      tryEn: 'give the guest CPU to answer',
      tryPt: 'dar CPU ao convidado para responder',
    });
  }
  return causes;
}

/**
 * An isolation fault's detail in Portuguese, from its id and numbers; the English `detail` as
 * written when the fault carries no message (a report made before faults had them).
 */
function detailPt(f: { readonly detail: string; readonly message?: IsolationDetail }): string {
  return f.message === undefined ? f.detail : isolationDetailPtBr(f.message);
}

function hostCauses(input: Input): Cause[] {
  const { report, objective } = input;
  const causes: Cause[] = [];
  if (objective.metric === 'isolationFaults' && report.faults.isolation.length > 0) {
    const f = report.faults.isolation.at(0);
    if (f !== undefined)
      causes.push({
        id: 'isolation',
        weight: 100,
        en: `${f.actor} touched guest memory it was not granted (${f.kind}: ${f.detail})`,
        pt: `${f.actor} acessou memória do convidado que não lhe foi concedida (${f.kind}: ${detailPt(f)})`,
        control: 'vspInstances',
        tryEn: 'serve that device with a VSP that validates every length and range',
        tryPt: 'servir esse dispositivo com um VSP que valide todo tamanho e intervalo',
      });
  }
  if (objective.metric === 'pluginFaults' && report.faults.plugins.length > 0) {
    const f = report.faults.plugins.find((p) => p.kind.startsWith('plugin-'));
    if (f !== undefined)
      causes.push({
        id: 'plugin-fault',
        weight: 100,
        en: `${f.plugin} failed on ${f.vm}/${f.device}: ${f.reason}`,
        pt: `${f.plugin} falhou em ${f.vm}/${f.device}: ${channelStopPtBr(f)}`,
        control: 'vspInstances',
        tryEn: 'choose another plugin for that VSP',
        tryPt: 'escolher outro plugin para esse VSP',
      });
  }
  if (objective.metric === 'rootCpuPercent') {
    const emulatedVms = entriesOf(report.vms)
      .filter(([, v]) => valuesOf(v.path).includes('emulated'))
      .map(([n]) => n);
    const one = emulatedVms.length === 1;
    if (emulatedVms.length > 0)
      causes.push({
        id: 'emulation-costs-root',
        weight: 80,
        en: `${emulatedVms.join(', ')} ${one ? 'uses' : 'use'} emulated devices, whose every access the worker process handles on root CPU`,
        pt: `${emulatedVms.join(', ')} ${one ? 'usa' : 'usam'} dispositivos emulados, e cada acesso é tratado pelo processo de trabalho na CPU da raiz`,
        control: 'integrationComponents',
        tryEn: `install integration components so ${one ? 'it uses' : 'they use'} VMBus`,
        tryPt: `instalar os componentes de integração para que ${one ? 'use' : 'usem'} o VMBus`,
      });
    causes.push({
      id: 'root-too-small',
      weight: 40,
      en: 'the VSPs and worker processes need more CPU than the root VPs have',
      pt: 'os VSPs e processos de trabalho precisam de mais CPU do que os VPs da raiz têm',
      control: 'rootVps',
      tryEn: 'more root VPs, or less I/O per root VP',
      tryPt: 'mais VPs na raiz, ou menos E/S por VP da raiz',
    });
  }
  if (objective.metric === 'interrupts') {
    // A low-latency channel signals the guest for every completion; a batched one lets
    // completions pile up behind one interrupt (level 08's lesson: interrupt moderation).
    const eager = input.config.channels
      .filter((c) => c.signalling === 'low-latency')
      .map((c) => `${c.vm}/${c.device}`);
    if (eager.length > 0) {
      const shown = eager.slice(0, 4).join(', ');
      const more = eager.length - 4;
      const one = eager.length === 1;
      causes.push({
        id: 'low-latency-signalling',
        weight: 70,
        en: `${en(eager.length)} ${one ? 'channel signals' : 'channels signal'} the guest on every completion (low-latency): ${shown}${more > 0 ? ` and ${en(more)} more` : ''}`,
        pt: `${pt(eager.length)} ${one ? 'canal' : 'canais'} com sinalização imediata (low-latency) ${one ? 'avisa' : 'avisam'} o convidado a cada conclusão: ${shown}${more > 0 ? ` e mais ${pt(more)}` : ''}`,
        control: 'channelSettings',
        tryEn:
          'batched signalling on the channels whose guests can wait; keep low-latency where latency matters',
        tryPt:
          'sinalização agrupada (batched) nos canais cujos convidados podem esperar; manter a imediata (low-latency) onde a latência importa',
      });
    }
  }
  if (objective.metric === 'siblingSharingPercent') {
    causes.push({
      id: 'smt-shared',
      weight: 90,
      en: 'the classic scheduler lets two VMs run on the two threads of one core',
      pt: 'o escalonador clássico deixa duas VMs rodarem nas duas threads de um mesmo núcleo',
      control: 'scheduler',
      tryEn: 'the core scheduler, and VP counts in sibling pairs',
      tryPt: 'o escalonador core, e números de VPs em pares de irmãos SMT',
    });
  }
  return causes;
}

/** The disk behind a VM's first route, as the report measured it and the level specified it. */
interface DiskLoad {
  readonly id: string;
  readonly busy: number;
  readonly iops: number;
  readonly mbps: number;
  readonly averageQueue: number;
}

function diskOf(config: Configuration, vm: string, input: Input): DiskLoad | undefined {
  const route = config.channels.find((c) => c.vm === vm);
  const device =
    route === undefined
      ? config.emulated.find((e) => e.vm === vm)?.backing
      : config.vsps.find((v) => v.id === route.vsp)?.device;
  if (device === undefined) return undefined;
  const d = input.report.host.disks[device];
  if (d === undefined) return undefined;
  return {
    id: device,
    busy: d.busyPercent,
    iops: d.iops,
    mbps: d.mbps,
    averageQueue: d.averageQueue,
  };
}

/**
 * A disk busy most of the time. "Busy" is the share of time with at least one request in it
 * (Windows' "% Disk Time", iostat's %util): a disk that serves many requests at once — an SSD, a
 * SAN LUN — is busy all the time with one request in flight, yet far from its limit. So the
 * diagnosis first asks how much of the disk was used: near its IOPS, bandwidth or internal queue,
 * the disk is the bottleneck (spread the load); far from them, too few requests reached it, each
 * paying the full access latency — and when a VSP's own queue depth is what held them back, the
 * player is told to raise that setting.
 */
function diskCause(input: Input, vm: string, disk: DiskLoad): Cause {
  const { config, report } = input;
  const disks: readonly DiskSpec[] = input.level.scenario.host.disks;
  const spec = disks.find((k) => k.id === disk.id);
  const used =
    spec === undefined
      ? 1
      : Math.max(disk.iops / spec.iops, disk.mbps / spec.mbps, disk.averageQueue / spec.queueDepth);
  const weight = 25 + disk.busy / 2;
  const busyEn = `its disk ${disk.id} was busy ${enPercent(disk.busy)} of the time`;
  const busyPt = `seu disco ${disk.id} esteve ocupado ${ptPercent(disk.busy)} do tempo`;
  const sharing = new Set(
    config.channels
      .filter((c) => config.vsps.find((v) => v.id === c.vsp)?.device === disk.id)
      .map((c) => c.vm),
  );
  if (spec === undefined || used >= 0.5) {
    const alone = sharing.size <= 1 && disks.length !== 1;
    // Disks of the host that no VM's channel reaches: where the load could go (level 10).
    const idle = disks
      .filter(
        (k) =>
          k.id !== disk.id &&
          !config.channels.some((c) => config.vsps.find((v) => v.id === c.vsp)?.device === k.id),
      )
      .map((k) => k.id);
    const idleEn =
      idle.length === 0
        ? ''
        : `, while ${listOf(idle, 'and')} ${idle.length === 1 ? 'serves' : 'serve'} no VM`;
    const idlePt =
      idle.length === 0
        ? ''
        : `, enquanto ${listOf(idle, 'e')} não ${idle.length === 1 ? 'atende' : 'atendem'} nenhuma VM`;
    return {
      id: 'disk-busy',
      weight,
      en: busyEn + idleEn,
      pt: busyPt + idlePt,
      control: 'vspInstances',
      tryEn: alone
        ? `serve ${vm} from a VSP instance bound to another disk`
        : 'spread the VMs over VSP instances bound to different disks',
      tryPt: alone
        ? `servir ${vm} por uma instância de VSP ligada a outro disco`
        : 'espalhar as VMs por instâncias de VSP ligadas a discos diferentes',
    };
  }
  const latencyEn =
    spec.latencyUs >= 1000 ? `${en(spec.latencyUs / 1000)} ms` : `${en(spec.latencyUs)} µs`;
  const latencyPt =
    spec.latencyUs >= 1000 ? `${pt(spec.latencyUs / 1000)} ms` : `${pt(spec.latencyUs)} µs`;
  const head = {
    en: `${busyEn}, yet it did only ${en(disk.iops)} of its ${en(spec.iops)} IOPS: each request takes ${latencyEn} and only ${en(disk.averageQueue)} requests were in flight on average`,
    pt: `${busyPt}, mas fez só ${pt(disk.iops)} das suas ${pt(spec.iops)} IOPS: cada requisição leva ${latencyPt} e só ${pt(disk.averageQueue)} requisições estavam em andamento em média`,
  };
  // A VSP instance serving this VM on that disk whose queue depth caps what it sends down.
  const capped = config.vsps
    .filter(
      (v) => v.device === disk.id && config.channels.some((c) => c.vm === vm && c.vsp === v.id),
    )
    .map((v) => {
      const depth = v.settings.queueDepth;
      const channels = report.vsps[v.id]?.channels ?? 1;
      return typeof depth === 'number' ? { id: v.id, depth, cap: depth * channels } : undefined;
    })
    .find((v) => v !== undefined && disk.averageQueue >= 0.8 * v.cap);
  if (capped !== undefined) {
    const one = capped.depth === 1;
    return {
      id: 'vsp-queue-depth',
      weight,
      en: head.en,
      pt: head.pt,
      control: input.level.controls.vspSettings ? 'vspSettings' : 'vspInstances',
      tryEn: `raise ${capped.id}'s queueDepth (now ${en(capped.depth)}): it keeps at most ${en(capped.depth)} ${one ? 'request' : 'requests'} per channel at the disk, and the rest wait in the root`,
      tryPt: `aumentar a profundidade da fila (queueDepth) de ${capped.id} (hoje ${pt(capped.depth)}): ele mantém no máximo ${pt(capped.depth)} ${one ? 'requisição' : 'requisições'} por canal no disco, e as demais esperam na raiz`,
    };
  }
  return {
    id: 'few-in-flight',
    weight,
    en: head.en,
    pt: head.pt,
    control: 'channelSettings',
    tryEn: 'more requests in flight: a larger ring, or subchannels',
    tryPt: 'mais requisições em voo: um anel maior, ou subcanais',
  };
}
