// Time per part of a step (loadBatch, forward, outputGradient, backward, update) of our engine,
// statistics on and off, to see where the statistics' cost goes:
//   node out/bench/parts.js [NETWORK_INDEX ...]

import { Trainer } from '../src/engine/train';
import { NETWORKS, engineSetup } from './networks';
import { median, now } from './timing';

function parts(index: number, statistics: boolean): number[] {
  const n = NETWORKS[index];
  const { spec, dataset } = engineSetup(n);
  const t = new Trainer(spec, dataset, { statistics, epochs: 1 });
  const B = n.batch;
  const fns = [() => t.loadBatch(0, B), () => t.forward(B), () => void t.outputGradient(B), () => t.backward(B), () => t.update(B)];
  const samples: number[][] = fns.map(() => []);
  const t0 = now();
  let reps = 1;
  while (now() - t0 < 300) {
    for (let r = 0; r < reps; r++) for (const f of fns) f();
    reps = Math.min(reps * 2, 64);
  }
  for (let round = 0; round < 15; round++) {
    const acc = fns.map(() => 0);
    for (let r = 0; r < reps; r++) {
      for (let f = 0; f < fns.length; f++) {
        const s = now();
        fns[f]();
        acc[f] += now() - s;
      }
    }
    acc.forEach((a, f) => samples[f].push((a / reps) * 1000));
  }
  return samples.map(median);
}

const names = ['load', 'forward', 'outputGrad', 'backward', 'update'];
const which = process.argv.length > 2 ? process.argv.slice(2).map(Number) : NETWORKS.map((_, i) => i);
for (const i of which) {
  const on = parts(i, true);
  const off = parts(i, false);
  console.log(`${NETWORKS[i].name}: µs per part, stats on / off`);
  names.forEach((name, f) => console.log(`  ${name.padEnd(11)} ${on[f].toFixed(1).padStart(9)} ${off[f].toFixed(1).padStart(9)}`));
  const sum = (v: number[]): number => v.reduce((a, b) => a + b, 0);
  console.log(`  ${'total'.padEnd(11)} ${sum(on).toFixed(1).padStart(9)} ${sum(off).toFixed(1).padStart(9)}  overhead ${((sum(on) / sum(off) - 1) * 100).toFixed(1)}%`);
}
