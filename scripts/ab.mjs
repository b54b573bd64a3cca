// An A/B of two engines in one process: each checkout's Trainer and bench networks are bundled
// apart (esbuild), then their steps are timed in turns, round after round, so that both see the
// same machine at the same moments. On a shared 2-core machine separate runs drift by a third
// when the other core's load comes and goes (docs/benchmarks.md); turns within one process do not.
//
//   node scripts/ab.mjs DIR_A DIR_B [--only tiny,deep] [--rounds N]
//   (each DIR a checkout with node_modules; e.g. `git worktree add /tmp/base b8cdc28`)

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const dirs = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
if (dirs.length !== 2) {
  console.error('usage: node scripts/ab.mjs DIR_A DIR_B [--only tiny,deep] [--rounds N]');
  process.exit(2);
}
const rounds = Number(opt('--rounds') ?? 9);
const only = opt('--only')?.split(',');

// Written into each checkout's bench/ so it imports that checkout's own engine and networks.
const ENTRY = `import { Trainer } from '../src/engine/train';
import { NETWORKS, engineSetup, engineStepper } from './networks';
export const names = NETWORKS.map((n) => n.name);
export function stepper(name: string, statistics: boolean): () => void {
  const n = NETWORKS.find((x) => x.name === name);
  if (!n) throw new Error('no bench network ' + name);
  const { spec, dataset } = engineSetup(n);
  return engineStepper(new Trainer(spec, dataset, { statistics, epochs: 1 }), n);
}
`;

const out = mkdtempSync(join(tmpdir(), 'gf-ab-'));
const require = createRequire(import.meta.url);
const esbuild = join(resolve('node_modules'), '.bin', 'esbuild');
const engines = dirs.map((dir, i) => {
  const entry = join(resolve(dir), 'bench', '_abEntry.ts');
  writeFileSync(entry, ENTRY);
  const file = join(out, `${i}.cjs`);
  execFileSync(esbuild, [entry, '--bundle', '--platform=node', '--format=cjs', `--outfile=${file}`, '--log-level=error']);
  execFileSync('rm', ['-f', entry]);
  return { label: `${i === 0 ? 'A' : 'B'} ${basename(resolve(dir))}`, mod: require(file) };
});

/** Steps per CPU second over `ms` of wall time. */
function stepsPerSecond(step, ms) {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  let steps = 0;
  while (steps < 3 || performance.now() - w0 < ms) {
    step();
    steps++;
  }
  const c = process.cpuUsage(c0);
  return (steps * 1e6) / (c.user + c.system);
}
const quantile = (v, q) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(q * v.length))];
const fmt = (x) => (x >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3));

const names = engines[0].mod.names.filter((n) => engines[1].mod.names.includes(n) && (!only || only.some((o) => n.startsWith(o))));
console.log(`${rounds} rounds of 300 ms per engine and setting, in turns; steps per CPU second, median [p25–p75]\n`);
console.log(`| network | statistics | ${engines.map((e) => e.label).join(' | ')} | B/A |`);
console.log(`|---|---|${engines.map(() => '---:').join('|')}|---:|`);
for (const name of names) {
  for (const statistics of [true, false]) {
    const steppers = engines.map((e) => e.mod.stepper(name, statistics));
    for (const s of steppers) stepsPerSecond(s, 500); // warm-up: optimised code before the first turn
    const samples = steppers.map(() => []);
    for (let r = 0; r < rounds; r++) steppers.forEach((s, i) => samples[i].push(stepsPerSecond(s, 300)));
    const med = samples.map((v) => quantile(v, 0.5));
    const cells = samples.map((v, i) => `${fmt(med[i])} [${fmt(quantile(v, 0.25))}–${fmt(quantile(v, 0.75))}]`);
    console.log(`| ${name} | ${statistics ? 'on' : 'off'} | ${cells.join(' | ')} | ${(med[1] / med[0]).toFixed(3)} |`);
  }
}
