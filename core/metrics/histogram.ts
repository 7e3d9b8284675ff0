/**
 * A deterministic log-linear histogram for latencies in nanoseconds (the HdrHistogram idea):
 * every power of two is split into 32 linear sub-buckets, so any recorded value is reported within
 * ~3 % and percentiles are reproducible bit for bit — no sampling, no floating-point drift.
 */
const SUB_BITS = 5;
const SUB_COUNT = 1 << SUB_BITS; // 32 sub-buckets per power of two
const MAX_EXPONENT = 48; // values up to 2^48 ns ≈ 3.3 days
const BUCKETS = (MAX_EXPONENT + 1) * SUB_COUNT;

export class LatencyHistogram {
  /**
   * Bucket counts, allocated on the first record: a host has three histograms per VM (1024 VMs on
   * the largest host) and many stay empty (e.g. network latency of a VM without a NIC).
   */
  private counts: Float64Array | null = null;
  private total = 0;
  private sum = 0;
  private minValue = Infinity;
  private maxValue = 0;

  /** Records one value (ns; negative values count as 0). */
  record(valueNs: number): void {
    const v = valueNs > 0 ? Math.round(valueNs) : 0;
    (this.counts ??= new Float64Array(BUCKETS))[bucketOf(v)] += 1;
    this.total++;
    this.sum += v;
    if (v < this.minValue) this.minValue = v;
    if (v > this.maxValue) this.maxValue = v;
  }

  get count(): number {
    return this.total;
  }

  get mean(): number {
    return this.total === 0 ? 0 : this.sum / this.total;
  }

  get min(): number {
    return this.total === 0 ? 0 : this.minValue;
  }

  get max(): number {
    return this.maxValue;
  }

  /**
   * The value at quantile `q` (0..1): the upper edge of the bucket holding the ⌈q·n⌉-th smallest
   * value, never above the largest value recorded. 0 when empty.
   */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    const counts = this.counts;
    if (counts === null) return this.maxValue;
    for (let b = 0; b < counts.length; b++) {
      seen += counts[b];
      if (seen >= rank) return Math.min(upperEdge(b), this.maxValue);
    }
    return this.maxValue;
  }

  /** Adds every value of another histogram to this one. */
  merge(other: LatencyHistogram): void {
    if (other.counts !== null) {
      const counts = (this.counts ??= new Float64Array(BUCKETS));
      for (let b = 0; b < counts.length; b++) counts[b] += other.counts[b];
    }
    this.total += other.total;
    this.sum += other.sum;
    if (other.total > 0) {
      this.minValue = Math.min(this.minValue, other.minValue);
      this.maxValue = Math.max(this.maxValue, other.maxValue);
    }
  }

  reset(): void {
    this.counts?.fill(0);
    this.total = 0;
    this.sum = 0;
    this.minValue = Infinity;
    this.maxValue = 0;
  }
}

/** Bucket index of a non-negative integer value. */
function bucketOf(v: number): number {
  if (v < SUB_COUNT) return v; // exponent 0 row holds 0..31 exactly
  let exponent: number;
  if (v < 4294967296) exponent = 31 - Math.clz32(v);
  else exponent = 32 + (31 - Math.clz32(Math.floor(v / 4294967296)));
  if (exponent > MAX_EXPONENT) return (MAX_EXPONENT + 1) * SUB_COUNT - 1;
  const shift = exponent - SUB_BITS;
  const sub = Math.floor(v / 2 ** shift) - SUB_COUNT; // 0..31
  return (exponent - SUB_BITS + 1) * SUB_COUNT + sub;
}

/** Largest value that falls in bucket `b`. */
function upperEdge(b: number): number {
  const row = Math.floor(b / SUB_COUNT);
  const sub = b % SUB_COUNT;
  if (row === 0) return sub;
  const shift = row - 1;
  return (SUB_COUNT + sub + 1) * 2 ** shift - 1;
}
