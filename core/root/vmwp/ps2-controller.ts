/**
 * The emulated i8042 PS/2 controller in a VM's worker process (rule 21). A console event becomes
 * bytes in the controller's queue — 3 for a mouse movement packet, 1 for a key's make code — and
 * the controller presents them one at a time: it loads a byte into its output buffer, sets OBF
 * (and AUXDATA for mouse bytes) and raises the interrupt; the guest reads the status port and the
 * data port (two intercepted accesses) and the controller loads the next byte and interrupts again.
 *
 * The launcher gives each emulated device one interrupt line; here it stands for both IRQ 1 and
 * IRQ 12 — the guest's handler tells them apart by AUXDATA, as Linux's i8042_interrupt does.
 */
import type { EventType, Ns } from '../../engine/index.js';
import { WorkClass } from '../../host/cpu.js';
import type { VpId } from '../../scheduler/index.js';
import type { ConsoleInputKind, ConsoleInputSink } from './console.js';
import type { EmulatedDeviceModel, PortAccess, PortAnswer, PortRange } from './device-model.js';
import { I8042Port, I8042Status, PS2_MOUSE_SYNC_BIT } from './ps2-i8042.js';
import type { EmulationContext } from './registry.js';

// estimate: the worker's model decoding one i8042 register access.
export const PS2_REGISTER_NS: Ns = 300;
// estimate: the worker turning a console event into keyboard/mouse bytes for the controller.
export const PS2_INJECT_NS: Ns = 2_000;
/** Bytes the devices behind the controller buffer (the mouse's and keyboard's own FIFOs). */
export const PS2_QUEUE_BYTES = 64;

export class Ps2ControllerModel implements EmulatedDeviceModel, ConsoleInputSink {
  readonly name = 'i8042 PS/2 keyboard and mouse controller (emulated)';
  readonly ports: readonly PortRange[] = [
    { base: I8042Port.DATA, end: I8042Port.DATA },
    { base: I8042Port.STATUS_COMMAND, end: I8042Port.STATUS_COMMAND },
  ];
  private readonly bytes = new Uint8Array(PS2_QUEUE_BYTES);
  private readonly aux = new Uint8Array(PS2_QUEUE_BYTES);
  private head = 0;
  private count = 0;
  private status: number = I8042Status.SYS;
  private output = 0;
  private command = 0;
  private readonly rootVp: VpId;
  private readonly injectEvent: EventType<ConsoleInputKind>;
  /** Console events taken, dropped for lack of room, bytes the guest read. */
  events = 0;
  dropped = 0;
  bytesRead = 0;

  constructor(private readonly ctx: EmulationContext) {
    this.rootVp = ctx.cpu.vp(ctx.rootPartitionId, ctx.rootVpIndex);
    this.injectEvent = ctx.engine.define<ConsoleInputKind>(
      `ps2:${ctx.vm}:${ctx.device.spec.id}:inject`,
      (kind) => {
        this.inject(kind);
      },
    );
    ctx.console.attachEmulated(ctx.device.spec.id, this);
  }

  /** ConsoleInputSink: the user moved the mouse or pressed a key. */
  consoleInput(kind: ConsoleInputKind): void {
    this.ctx.cpu.run(this.rootVp, PS2_INJECT_NS, WorkClass.Thread, this.injectEvent, kind);
  }

  onAccess(a: PortAccess): PortAnswer {
    const cost = PS2_REGISTER_NS;
    if (a.port === I8042Port.STATUS_COMMAND) {
      if (a.write) this.command = a.value & 0xff; // controller commands are accepted, not modelled
      return a.write ? { costNs: cost } : { value: this.status, costNs: cost };
    }
    if (a.write) return { costNs: cost }; // device commands (e.g. after 0xD4) are not modelled
    const value = this.output;
    if ((this.status & I8042Status.OBF) !== 0) {
      this.bytesRead++;
      this.status &= ~(I8042Status.OBF | I8042Status.AUXDATA);
      this.loadNext();
    }
    return { value, costNs: cost };
  }

  /** The last controller command the guest wrote to 0x64. */
  get lastCommand(): number {
    return this.command;
  }

  private inject(kind: ConsoleInputKind): void {
    const n = kind === 'pointer' ? 3 : 1;
    if (this.count + n > PS2_QUEUE_BYTES) {
      this.dropped++;
      return;
    }
    this.events++;
    if (kind === 'pointer') {
      // A small movement right and down, no buttons: sync bit, then dx, dy.
      this.push(PS2_MOUSE_SYNC_BIT, true);
      this.push(1 + (this.events % 4), true);
      this.push(1 + (this.events % 3), true);
    } else {
      this.push(0x1e, false); // make code of 'A' (scan code set 1)
    }
    if ((this.status & I8042Status.OBF) === 0) this.loadNext();
  }

  private push(byte: number, aux: boolean): void {
    const at = (this.head + this.count) % PS2_QUEUE_BYTES;
    this.bytes[at] = byte;
    this.aux[at] = aux ? 1 : 0;
    this.count++;
  }

  /** Moves the next queued byte into the output buffer and interrupts. */
  private loadNext(): void {
    if (this.count === 0) return;
    this.output = this.bytes[this.head];
    const aux = this.aux[this.head] !== 0;
    this.head = (this.head + 1) % PS2_QUEUE_BYTES;
    this.count--;
    this.status |= I8042Status.OBF | (aux ? I8042Status.AUXDATA : 0);
    this.ctx.irq.assert(this.rootVp);
  }
}
