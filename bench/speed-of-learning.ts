// The table of Nielsen's *Neural Networks and Deep Learning*, ch. 5 ("speed of learning", the norm
// of ∂C/∂b of each hidden layer at initialisation), on the shipped digits: 784-30-…-30-10 sigmoid,
// bce on 10 one-hot outputs, weights N(0, 1/n_in), biases N(0, 1), the first 1,000 digits; the
// geometric mean over seeds 1..SEEDS of each layer's biasGradNorm in the initial record.
//   node out/bench/speed-of-learning.js [--seeds N] [--curve]
// --curve also trains the four-hidden-layer net for 500 epochs (full batch, η and L2 as the book's)
// and prints the first and last hidden layers' biasGradNorm every 25 epochs.

import { checkWithFiles, Trainer } from '../src/engine/index';
import { dataFileReader } from '../src/node/dataFiles';

export const BOOK: Readonly<Record<number, readonly number[]>> = {
  2: [0.0657, 0.309],
  3: [0.012, 0.06, 0.283],
  4: [0.003, 0.017, 0.07, 0.285],
};

export function nielsenSpec(hidden: number, seed: number, extra: { epochs?: number } = {}): string {
  return (
    [
      `network nielsen-${hidden}`,
      'data mnist samples=1000',
      'input 784',
      `dense 30 sigmoid init=lecun_normal bias=normal(0, 1) x${hidden}`,
      'dense 10 sigmoid init=lecun_normal bias=normal(0, 1)',
      'loss bce',
      'optimizer sgd lr=1 weight_decay=0.0005',
      `train epochs=${extra.epochs ?? 1} batch=1000 seed=${seed} shuffle=false precision=float64`,
    ].join('\n') + '\n'
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const seeds = Number(args[args.indexOf('--seeds') + 1] ?? 0) || 10;
  const read = dataFileReader(undefined);
  console.log(`| network | book (summed cost) | ours ×10, geometric mean of ${seeds} seeds | ours: spread over seeds (min–max ×10) |`);
  console.log('|---|---|---|---|');
  for (const hidden of [2, 3, 4]) {
    const logs = new Array<number>(hidden).fill(0);
    const lo = new Array<number>(hidden).fill(Infinity);
    const hi = new Array<number>(hidden).fill(0);
    for (let seed = 1; seed <= seeds; seed++) {
      const r = await checkWithFiles(nielsenSpec(hidden, seed), { read });
      if (!r.trainable || !r.dataset) throw new Error(JSON.stringify(r.problems));
      const init = new Trainer(r.spec, r.dataset).initialRecord();
      if (!init) throw new Error('no initial record');
      for (let k = 0; k < hidden; k++) {
        const v = init.layers[k].biasGradNorm;
        logs[k] += Math.log(v);
        lo[k] = Math.min(lo[k], v);
        hi[k] = Math.max(hi[k], v);
      }
    }
    const ours = logs.map((l) => Math.exp(l / seeds));
    const f = (v: number) => (10 * v).toPrecision(3);
    console.log(
      `| [784, ${'30, '.repeat(hidden)}10] | ${BOOK[hidden].join(', ')} | ${ours.map(f).join(', ')} | ${lo.map((v, k) => `${f(v)}–${f(hi[k])}`).join(', ')} |`,
    );
  }
  if (args.includes('--curve')) {
    const r = await checkWithFiles(nielsenSpec(4, 1, { epochs: 500 }), { read });
    if (!r.trainable || !r.dataset) throw new Error(JSON.stringify(r.problems));
    const t = new Trainer(r.spec, r.dataset);
    const init = t.initialRecord()!;
    console.log('\n| epoch | first hidden ×10 | last hidden ×10 | last ÷ first |\n|---|---|---|---|');
    const row = (e: number, a: number, b: number) => console.log(`| ${e} | ${(10 * a).toPrecision(3)} | ${(10 * b).toPrecision(3)} | ${(b / a).toFixed(0)} |`);
    row(0, init.layers[0].biasGradNorm, init.layers[3].biasGradNorm);
    for (const rec of t.run()) if (rec.epoch % 25 === 0) row(rec.epoch, rec.layers[0].biasGradNorm, rec.layers[3].biasGradNorm);
  }
}

if (require.main === module) void main();
