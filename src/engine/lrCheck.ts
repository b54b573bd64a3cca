// The range test's suggestion checked against short trainings: the suggestion, three times it, a
// third of it and the file's own lr each train the same number of steps from the same initial
// weights, and the one whose weights end with the lowest loss over the whole training set trained
// best. The sweep only says where the loss fell fastest while lr kept rising; this says whether
// training at that lr actually beats the file's.

import type { Dataset, Spec } from './types';
import { Trainer } from './train';
import { shuffled } from './lrfind';
import { sci } from '../shared/numbers';

/** Why a learning rate is among the trials; one lr may be several (a file whose lr is the suggestion). */
export type LrRole = 'suggested' | 'suggested ×3' | 'suggested ÷3' | 'file';

export type LrTrialOutcome =
  | { readonly kind: 'trained'; readonly loss: number }
  /** The loss or a weight went NaN or infinite during the trial. */
  | { readonly kind: 'diverged'; readonly step: number };

export interface LrTrial {
  readonly lr: number;
  readonly roles: readonly LrRole[];
  readonly outcome: LrTrialOutcome;
}

export type LrVerdict =
  /** The trial with the lowest loss, clearly below the others. */
  | { readonly kind: 'best'; readonly lr: number }
  /** Every trial that trained ended within NO_DIFFERENCE of the lowest loss: lr is not what holds this network back. */
  | { readonly kind: 'noDifference' }
  | { readonly kind: 'allDiverged' };

export interface LrCheck {
  /** Mini-batch steps each trial trained. */
  readonly steps: number;
  readonly trials: readonly LrTrial[];
  readonly verdict: LrVerdict;
}

/** Losses within 1% of each other are the same result: a dead network at chance, say, at any lr. */
export const NO_DIFFERENCE = 0.01;

export interface LrCheckOptions {
  /** At most this many steps a trial (fewer when the file's own training is shorter). */
  readonly maxSteps?: number;
  readonly isCancelled?: () => boolean;
}

/** Three significant digits: the lr the check trains is the one "Use lr = X" writes. */
export function roundLr(lr: number): number {
  return Number(lr.toPrecision(3));
}

/** The candidates in the order they are shown: ÷3, suggested, ×3, then the file's lr where it differs. */
export function lrCandidates(suggested: number | null, fileLr: number): { lr: number; roles: LrRole[] }[] {
  const out: { lr: number; roles: LrRole[] }[] = [];
  const add = (lr: number, role: LrRole) => {
    const same = out.find((c) => c.lr === lr);
    if (same) same.roles.push(role);
    else out.push({ lr, roles: [role] });
  };
  if (suggested !== null) {
    add(roundLr(suggested / 3), 'suggested ÷3');
    add(roundLr(suggested), 'suggested');
    add(roundLr(suggested * 3), 'suggested ×3');
  }
  add(fileLr, 'file');
  return out;
}

/** Trains each candidate for the same steps and returns them with their losses; null when cancelled. */
export function checkLearningRates(spec: Spec, data: Dataset, suggested: number | null, options?: Omit<LrCheckOptions, 'isCancelled'>): LrCheck;
export function checkLearningRates(spec: Spec, data: Dataset, suggested: number | null, options: LrCheckOptions): LrCheck | null;
export function checkLearningRates(spec: Spec, data: Dataset, suggested: number | null, options: LrCheckOptions = {}): LrCheck | null {
  const batch = Math.max(1, Math.min(spec.train.batch, data.n));
  const perEpoch = Math.ceil(data.n / batch);
  const steps = Math.max(1, Math.min(options.maxSteps ?? 300, spec.train.epochs * perEpoch));
  // One shuffled order for every trial (the sweep's), so the trials differ only in lr.
  const order = shuffled(data, spec.train.seed + 1);
  const trials: LrTrial[] = [];
  for (const { lr, roles } of lrCandidates(suggested, spec.optimizer.lr)) {
    if (options.isCancelled?.()) return null;
    trials.push({ lr, roles, outcome: trial({ ...spec, optimizer: { ...spec.optimizer, lr } }, order, steps) });
  }
  return { steps, trials, verdict: verdictOf(trials) };
}

function verdictOf(trials: readonly LrTrial[]): LrVerdict {
  const trained = trials.flatMap((t) => (t.outcome.kind === 'trained' ? [{ lr: t.lr, loss: t.outcome.loss }] : []));
  if (trained.length === 0) return { kind: 'allDiverged' };
  const best = trained.reduce((a, b) => (b.loss < a.loss ? b : a));
  const clear = trained.length === 1 || trained.some((t) => t.loss > best.loss * (1 + NO_DIFFERENCE));
  return clear ? { kind: 'best', lr: best.lr } : { kind: 'noDifference' };
}

function trial(spec: Spec, data: Dataset, steps: number): LrTrialOutcome {
  const trainer = new Trainer(spec, data, { statistics: false });
  const batch = trainer.net.batch;
  let start = 0;
  for (let i = 0; i < steps; i++) {
    const nb = Math.min(batch, data.n - start);
    trainer.loadBatch(start, nb);
    trainer.forward(nb);
    if (!Number.isFinite(trainer.outputGradient(nb).loss)) return { kind: 'diverged', step: i + 1 };
    trainer.backward(nb);
    trainer.update(nb);
    start = start + nb >= data.n ? 0 : start + nb;
  }
  // The loss of the trained weights over every sample (evaluation mode: batch norm's running statistics).
  let sum = 0;
  for (let s = 0; s < data.n; s += batch) {
    const nb = Math.min(batch, data.n - s);
    trainer.loadBatch(s, nb);
    trainer.forward(nb, false);
    sum += trainer.outputGradient(nb).loss * nb;
  }
  const loss = sum / data.n;
  return Number.isFinite(loss) ? { kind: 'trained', loss } : { kind: 'diverged', step: steps };
}

/** A trial's loss in prose ("0.513", or "diverged at step 12"). */
export function trialResult(t: LrTrial): string {
  return t.outcome.kind === 'trained' ? sci(t.outcome.loss) : `diverged at step ${t.outcome.step}`;
}

/** What the check found, in one sentence: the CLI prints it, the editor's notification and panel show it. */
export function lrCheckSummary(check: LrCheck): string {
  const { verdict, trials, steps } = check;
  const file = trials.find((t) => t.roles.includes('file'));
  const suggested = trials.find((t) => t.roles.includes('suggested'));
  switch (verdict.kind) {
    case 'allDiverged':
      return `Every lr tried diverged within ${steps} steps: lower the learning rate, or add clip= to the optimizer.`;
    case 'noDifference': {
      const losses = trials.flatMap((t) => (t.outcome.kind === 'trained' ? [t.outcome.loss] : []));
      return `Every lr tried ended at the same loss (within ${NO_DIFFERENCE * 100}%, about ${sci(Math.min(...losses))}) after ${steps} steps: the learning rate is not what holds this network back; look for dead or vanishing layers first.`;
    }
    case 'best': {
      const best = trials.find((t) => t.lr === verdict.lr);
      if (!best) return '';
      if (best === file) {
        const other = suggested && suggested !== file ? `; the suggestion ${sci(suggested.lr)}: ${trialResult(suggested)}` : '';
        return `The file's lr = ${sci(best.lr)} trained best in ${steps} steps (loss ${trialResult(best)}${other}): the suggestion does not beat it.`;
      }
      const against = file ? `; the file's lr = ${sci(file.lr)}: ${trialResult(file)}` : '';
      return `lr = ${sci(best.lr)} (${best.roles.join(', ')}) trained best in ${steps} steps: loss ${trialResult(best)}${against}.`;
    }
  }
}
