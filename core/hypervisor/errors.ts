/**
 * Errors the hypervisor raises on integrator mistakes (never on guest data: guest input always
 * gets a typed status or result).
 */
import { HyperkataError } from '../model/index.js';

/** The integrator addressed a partition or VP that does not exist. */
export class HypervisorUsageError extends HyperkataError {
  declare readonly kind: 'hypervisor-usage';

  constructor(message: string) {
    super('hypervisor-usage', message);
    this.name = 'HypervisorUsageError';
  }

  static override is(value: unknown): value is HypervisorUsageError {
    return value instanceof HypervisorUsageError;
  }
}
