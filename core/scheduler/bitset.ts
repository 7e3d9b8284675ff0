/** A fixed-size set of small integers with a fast "lowest member" (idle-LP and idle-core sets). */
export class Bitset {
  private readonly words: Int32Array;

  constructor(readonly capacity: number) {
    this.words = new Int32Array((capacity + 31) >> 5);
  }

  add(i: number): void {
    this.words[i >> 5] |= 1 << (i & 31);
  }

  delete(i: number): void {
    this.words[i >> 5] &= ~(1 << (i & 31));
  }

  has(i: number): boolean {
    return (this.words[i >> 5] & (1 << (i & 31))) !== 0;
  }

  /** The lowest member, or -1 when empty. */
  first(): number {
    const words = this.words;
    for (let w = 0; w < words.length; w++) {
      const bits = words[w];
      if (bits !== 0) return (w << 5) + 31 - Math.clz32(bits & -bits);
    }
    return -1;
  }
}
