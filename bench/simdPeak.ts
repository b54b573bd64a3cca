// The single-core WebAssembly SIMD peak of this machine: a loop of nothing but independent
// multiply-adds, acc_i = acc_i + a_i · k on 12 accumulators (no fused multiply-add in WebAssembly
// SIMD), with a_i and k in L1, so neither the adds' latency nor memory limits it. In f32x4 lanes
// (4 floats an instruction: the figure issue 13 measures kernels against) and in f64x2 lanes (2
// doubles: the engine's products sum in float64, so this is their own ceiling).
//   node out/bench/peak.js [--ms N] prints them; run.js and products.js measure them beside the networks.

import { body, I32, moduleOf, op, V128, whileLess } from '../src/engine/wasmAssembler';
import { cpuNow, median } from './timing';

const ACCUMULATORS = 12;

/** peak(iterations, addr): the loop above over the 13 vectors at addr, writing Σ acc_i at addr + 16·13. */
function peakBody(lanes: 'f32x4' | 'f64x2'): number[] {
  const [mul, add] = lanes === 'f32x4' ? [op.f32x4Mul, op.f32x4Add] : [op.f64x2Mul, op.f64x2Add];
  let n = 0;
  const iterations = n++,
    addr = n++;
  const firstI32 = n;
  const i = n++;
  const firstV128 = n;
  const k = n++;
  const acc = Array.from({ length: ACCUMULATORS }, () => n++);
  const code: number[][] = [
    op.get(addr),
    op.v128Load(16 * ACCUMULATORS),
    op.set(k),
    ...whileLess(i, iterations, [
      ...acc.flatMap((a, j) => [op.get(a), op.get(addr), op.v128Load(16 * j), op.get(k), mul, add, op.set(a)]),
      op.get(i),
      op.i32(1),
      op.add,
      op.set(i),
    ]),
    op.get(addr),
    ...acc.slice(1).reduce((code, a) => [...code, op.get(a), add], [op.get(acc[0])]),
    op.v128Store(16 * (ACCUMULATORS + 1)),
  ];
  return body(
    [
      [firstV128 - firstI32, I32],
      [n - firstV128, V128],
    ],
    code,
  );
}

interface PeakExports {
  f32x4(iterations: number, addr: number): void;
  f64x2(iterations: number, addr: number): void;
  memory: WebAssembly.Memory;
}

/** Measured peaks in GFLOP/s (a multiply and an add each count as one FLOP per lane), medians of `rounds`. */
export function simdPeak(ms = 200, rounds = 7): { f32x4: number; f64x2: number } {
  const bytes = moduleOf([
    { name: 'f32x4', params: [I32, I32], body: peakBody('f32x4') },
    { name: 'f64x2', params: [I32, I32], body: peakBody('f64x2') },
  ]);
  const wasm = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as PeakExports;
  const measure = (lanes: 'f32x4' | 'f64x2'): number => {
    // Small values, so 10⁹ additions stay far from overflow and from subnormals alike.
    if (lanes === 'f64x2') {
      new Float64Array(wasm.memory.buffer, 0, 2 * ACCUMULATORS).fill(1e-3);
      new Float64Array(wasm.memory.buffer, 16 * ACCUMULATORS, 2).fill(1);
    } else {
      new Float32Array(wasm.memory.buffer, 0, 4 * ACCUMULATORS).fill(1e-3);
      new Float32Array(wasm.memory.buffer, 16 * ACCUMULATORS, 4).fill(1);
    }
    const flopsPerIteration = ACCUMULATORS * 2 * (lanes === 'f32x4' ? 4 : 2);
    let iterations = 1 << 16;
    const samples: number[] = [];
    wasm[lanes](iterations, 0);
    while (samples.length < rounds) {
      const c0 = cpuNow();
      wasm[lanes](iterations, 0);
      const spent = cpuNow() - c0;
      if (spent < ms / 4) {
        iterations *= 2;
        continue;
      }
      samples.push((iterations * flopsPerIteration) / (spent * 1e6));
    }
    return median(samples);
  };
  const f32x4 = measure('f32x4');
  const f64x2 = measure('f64x2');
  return { f32x4, f64x2 };
}
