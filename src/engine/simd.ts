// The matrix product in WebAssembly SIMD, for the layers big enough to pay for copying into and
// out of the module's memory. Plain JavaScript does one multiply-add per instruction at best; the
// f64x2 instructions do two (bench/products.ts times the products beside the machine's SIMD peak).
//
// Same numbers, bit for bit: each SIMD lane holds a different output, summed in float64 in
// increasing order of the inner index (the bias first), as the scalar kernels and the naive loop
// do, and WebAssembly never fuses a multiply and an add. Float32 buffers are widened exactly to
// float64 on the way in and rounded once, to nearest even as a Float32Array store does, on the
// way out. (So the ceiling is the f64x2 peak, half the f32x4 one: summing in float32 lanes would
// change every trained number.)
//
// The module (the product with A stored by rows, the same with A stored by columns, a transpose
// and a weight gradient's sums) is assembled below from its instructions, a few hundred bytes; where
// WebAssembly or its SIMD is missing (or a Content-Security-Policy forbids compiling), `simd` is
// null and the scalar kernels do all the work.

import type { Vec } from './activations';
import { body, F64, I32, moduleOf, op, V128, whileLess } from './wasmAssembler';

/**
 * gemm(A, B, bias, C, rows, inner, cols, scale): C = (bias + A·B) · scale over byte addresses of
 * float64 row-major matrices A [rows × inner], B [inner × cols], bias [cols], C [rows × cols];
 * rows and cols multiples of 4. Tiles of 4 rows × 4 columns: 8 f64x2 accumulators.
 * With `aColumns`, gemmT(A, B, bias, C, rows, inner, cols, scale, aStride) reads A stored by
 * columns, A[i, q] at A + 8·(q·aStride + i) (a weight gradient's Xᵀ, read where X lies instead of
 * transposed first): a tile's four A values are then adjacent, one pointer with four offsets.
 */
function gemmBody(aColumns: boolean): number[] {
  let n = 0;
  const A = n++,
    B = n++,
    bias = n++,
    C = n++,
    rows = n++,
    inner = n++,
    cols = n++,
    scale = n++;
  const aStride = aColumns ? n++ : -1;
  const firstI32 = n;
  const r = n++,
    c = n++,
    a0 = n++,
    a1 = n++,
    a2 = n++,
    a3 = n++,
    aEnd = n++,
    bp = n++,
    rowBytes = n++,
    innerBytes = n++,
    cp = n++,
    aStrideBytes = n++;
  const firstV128 = n;
  const acc = [n++, n++, n++, n++, n++, n++, n++, n++];
  const lo = n++,
    hi = n++,
    t = n++,
    s = n++;
  const aRows = [a0, a1, a2, a3];
  const code: number[][] = [
    op.get(cols),
    op.i32(3),
    op.shl,
    op.set(rowBytes),
    op.get(inner),
    op.i32(3),
    op.shl,
    op.set(innerBytes),
    ...(aColumns ? [op.get(aStride), op.i32(3), op.shl, op.set(aStrideBytes)] : []),
    op.get(scale),
    op.f64x2Splat,
    op.set(s),
    op.i32(0),
    op.set(r),
    ...whileLess(r, rows, [
      op.i32(0),
      op.set(c),
      ...whileLess(c, cols, [
        // The accumulators start at bias[c .. c+4], in every row.
        op.get(bias),
        op.get(c),
        op.i32(3),
        op.shl,
        op.add,
        op.tee(bp),
        op.v128Load(0),
        op.set(acc[0]),
        op.get(bp),
        op.v128Load(16),
        op.set(acc[1]),
        ...[1, 2, 3].flatMap((k) => [op.get(acc[0]), op.set(acc[2 * k]), op.get(acc[1]), op.set(acc[2 * k + 1])]),
        // a0..a3 walk rows r..r+3 of A (by columns: a0 alone walks column block r); bp walks
        // column block c of B, one row of B per step.
        ...(aColumns
          ? [op.get(A), op.get(r), op.i32(3), op.shl, op.add, op.tee(a0), op.get(inner), op.get(aStrideBytes), op.mul, op.add, op.set(aEnd)]
          : [
              op.get(A),
              op.get(r),
              op.get(innerBytes),
              op.mul,
              op.add,
              op.tee(a0),
              op.get(innerBytes),
              op.add,
              op.tee(a1),
              op.get(innerBytes),
              op.add,
              op.tee(a2),
              op.get(innerBytes),
              op.add,
              op.set(a3),
              op.get(a0),
              op.get(innerBytes),
              op.add,
              op.set(aEnd),
            ]),
        op.get(B),
        op.get(c),
        op.i32(3),
        op.shl,
        op.add,
        op.set(bp),
        ...whileLess(a0, aEnd, [
          op.get(bp),
          op.v128Load(0),
          op.set(lo),
          op.get(bp),
          op.v128Load(16),
          op.set(hi),
          ...aRows.flatMap((a, k) => [
            ...(aColumns ? [op.get(a0), op.splatLoadAt(8 * k)] : [op.get(a), op.splatLoad]),
            op.set(t),
            op.get(acc[2 * k]),
            op.get(t),
            op.get(lo),
            op.f64x2Mul,
            op.f64x2Add,
            op.set(acc[2 * k]),
            op.get(acc[2 * k + 1]),
            op.get(t),
            op.get(hi),
            op.f64x2Mul,
            op.f64x2Add,
            op.set(acc[2 * k + 1]),
            ...(aColumns ? [] : [op.get(a), op.i32(8), op.add, op.set(a)]),
          ]),
          ...(aColumns ? [op.get(a0), op.get(aStrideBytes), op.add, op.set(a0)] : []),
          op.get(bp),
          op.get(rowBytes),
          op.add,
          op.set(bp),
        ]),
        // C[r+k, c .. c+4] = acc · scale.
        op.get(C),
        op.get(r),
        op.get(rowBytes),
        op.mul,
        op.add,
        op.get(c),
        op.i32(3),
        op.shl,
        op.add,
        op.set(cp),
        ...[0, 1, 2, 3].flatMap((k) => [
          op.get(cp),
          op.get(acc[2 * k]),
          op.get(s),
          op.f64x2Mul,
          op.v128Store(0),
          op.get(cp),
          op.get(acc[2 * k + 1]),
          op.get(s),
          op.f64x2Mul,
          op.v128Store(16),
          op.get(cp),
          op.get(rowBytes),
          op.add,
          op.set(cp),
        ]),
        op.get(c),
        op.i32(4),
        op.add,
        op.set(c),
      ]),
      op.get(r),
      op.i32(4),
      op.add,
      op.set(r),
    ]),
  ];
  return body(
    [
      [firstV128 - firstI32, I32],
      [n - firstV128, V128],
    ],
    code,
  );
}

