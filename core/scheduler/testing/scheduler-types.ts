/** Test support for the scheduler (not part of its API). */
import type { SchedulerType } from '../../model/index.js';

/** Every scheduler type, for tests that must hold under all three. */
export const SCHEDULER_TYPES: readonly SchedulerType[] = ['classic', 'core', 'root'];
