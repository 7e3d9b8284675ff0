/**
 * The built-in storage VSP, `hyperkata.storvsp`, written only against the public SDK and the
 * protocol codecs — exactly what a plugin author could write.
 *
 * Rule 37 handling (following openvmm's storvsp, whose packet-parse errors end the channel's
 * worker, and its scsidisk, which answers SCSI-level problems with a status):
 *
 * - Stop the channel (`channel.fail`, rule 38): a completion sent by the guest; a request without
 *   the completion-requested flag (not transactional); a trans_id that cannot be echoed; a
 *   GPA-direct packet with no ranges; a payload that does not decode (truncated, an operation
 *   no version defines or a guest may not send, a CDB or sense length past its array, an
 *   undefined direction); an EXECUTE_SRB with more than one range, a malformed range, or a data
 *   range shorter than its data_transfer_length.
 * - Complete with an error status, channel open: an init request out of order
 *   (INVALID_DEVICE_STATE), an unsupported version (REVISION_MISMATCH), too many subchannels
 *   (INVALID_PARAMETER); an unknown opcode or bad CDB field (CHECK CONDITION, ILLEGAL REQUEST);
 *   an LBA range past the disk or the buffer (ILLEGAL REQUEST, LBA OUT OF RANGE); a LUN with no
 *   disk (SRB_STATUS_INVALID_LUN, as Hyper-V's storvsp answers); a buffer outside the guest's
 *   memory (ILLEGAL REQUEST); a disk error (SRB_STATUS_ERROR, MEDIUM ERROR).
 *
 * @example
 * ```ts
 * import storvsp from './plugins/storvsp/index.js';
 * import { toVspModule } from './plugins/sdk/index.js';
 *
 * const module = toVspModule(storvsp, {
 *   source: 'built-in', builtIn: true, isolation: 'native', digest: 'hyperkata.storvsp@1.0.0',
 * });
 * ```
 */
import { defineVsp } from '../sdk/index.js';
import { STORVSP_SETTINGS } from './settings.js';
import { Storvsp } from './storvsp.js';

/** The plugin id. */
export const STORVSP_ID = 'hyperkata.storvsp';
/** The plugin's own version (part of its digest). */
export const STORVSP_VERSION = '1.0.0';

export default defineVsp({
  id: STORVSP_ID,
  sdk: '^1.0.0',
  deviceClass: 'storage',
  description:
    'Hyper-V synthetic SCSI (storvsp): multi-queue, subchannels, SCSI answered in the VSP',
  settings: STORVSP_SETTINGS,
  create(host, settings) {
    return new Storvsp(host, settings);
  },
});

export { STORVSP_SETTINGS, protocolVersionsUpTo, subchannelLimit } from './settings.js';
export type { StorvspSettings } from './settings.js';
export * as storvspCosts from './costs.js';
