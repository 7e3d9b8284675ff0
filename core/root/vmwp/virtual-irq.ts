/**
 * A legacy device's interrupt line into a generation 1 guest (the emulated PIC/IOAPIC): the worker
 * process asserts it (the VID asks the hypervisor to inject the virtual interrupt), and the guest's
 * interrupt handler runs on the VP the line targets.
 */
import type { EventType, Ns, SimEngine } from '../../engine/index.js';
import type { HostCpu } from '../../host/cpu.js';
import { WorkClass } from '../../host/cpu.js';

// estimate: HvCallAssertVirtualInterrupt from the root, ~1.5 µs of root CPU.
export const ASSERT_INTERRUPT_ROOT_NS: Ns = 1_500;
// estimate: the guest's interrupt entry for a legacy line (IOAPIC EOI is itself an exit).
export const LEGACY_INTERRUPT_GUEST_NS: Ns = 3_000;

export interface IrqHandler {
  /** The guest's ISR for the line runs (on the target VP). */
  interrupt(): void;
}

export class VirtualIrq {
  private handler: IrqHandler | null = null;
  private readonly fire: EventType<VirtualIrq>;
  asserted = 0;

  constructor(
    engine: SimEngine,
    private readonly cpu: HostCpu,
    private readonly guestVp: number,
    readonly name: string,
  ) {
    this.fire = engine.define<VirtualIrq>(`irq:${name}`, (irq) => {
      irq.handler?.interrupt();
    });
  }

  /** The guest driver installs its ISR. */
  connect(handler: IrqHandler): void {
    this.handler = handler;
  }

  /**
   * The device model raises the line (from root work on `rootVp`): the root pays the injection,
   * the guest VP runs its ISR.
   */
  assert(rootVp: number): void {
    this.asserted++;
    this.cpu.charge(rootVp, ASSERT_INTERRUPT_ROOT_NS, WorkClass.Thread);
    this.cpu.run(this.guestVp, LEGACY_INTERRUPT_GUEST_NS, WorkClass.Interrupt, this.fire, this);
  }
}