/**
 * transpose(src, dst, rows, cols, dstStride): dst[c·dstStride + r] = src[r·cols + c], float64, byte
 * addresses, eight rows of src at a time: eight read streams and one written line per column. A
 * whole row at a time strides the writes by a power of two on a 256-wide layer (2 KB), so their
 * lines all fall in the same few sets of the L1 cache and evict each other (about 8 ns an entry).
 */
function transposeBody(): number[] {
  let n = 0;
  const src = n++,
    dst = n++,
    rows = n++,
    cols = n++,
    dstStride = n++;
  const first = n;
  const r0 = n++,
    rEnd = n++,
    r = n++,
    c = n++,
    sp = n++,
    dp = n++,
    colsBytes = n++,
    strideBytes = n++;
  const code: number[][] = [
    op.get(cols),
    op.i32(3),
    op.shl,
    op.set(colsBytes),
    op.get(dstStride),
    op.i32(3),
    op.shl,
    op.set(strideBytes),
    ...whileLess(r0, rows, [
      // rEnd = min(r0 + 8, rows)
      op.get(r0),
      op.i32(8),
      op.add,
      op.tee(rEnd),
      op.get(rows),
      op.get(rEnd),
      op.get(rows),
      op.ltU,
      op.select,
      op.set(rEnd),
      op.i32(0),
      op.set(c),
      ...whileLess(c, cols, [
        // sp = src + r0·colsBytes + 8c; dp = dst + c·strideBytes + 8·r0
        op.get(src),
        op.get(r0),
        op.get(colsBytes),
        op.mul,
        op.add,
        op.get(c),
        op.i32(3),
        op.shl,
        op.add,
        op.set(sp),
        op.get(dst),
        op.get(c),
        op.get(strideBytes),
        op.mul,
        op.add,
        op.get(r0),
        op.i32(3),
        op.shl,
        op.add,
        op.set(dp),
        op.get(r0),
        op.set(r),
        ...whileLess(r, rEnd, [
          op.get(dp),
          op.get(sp),
          op.f64Load,
          op.f64Store,
          op.get(sp),
          op.get(colsBytes),
          op.add,
          op.set(sp),
          op.get(dp),
          op.i32(8),
          op.add,
          op.set(dp),
          op.get(r),
          op.i32(1),
          op.add,
          op.set(r),
        ]),
        op.get(c),
        op.i32(1),
        op.add,
        op.set(c),
      ]),
      op.get(r0),
      op.i32(8),
      op.add,
      op.set(r0),
    ]),
  ];
  return body([[n - first, I32]], code);
}

