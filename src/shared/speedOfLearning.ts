// Nielsen's "speed of learning" (Neural Networks and Deep Learning, ch. 5): each hidden layer's
// ‖∂L/∂b‖, and how many times slower the first hidden layer learns than the last. One reading for
// the CLI's closing lines and the panel's readout, so the terminal and the panel say the same.

/** The hidden layers' ‖∂L/∂b‖ at one record, input side first, and the first against the last. */
export interface SpeedOfLearning {
  readonly hidden: readonly number[];
  /**
   * The last hidden layer's ‖∂L/∂b‖ over the first's: above 1 when the first learns slower.
   * Null when the first is 0 or either is not finite (no ratio to speak of).
   */
  readonly slower: number | null;
}

/**
 * From one record's ‖∂L/∂b‖ of every layer, the output layer last (a record's `layers` order):
 * null without two hidden layers, where "the first against the last" means nothing.
 */
export function speedOfLearning(biasGradNorms: readonly number[]): SpeedOfLearning | null {
  const hidden = biasGradNorms.slice(0, -1);
  if (hidden.length < 2) return null;
  const first = hidden[0] as number;
  const last = hidden[hidden.length - 1] as number;
  const slower = first > 0 && Number.isFinite(first) && Number.isFinite(last) ? last / first : null;
  return { hidden, slower };
}

/** "the first 81× slower than the last" (or "… faster …"), two significant digits; '' without a ratio. */
export function slowerPhrase(s: SpeedOfLearning): string {
  if (s.slower === null) return '';
  if (s.slower >= 1) return `the first ${Number(s.slower.toPrecision(2))}× slower than the last`;
  return `the first ${Number((1 / s.slower).toPrecision(2))}× faster than the last`;
}
