// Memory of a run's statistics: 100,000 epochs × 30 layers, kept as the EpochRecord objects the
// engine yields, and in an EpochHistory (src/engine/history.ts) in float32 and float64 columns.
// Each way runs in its own process (node --expose-gc) and reports the growth of the V8 heap plus
// the typed arrays' backing stores (which live outside the heap), after a full GC.
//
//   node out/bench/memory.js [EPOCHS] [LAYERS]          (a table)
//   node --expose-gc out/bench/memory.js --mode records|history32|history64 EPOCHS LAYERS

import { spawnSync } from 'node:child_process';
import { check } from '../src/engine/index';
import { Trainer } from '../src/engine/train';
import { EpochHistory } from '../src/engine/history';
import type { EpochRecord } from '../src/engine/types';

const args = process.argv.slice(2);
const modeAt = args.indexOf('--mode');
const rest = modeAt >= 0 ? args.filter((_, i) => i !== modeAt && i !== modeAt + 1) : args;
const EPOCHS = Number(rest[0] ?? 100_000);
const LAYERS = Number(rest[1] ?? 30);

/** A few real epochs of a LAYERS-layer network, to copy from. */
function realRecords(): EpochRecord[] {
  const text = `network mem\ndata spiral samples=64\ninput 2\ndense 16 tanh x${LAYERS - 1}\ndense 1 sigmoid\ntrain epochs=8 batch=32`;
  const r = check(text);
  if (!r.dataset) throw new Error('memory bench: spec did not load');
  return [...new Trainer(r.spec, r.dataset).run()];
}

/** Epoch i as the engine would make it: fresh LayerStats objects and histogram arrays, distinct numbers. */
function makeRecord(src: EpochRecord, i: number): EpochRecord {
  const f = 1 + i * 1e-9;
  return {
    epoch: i + 1,
    loss: src.loss * f,
    accuracy: src.accuracy,
    layers: src.layers.map((s) => ({
      gradRms: s.gradRms * f,
      gradMeanAbs: s.gradMeanAbs * f,
      gradMaxAbs: s.gradMaxAbs * f,
      deltaRms: s.deltaRms * f,
      updateRatio: s.updateRatio * f,
      weightRms: s.weightRms * f,
      actMean: s.actMean * f,
      actStd: s.actStd * f,
      dead: s.dead,
      saturated: s.saturated * f,
      zeroGrad: s.zeroGrad,
      nonFinite: s.nonFinite,
      biasGradNorm: s.biasGradNorm * f,
    })),
    histograms: src.histograms.map((h) => {
      const c = new Array<number>(h.length).fill(0);
      for (let k = 0; k < h.length; k++) c[k] = h[k];
      return c;
    }),
  };
}

function used(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function measure(mode: string): void {
  const src = realRecords();
  const before = used();
  const t0 = Date.now();
  let keep: unknown;
  if (mode === 'records') {
    const records: EpochRecord[] = [];
    for (let i = 0; i < EPOCHS; i++) records.push(makeRecord(src[i % src.length], i));
    keep = records;
  } else {
    const h = new EpochHistory(LAYERS, { capacity: EPOCHS, precision: mode === 'history64' ? 'float64' : 'float32' });
    for (let i = 0; i < EPOCHS; i++) h.push(makeRecord(src[i % src.length], i));
    keep = h;
  }
  const ms = Date.now() - t0;
  const bytes = used() - before;
  console.log(JSON.stringify({ mode, bytes, ms, kept: keep ? 1 : 0 }));
}

if (modeAt >= 0) {
  measure(args[modeAt + 1]);
} else {
  const rows = [
    `Memory of ${EPOCHS.toLocaleString('en')} epochs × ${LAYERS} layers of statistics (V8 heap + typed-array stores, after GC):`,
    '',
    '| storage | MB | time to store |',
    '|---|---:|---:|',
  ];
  const label: Record<string, string> = {
    records: 'EpochRecord objects (as yielded, with histograms)',
    history32: 'EpochHistory, float32 columns (histograms: 256 epochs + latest)',
    history64: 'EpochHistory, float64 columns (histograms: 256 epochs + latest)',
  };
  for (const mode of ['records', 'history32', 'history64']) {
    const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', __filename, '--mode', mode, String(EPOCHS), String(LAYERS)], {
      encoding: 'utf8',
    });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    try {
      const { bytes, ms } = JSON.parse(line) as { bytes: number; ms: number };
      rows.push(`| ${label[mode]} | ${(bytes / 2 ** 20).toFixed(0)} | ${(ms / 1000).toFixed(1)} s |`);
    } catch {
      rows.push(`| ${label[mode]} | failed: ${(r.stderr || line).trim().split('\n').slice(-1)[0]} | |`);
    }
  }
  console.log(rows.join('\n'));
}
