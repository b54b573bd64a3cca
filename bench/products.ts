// The matrix products of the two widest benchmark networks (4×256 relu and the digits'
// 784-100-100-10), each alone through the engine's kernels (kernels.ts: the WebAssembly SIMD
// product from 8,192 multiply-adds, copies in and out included), in GFLOP/s beside the machine's
// SIMD peaks measured in the same run (simdPeak.ts). Rounds interleave the products and the peak, so a
// busy moment of the shared machine hits them alike; medians are reported.
//   node out/bench/products.js [--rounds N]

import { forwardProduct, inputGradientProduct, weightGradientProduct } from '../src/engine/kernels';
import { NETWORKS, layerShapes, type BenchNet } from './networks';
import { simdPeak } from './simdPeak';
import { median, stepsPerSecond } from './timing';

interface Product {
  readonly name: string;
  readonly flops: number;
  readonly run: () => void;
}

/** Random float32 entries in [-1, 1): the products' speed does not depend on the values, barring subnormals. */
function filled(n: number, seed: number): Float32Array {
  const v = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = s / 2 ** 31 - 1;
  }
  return v;
}

/** A layer's three products (the first layer's input gradient is never computed), on float32 buffers as a float32 network's. */
function productsOf(n: BenchNet): Product[] {
  const B = n.batch;
  const out: Product[] = [];
  layerShapes(n).forEach(([k, m], layer) => {
    const X = filled(B * k, 1 + layer);
    const W = filled(k * m, 2 + layer);
    const b = filled(m, 3 + layer);
    const Z = new Float32Array(B * m);
    const D = filled(B * m, 4 + layer);
    const G = new Float32Array(B * k);
    const dW = new Float32Array(k * m);
    const db = new Float32Array(m);
    const flops = 2 * B * k * m;
    const shape = `L${layer} ${k}→${m}`;
    out.push({ name: `${shape} forward`, flops, run: () => forwardProduct(X, W, b, Z, B, k, m) });
    if (layer > 0) out.push({ name: `${shape} input gradient (D·Wᵀ)`, flops, run: () => inputGradientProduct(D, W, G, B, k, m) });
    out.push({ name: `${shape} weight gradient (Xᵀ·D)`, flops, run: () => weightGradientProduct(X, D, dW, db, B, k, m, 1 / B) });
  });
  return out;
}

const widest = [NETWORKS[1], NETWORKS[4]];

function main(): void {
  const i = process.argv.indexOf('--rounds');
  const rounds = i >= 0 ? Number(process.argv[i + 1]) : 5;
  const nets = widest.map((n) => ({ net: n, products: productsOf(n) }));
  const rates = new Map<Product, number[]>();
  const totals = new Map<BenchNet, number[]>();
  const peaks: { f32x4: number; f64x2: number }[] = [];
  for (const { products } of nets) for (const p of products) stepsPerSecond(p.run, 100);
  for (let r = 0; r < rounds; r++) {
    peaks.push(simdPeak(100, 3));
    for (const { net, products } of nets) {
      let seconds = 0;
      for (const p of products) {
        const perSecond = stepsPerSecond(p.run, 150, 5);
        (rates.get(p) ?? rates.set(p, []).get(p)!).push((perSecond * p.flops) / 1e9);
        seconds += 1 / perSecond;
      }
      const flops = products.reduce((s, p) => s + p.flops, 0);
      (totals.get(net) ?? totals.set(net, []).get(net)!).push(flops / seconds / 1e9);
    }
  }
  const f32 = median(peaks.map((p) => p.f32x4));
  const f64 = median(peaks.map((p) => p.f64x2));
  const pct = (g: number, peak: number): string => `${((100 * g) / peak).toFixed(0)}%`;
  console.log(`SIMD peak (median of ${rounds}): f32x4 ${f32.toFixed(1)} GFLOP/s, f64x2 ${f64.toFixed(1)} GFLOP/s\n`);
  console.log('| network | product | GFLOP/s | of f32x4 peak | of f64x2 peak |\n|---|---|---:|---:|---:|');
  for (const { net, products } of nets) {
    const short = net.name.split(',')[0];
    for (const p of products) {
      const g = median(rates.get(p)!);
      console.log(`| ${short} | ${p.name} | ${g.toFixed(1)} | ${pct(g, f32)} | ${pct(g, f64)} |`);
    }
    const g = median(totals.get(net)!);
    console.log(`| ${short} | **all products of a step** | **${g.toFixed(1)}** | **${pct(g, f32)}** | **${pct(g, f64)}** |`);
  }
}

main();
