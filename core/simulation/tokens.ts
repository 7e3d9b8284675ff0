/** Service identifiers of the composition root (values a simulation is built from). */
import type { ServiceIdentifier } from 'inversify';
import type { Configuration, Scenario } from '../model/index.js';
import type { VspModule } from '../vsp/types.js';

export const SimTokens: {
  readonly Scenario: ServiceIdentifier<Scenario>;
  readonly Configuration: ServiceIdentifier<Configuration>;
  readonly VspModules: ServiceIdentifier<readonly VspModule[]>;
  readonly Seed: ServiceIdentifier<number>;
} = {
  Scenario: Symbol.for('hyperkata.sim.Scenario'),
  Configuration: Symbol.for('hyperkata.sim.Configuration'),
  VspModules: Symbol.for('hyperkata.sim.VspModules'),
  Seed: Symbol.for('hyperkata.sim.Seed'),
};
