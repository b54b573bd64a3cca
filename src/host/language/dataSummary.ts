// What the data line's hover says about the data a check loaded: its shape (samples × features)
// and, for classes, how many samples each holds, so a user sees "784 inputs, 10 classes, 100 of
// each" on the line that reads them. Kept per document from the latest check (diagnostics.ts), as
// numbers only: the data themselves stay in the data cache. Pure: no vscode.

import type { Dataset } from '../../engine/types';
import { escapeMarkdown } from './hoverText';

export interface DataSummary {
  readonly samples: number;
  readonly features: number;
  /** Per class, in class order: its name and its number of samples; empty for a real-valued target. */
  readonly classes: readonly { readonly name: string; readonly count: number }[];
}

export function summarizeData(d: Dataset): DataSummary {
  const counts = new Array<number>(d.classes).fill(0);
  for (let i = 0; i < d.n; i++) {
    const c = d.y[i];
    if (c >= 0 && c < d.classes) counts[c]++;
  }
  return { samples: d.n, features: d.features, classes: counts.map((count, c) => ({ name: d.classNames[c] ?? String(c), count })) };
}

/** Classes listed in the hover's table; a hover is no place for EMNIST's 62 rows. */
const TABLE_ROWS = 20;

const n = (v: number): string => v.toLocaleString('en-US');

/** Markdown for the hover: the shape, then the classes' counts with the largest and smallest share. */
export function dataSummaryHover(s: DataSummary): string {
  const shape = `**Loaded**: ${n(s.samples)} samples × ${n(s.features)} ${s.features === 1 ? 'feature' : 'features'} (the network's inputs)`;
  if (s.classes.length === 0) return `${shape}, a real-valued target.`;
  const counts = s.classes.map((c) => c.count);
  const most = Math.max(...counts);
  const least = Math.min(...counts);
  const balance =
    most === least
      ? `balanced: ${n(most)} each`
      : `from ${n(least)} to ${n(most)} a class (the largest ${(most / Math.max(least, 1)).toFixed(1)}× the smallest${least === 0 ? '; a class has no samples' : ''})`;
  const rows = s.classes
    .slice(0, TABLE_ROWS)
    .map((c) => `| ${escapeMarkdown(c.name)} | ${n(c.count)} | ${((100 * c.count) / Math.max(s.samples, 1)).toFixed(1)}% |`);
  const more = s.classes.length > TABLE_ROWS ? `\n\n… and ${n(s.classes.length - TABLE_ROWS)} more classes.` : '';
  return `${shape}, ${s.classes.length} classes, ${balance}.\n\n${['| class | samples | share |', '|---|---:|---:|', ...rows].join('\n')}${more}`;
}
