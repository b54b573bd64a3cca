// Coalesces a fast stream of updates into at most one delivery per interval (the panel gets about
// ten progress messages a second however fast the epochs come). Pure: the clock and the timer are
// injected, so tests drive them.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Collects items with `push` and hands them to `deliver` in batches: at once if the last delivery
 * was at least `intervalMs` ago, else when the interval has passed. `flush` delivers what is
 * pending now (at the end of a run).
 */
export class Batcher<T> {
  private pending: T[] = [];
  private last = -Infinity;
  private timer: unknown = undefined;

  constructor(
    private readonly deliver: (items: T[]) => void,
    private readonly intervalMs = 100,
    private readonly clock: Clock = systemClock,
  ) {}

  push(item: T): void {
    this.pending.push(item);
    if (this.timer !== undefined) return;
    const wait = this.last + this.intervalMs - this.clock.now();
    if (wait <= 0) this.flush();
    else this.timer = this.clock.setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.last = this.clock.now();
    this.deliver(items);
  }

  /** Drops what is pending (the run was replaced). */
  dispose(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }
}
