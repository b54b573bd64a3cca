// Plausible training data for the panel tests: a 3-layer sigmoid network whose input-side layer
// vanishes, as the engine would report it. Deterministic (a tiny LCG), so screenshots are stable.

import type { EpochRecord, Finding, LayerStats, ReportLayer } from '../../src/engine/types';
import { statsOfRecords } from '../../src/engine/findings';
import { panelColumns } from '../../src/host/panel/aggregate';
import type { CompareVariantSnapshot, LrFindSnapshot, RecordColumns, RunSnapshot, RunState } from '../../src/protocol';
import { HISTOGRAM } from '../../src/webview/histogramBins';

export const FILE = '/home/user/nets/deep-sigmoid.nnspec';

export const LAYERS: ReportLayer[] = [
  { index: 0, line: 5, units: 16, activation: 'sigmoid', init: 'normal(0, 1)', params: 48, predicted: { actStd: 0.4, deltaRatio: 0.004 } },
  { index: 1, line: 6, units: 16, activation: 'sigmoid', init: 'normal(0, 1)', params: 272, predicted: { actStd: 0.4, deltaRatio: 0.06 } },
  { index: 2, line: 7, units: 1, activation: 'sigmoid', init: 'glorot_uniform', params: 17, predicted: { actStd: 0.3, deltaRatio: 1 } },
];
const FAN_IN = [2, 16, 16];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function histogram(center: number, weights: number, rand: () => number): number[] {
  const counts = new Array<number>(HISTOGRAM.bins).fill(0);
  for (let i = 0; i < weights; i++) {
    // Sum of uniforms: a cheap bell curve, one decade wide.
    const l = center + (rand() + rand() + rand() - 1.5) * 1.2;
    const bin = Math.min(HISTOGRAM.bins - 1, Math.max(0, Math.floor((l - HISTOGRAM.min) / ((HISTOGRAM.max - HISTOGRAM.min) / HISTOGRAM.bins))));
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return counts;
}

export interface Shape {
  /** Multiplies the gradients of the input-side layers: 1 vanishes, ~1 per layer is healthy. */
  readonly depthFactor: number;
  readonly lr: number;
  readonly seed: number;
  /** From this epoch on, the statistics are NaN (a diverged run). */
  readonly nanFrom?: number;
}

export function epochs(from: number, to: number, shape: Shape = { depthFactor: 0.07, lr: 0.5, seed: 7 }): EpochRecord[] {
  const out: EpochRecord[] = [];
  for (let e = from; e <= to; e++) {
    const rand = rng(shape.seed * 1000 + e);
    const jitter = (): number => 1 + (rand() - 0.5) * 0.25;
    const nan = shape.nanFrom !== undefined && e >= shape.nanFrom;
    const out2 = 3e-2 * Math.exp(-e / 40);
    const grads = [out2 * shape.depthFactor ** 2, out2 * shape.depthFactor, out2].map((g) => g * jitter());
    const layers: LayerStats[] = grads.map((g, i) => ({
      gradRms: nan ? NaN : g,
      gradMeanAbs: g * 0.8,
      gradMaxAbs: g * 4,
      deltaRms: nan ? NaN : g * 3 * jitter(),
      updateRatio: nan ? Infinity : ((shape.lr * g) / 0.6) * jitter(),
      weightRms: 0.6,
      actMean: 0.5,
      actStd: 0.2,
      dead: 0,
      saturated: Math.min(1, [0.55 + e / 200, 0.3 + e / 400, 0.05][i] ?? 0),
      zeroGrad: 0,
      nonFinite: nan ? 10 : 0,
      biasGradNorm: g * 2,
    }));
    const loss = nan ? NaN : 0.3 + 0.39 * Math.exp(-e / 25) + (rand() - 0.5) * 0.01;
    out.push({
      epoch: e,
      loss,
      accuracy: nan ? null : Math.min(0.97, 0.5 + 0.4 * (1 - Math.exp(-e / 20))),
      layers,
      histograms: grads.map((g, i) => histogram(Math.log10(g), (FAN_IN[i] ?? 1) * (LAYERS[i]?.units ?? 1), rand)),
    });
  }
  return out;
}

export const FINDINGS: Finding[] = [
  {
    kind: 'vanishing',
    severity: 'warning',
    layers: [0],
    line: 5,
    message: 'L0 gets 0.5% of the output layer’s gradient (∂L/∂W RMS ratio 4.9e-3 < 0.01).',
    fixes: [{ title: 'Use relu with he_normal on line 5', change: { kind: 'layer', lines: [5], activation: 'relu', init: 'he_normal' } }],
    evidence: { gradRatio: 0.0049 },
  },
  {
    kind: 'saturated',
    severity: 'info',
    layers: [1],
    line: 6,
    message: '35% of L1’s sigmoid units sit in the flat tails.',
    fixes: [],
    evidence: {},
  },
];

/** Records by column, as the host sends them (src/host/panel/aggregate.ts). */
export function columns(records: readonly EpochRecord[]): RecordColumns {
  return panelColumns(statsOfRecords(records), LAYERS.length, 1, 0, records.length);
}

export function run(id: string, count: number, state: RunState, shape?: Shape, label = 'deep-sigmoid.nnspec'): RunSnapshot {
  return {
    id,
    label,
    fileName: FILE,
    name: 'deep-sigmoid',
    layers: LAYERS,
    totalEpochs: 50,
    records: columns(epochs(1, count, shape)),
    findings: FINDINGS,
    state,
    stopped: null,
  };
}

export function variants(): CompareVariantSnapshot[] {
  return [
    {
      variantId: 'as-written',
      verdict: 'L0 vanishing: 0.5% of the output gradient',
      run: run('v1', 50, 'done', { depthFactor: 0.07, lr: 0.5, seed: 1 }, 'as written'),
    },
    {
      variantId: 'relu-he',
      verdict: 'Healthy: every layer within 3× of the output',
      run: { ...run('v2', 50, 'done', { depthFactor: 0.8, lr: 0.5, seed: 2 }, 'relu + he_normal'), findings: [] },
    },
    {
      variantId: 'lr-10',
      verdict: 'Diverged at epoch 31 (NaN loss)',
      run: { ...run('v3', 35, 'nonfinite', { depthFactor: 1.6, lr: 5, seed: 3, nanFrom: 31 }, 'lr = 5'), stopped: 'nonfinite' },
    },
  ];
}

export function lrFind(): LrFindSnapshot {
  const points = [];
  let smoothed = 0.7;
  for (let i = 0; i <= 80; i++) {
    const lr = 10 ** (-5 + (i * 6) / 80);
    const l = Math.log10(lr);
    const loss = 0.7 - 0.4 / (1 + Math.exp(-(l + 2.5) * 2.5)) + (l > -0.3 ? (l + 0.3) ** 2 * 2 : 0) + Math.sin(i * 1.7) * 0.01;
    smoothed = 0.8 * smoothed + 0.2 * loss;
    points.push({ lr, loss, smoothed });
  }
  const trial = (lr: number, roles: string, result: string, best = false) => ({ lr, roles, result, best, isFile: roles === 'file' });
  return {
    fileName: FILE,
    points,
    suggested: 0.012,
    currentLr: 0.5,
    check: {
      steps: 300,
      trials: [
        trial(0.004, 'suggested ÷3', '0.41'),
        trial(0.012, 'suggested', '0.33'),
        trial(0.036, 'suggested ×3', '0.29', true),
        trial(0.5, 'file', 'diverged at step 40'),
      ],
      summary: "lr = 0.036 (suggested ×3) trained best in 300 steps: loss 0.29; the file's lr = 0.5: diverged at step 40.",
    },
  };
}
