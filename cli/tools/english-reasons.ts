/**
 * `node --import tsx cli/tools/english-reasons.ts [--list]`: how many narration lines of the
 * campaign (every level with its reference and naive solution) and of the hostile-guest attacks
 * still show an English reason when the game says them in pt-BR, and how many of their channel
 * stops the diagnosis still says with English words. `--list` prints each kind of reason with how
 * often it appeared, `EN` where pt-BR showed English.
 */
import { HOSTILE_ATTACKS, Simulation } from '../../core/index.js';
import type { ChannelFault, NarrationLine, NarrationMessage, Reason } from '../../core/index.js';
import { storageHost } from '../../core/testing/scenarios.js';
import { narrationIn } from '../../game/i18n/narration.js';
import { startLevel } from '../../levels/index.js';
import { channelStopPtBr } from '../../levels/vsp-failures-pt-BR.js';
import { BUILT_IN_VSPS } from '../../plugins/index.js';
import { EXAMPLE_VSPS } from '../../plugins/examples/index.js';
import { STORVSP_ID } from '../../plugins/storvsp/index.js';
import { loadCampaign, readSolution } from '../campaign.js';

/** The arguments in which a structured reason quotes English text. */
const QUOTED_ARGS = ['reason', 'detail', 'what'] as const;

/**
 * The English free text in the line's reason, if it has one: the reason itself when it is a
 * string, else the free text a structured reason quotes (`vsp.notStarted`'s plugin error, a
 * decoder's `detail`, the memory check's in `netvsp.rangesRefused`), '' when it quotes none.
 */
function reasonTextOf(message: NarrationMessage): string | null {
  const reason = (message.args as { readonly reason?: Reason }).reason;
  if (reason === undefined) return null;
  if (typeof reason === 'string') return reason;
  const args = reason.args as Readonly<Record<string, unknown>>;
  for (const name of QUOTED_ARGS) {
    const inner = args[name];
    if (typeof inner === 'string' && inner !== '') return inner;
  }
  return '';
}

interface Tally {
  lines: number;
  withReason: number;
  english: number;
  /** Each kind of reason seen (`line id: reason id` or `line id: "English text"`), how often, and whether pt-BR showed English. */
  kinds: Map<string, { n: number; english: boolean }>;
}

function kindOf(message: NarrationMessage, reason: Reason): string {
  return typeof reason === 'string'
    ? `${message.id}: "${reason.replace(/\d+/g, 'N')}"`
    : `${message.id}: [${reason.id}]`;
}

function count(runs: { name: string; lines: readonly NarrationLine[] }[]): Tally {
  const t: Tally = { lines: 0, withReason: 0, english: 0, kinds: new Map() };
  for (const run of runs)
    for (const line of run.lines) {
      t.lines++;
      const reason = (line.message.args as { readonly reason?: Reason }).reason;
      const text = reasonTextOf(line.message);
      if (reason === undefined || text === null) continue;
      t.withReason++;
      const english = text !== '' && narrationIn('pt-BR', line).includes(text);
      if (english) t.english++;
      const kind = kindOf(line.message, reason);
      const seen = t.kinds.get(kind) ?? { n: 0, english };
      seen.n++;
      t.kinds.set(kind, seen);
    }
  return t;
}

/** One run: its narration and the channel stops its report records. */
interface Run {
  name: string;
  lines: NarrationLine[];
  faults: readonly ChannelFault[];
}

/**
 * The channel stops as the diagnosis and `hyperkata run`'s `falhas:` line say them in pt-BR
 * (levels/vsp-failures-pt-BR.ts's channelStopPtBr): those still showing the English reason, or the
 * English a structured reason quotes.
 */
function countFaults(runs: Run[]): Tally {
  const t: Tally = { lines: 0, withReason: 0, english: 0, kinds: new Map() };
  for (const run of runs)
    for (const f of run.faults) {
      t.lines++;
      t.withReason++;
      const pt = channelStopPtBr(f);
      const args = (f.message?.args ?? {}) as Readonly<Record<string, unknown>>;
      const quoted = QUOTED_ARGS.map((name) => args[name]).find(
        (v): v is string => typeof v === 'string' && v !== '',
      );
      const english = pt.includes(f.reason) || (quoted !== undefined && pt.includes(quoted));
      if (english) t.english++;
      const kind =
        f.message === null
          ? `${f.kind}: "${f.reason.replace(/\d+/g, 'N')}"`
          : `${f.kind}: [${f.message.id}]`;
      const seen = t.kinds.get(kind) ?? { n: 0, english };
      seen.n++;
      t.kinds.set(kind, seen);
    }
  return t;
}

function campaignRuns(): Run[] {
  const runs: Run[] = [];
  for (const entry of loadCampaign())
    for (const file of [entry.referenceFile, entry.naiveFile]) {
      const lines: NarrationLine[] = [];
      const sim = startLevel({
        level: entry.level,
        solution: readSolution(file),
        vsps: [...BUILT_IN_VSPS, ...EXAMPLE_VSPS],
      });
      sim.on((l) => lines.push(l));
      sim.runToEnd();
      runs.push({ name: file, lines, faults: sim.report().faults.plugins });
    }
  return runs;
}

function hostileRuns(): Run[] {
  return HOSTILE_ATTACKS.map((attack) => {
    const { scenario, configuration } = storageHost({
      vms: [{ name: 'good' }, { name: 'evil' }],
      durationMs: 120,
    });
    (scenario.vms[1] as Record<string, unknown>).hostile = {
      attacks: [attack],
      ratePerSecond: 200,
      startMs: 20,
    };
    const vsps = configuration.vsps as { plugin: string }[];
    vsps[0].plugin = STORVSP_ID;
    const sim = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS });
    const lines: NarrationLine[] = [];
    sim.on((l) => lines.push(l));
    sim.runToEnd();
    return { name: attack, lines, faults: sim.report().faults.plugins };
  });
}

function print(name: string, t: Tally, list: boolean, what = 'lines'): void {
  console.log(
    `${name}: ${t.lines.toString()} ${what}, ${t.withReason.toString()} with a reason, ${t.english.toString()} still show an English reason in pt-BR`,
  );
  if (!list) return;
  for (const [kind, { n, english }] of [...t.kinds].sort((a, b) => b[1].n - a[1].n))
    console.log(`  ${n.toString().padStart(6)}  ${english ? 'EN' : 'pt'}  ${kind}`);
}

const list = process.argv.includes('--list');
const campaign = campaignRuns();
const hostile = hostileRuns();
print('campaign (12 levels × reference and naive)', count(campaign), list);
print('hostile attacks (storageHost, built-in storvsp)', count(hostile), list);
print(
  'diagnosis: channel stops, campaign and hostile',
  countFaults([...campaign, ...hostile]),
  list,
  'stops',
);
