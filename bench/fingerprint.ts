// Every number a set of training runs produces (per-epoch losses, accuracies and statistics, the
// histograms, the final weights and biases), hashed, one line per run: run it before and after a
// change to the engine to check that nothing moved by a bit.
//   node out/bench/fingerprint.js [--all]   (--all prints the whole JSON, not the hashes)

import { createHash } from 'node:crypto';
import { check, Trainer } from '../src/engine/index';
import { BATCHES, NETWORKS, engineSetup } from './networks';

const activations = ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'gelu', 'softsign', 'linear'];
const optimizers = [
  'sgd lr=0.1',
  'sgd lr=0.05 momentum=0.9',
  'sgd lr=0.05 momentum=0.9 nesterov=true',
  'adam lr=0.01',
  'rmsprop lr=0.01',
  'sgd lr=0.1 clip=0.5',
  'adam lr=0.01 weight_decay=0.01',
  'sgd lr=0.5 weight_decay=0.001 clip=1',
];

function texts(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const precision of ['float32', 'float64']) {
    activations.forEach((act, i) => {
      const opt = optimizers[i % optimizers.length];
      const width = 5 + i;
      out.push({
        name: `${act} ${opt} ${precision}`,
        text:
          [
            'network fp',
            'data spiral samples=150 noise=0.1 seed=3',
            'input 2',
            `dense ${width} ${act} x3`,
            'dense 1 sigmoid',
            'loss bce',
            `optimizer ${opt}`,
            `train epochs=6 batch=${i % 2 ? 32 : 13} seed=${i + 1} precision=${precision}`,
          ].join('\n') + '\n',
      });
    });
    optimizers.forEach((opt, i) => {
      out.push({
        name: `softmax ${opt} ${precision}`,
        text:
          [
            'network fp',
            'data spiral samples=120 noise=0.2 seed=5 classes=3',
            'input 2',
            `dense 40 relu init=he_normal`,
            `dense 33 tanh`,
            'dense 3 softmax',
            'loss cross_entropy',
            `optimizer ${opt}`,
            `train epochs=4 batch=${i % 2 ? 30 : 64} seed=${i + 7} precision=${precision}`,
          ].join('\n') + '\n',
      });
      out.push({
        name: `mse ${opt} ${precision}`,
        text:
          [
            'network fp',
            'data spiral samples=100 noise=0.1 seed=2',
            'input 2',
            `dense 12 sigmoid x2`,
            'dense 1 linear',
            'loss mse',
            `optimizer ${opt}`,
            `train epochs=4 batch=16 seed=${i + 3} precision=${precision}`,
          ].join('\n') + '\n',
      });
    });
    // Version 1.1's cures: the norm's passes and γ, β's steps, the residual add and its gradient.
    const cures = ['norm=layer', 'norm=batch', 'residual=true', 'residual=true norm=layer', 'residual=true norm=batch'];
    cures.forEach((cure, i) => {
      const opt = optimizers[(i * 3 + 5) % optimizers.length];
      out.push({
        name: `cures ${cure} ${opt} ${precision}`,
        text:
          [
            'network fp',
            'data spiral samples=120 noise=0.1 seed=6',
            'input 2',
            `dense 12 tanh ${cure.replace('residual=true', '').trim()}`,
            `dense 12 ${i % 2 ? 'relu' : 'sigmoid'} ${cure} x3`,
            'dense 1 sigmoid',
            'loss bce',
            `optimizer ${opt}`,
            `train epochs=4 batch=${i % 2 ? 32 : 13} seed=${i + 11} precision=${precision}`,
          ].join('\n') + '\n',
      });
    });
    // Runs that blow up, for the careful pass over non-finite gradients.
    for (const opt of ['sgd lr=50', 'sgd lr=20 momentum=0.9', 'adam lr=100', 'rmsprop lr=100']) {
      out.push({
        name: `explode ${opt} ${precision}`,
        text:
          [
            'network fp',
            'data spiral samples=100 noise=0.1 seed=3',
            'input 2',
            'dense 16 relu init=normal(0, 4) x6',
            'dense 1 linear',
            'loss mse',
            `optimizer ${opt}`,
            `train epochs=30 batch=16 seed=4 precision=${precision}`,
          ].join('\n') + '\n',
      });
    }
  }
  return out;
}

const all = process.argv.includes('--all');
const num = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));
const dump = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (typeof x === 'number' ? num(x) : x instanceof Float32Array || x instanceof Float64Array ? Array.from(x, num) : x));
const out: string[] = [];
for (const { name, text } of texts()) {
  const r = check(text);
  if (!r.trainable) throw new Error(`${name}: ${JSON.stringify(r.problems)}`);
  const t = new Trainer(r.spec, r.dataset!);
  // The initial record (the whole set's gradient before any step) must leave the run as it was.
  const initial = name.startsWith('cures') ? t.initialRecord() : undefined;
  const records = [];
  const it = t.run();
  let res = it.next();
  while (!res.done) {
    records.push(res.value);
    res = it.next();
  }
  const s = dump({ ...(initial ? { initial } : {}), records, stopped: res.value, weights: t.net.layers.map((l) => [l.W, l.b]) });
  out.push(`${name}: ${all ? s : createHash('sha256').update(s).digest('hex').slice(0, 16)}`);
}
// The benchmark networks, a few steps each, statistics on.
for (const n of NETWORKS) {
  for (const precision of ['float32', 'float64'] as const) {
    const { spec, dataset } = engineSetup(n, precision);
    const t = new Trainer({ ...spec, train: { ...spec.train, epochs: 2 } }, dataset);
    const records = [
      ...(function* () {
        const it = t.run();
        let r = it.next();
        while (!r.done) {
          yield r.value;
          r = it.next();
        }
      })(),
    ];
    const s = dump({ records, weights: t.net.layers.map((l) => [l.W, l.b]), B: BATCHES });
    out.push(`bench ${n.name} ${precision}: ${all ? s : createHash('sha256').update(s).digest('hex').slice(0, 16)}`);
  }
}
// The initial record of the digits net (its first layer's blank pixels) and of the tiny one.
for (const n of NETWORKS.filter((b) => b.data === 'digits' || b.name.startsWith('tiny'))) {
  const { spec, dataset } = engineSetup(n, 'float32');
  const s = dump(new Trainer(spec, dataset).initialRecord());
  out.push(`initial ${n.name}: ${all ? s : createHash('sha256').update(s).digest('hex').slice(0, 16)}`);
}
console.log(out.join('\n'));
