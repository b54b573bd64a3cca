// The generated data sets. Each is deterministic given its seed; labels are class indices.

import type { DataSpec, Dataset } from '../types';
import { Rng } from '../rng';

type Generated = Exclude<DataSpec, { source: 'csv' | 'mnist' | 'idx' }>;

export function generate(spec: Generated): Dataset {
  const rng = new Rng(spec.seed);
  const n = spec.samples;
  const twoD = (classes: number, point: (i: number) => [number, number, number]): Dataset => {
    const x = new Float64Array(n * 2);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const [a, b, label] = point(i);
      x[2 * i] = a;
      x[2 * i + 1] = b;
      y[i] = label;
    }
    return { n, features: 2, classes, x, y, classNames: [], featureNames: ['x', 'y'] };
  };
  switch (spec.source) {
    case 'xor':
      return twoD(2, () => {
        const a = rng.uniform(-1, 1);
        const b = rng.uniform(-1, 1);
        return [a + spec.noise * rng.normal(), b + spec.noise * rng.normal(), a * b < 0 ? 1 : 0];
      });
    case 'circles':
      return twoD(2, (i) => {
        const label = i % 2;
        const r = label === 1 ? spec.factor : 1;
        const t = rng.uniform(0, 2 * Math.PI);
        return [r * Math.cos(t) + spec.noise * rng.normal(), r * Math.sin(t) + spec.noise * rng.normal(), label];
      });
    case 'moons':
      return twoD(2, (i) => {
        const label = i % 2;
        const t = rng.uniform(0, Math.PI);
        const a = label === 0 ? Math.cos(t) : 1 - Math.cos(t);
        const b = label === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
        return [a + spec.noise * rng.normal(), b + spec.noise * rng.normal(), label];
      });
    case 'spiral': {
      const k = spec.classes;
      return twoD(k, (i) => {
        const label = i % k;
        const r = rng.next();
        const t = (label * 2 * Math.PI) / k + 1.75 * 2 * Math.PI * r;
        return [r * Math.sin(t) + spec.noise * rng.normal(), r * Math.cos(t) + spec.noise * rng.normal(), label];
      });
    }
    case 'gaussians': {
      const k = spec.classes;
      const radius = 3;
      return twoD(k, (i) => {
        const label = i % k;
        const t = (2 * Math.PI * label) / k;
        return [radius * Math.cos(t) + spec.spread * rng.normal(), radius * Math.sin(t) + spec.spread * rng.normal(), label];
      });
    }
    case 'sine': {
      const x = new Float64Array(n);
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = rng.uniform(-Math.PI, Math.PI);
        x[i] = v;
        y[i] = Math.sin(v) + spec.noise * rng.normal();
      }
      return { n, features: 1, classes: 0, x, y, classNames: [], featureNames: ['x'] };
    }
    case 'normal':
      return teacher(rng, n, spec.features, spec.classes);
  }
}

/**
 * Features from N(0, 1); the target is a random linear map of them (a teacher drawn first, from the
 * same seed): the argmax of k scores for k classes, or one score scaled to unit variance for 0.
 */
function teacher(rng: Rng, n: number, f: number, classes: number): Dataset {
  const outs = classes === 0 ? 1 : classes;
  const T = new Float64Array(f * outs);
  for (let i = 0; i < T.length; i++) T[i] = rng.normal();
  const x = new Float64Array(n * f);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < f; j++) x[i * f + j] = rng.normal();
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < outs; c++) {
      let s = 0;
      for (let j = 0; j < f; j++) s += x[i * f + j] * T[j * outs + c];
      if (s > bestScore) {
        bestScore = s;
        best = c;
      }
    }
    y[i] = classes === 0 ? bestScore / Math.sqrt(f) : best;
  }
  const featureNames = Array.from({ length: f }, (_, j) => `x${j}`);
  return { n, features: f, classes, x, y, classNames: [], featureNames };
}

export function featuresOf(spec: Generated): number {
  return spec.source === 'normal' ? spec.features : spec.source === 'sine' ? 1 : 2;
}

export function classesOf(spec: Generated): number {
  switch (spec.source) {
    case 'spiral':
    case 'gaussians':
      return spec.classes;
    case 'sine':
      return 0;
    case 'normal':
      return spec.classes;
    default:
      return 2;
  }
}
