/**
 * The one error the control-message codec throws: our own code asked for something that cannot
 * be put on the wire (a relid outside 1…2047, a 121-byte user-data block, a GPADL too long for a
 * u16 range_buflen…). Guest or host bytes never raise it: decoding returns a typed rejection.
 */
import { HyperkataError } from '../../model/index.js';

/** A programming error in a caller of the VMBus control codec. */
export class VmbusControlError extends HyperkataError {
  declare readonly kind: 'vmbus-control';

  constructor(message: string) {
    super('vmbus-control', message);
    this.name = 'VmbusControlError';
  }

  static override is(value: unknown): value is VmbusControlError {
    return value instanceof VmbusControlError;
  }
}
