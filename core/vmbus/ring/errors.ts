import { HyperkataError } from '../../model/errors.js';

/**
 * The integrator handed a ring memory the model cannot use (wrong size, misaligned, a
 * big-endian host) or asked for an impossible packet. These are bugs in the caller, never
 * guest behaviour: hostile guest data is reported as a {@link RingRejection}, not thrown.
 */
export class RingConfigurationError extends HyperkataError {
  declare readonly kind: 'vmbus-ring-configuration';

  constructor(message: string) {
    super('vmbus-ring-configuration', message);
    this.name = 'RingConfigurationError';
  }

  static override is(value: unknown): value is RingConfigurationError {
    return value instanceof RingConfigurationError;
  }
}
