// How a job on a worker ended, as one discriminated union, and the pure mapping from every way a
// worker can end (its last message, an error event, an exit, a stop) to it. Train & Inspect,
// Compare and Find Learning Rate all read this one type. Pure: no vscode, no worker.

import { isOutOfMemoryMessage } from '../../engine/allocation';
import { notice } from '../notice';
import type { Finding, Problem } from '../../engine/types';
import type { WorkerToHost } from '../../protocol';
import type { RunData } from '../panel/runData';

export type JobOutcome =
  /** Ran to its end (or the lr sweep to its last point). */
  | { readonly kind: 'done' }
  /** Training produced NaN or Infinity and stopped there; the findings say where. */
  | { readonly kind: 'nonfinite' }
  /**
   * Stopped by the user. `reported`: the worker finished its step and sent what it had (the
   * partial run's findings); otherwise it was terminated and only the epochs streamed are kept.
   */
  | { readonly kind: 'cancelled'; readonly reported: boolean }
  /** The spec has errors; nothing was trained. */
  | { readonly kind: 'rejected'; readonly problems: readonly Problem[] }
  /** An exception in the worker, a crash, an unexpected exit, or a worker that could not start. */
  | { readonly kind: 'crashed'; readonly message: string }
  /** An allocation failed (typed array, WebAssembly memory, or the worker's heap). */
  | { readonly kind: 'outOfMemory'; readonly message: string };

export type JobOutcomeKind = JobOutcome['kind'];

/** The outcome a worker message means, for the messages that end a job; undefined for the others. */
export function outcomeOfMessage(msg: WorkerToHost, stopRequested: boolean): JobOutcome | undefined {
  switch (msg.type) {
    case 'done':
      switch (msg.report.stopped) {
        case 'cancelled':
          return { kind: 'cancelled', reported: true };
        case 'nonfinite':
          return { kind: 'nonfinite' };
        case 'outOfMemory':
          return { kind: 'outOfMemory', message: 'An allocation failed during training.' };
        case null:
          return { kind: 'done' };
      }
      break;
    case 'lrFound':
      // The sweep ends early with the points so far when cancelled, and reports them all the same.
      return stopRequested ? { kind: 'cancelled', reported: true } : { kind: 'done' };
    case 'rejected':
      return { kind: 'rejected', problems: msg.problems };
    case 'failed':
      return failure(msg.message);
    case 'started':
    case 'epochs':
      return undefined;
  }
}

/** An 'error' event of the worker (an uncaught exception, or its heap limit reached). */
export function outcomeOfError(err: { readonly message: string; readonly code?: unknown }): JobOutcome {
  if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') return { kind: 'outOfMemory', message: `The training worker ran out of memory: ${err.message}` };
  return failure(`The training worker crashed: ${err.message}`);
}

/** The worker's thread exited without a final message: a stop that terminated it, or a crash. */
export function outcomeOfExit(code: number, stopRequested: boolean): JobOutcome {
  return stopRequested ? { kind: 'cancelled', reported: false } : { kind: 'crashed', message: `The training worker exited unexpectedly (exit code ${code}).` };
}

function failure(message: string): JobOutcome {
  return isOutOfMemoryMessage(message) ? { kind: 'outOfMemory', message } : { kind: 'crashed', message };
}

const LOWER_MEMORY = "Lower the batch, the layers' width or the samples.";

/** A message as a sentence that another can follow. */
function sentence(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}

/** Whether the job trained something whose findings describe it (a complete or partial run). */
export function hasFindings(outcome: JobOutcome): boolean {
  return outcome.kind === 'done' || outcome.kind === 'nonfinite' || (outcome.kind === 'cancelled' && outcome.reported);
}

/** The findings of a stopped run say so: they describe the epochs trained, not the whole run. */
export function markStopped(findings: readonly Finding[], epochs: number, total: number): Finding[] {
  return findings.map((f) => ({ ...f, message: `${f.message} (From a run stopped at epoch ${epochs} of ${total}.)` }));
}

/** Folds the outcome into a run's data (a report already set its state; the other ends set it here). */
export function settle(data: RunData, outcome: JobOutcome): void {
  switch (outcome.kind) {
    case 'crashed':
      data.fail(outcome.message);
      return;
    case 'outOfMemory':
      data.fail(`${sentence(outcome.message)} ${LOWER_MEMORY}`);
      return;
    case 'rejected':
      data.fail(`${data.label} has errors, so it was not trained.`);
      return;
    case 'cancelled':
      data.cancel();
      return;
    case 'done':
    case 'nonfinite':
      return;
  }
}

/**
 * The error message the user sees for an outcome, or undefined when there is none to show
 * (`doing`: "training x.nnspec"; `notDone`: "it was not trained").
 */
export function failureMessage(outcome: JobOutcome, what: { readonly label: string; readonly doing: string; readonly notDone: string }): string | undefined {
  const text = failureText(outcome, what);
  return text === undefined ? undefined : notice(text);
}

function failureText(outcome: JobOutcome, what: { readonly label: string; readonly doing: string; readonly notDone: string }): string | undefined {
  switch (outcome.kind) {
    case 'crashed':
      return `Gradient Flow: ${what.doing} failed. ${sentence(outcome.message)}`;
    case 'outOfMemory':
      return `Gradient Flow: ${what.doing} ran out of memory. ${sentence(outcome.message)} ${LOWER_MEMORY}`;
    case 'rejected': {
      const first = outcome.problems.find((p) => p.severity === 'error');
      return `Gradient Flow: ${what.label} has errors, so ${what.notDone}.${first ? ` Line ${first.line}: ${first.message}` : ''}`;
    }
    case 'done':
    case 'nonfinite':
    case 'cancelled':
      return undefined;
  }
}
