import { HyperkataError } from '../model/index.js';

/** What went wrong in a call to the scheduler (a bug in the caller, never guest data). */
export type SchedulerErrorReason =
  'unknown-vp' | 'unknown-partition' | 'duplicate-partition' | 'limit-exceeded' | 'invalid-cost';

/** A call the scheduler cannot honour: an unknown VP, a negative cost, a host limit passed. */
export class SchedulerError extends HyperkataError {
  declare readonly kind: 'scheduler';

  constructor(
    readonly reason: SchedulerErrorReason,
    message: string,
  ) {
    super('scheduler', message);
    this.name = 'SchedulerError';
  }

  static override is(value: unknown): value is SchedulerError {
    return value instanceof SchedulerError;
  }
}
