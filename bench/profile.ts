// Runs our engine alone on one benchmark network, for `node --cpu-prof` and quick A/B timings:
//   node [--cpu-prof] out/bench/profile.js NETWORK_INDEX [on|off] [SECONDS] [float32|float64]

import { Trainer } from '../src/engine/train';
import { NETWORKS, engineSetup, engineStepper, flopsPerStep } from './networks';
import { median, stepsPerSecond } from './timing';

const n = NETWORKS[Number(process.argv[2] ?? 0)];
const statistics = (process.argv[3] ?? 'on') === 'on';
const seconds = Number(process.argv[4] ?? 3);
const precision = (process.argv[5] ?? 'float32') as 'float32' | 'float64';
const { spec, dataset } = engineSetup(n, precision);
const t = new Trainer(spec, dataset, { statistics, epochs: 1 });
const step = engineStepper(t, n);
stepsPerSecond(step, 500);
const samples: number[] = [];
for (let s = 0; s < seconds * 4; s++) samples.push(stepsPerSecond(step, 250));
const sps = median(samples);
console.log(`${n.name} stats ${statistics ? 'on ' : 'off'} ${precision}: ${sps.toFixed(0)} steps/s, ${((sps * flopsPerStep(n)) / 1e9).toFixed(2)} GFLOP/s`);
