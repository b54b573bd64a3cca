// Which epochs of a long run keep their histograms: an evenly spaced grid of epoch indices plus the
// latest, the grid's spacing doubling (every other one dropped) whenever it holds more than the
// budget. Used by the engine's EpochHistory and by the host's store of a run for the panel.

export class ThinnedHistograms<H> {
  private readonly kept = new Map<number, H>();
  private spacing = 1;
  private latest = -1;

  /**
   * @param offset Index i is on the grid when i + offset is a multiple of the spacing: 0 keeps the
   * first epoch of each group of `spacing`, 1 the last (the epoch that ends a panel bucket).
   */
  constructor(private readonly offset: 0 | 1) {}

  /** Epochs between kept ones on the grid, a power of two. */
  get stride(): number {
    return this.spacing;
  }

  get(i: number): H | undefined {
    return this.kept.get(i);
  }

  /** Indices that kept their histograms, ascending. */
  indices(): number[] {
    return [...this.kept.keys()].sort((a, b) => a - b);
  }

  values(): IterableIterator<H> {
    return this.kept.values();
  }

  /** Keeps the histograms of index `i` (the newest so far) while at most `budget` grid indices are kept. */
  keep(i: number, histograms: H, budget: number): void {
    const previous = this.latest;
    if (previous >= 0 && !this.onGrid(previous)) this.kept.delete(previous);
    this.kept.set(i, histograms);
    this.latest = i;
    // Every grid index up to i is kept (a coarser grid is a subset of a finer one), so they number
    // the multiples of the spacing in [offset, i + offset].
    while (Math.floor((i + this.offset) / this.spacing) + 1 - this.offset > budget) {
      this.spacing *= 2;
      for (const k of [...this.kept.keys()]) if (!this.onGrid(k) && k !== i) this.kept.delete(k);
    }
  }

  private onGrid(i: number): boolean {
    return (i + this.offset) % this.spacing === 0;
  }
}
