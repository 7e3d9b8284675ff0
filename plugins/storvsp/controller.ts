/**
 * One synthetic SCSI controller as storvsp sees it: a VM's storage device, reached through a
 * primary channel and its subchannels. The primary channel runs the rule-16 handshake; every
 * channel of the controller shares its outcome (the negotiated version) and its disk (LUN 0).
 *
 * A generation 1 VM's boot disk is reached through the IDE accelerator instead (an offer with
 * HV_IDE_GUID): the same protocol and SCSI answers, but one channel, never subchannels
 * (O: storvsp `build_ide` passes `max_sub_channel_count` 0, so QUERY_PROPERTIES reports none).
 * The real accelerator also names the disk's IDE channel and drive in its offer and forces that
 * path id on every request (O: `OfferProperties`, `force_path_id`); the model addresses every disk
 * as path 0, target 0, LUN 0, so it keeps no IDE layout.
 */
import { IDE_ACCELERATOR_CLASS_GUID } from '../../core/model/class-guids.js';
import { DEFAULT_STORVSP_CONFIG, VmstorProtocolVersion } from '../../core/protocols/index.js';
import type { StorvspConfig, StorvspInitState, scsi } from '../../core/protocols/index.js';
import { protocolVersionsUpTo, subchannelLimit } from './settings.js';
import type { StorvspSettings } from './settings.js';

/** Logical block size storvsp reports (READ CAPACITY): 512-byte sectors. */
export const LOGICAL_BLOCK_BYTES = 512;
/** log2(physical / logical): 4 KiB physical sectors, as a VHDX reports them. */
export const PHYSICAL_BLOCK_EXPONENT = 3;

/** Codec options (the negotiated or assumed protocol version) reused on every packet. */
export interface CodecVersion {
  readonly protocolVersion: number;
}

const SHORTEST: CodecVersion = Object.freeze({ protocolVersion: VmstorProtocolVersion.WIN6 });
const LONGEST: CodecVersion = Object.freeze({ protocolVersion: VmstorProtocolVersion.WIN10 });

export class Controller {
  init: StorvspInitState = { phase: 'beginInitialization' };
  /** The negotiated version, 0 before QUERY_PROTOCOL_VERSION succeeded. */
  protocolVersion = 0;
  /** How EXECUTE_SRB is laid out on this controller (the shortest layout before negotiation). */
  srbLayout: CodecVersion = SHORTEST;
  /** Subchannels offered so far (a repeated CREATE_SUB_CHANNELS offers only the difference). */
  subchannelsOffered = 0;
  /** Sense of the last command the disk answered (REQUEST SENSE returns and clears it). */
  lastSense: scsi.SenseData | undefined = undefined;
  readonly config: StorvspConfig;
  readonly sectors: number;
  /** A stable 16-byte identity of the disk (VPD page 0x83). */
  readonly diskId: Uint8Array;

  constructor(
    readonly key: string,
    settings: StorvspSettings,
    channel: { readonly guestVps: number; readonly diskBytes: number; readonly classGuid: string },
  ) {
    const { guestVps, diskBytes } = channel;
    this.config = {
      ...DEFAULT_STORVSP_CONFIG,
      supportedVersions: protocolVersionsUpTo(settings.maxProtocolVersion),
      maxSubChannelCount:
        channel.classGuid === IDE_ACCELERATOR_CLASS_GUID ? 0 : subchannelLimit(settings, guestVps),
    };
    this.sectors =
      Number.isSafeInteger(diskBytes) && diskBytes > 0
        ? Math.floor(diskBytes / LOGICAL_BLOCK_BYTES)
        : 0;
    this.diskId = identityOf(key);
  }

  get ready(): boolean {
    return this.init.phase === 'ready';
  }

  /** Moves the handshake on and keeps the negotiated version in step with it. */
  advance(next: StorvspInitState): void {
    this.init = next;
    const version =
      next.phase === 'beginInitialization' || next.phase === 'queryProtocolVersion'
        ? 0
        : next.protocolVersion;
    if (version !== this.protocolVersion) {
      this.protocolVersion = version;
      this.srbLayout = version === 0 ? SHORTEST : Object.freeze({ protocolVersion: version });
    }
  }

  /**
   * The size to answer in: the negotiated version's packet, or before negotiation the size the
   * request came in (O: storvsp pads or truncates each completion to the request's size).
   */
  replyLayout(requestBytes: number): CodecVersion {
    if (this.protocolVersion !== 0) return this.srbLayout;
    return requestBytes >= 64 ? LONGEST : SHORTEST;
  }

  /**
   * A primary channel (re)opened or closed: the handshake starts again (O: storvsp `close(0)`),
   * and the subchannels the new handshake asks for are offered anew (a restarted VM has none).
   */
  reset(): void {
    this.advance({ phase: 'beginInitialization' });
    this.lastSense = undefined;
    this.subchannelsOffered = 0;
  }
}

/** FNV-1a over the controller's name, spread to 16 bytes: deterministic, distinct per disk. */
function identityOf(key: string): Uint8Array {
  const out = new Uint8Array(16);
  let h = 0x811c9dc5;
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < key.length; i++) {
      h ^= key.charCodeAt(i) + round;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    out[round * 4] = h >>> 24;
    out[round * 4 + 1] = (h >>> 16) & 0xff;
    out[round * 4 + 2] = (h >>> 8) & 0xff;
    out[round * 4 + 3] = h & 0xff;
  }
  return out;
}
