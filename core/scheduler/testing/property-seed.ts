/**
 * The fast-check seed of the scheduler's property tests. Fixed, so a failure names its
 * counterexample and replays the same on every machine (change it to explore other draws).
 */
export const PROPERTY_SEED = 20_261_127;
