// At most `limit` tasks at once, the rest queued in order: Compare trains its variants through one
// of these, so it never starts more worker threads than `nnspec.maxWorkers`. Pure: no vscode.

export class WorkerPool {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  /** The most tasks that ran at the same time (for tests and the outcome). */
  peak = 0;

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError(`a worker pool needs a limit of at least 1, not ${limit}`);
  }

  /** Runs `task` as soon as a slot is free; a task that throws frees its slot all the same. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the first in the queue, so nobody jumps it.
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.running++;
    this.peak = Math.max(this.peak, this.running);
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }
  }

  get active(): number {
    return this.running;
  }

  get waiting(): number {
    return this.queue.length;
  }
}

/** The worker limit a setting means: a positive integer as it is, anything else the number of cores. */
export function workerLimit(setting: unknown, cores: number): number {
  if (typeof setting === 'number' && Number.isFinite(setting) && setting >= 1) return Math.floor(setting);
  return Math.max(1, Math.floor(cores) || 1);
}
