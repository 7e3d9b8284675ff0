/**
 * The guest's i8042 driver and PS/2 mouse protocol (Linux i8042 + psmouse, in essence). Each
 * interrupt the controller raises is one byte: the handler reads the status port (0x64) and, if
 * the output buffer is full, the data port (0x60) — two intercepted accesses per byte (rule 21).
 * Mouse bytes are gathered into 3-byte movement packets; a complete packet (or a keyboard byte)
 * is one input event for the input layer. While the handler runs, a new interrupt on the line
 * waits (the line is masked until the handler returns).
 */
import type { Ns } from '../../../engine/index.js';
import { WorkClass } from '../../../host/cpu.js';
import {
  I8042Port,
  I8042Status,
  PS2_MOUSE_PACKET_BYTES,
  PS2_MOUSE_SYNC_BIT,
} from '../../../root/vmwp/ps2-i8042.js';
import type { LegacyDriverContext } from '../../../root/vmwp/registry.js';
import type { IrqHandler } from '../../../root/vmwp/virtual-irq.js';
import type { InputDriver, InputEventSink } from '../../stacks/input-stack.js';
import type { GuestDevice } from '../../stacks/types.js';
import type { PortContinuation } from './port-io.js';

// estimate: the serio/psmouse (or atkbd) work on one byte besides its port accesses.
export const PS2_BYTE_NS: Ns = 1_000;
/** The handler runs on the interrupt's target VP. */
const ISR_VP = 0;

export class LegacyPs2Driver implements InputDriver, IrqHandler, PortContinuation {
  readonly ready = true;
  readonly dead = false;
  sink: InputEventSink | null = null;
  private inHandler = false;
  private waitingInterrupts = 0;
  private readingData = false;
  private status = 0;
  private packetBytes = 0;
  /** Input events delivered, bytes read, mouse bytes dropped to resynchronise. */
  events = 0;
  bytes = 0;
  resyncs = 0;

  constructor(
    private readonly ctx: LegacyDriverContext,
    readonly device: GuestDevice,
  ) {
    ctx.irq.connect(this);
  }

  /** IrqHandler: IRQ 1/12 — one byte is waiting. */
  interrupt(): void {
    if (this.inHandler) {
      this.waitingInterrupts++;
      return;
    }
    this.handle();
  }

  private handle(): void {
    this.inHandler = true;
    this.readingData = false;
    this.ctx.ports.access(ISR_VP, I8042Port.STATUS_COMMAND, 1, false, 0, this);
  }

  /** PortContinuation: the status or data read completed. */
  portDone(value: number): void {
    if (!this.readingData) {
      if ((value & I8042Status.OBF) === 0) {
        this.endHandler(); // nothing there (another handler already took the byte)
        return;
      }
      this.status = value;
      this.readingData = true;
      this.ctx.ports.access(ISR_VP, I8042Port.DATA, 1, false, 0, this);
      return;
    }
    this.bytes++;
    if ((this.status & I8042Status.AUXDATA) !== 0) this.mouseByte(value & 0xff);
    else this.deliver(); // a keyboard byte is an event of its own
    this.endHandler();
  }

  private mouseByte(byte: number): void {
    if (this.packetBytes === 0 && (byte & PS2_MOUSE_SYNC_BIT) === 0) {
      this.resyncs++; // L: psmouse drops bytes until a packet start
      return;
    }
    this.packetBytes++;
    if (this.packetBytes < PS2_MOUSE_PACKET_BYTES) return;
    this.packetBytes = 0;
    this.deliver();
  }

  private deliver(): void {
    this.events++;
    this.sink?.inputEvent(this.device);
  }

  private endHandler(): void {
    this.ctx.cpu.charge(this.ctx.vpIds[ISR_VP], PS2_BYTE_NS, WorkClass.Interrupt);
    this.inHandler = false;
    if (this.waitingInterrupts > 0) {
      this.waitingInterrupts--;
      this.handle();
    }
  }
}
