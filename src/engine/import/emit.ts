// An imported model as a .nnspec text and, when the model carried weights, the weights file of the
// contract (`nnspec weights` format: W indexed [input][unit], so a layer computes x·W + b).

import type { Activation, LossName } from '../types';
import type { Head, ImportedLayer, ImportedModel } from './model';

export interface WeightsFile {
  readonly version: 1;
  readonly layers: readonly { readonly W: readonly (readonly number[])[]; readonly b: readonly number[] }[];
}

export interface EmitOptions {
  /** The model file's name as the user knows it, for the header comment. */
  readonly modelFile: string;
  /** The weights file's path relative to the spec, written in its `weights` line. */
  readonly weightsFile: string;
  /** A data source to use instead of `normal` ("csv \"train.csv\" target=label"). */
  readonly data?: string;
}

export interface Emitted {
  readonly spec: string;
  readonly weights: WeightsFile | null;
}

const FORMAT_NAMES = { tfjs: 'a TensorFlow.js layers model', keras: 'a Keras model.to_json() file', onnx: 'an ONNX model' } as const;

function activationText(a: Activation): string {
  if (a.kind === 'leaky_relu' && a.slope !== 0.01) return `leaky_relu(${a.slope})`;
  if (a.kind === 'elu' && a.alpha !== 1) return `elu(${a.alpha})`;
  return a.kind;
}

/** Whether a `--data` source has a real target (regression), so a linear 1-unit head stays linear. */
function dataIsRegression(data: string | undefined): boolean {
  return data !== undefined && (/^\s*(data\s+)?sine\b/.test(data) || /\bclasses=0\b/.test(data));
}

interface Output {
  readonly activation: Activation;
  readonly loss: LossName;
  readonly classes: number;
  readonly comment: string | null;
}

/** The output layer and loss: a linear head becomes the probabilities its training loss implied. */
function outputOf(last: ImportedLayer, head: Head, data: string | undefined): Output {
  const k = last.units;
  const act = last.activation;
  if (act.kind === 'softmax') {
    const comment = last.logSoftmax ? `# The model ends in log_softmax (for NLLLoss): written as softmax with cross_entropy, the same loss.` : null;
    return { activation: act, loss: 'cross_entropy', classes: k, comment };
  }
  if (act.kind === 'sigmoid') return { activation: act, loss: 'bce', classes: k === 1 ? 2 : k, comment: null };
  const regression = head === 'regress' || (head === 'unknown' && dataIsRegression(data));
  if (act.kind !== 'linear' || regression) return { activation: act, loss: 'mse', classes: 0, comment: null };
  if (k > 1 && head !== 'binary') {
    return {
      activation: { kind: 'softmax' },
      loss: 'cross_entropy',
      classes: k,
      comment: `# The model's output is ${k} linear logits (as for PyTorch's CrossEntropyLoss or Keras's from_logits=True): written as softmax with cross_entropy, the same loss on the same logits. For a regression head, write \`dense ${k} linear\` and \`loss mse\`.`,
    };
  }
  return {
    activation: { kind: 'sigmoid' },
    loss: 'bce',
    classes: k === 1 ? 2 : k,
    comment: `# The model's output is ${k === 1 ? 'one linear logit' : `${k} linear logits`} (as for BCEWithLogitsLoss or from_logits=True): written as sigmoid with bce, the same loss on the same ${k === 1 ? 'logit' : 'logits'}. For a regression head, write \`dense ${k} linear\` and \`loss mse\`.`,
  };
}

const safeName = (s: string) => s.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';

export function emitSpec(model: ImportedModel, options: EmitOptions): Emitted {
  const withWeights = model.layers.every((l) => l.W && l.b);
  const out = outputOf(model.layers[model.layers.length - 1], model.head, options.data);
  const lines: string[] = [];
  const count = `${model.layers.length} dense layer${model.layers.length === 1 ? '' : 's'}`;
  lines.push(
    `# Imported by \`nnspec import\` from ${options.modelFile}: ${FORMAT_NAMES[model.format]}, ${count}, ${withWeights ? 'with its weights' : 'architecture only (no weights: each layer starts from its init)'}.`,
  );
  for (const n of model.notes) lines.push(`# ${n.severity === 'warning' ? 'Note' : 'Info'}: ${n.message}`);
  lines.push(`network ${safeName(model.name)}`);
  if (options.data !== undefined) {
    const d = options.data.trim();
    lines.push(/^data\s/.test(d) ? d : `data ${d}`);
  } else {
    lines.push('# Stand-in data so the model can be checked and trained now: samples from N(0, 1), labelled by a fixed random linear teacher.');
    lines.push('# Replace this line with your own data, for example: data csv "train.csv" target=label normalize=true');
    lines.push(`data normal features=${model.inputs} classes=${out.classes}`);
  }
  lines.push(`input ${model.inputs}`);
  if (withWeights) lines.push(`weights "${options.weightsFile}"`);
  model.layers.forEach((l, k) => {
    const last = k === model.layers.length - 1;
    if (last && out.comment) lines.push(out.comment);
    const act = last ? out.activation : l.activation;
    const opts = [l.init ? `init=${l.init}` : '', l.bias ? `bias=${l.bias}` : '', l.residual ? 'residual=true' : ''].filter(Boolean);
    lines.push(`${['dense', l.units, activationText(act), ...opts].join(' ')}  # ${l.place}`);
  });
  lines.push(`loss ${out.loss}`);
  const weights: WeightsFile | null = withWeights ? { version: 1, layers: model.layers.map((l) => ({ W: l.W ?? [], b: l.b ?? [] })) } : null;
  return { spec: lines.join('\n') + '\n', weights };
}

/** The weights file as JSON, one row of W a line (files of a few MB stay readable and diffable). */
export function weightsJson(w: WeightsFile): string {
  const layers = w.layers.map(
    (l) => `    {\n      "W": [\n${l.W.map((r) => `        ${JSON.stringify(r)}`).join(',\n')}\n      ],\n      "b": ${JSON.stringify(l.b)}\n    }`,
  );
  return `{\n  "version": 1,\n  "layers": [\n${layers.join(',\n')}\n  ]\n}\n`;
}
