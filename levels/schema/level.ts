/**
 * The level file format (`levels/campaign/NN-slug.json`): a scenario (the machine and its guests),
 * what the player may change, the configuration the level starts from, the objectives and the
 * star thresholds — with every player-facing text in English and Brazilian Portuguese.
 */
import { z } from 'zod';
import { ConfigurationSchema, ScenarioSchema } from '../../core/index.js';
import { LocalizedTextSchema } from './text.js';

export const LEVEL_FORMAT = 1;

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,47}$/, 'a lowercase slug such as "01-first-partition"');

/** A Hyper-V idea the level teaches, pointing at the rules of HYPERV.md it rests on. */
export const ConceptSchema = z.strictObject({
  id: slug,
  title: LocalizedTextSchema,
  /** HYPERV.md rule numbers. */
  rules: z.array(z.number().int().min(1).max(40)).min(1),
  /** Codex entries the concept links to (the game opens them from the briefing). */
  codex: z.array(z.string()).default([]),
});

/** Which controls the player may touch. Everything else is fixed by `defaults`. */
export const ControlsSchema = z.strictObject({
  /** Route devices: synthetic channels to VSP instances, emulated routes through VMWP. */
  routing: z.boolean().default(false),
  /** Add, remove or rebind VSP instances (and pick the plugin that serves each). */
  vspInstances: z.boolean().default(false),
  /** Change VSP settings (queue depth, subchannels…). */
  vspSettings: z.boolean().default(false),
  /** Per VM: install integration components. */
  integrationComponents: z.boolean().default(false),
  /** Per VM: virtual processor count. */
  vpCount: z.boolean().default(false),
  /** Per VM: weight, reserve, limit (Set-VMProcessor). */
  cpuControls: z.boolean().default(false),
  /** Per VM: memory size and Dynamic Memory (Set-VMMemory). */
  memory: z.boolean().default(false),
  /** Host: root VPs (minroot). */
  rootVps: z.boolean().default(false),
  /** Host: scheduler type. */
  scheduler: z.boolean().default(false),
  /** Per channel: ring size and batched / low-latency signalling. */
  channelSettings: z.boolean().default(false),
});
export type Controls = z.infer<typeof ControlsSchema>;

/** Metrics an objective may test, per VM or for the host. */
export const VM_METRICS = [
  'iops',
  'mbps',
  'p50LatencyUs',
  'p99LatencyUs',
  'cpuPercent',
  'readyPercent',
  'misrouted',
  'dropped',
  'failed',
  'strayCompletions',
  'ringFullPercent',
  'ringOccupancyPercent',
  'memoryPressure',
  'pagingMB',
  'completed',
] as const;
export const HOST_METRICS = [
  'rootCpuPercent',
  'lpUtilizationPercent',
  'isolationFaults',
  'pluginFaults',
  'siblingSharingPercent',
  'interrupts',
  'hypercalls',
] as const;
export const SCORES = ['throughput', 'p99LatencyUs', 'rootCpuPercent', 'cost'] as const;
export type ScoreName = (typeof SCORES)[number];

const comparison = z.enum(['<=', '>=']);

export const ObjectiveSchema = z.discriminatedUnion('scope', [
  z.strictObject({
    id: slug,
    scope: z.literal('vm'),
    /** A VM name, or "*" for every VM of the scenario (each must meet it). */
    vm: z.string().min(1),
    metric: z.enum(VM_METRICS),
    op: comparison,
    value: z.number(),
    label: LocalizedTextSchema,
  }),
  z.strictObject({
    id: slug,
    scope: z.literal('host'),
    metric: z.enum(HOST_METRICS),
    op: comparison,
    value: z.number(),
    label: LocalizedTextSchema,
  }),
]);
export type Objective = z.infer<typeof ObjectiveSchema>;

/** A score threshold for a star: e.g. `{ score: 'cost', op: '<=', value: 12 }`. */
export const ThresholdSchema = z.strictObject({
  score: z.enum(SCORES),
  op: comparison,
  value: z.number(),
});
export type Threshold = z.infer<typeof ThresholdSchema>;

export const LevelSchema = z.strictObject({
  $schema: z.string().optional(),
  format: z.literal(LEVEL_FORMAT),
  id: slug,
  /** Position in the campaign (1-based); custom levels may omit it. */
  number: z.number().int().min(1).max(999).optional(),
  title: LocalizedTextSchema,
  briefing: LocalizedTextSchema,
  /** Three progressive hints, revealed one at a time. */
  hints: z.tuple([LocalizedTextSchema, LocalizedTextSchema, LocalizedTextSchema]),
  concepts: z.array(ConceptSchema).min(1),
  scenario: ScenarioSchema,
  controls: ControlsSchema,
  /** The configuration the level starts from: the player's solution changes only unlocked parts. */
  defaults: ConfigurationSchema,
  /** Plugins the player may choose for VSP instances (built-ins are always allowed). */
  plugins: z.array(z.string()).default([]),
  objectives: z.array(ObjectiveSchema).min(1),
  /** Meeting every objective earns one star; these thresholds earn the second and the third. */
  stars: z.strictObject({
    two: z.array(ThresholdSchema).default([]),
    three: z.array(ThresholdSchema).min(1),
  }),
  /** Which objectives the level's naive solution is expected to fail (checked by `hyperkata verify`). */
  naiveFails: z.array(slug).min(1),
});
export type Level = z.infer<typeof LevelSchema>;
export type LevelInput = z.input<typeof LevelSchema>;
