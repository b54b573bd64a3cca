// `npm run bench`: our engine against TensorFlow.js (cpu and wasm backends) on the networks of
// issues 3 and 13, side by side in one run, with the machine's WebAssembly SIMD peak (simdPeak.ts): per network, every contender is warmed up, then the contenders
// take turns for several rounds (so a busy moment of the machine hits them alike) and each one's
// median over the rounds is reported. Then the 300-epoch CLI run and the statistics' memory.
//
//   node out/bench/run.js [--quick] [--rounds N] [--slice MS] [--only NAME] [--no-peers] [--no-extra]

import * as os from 'node:os';
import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Trainer } from '../src/engine/train';
import { NETWORKS, engineSetup, engineStepper, flopsPerStep, type BenchNet } from './networks';
import { simdPeak } from './simdPeak';
import { median, stepsPerSecond } from './timing';

const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(name);
const option = (name: string, fallback: number): number => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const quick = flag('--quick');
const ROUNDS = option('--rounds', quick ? 3 : 7);
const SLICE_MS = option('--slice', quick ? 150 : 300);
const WARMUP_MS = quick ? 300 : 800;
const onlyIndex = argv.indexOf('--only');
const only = onlyIndex >= 0 ? argv[onlyIndex + 1] : null;

interface Contender {
  readonly label: string;
  readonly step: () => void;
  readonly select?: () => Promise<void>;
  readonly dispose?: () => void;
}

function engineContender(n: BenchNet, statistics: boolean, precision: 'float32' | 'float64' = 'float32'): Contender {
  const { spec, dataset } = engineSetup(n, precision);
  const t = new Trainer(spec, dataset, { statistics, epochs: 1 });
  return { label: `engine${statistics ? '' : ' (stats off)'}${precision === 'float64' ? ' f64' : ''}`, step: engineStepper(t, n) };
}

interface Row {
  readonly net: BenchNet;
  readonly sps: Record<string, number>;
}

async function benchNetwork(n: BenchNet, peers: boolean): Promise<Row> {
  const contenders: Contender[] = [engineContender(n, true), engineContender(n, false)];
  if (peers) {
    const { peerModel, useBackend } = await import('./peers');
    for (const backend of ['cpu', 'wasm'] as const) {
      await useBackend(backend);
      const m = peerModel(n, backend);
      contenders.push({ label: `tfjs-${backend}`, step: () => void m.step(), select: () => useBackend(backend), dispose: () => m.dispose() });
    }
  }
  for (const c of contenders) {
    await c.select?.();
    stepsPerSecond(c.step, WARMUP_MS, 5);
  }
  const samples: Record<string, number[]> = {};
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of contenders) {
      await c.select?.();
      (samples[c.label] ??= []).push(stepsPerSecond(c.step, SLICE_MS));
    }
  }
  for (const c of contenders) {
    await c.select?.();
    c.dispose?.();
  }
  const sps: Record<string, number> = {};
  for (const [label, s] of Object.entries(samples)) sps[label] = median(s);
  return { net: n, sps };
}

const fmt = (v: number | undefined, digits = 0): string => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));
const ratio = (a: number | undefined, b: number | undefined): string => (a && b ? `${(a / b).toFixed(1)}×` : '–');

function table(rows: readonly Row[], peak: number): string {
  const head =
    '| network | engine steps/s | GFLOP/s | of f32x4 peak | stats off steps/s | stats overhead | tfjs-cpu steps/s | tfjs-wasm steps/s | engine/cpu | engine/wasm |';
  const lines = [head, '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const { net, sps } of rows) {
    const on = sps['engine'];
    const off = sps['engine (stats off)'];
    const gflops = (on * flopsPerStep(net)) / 1e9;
    const overhead = off && on ? `${((off / on - 1) * 100).toFixed(1)}%` : '–';
    lines.push(
      `| ${net.name} | ${fmt(on)} | ${fmt(gflops, 2)} | ${fmt((100 * gflops) / peak)}% | ${fmt(off)} | ${overhead} | ${fmt(sps['tfjs-cpu'], 1)} | ${fmt(sps['tfjs-wasm'], 1)} | ${ratio(on, sps['tfjs-cpu'])} | ${ratio(on, sps['tfjs-wasm'])} |`,
    );
  }
  return lines.join('\n');
}

/** The targets, each with the measured value and whether it is met. */
function targets(rows: readonly Row[]): string {
  const lines = ['Targets (issues 3 and 13):'];
  const check = (what: string, value: number, goal: number, unit: string, atMost = false): void => {
    if (!Number.isFinite(value)) return;
    const ok = atMost ? value <= goal : value >= goal;
    lines.push(`  ${ok ? 'met    ' : 'NOT met'}  ${what}: ${value.toFixed(1)}${unit} (${atMost ? '≤' : '≥'} ${goal}${unit})`);
  };
  rows.forEach(({ net, sps }, i) => {
    const on = sps['engine'];
    const short = net.name.split(',')[0];
    if (i === 0 || i === 1 || net.data === 'digits') check(`${short} engine/tfjs-wasm`, on / sps['tfjs-wasm'], 2, '×');
    if (i === 2) check(`${short} engine/tfjs-wasm`, on / sps['tfjs-wasm'], 10, '×');
    check(`${short} engine/tfjs-cpu`, on / sps['tfjs-cpu'], 6, '×');
    check(`${short} statistics overhead`, (sps['engine (stats off)'] / on - 1) * 100, 10, '%', true);
  });
  return lines.join('\n');
}

function machine(): string {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1];
  } catch {
    /* not Linux */
  }
  return `${os.cpus().length} cores (nproc), ${cpu}, Node ${process.version}, ${new Date().toISOString()}`;
}

/** Runs another bench script in its own process (own heap), returning its stdout. */
function runScript(file: string, nodeArgs: string[] = [], args: string[] = []): string {
  const r = spawnSync(process.execPath, [...nodeArgs, path.join(__dirname, file), ...args], { encoding: 'utf8' });
  if (r.status !== 0) return `${file} failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`;
  return r.stdout.trim();
}

async function main(): Promise<void> {
  console.log(`Gradient Flow engine benchmark — ${machine()}`);
  console.log(`${ROUNDS} rounds of ${SLICE_MS} ms per contender, medians; engine = statistics on, float32; GFLOP/s = engine's.\n`);
  const rows: Row[] = [];
  // The peak is measured between the networks too, so it sees the machine's load as they did.
  const peaks = [simdPeak(SLICE_MS, 3)];
  for (const n of NETWORKS) {
    if (only && !n.name.includes(only)) continue;
    rows.push(await benchNetwork(n, !flag('--no-peers')));
    peaks.push(simdPeak(SLICE_MS, 3));
    process.stderr.write(`  done: ${n.name}\n`);
  }
  const peak = median(peaks.map((p) => p.f32x4));
  console.log(
    `WebAssembly SIMD peak of one core (simdPeak.ts, median of ${peaks.length}): f32x4 ${peak.toFixed(1)} GFLOP/s, f64x2 ${median(peaks.map((p) => p.f64x2)).toFixed(1)} GFLOP/s\n`,
  );
  console.log(table(rows, peak));
  if (!only) console.log('\n' + targets(rows));
  if (!flag('--no-extra')) {
    console.log('\n' + runScript('cli.js'));
    console.log('\n' + runScript('memory.js', ['--expose-gc']));
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
