/**
 * The solution file format (`*.solution.json`): the player's decisions for one level. It holds only
 * what the player changed from the level's defaults — routing, integration components, processors,
 * memory, root VPs, the scheduler, VSP instances and settings, the plugin serving each VSP — so a
 * file written by hand stays short. The same file runs in the game and in the CLI.
 */
import { z } from 'zod';
import {
  ChannelRouteSchema,
  EmulatedRouteSchema,
  HostConfigurationSchema,
  MemorySettingsSchema,
  VspInstanceSchema,
} from '../../core/index.js';

export const SOLUTION_FORMAT = 1;

export const VmChoicesSchema = z.strictObject({
  integrationComponents: z.boolean().optional(),
  processor: z
    .strictObject({
      count: z.number().int().optional(),
      weight: z.number().int().optional(),
      reservePercent: z.number().optional(),
      limitPercent: z.number().optional(),
    })

    .optional(),
  memory: MemorySettingsSchema.optional(),
});
export type VmChoices = z.infer<typeof VmChoicesSchema>;

export const SolutionSchema = z.strictObject({
  $schema: z.string().optional(),
  format: z.literal(SOLUTION_FORMAT),
  /** The id of the level this solves. */
  level: z.string().min(1),
  /** A name the player gave it (shown in the game's solution list). */
  name: z.string().max(80).optional(),
  host: HostConfigurationSchema.partial().optional(),
  vms: z.record(z.string(), VmChoicesSchema).optional(),
  /** When present, replaces the level's VSP instances. */
  vsps: z.array(VspInstanceSchema).optional(),
  /** When present, replaces the level's synthetic routes. */
  channels: z.array(ChannelRouteSchema).optional(),
  /** When present, replaces the level's emulated routes. */
  emulated: z.array(EmulatedRouteSchema).optional(),
});
export type Solution = z.infer<typeof SolutionSchema>;
export type SolutionInput = z.input<typeof SolutionSchema>;
