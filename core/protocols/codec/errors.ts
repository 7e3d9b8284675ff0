// The errors module directly, not the model's index: the index pulls in zod's schemas, which a
// plugin bundling the codecs into the sandbox would then carry (700 KB).
import { HyperkataError } from '../../model/errors.js';

/**
 * Raised when a caller asks an encoder to write something the wire format cannot hold
 * (a field out of range, a target buffer too small). Encoders run on messages our own code
 * built, so this is a programming error, never a reaction to guest bytes: decoders do not throw.
 */
export class ProtocolEncodeError extends HyperkataError {
  declare readonly kind: 'protocol-encode';

  constructor(
    /** Which message and field, e.g. `"vstor_packet.vm_srb.cdb_length"`. */
    readonly field: string,
    message: string,
  ) {
    super('protocol-encode', `${field}: ${message}`);
    this.name = 'ProtocolEncodeError';
  }

  static override is(value: unknown): value is ProtocolEncodeError {
    return value instanceof ProtocolEncodeError;
  }
}