/**
 * sums(addr, n, out): over the n float64 at addr, in order, Σv², Σ|v|, max|v| and the count of
 * zeros, written to out[0..3]: a weight gradient's statistics, as train.ts's loop computes them.
 */
function sumsBody(): number[] {
  let n = 0;
  const addr = n++,
    count = n++,
    out = n++;
  const firstI32 = n;
  const p = n++,
    end = n++,
    zeros = n++;
  const firstF64 = n;
  const v = n++,
    av = n++,
    s2 = n++,
    s1 = n++,
    max = n++;
  const code: number[][] = [
    op.get(addr),
    op.set(p),
    op.get(addr),
    op.get(count),
    op.i32(3),
    op.shl,
    op.add,
    op.set(end),
    ...whileLess(p, end, [
      op.get(p),
      op.f64Load,
      op.tee(v),
      op.f64Abs,
      op.set(av),
      op.get(s2),
      op.get(v),
      op.get(v),
      op.f64Mul,
      op.f64Add,
      op.set(s2),
      op.get(s1),
      op.get(av),
      op.f64Add,
      op.set(s1),
      op.get(av),
      op.get(max),
      op.get(av),
      op.get(max),
      op.f64Gt,
      op.select,
      op.set(max),
      op.get(zeros),
      op.get(av),
      op.f64Zero,
      op.f64Eq,
      op.add,
      op.set(zeros),
      op.get(p),
      op.i32(8),
      op.add,
      op.set(p),
    ]),
    op.get(out),
    op.get(s2),
    op.f64StoreAt(0),
    op.get(out),
    op.get(s1),
    op.f64StoreAt(8),
    op.get(out),
    op.get(max),
    op.f64StoreAt(16),
    op.get(out),
    op.get(zeros),
    op.f64FromI32,
    op.f64StoreAt(24),
  ];
  return body(
    [
      [firstF64 - firstI32, I32],
      [n - firstF64, F64],
    ],
    code,
  );
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  return moduleOf([
    { name: 'gemm', params: [I32, I32, I32, I32, I32, I32, I32, F64], body: gemmBody(false) },
    { name: 'gemmT', params: [I32, I32, I32, I32, I32, I32, I32, F64, I32], body: gemmBody(true) },
    { name: 'transpose', params: [I32, I32, I32, I32, I32], body: transposeBody() },
    { name: 'sums', params: [I32, I32, I32], body: sumsBody() },
  ]);
}

interface Exports {
  gemm(A: number, B: number, bias: number, C: number, rows: number, inner: number, cols: number, scale: number): void;
  gemmT(A: number, B: number, bias: number, C: number, rows: number, inner: number, cols: number, scale: number, aStride: number): void;
  transpose(src: number, dst: number, rows: number, cols: number, dstStride: number): void;
  sums(addr: number, n: number, out: number): void;
  memory: WebAssembly.Memory;
}

// ---- The products, in the module's memory. ----

class SimdProduct {
  private readonly wasm: Exports;
  private f64: Float64Array;

  constructor(wasm: Exports) {
    this.wasm = wasm;
    this.f64 = new Float64Array(wasm.memory.buffer);
  }

  /** Views of the memory by (offset, length), made once: the same few products repeat every step. */
  private readonly views = new Map<number, Float64Array>();

  /** Makes the memory at least `doubles` float64 long (growing it is rare: the sizes repeat). */
  private reserve(doubles: number): void {
    if (doubles <= this.f64.length) return;
    const have = this.f64.length * 8;
    this.wasm.memory.grow(Math.ceil((doubles * 8 - have) / 65536));
    this.f64 = new Float64Array(this.wasm.memory.buffer);
    this.views.clear();
  }

