/**
 * Turns the work a sandboxed plugin did (interrupts counted by its realm) into root CPU time.
 * Work is measured in lumps of one interrupt; a call pays its own lumps in full and at most
 * {@link AMORTIZED_NS_PER_CALL} of earlier ones, so the total charged equals the work measured
 * while no single cheap call carries a whole lump. Integers in, integers out: no wall clock.
 */
import type { Ns } from '../../core/engine/index.js';
import { AMORTIZED_NS_PER_CALL, NS_PER_INTERRUPT, SANDBOX_CROSSING_NS } from './limits.js';

/** What every instance of a plugin charged, ns (shared by their meters). */
export interface ChargeTotal {
  ns: Ns;
}

export class SandboxCpuMeter {
  /** Measured work not charged yet, ns. */
  private owed: Ns = 0;
  /** Everything this instance charged so far, ns (the crossings included). */
  charged: Ns = 0;

  constructor(private readonly total: ChargeTotal = { ns: 0 }) {}

  /** The CPU time to charge for a call during which the realm counted `interrupts`. */
  chargeFor(interrupts: number): Ns {
    const measured = interrupts * NS_PER_INTERRUPT;
    this.owed += measured;
    const pay = Math.min(this.owed, Math.max(measured, AMORTIZED_NS_PER_CALL));
    this.owed -= pay;
    const ns = SANDBOX_CROSSING_NS + pay;
    this.charged += ns;
    this.total.ns += ns;
    return ns;
  }
}
