// Timing helpers: steps per second of a step function over a time slice, and medians.

export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Runs `step` for at least `ms` milliseconds and `minSteps` steps; returns steps per second. */
export function stepsPerSecond(step: () => void, ms: number, minSteps = 3): number {
  const t0 = now();
  let steps = 0;
  let t = t0;
  while (steps < minSteps || t - t0 < ms) {
    step();
    steps++;
    t = now();
  }
  return (steps * 1000) / (t - t0);
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
