// "did you mean …" for misspelt words.

/** The closest candidate within a distance that grows with the word's length, or null. */
export function closest(word: string, candidates: readonly string[]): string | null {
  const w = word.toLowerCase();
  const allowed = Math.max(1, Math.min(3, Math.floor(w.length / 3)));
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    // The distance is at least the difference in length: a word longer than any candidate by more
    // than `allowed` is never measured, so a huge word costs nothing here.
    if (Math.abs(c.length - w.length) > allowed) continue;
    const d = c === w ? 0 : editDistance(w, c);
    // On a tie, the candidate with the same first letter is the likelier intent ("bse" → bce).
    if (d < bestD || (d === bestD && best !== null && best[0] !== w[0] && c[0] === w[0])) {
      bestD = d;
      best = c;
    }
  }
  return best !== null && bestD <= allowed ? best : null;
}

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j] + 1, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2] + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1];
}

export function didYouMean(word: string, candidates: readonly string[]): string {
  const c = closest(word, candidates);
  return c ? ` Did you mean \`${c}\`?` : '';
}
