// Compare as data: the variants offered in the picker (the engine's activation, optimizer and
// learning-rate variants, each once), the verdict line under a variant's heatmap at every stage of
// its run, and the line edits that turn the file into a variant. Pure: no vscode.

import type { EpochRecord, Spec } from '../../engine/types';
import { variantsOf, verdict, type Variant } from '../../engine/variants';
import type { RunData } from '../panel/runData';

export type VariantGroup = 'Activations and inits' | 'Residual and normalization' | 'Optimizers' | 'Learning rates';

export interface VariantChoice {
  readonly variant: Variant;
  readonly group: VariantGroup;
  /** Selected when the picker opens: the file as written and the three activation variants. */
  readonly picked: boolean;
}

/**
 * Every variant of the file: the file as written and the activation variants (picked), then the
 * cures (+ residual, + layer norm, + batch norm), the optimizer and the learning-rate variants. A variant whose text is the same as an earlier one's (relu
 * + he_normal of a file that already is, say) is left out, so no two choices train the same thing.
 */
export function variantChoices(text: string, spec: Spec): VariantChoice[] {
  const groups: [VariantGroup, Variant[], boolean][] = [
    ['Activations and inits', variantsOf(text, spec, 'activations'), true],
    ['Residual and normalization', variantsOf(text, spec, 'cures'), false],
    ['Optimizers', variantsOf(text, spec, 'optimizers'), false],
    ['Learning rates', variantsOf(text, spec, 'learningRates'), false],
  ];
  const seenText = new Set<string>();
  const seenId = new Set<string>();
  const out: VariantChoice[] = [];
  for (const [group, variants, picked] of groups) {
    for (const variant of variants) {
      if (seenText.has(variant.text) || seenId.has(variant.id)) continue;
      seenText.add(variant.text);
      seenId.add(variant.id);
      out.push({ variant, group, picked });
    }
  }
  return out;
}

/** The line under a variant's heatmap: queued, training, its verdict, or why it has none. */
export function variantVerdict(run: RunData, started: boolean): string {
  switch (run.state) {
    case 'running':
      if (!started) return 'queued: waiting for a free worker';
      return run.totalEpochs > 0 ? `training: epoch ${run.epochCount} of ${run.totalEpochs}` : 'training';
    case 'failed':
      return `failed: ${run.error ?? 'unknown error'}`;
    case 'cancelled':
      if (!started) return 'stopped before it started';
      return run.epochCount === 0 ? 'stopped before its first epoch' : `stopped at epoch ${run.epochCount}: ${verdict(lastOf(run), run.findings)}`;
    case 'done':
    case 'nonfinite':
      return verdict(lastOf(run), run.findings);
  }
}

/** The verdict reads the last epoch only. */
function lastOf(run: RunData): EpochRecord[] {
  const last = run.lastRecord();
  return last ? [last] : [];
}

export interface LineChange {
  /** 0-based line. */
  readonly line: number;
  readonly text: string;
}

/**
 * The lines to replace to turn `from` into `to` when both have the same number of lines (a variant
 * changes lines, never adds them), so the edit touches only those and the cursor and folding keep
 * their places; null when the line counts differ (then the whole text is replaced).
 */
export function lineChanges(from: string, to: string): LineChange[] | null {
  const a = from.split(/\r\n|\r|\n/);
  const b = to.split(/\r\n|\r|\n/);
  if (a.length !== b.length) return null;
  const out: LineChange[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) out.push({ line: i, text: b[i] });
  return out;
}
