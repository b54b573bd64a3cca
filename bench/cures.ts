// The cost of Version 1.1's cures (issue 12): steps per CPU second of the benchmark networks as
// written and with residual connections and normalization on their hidden layers, statistics on,
// float32, as `npm run bench` times the engine. The contenders take turns for several rounds (a busy
// moment of the machine hits them alike) and each one's median is reported, with its cost per step
// relative to the plain network (the target: within 1.5×).
//
//   node scripts/build.mjs && node out/bench/cures.js [--rounds N] [--slice MS]

import { Trainer } from '../src/engine/train';
import { NETWORKS, engineSetup, engineStepper, type BenchNet } from './networks';
import { median, stepsPerSecond } from './timing';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const ROUNDS = option('--rounds', 7);
const SLICE_MS = option('--slice', 300);
const CURES = ['', 'residual=true norm=layer', 'residual=true norm=batch', 'residual=true', 'norm=layer'];

function stepper(n: BenchNet): () => void {
  const { spec, dataset } = engineSetup(n);
  return engineStepper(new Trainer(spec, dataset, { statistics: true, epochs: 1 }), n);
}

console.log('| network | hidden layers | steps/s | cost per step ÷ plain |');
console.log('|---|---|---:|---:|');
// The tiny network has no second layer as wide as the first to make residual; the others do.
for (const base of NETWORKS.filter((n) => n.hidden >= 2 && n.width > 8)) {
  const steps = CURES.map((cures) => stepper({ ...base, ...(cures ? { cures } : {}) }));
  for (const step of steps) stepsPerSecond(step, SLICE_MS * 2);
  const rates: number[][] = CURES.map(() => []);
  for (let r = 0; r < ROUNDS; r++) steps.forEach((step, i) => rates[i].push(stepsPerSecond(step, SLICE_MS)));
  const medians = rates.map(median);
  CURES.forEach((cures, i) => {
    console.log(`| ${base.name} | ${cures || 'as written'} | ${Math.round(medians[i])} | ${(medians[0] / medians[i]).toFixed(2)}× |`);
  });
}
