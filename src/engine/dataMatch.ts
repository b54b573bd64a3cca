// Whether the network fits its data: `input` against the features, the output layer and the loss
// against the classes. The parser calls it when the source knows its shape without files (the
// generated sets); check() calls it once the files are loaded. The places to blame are kept by
// the parser as MatchSites, so the check needs no second parse.

import type { ActivationName, LossName, Problem, ProblemCode, SourceRange } from './types';
import type { DataShape } from './data/sources';
import { LIMITS } from './vocabulary';

export interface MatchSites {
  /** The `input N` value, when valid. */
  readonly input: { readonly value: number; readonly at: SourceRange } | null;
  /**
   * The output layer (the last `dense` line), when valid, and where a loss that does not fit the
   * data is blamed: the `loss` value, else the output's activation.
   */
  readonly output: { readonly units: number; readonly activation: ActivationName; readonly unitsAt: SourceRange; readonly lossAt: SourceRange } | null;
  readonly loss: LossName;
}

const problem = (code: ProblemCode, message: string, at: SourceRange): Problem => ({ severity: 'error', code, message, ...at });

export function dataMismatches(shape: DataShape, sites: MatchSites): Problem[] {
  const problems: Problem[] = [];
  const { features, classes } = shape;
  const { input, output: out, loss } = sites;
  if (input && input.value !== features) {
    problems.push(
      problem(
        'input-mismatch',
        features > LIMITS.unitsPerLayer
          ? `input is ${input.value} but the data has ${features} features, more than a network takes (at most ${LIMITS.unitsPerLayer}); use fewer columns.`
          : `input is ${input.value} but the data has ${features} feature${features === 1 ? '' : 's'}; write \`input ${features}\`.`,
        input.at,
      ),
    );
  }
  if (out) {
    if (classes > LIMITS.unitsPerLayer && loss !== 'mse' && out.units !== classes) {
      // No output layer can be written for it: say so rather than suggest one past the limit.
      problems.push(
        problem(
          'output-mismatch',
          `The data has ${classes} classes, more than an output layer may have units (at most ${LIMITS.unitsPerLayer}); merge classes, or predict a number with \`loss mse\`.`,
          out.unitsAt,
        ),
      );
    } else if (classes === 0 && loss !== 'mse') {
      problems.push(problem('loss-mismatch', `The data has a real-valued target (regression), which needs \`loss mse\`, not ${loss}.`, out.lossAt));
    } else if (loss === 'cross_entropy' && out.units !== classes && out.activation === 'softmax') {
      problems.push(
        problem(
          'output-mismatch',
          `The data has ${classes} classes, so a softmax output needs ${classes} units; this one has ${out.units}. Write \`dense ${classes} softmax\`.`,
          out.unitsAt,
        ),
      );
    } else if (loss === 'bce' && out.units === 1 && classes > 2) {
      problems.push(
        problem(
          'loss-mismatch',
          `bce on 1 unit is for 2 classes; the data has ${classes}. Write \`dense ${classes} sigmoid\` (one sigmoid per class, one-hot targets), or \`dense ${classes} softmax\` with \`loss cross_entropy\`.`,
          out.lossAt,
        ),
      );
    } else if (loss === 'bce' && out.units !== 1 && out.units !== classes) {
      problems.push(
        problem(
          'output-mismatch',
          `bce on ${out.units} units needs one unit per class (one-hot targets); the data has ${classes} classes. Write \`dense ${classes} sigmoid\`${classes === 2 ? ', or `dense 1 sigmoid` for the probability of class 1' : ''}.`,
          out.unitsAt,
        ),
      );
    }
  }
  return problems;
}
