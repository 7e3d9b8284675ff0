/**
 * Builders for the packets a guest sends (rule 3): in-band data, GPA-direct data with page ranges,
 * and completions — well-formed or with any field hostile, since a guest controls all of them
 * (rule 36).
 */
import type { GpaRange, VspPacket, VspPacketKind } from '../../../core/vsp/types.js';

/**
 * Descriptor fields of a packet a test builds. `transId` defaults to the next number of the
 * builder; `completionRequested` to true (storage requests must ask for one, rule 37).
 *
 * @example
 * ```ts
 * const p = h.packets.inband(payload, { transId: 0, completionRequested: false });
 * ```
 */
export interface PacketOptions {
  readonly transId?: number;
  readonly completionRequested?: boolean;
}

/**
 * Builds packets with fresh trans_ids (1, 2, 3, … unless given).
 *
 * @example
 * ```ts
 * const buffer = h.memory.allocate(4096);
 * const read = h.packets.gpaDirect(srbPayload, [buffer]);           // a storage request
 * const hostile = h.packets.raw({ kind: 'gpa-direct', ranges: [] }); // rule 37: no ranges
 * ```
 */
export class PacketBuilder {
  private nextTransId = 1;

  /** A fresh trans_id (the builder never repeats one unless told to). */
  transId(): number {
    return this.nextTransId++;
  }

  /** An in-band data packet (type 6). */
  inband(payload: Uint8Array, options: PacketOptions = {}): VspPacket {
    return this.make('inband', payload, [], options);
  }

  /** A GPA-direct packet (type 9): the data lives in guest pages named by `ranges`. */
  gpaDirect(
    payload: Uint8Array,
    ranges: readonly GpaRange[],
    options: PacketOptions = {},
  ): VspPacket {
    return this.make('gpa-direct', payload, ranges, options);
  }

  /** A completion (type 0xB) the guest sends, echoing `transId` of a host request. */
  completion(payload: Uint8Array, transId: number): VspPacket {
    return this.make('completion', payload, [], { transId, completionRequested: false });
  }

  /**
   * A packet with any fields, unchecked: hostile kinds, trans_ids, flags, payloads, ranges.
   * Missing fields take the in-band defaults.
   */
  raw(fields: {
    readonly kind?: VspPacketKind;
    readonly transId?: number;
    readonly completionRequested?: boolean;
    readonly payload?: Uint8Array;
    readonly ranges?: readonly GpaRange[];
  }): VspPacket {
    return this.make(
      fields.kind ?? 'inband',
      fields.payload ?? new Uint8Array(0),
      fields.ranges ?? [],
      {
        transId: fields.transId,
        completionRequested: fields.completionRequested,
      },
    );
  }

  private make(
    kind: VspPacketKind,
    payload: Uint8Array,
    ranges: readonly GpaRange[],
    options: PacketOptions,
  ): VspPacket {
    return {
      kind,
      transId: options.transId ?? this.transId(),
      completionRequested: options.completionRequested ?? kind !== 'completion',
      payload,
      ranges,
    };
  }
}

/**
 * The copy a VSP receives: the guest can no longer change it (rule 36: copy, then validate).
 * Ranges and their page lists are copied and frozen. Only a GPA-direct packet carries ranges
 * (type 9, rule 3): any a test put on another kind are dropped, as the host's ring parser does.
 *
 * @example
 * ```ts
 * const seen = copyPacket(p); // what the harness hands the VSP
 * ```
 */
export function copyPacket(packet: VspPacket): VspPacket {
  const source = packet.kind === 'gpa-direct' ? packet.ranges : [];
  const ranges: GpaRange[] = source.map((r) =>
    Object.freeze({
      byteCount: r.byteCount,
      byteOffset: r.byteOffset,
      pfns: Object.freeze([...r.pfns]),
    }),
  );
  return Object.freeze({
    kind: packet.kind,
    transId: packet.transId,
    completionRequested: packet.completionRequested,
    payload: packet.payload.slice(),
    ranges: Object.freeze(ranges),
  });
}
