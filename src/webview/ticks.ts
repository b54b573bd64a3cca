// Round steps between axis ticks, shared by the heatmap's and the loss chart's axes.

/** A round step, 1, 2 or 5 × 10^k and at least `least`, giving at most about `max` ticks over `span`. */
export function niceStep(span: number, max: number, least = Number.MIN_VALUE): number {
  const raw = Math.max(least, span / max);
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}