  /** f64[offset .. offset + length) as a typed array, for one native copy out. */
  private view(offset: number, length: number): Float64Array {
    const key = offset * 0x100000000 + length;
    let v = this.views.get(key);
    if (!v) {
      // A long session trains many shapes; keep the cache small.
      if (this.views.size >= 256) this.views.clear();
      v = this.f64.subarray(offset, offset + length);
      this.views.set(key, v);
    }
    return v;
  }

  /**
   * C[rows × cols] = (bias + A·B) · scale, no bias when `bias` is null (the sums then start at +0,
   * as the scalar kernels' do). A is stored [rows × inner], or [inner × rows] when `aTransposed`;
   * B [inner × cols], or [cols × inner] when `bTransposed`. The arrays may be longer than the
   * product needs (a batch buffer holds more rows than the last batch of an epoch).
   */
  product(
    A: Vec,
    aTransposed: boolean,
    B: Vec,
    bTransposed: boolean,
    bias: Vec | null,
    C: Vec,
    rows: number,
    inner: number,
    cols: number,
    scale: number,
  ): void {
    const rows4 = (rows + 3) & ~3;
    const cols4 = (cols + 3) & ~3;
    const bWhole = !bTransposed && cols === cols4;
    // Regions, in float64 units: A, B, bias, C. A plain operand is copied whole (one fast copy),
    // so its region takes all of it.
    const oA = 0;
    // A is copied whole either way (transposed, gemmT reads its columns where they lie): rows4
    // columns of reads from any row stay inside the region (padding outputs read anything).
    const oB = oA + Math.max(rows4 * inner, A.length);
    const oBias = oB + Math.max(inner * cols4, bWhole ? B.length : 0);
    const oC = oBias + cols4;
    // Then a scratch where a transposed B lands before it is transposed.
    const oScratch = oC + rows4 * cols4;
    this.reserve(oScratch + (bTransposed ? B.length : 0));
    const f = this.f64;
    // A: rows beyond `rows` (padding up to rows4) hold whatever is there; their outputs are dropped.
    f.set(A, oA);
    // B, with its rows `cols4` apart; padding columns likewise hold anything.
    if (bTransposed) {
      f.set(B, oScratch);
      this.wasm.transpose(oScratch * 8, oB * 8, cols, inner, cols4);
    } else if (bWhole) {
      f.set(B, oB);
    } else {
      for (let q = 0; q < inner; q++) {
        for (let j = 0, s = q * cols, d = oB + q * cols4; j < cols; j++) f[d + j] = B[s + j];
      }
    }
    if (bias) for (let j = 0; j < cols; j++) f[oBias + j] = bias[j];
    else f.fill(0, oBias, oBias + cols4);
    if (aTransposed) this.wasm.gemmT(oA * 8, oB * 8, oBias * 8, oC * 8, rows4, inner, cols4, scale, rows);
    else this.wasm.gemm(oA * 8, oB * 8, oBias * 8, oC * 8, rows4, inner, cols4, scale);
    // Out: one native copy (rounding to float32 as a store does) when the rows are contiguous.
    if (cols === cols4) {
      C.set(this.view(oC, rows * cols));
    } else {
      for (let i = 0; i < rows; i++) {
        for (let j = 0, s = oC + i * cols4, d = i * cols; j < cols; j++) C[d + j] = f[s + j];
      }
    }
  }

  /**
   * Σg², Σ|g|, max|g| and the exact zeros of `g`, in index order, into out[0..3] (all entries taken
   * as finite: a non-finite one shows as a non-finite Σ|g|, for the caller to handle).
   */
  gradientSums(g: Vec, out: Float64Array): void {
    const n = g.length;
    this.reserve(n + 4);
    this.f64.set(g, 4);
    this.wasm.sums(32, n, 0);
    const f = this.f64;
    out[0] = f[0];
    out[1] = f[1];
    out[2] = f[2];
    out[3] = f[3];
  }
}

function instantiate(): SimdProduct | null {
  try {
    if (typeof WebAssembly !== 'object') return null;
    const bytes = moduleBytes();
    if (!WebAssembly.validate(bytes)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    return new SimdProduct(instance.exports as unknown as Exports);
  } catch {
    return null;
  }
}

/** The SIMD product, or null where WebAssembly SIMD is unavailable. */
export const simd: SimdProduct | null = instantiate();
