// Timing helpers. Time is the benchmark process's CPU time (user + system, all its threads): on an
// idle machine it equals wall time for these single-threaded workloads, and on a shared one it
// leaves out the time slices other processes took, so that runs compare.

export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** CPU milliseconds used by this process so far. */
export function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Runs `step` for at least `ms` milliseconds (wall) and `minSteps` steps; returns steps per CPU second. */
export function stepsPerSecond(step: () => void, ms: number, minSteps = 3): number {
  const w0 = now();
  const c0 = cpuNow();
  let steps = 0;
  while (steps < minSteps || now() - w0 < ms) {
    step();
    steps++;
  }
  return (steps * 1000) / (cpuNow() - c0);
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
