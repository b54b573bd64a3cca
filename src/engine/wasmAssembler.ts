// A minimal WebAssembly assembler: just the instructions the engine's SIMD module (simd.ts) and
// the benchmark's peak measurement (bench/peak.ts) use, so neither ships a .wasm file or a
// toolchain: the modules are a few hundred bytes assembled at load time.

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
};
export const I32 = 0x7f,
  F64 = 0x7c,
  V128 = 0x7b;
export const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (n: number) => [0x41, ...sleb(n)],
  add: [0x6a],
  mul: [0x6c],
  shl: [0x74],
  ltU: [0x49],
  eqz: [0x45],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  f64Load: [0x2b, 3, 0],
  f64Store: [0x39, 3, 0],
  f64StoreAt: (offset: number) => [0x39, 3, ...uleb(offset)],
  f64Abs: [0x99],
  f64Add: [0xa0],
  f64Mul: [0xa2],
  f64Gt: [0x64],
  f64Eq: [0x61],
  select: [0x1b],
  f64Zero: [0x44, 0, 0, 0, 0, 0, 0, 0, 0],
  f64FromI32: [0xb8],
  v128Load: (offset: number) => [0xfd, 0x00, 4, ...uleb(offset)],
  v128Store: (offset: number) => [0xfd, 0x0b, 4, ...uleb(offset)],
  /** v128.load64_splat: one f64 from memory into both lanes. */
  splatLoad: [0xfd, 0x0a, 3, 0],
  splatLoadAt: (offset: number) => [0xfd, 0x0a, 3, ...uleb(offset)],
  f64x2Splat: [0xfd, 0x14],
  f64x2Add: [0xfd, 0xf0, 0x01],
  f64x2Mul: [0xfd, 0xf2, 0x01],
  f32x4Add: [0xfd, 0xe4, 0x01],
  f32x4Mul: [0xfd, 0xe6, 0x01],
};

/** A function body: its locals (after the parameters) as [count, type] runs, and its code. */
export function body(locals: [number, number][], code: number[][]): number[] {
  const bytes = [...uleb(locals.length), ...locals.flatMap(([n, t]) => [...uleb(n), t]), ...code.flat(), ...op.end];
  return [...uleb(bytes.length), ...bytes];
}

/** `while (i < limit) { ...inner }` around `inner`, which ends by advancing i; depth 0 continues, 1 breaks. */
export function whileLess(i: number, limit: number, inner: number[][]): number[][] {
  return [op.block, op.loop, op.get(i), op.get(limit), op.ltU, op.eqz, op.brIf(1), ...inner, op.br(0), op.end, op.end];
}

/** A module of functions (parameters, no results) exported by name, and one memory exported as `memory`. */
export function moduleOf(functions: readonly { name: string; params: readonly number[]; body: number[] }[]): Uint8Array<ArrayBuffer> {
  const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
  const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
  const types = [...uleb(functions.length), ...functions.flatMap((f) => [0x60, ...uleb(f.params.length), ...f.params, 0])];
  const exports = [...functions.flatMap((f, i) => [...name(f.name), 0x00, ...uleb(i)]), ...name('memory'), 0x02, 0];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, types),
    ...section(3, [...uleb(functions.length), ...functions.flatMap((_, i) => uleb(i))]), // function i has type i
    ...section(5, [1, 0x00, 1]), // one memory, at least one page
    ...section(7, [...uleb(functions.length + 1), ...exports]),
    ...section(10, [...uleb(functions.length), ...functions.flatMap((f) => f.body)]),
  ]);
}
