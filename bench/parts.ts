// Where a step's time goes, statistics on and off: times the step cut short after each of its
// parts (loadBatch; + forward; + outputGradient; + backward; + update), interleaved over rounds,
// and reports the differences of the medians, in µs per step:
//   node out/bench/parts.js [NETWORK_INDEX ...]

import { Trainer } from '../src/engine/train';
import { BATCHES, NETWORKS, engineSetup } from './networks';
import { median, stepsPerSecond } from './timing';

const names = ['load', 'forward', 'outputGrad', 'backward', 'update'];

function parts(index: number): { on: number[]; off: number[] } {
  const n = NETWORKS[index];
  const B = n.batch;
  const prefixes: { stats: boolean; upTo: number; step: () => void }[] = [];
  for (const stats of [true, false]) {
    for (let upTo = 1; upTo <= names.length; upTo++) {
      const { spec, dataset } = engineSetup(n);
      const t = new Trainer(spec, dataset, { statistics: stats, epochs: 1 });
      let batch = 0;
      const fns = [
        () => {
          t.loadBatch(batch * B, B);
          batch = (batch + 1) % BATCHES;
        },
        () => t.forward(B),
        () => void t.outputGradient(B),
        () => t.backward(B),
        () => t.update(B),
      ].slice(0, upTo);
      prefixes.push({
        stats,
        upTo,
        step: () => {
          for (const f of fns) f();
        },
      });
    }
  }
  for (const p of prefixes) stepsPerSecond(p.step, 100);
  const samples = prefixes.map(() => [] as number[]);
  for (let round = 0; round < 9; round++) prefixes.forEach((p, i) => samples[i].push(1e6 / stepsPerSecond(p.step, 60)));
  const us = samples.map(median);
  const diff = (stats: boolean): number[] => {
    const v = prefixes.map((p, i) => (p.stats === stats ? us[i] : NaN)).filter((x) => !Number.isNaN(x));
    return v.map((x, i) => (i === 0 ? x : x - v[i - 1]));
  };
  return { on: diff(true), off: diff(false) };
}

const which = process.argv.length > 2 ? process.argv.slice(2).map(Number) : NETWORKS.map((_, i) => i);
for (const i of which) {
  const { on, off } = parts(i);
  console.log(`${NETWORKS[i].name}: CPU µs per step, by part, stats on / off`);
  names.forEach((name, f) => console.log(`  ${name.padEnd(11)} ${on[f].toFixed(2).padStart(9)} ${off[f].toFixed(2).padStart(9)}`));
  const sum = (v: number[]): number => v.reduce((a, b) => a + b, 0);
  console.log(
    `  ${'total'.padEnd(11)} ${sum(on).toFixed(2).padStart(9)} ${sum(off).toFixed(2).padStart(9)}  overhead ${((sum(on) / sum(off) - 1) * 100).toFixed(1)}%`,
  );
}
