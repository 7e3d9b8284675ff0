/**
 * Ports and connections (T: inter-partition-communication.md "Ports and Connections"): a port
 * lives in the receiving partition and names the target VP and SINT (and, for event ports, a
 * range of event flags); a connection lives in the sending partition and points at one port.
 * Senders name the connection id in HvCallPostMessage / HvCallSignalEvent.
 */
import { HV_PORT_MESSAGE_BUFFERS } from './limits.js';
import { MessageBuffer, type MessageBufferOwner } from './message-buffer.js';

/** HV_PORT_TYPE. T/L: HvPortTypeMessage 1, HvPortTypeEvent 2, HvPortTypeMonitor 3, Doorbell 4. */
export const HvPortType = {
  Message: 1,
  Event: 2,
  Monitor: 3,
  Doorbell: 4,
} as const;

/** The type-specific part of a port (HV_PORT_INFO). */
export interface PortInfo {
  readonly portType: number;
  readonly targetSint: number;
  /** A VP index, or HV_ANY_VP. */
  readonly targetVp: number;
  /** Event ports: first SIEF flag of the port's range. */
  readonly baseFlagNumber?: number;
  /** Event ports: number of flags in the range. */
  readonly flagCount?: number;
}

/** A port: the receiving end. Message ports own 16 message buffers. */
export class Port implements MessageBufferOwner {
  deleted = false;
  readonly type: number;
  readonly targetSint: number;
  /** A VP index, or HV_ANY_VP. */
  readonly targetVp: number;
  readonly baseFlagNumber: number;
  readonly flagCount: number;
  private readonly free: MessageBuffer[] = [];

  constructor(
    readonly partitionId: number,
    readonly id: number,
    info: PortInfo,
  ) {
    this.type = info.portType;
    this.targetSint = info.targetSint;
    this.targetVp = info.targetVp;
    this.baseFlagNumber = info.baseFlagNumber ?? 0;
    this.flagCount = info.flagCount ?? 0;
    if (this.type === HvPortType.Message) {
      for (let i = 0; i < HV_PORT_MESSAGE_BUFFERS; i++) this.free.push(new MessageBuffer(this));
    }
  }

  /** Message buffers not holding an undelivered message. */
  get freeBuffers(): number {
    return this.free.length;
  }

  /** Takes a free buffer, or null when all 16 hold queued messages (INSUFFICIENT_BUFFERS). */
  takeBuffer(): MessageBuffer | null {
    return this.free.length > 0 ? (this.free.pop() as MessageBuffer) : null;
  }

  /** A delivered (or dropped) message gives its buffer back; a deleted port keeps none. */
  returnBuffer(buffer: MessageBuffer): void {
    if (!this.deleted) this.free.push(buffer);
  }
}

/** A connection: the sending end, owned by the sending partition, bound to one port. */
export class Connection {
  constructor(
    readonly partitionId: number,
    readonly id: number,
    readonly port: Port,
  ) {}
}
