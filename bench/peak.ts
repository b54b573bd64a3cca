// One core's WebAssembly SIMD peak, f32x4 and f64x2 (simdPeak.ts says how it is measured).
//   node out/bench/peak.js [--ms N]

import { simdPeak } from './simdPeak';

const i = process.argv.indexOf('--ms');
const { f32x4, f64x2 } = simdPeak(i >= 0 ? Number(process.argv[i + 1]) : 200);
console.log(`WebAssembly SIMD peak, one core: f32x4 ${f32x4.toFixed(1)} GFLOP/s, f64x2 ${f64x2.toFixed(1)} GFLOP/s`);
