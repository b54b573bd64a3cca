// The colour scale as bytes, for writing cells straight into an ImageData: 256 steps of the
// theme's palette plus the two colours off the scale (exact zero, non-finite).

import { position, type ColorDomain, type Rgb } from './colorScale';
import type { Theme } from './theme';

export const STEPS = 256;

export interface PaletteBytes {
  readonly zero: number;
  readonly nonFinite: number;
  /**
   * Packed little-endian RGBA (for an Int32Array view of the image), per step. Signed: an opaque
   * colour is then a small integer to the engine (31 bits), where as an unsigned 32-bit number it
   * was a heap number, allocated for every cell written by code not yet optimised.
   */
  readonly packed: Int32Array;
}

const cache = new WeakMap<Theme, PaletteBytes>();

function pack(r: number, g: number, b: number, a: number): number {
  return (a << 24) | (b << 16) | (g << 8) | r;
}

/** Any CSS colour as RGBA bytes, via a 1×1 canvas (so rgb(), hex and names all work). */
function cssBytes(color: string): [number, number, number, number] {
  const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  if (!ctx) return [0, 0, 0, 255];
  ctx.canvas.width = ctx.canvas.height = 1;
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, 1, 1);
  const d = ctx.getImageData(0, 0, 1, 1).data;
  return [d[0] ?? 0, d[1] ?? 0, d[2] ?? 0, d[3] ?? 255];
}

export function paletteBytes(theme: Theme): PaletteBytes {
  const hit = cache.get(theme);
  if (hit) return hit;
  const rgb = new Uint8ClampedArray(3);
  const packed = new Int32Array(STEPS);
  const stops: readonly Rgb[] = theme.palette;
  for (let i = 0; i < STEPS; i++) {
    const x = (i / (STEPS - 1)) * (stops.length - 1);
    const k = Math.min(stops.length - 2, Math.floor(x));
    const f = x - k;
    const a = stops[k] as Rgb;
    const b = stops[k + 1] as Rgb;
    for (let c = 0; c < 3; c++) rgb[c] = Math.round((a[c] as number) + ((b[c] as number) - (a[c] as number)) * f);
    packed[i] = pack(rgb[0] as number, rgb[1] as number, rgb[2] as number, 255);
  }
  const z = cssBytes(theme.zero);
  const n = cssBytes(theme.nonFinite);
  const out: PaletteBytes = { packed, zero: pack(z[0], z[1], z[2], 255), nonFinite: pack(n[0], n[1], n[2], 255) };
  cache.set(theme, out);
  return out;
}

/** The packed colour of a value on this scale. */
export function packedColor(p: PaletteBytes, domain: ColorDomain, v: number): number {
  if (Number.isNaN(v) || v === Infinity || v === -Infinity) return p.nonFinite;
  const t = position(domain, v);
  return t === null ? p.zero : (p.packed[Math.round(t * (STEPS - 1))] as number);
}

/**
 * packedColor of values[from..to), written to out[at..]: a row of the heatmap's cells. The scale's
 * arithmetic is written out here, in the same operations as position's (so the same colours, which
 * the tests check value by value), because a first draw runs before the engine has optimised
 * anything: a call per cell returning a number or null then cost a boxed number per cell and
 * several times the time (150,000 cells of a 1,000-layer run: 27 ms of 45 in one profile).
 */
export function packRow(p: PaletteBytes, domain: ColorDomain, values: ArrayLike<number>, from: number, to: number, out: Int32Array, at: number): void {
  const log = domain.kind === 'log';
  const lo = domain.lo;
  const span = domain.hi - domain.lo;
  const { packed, zero, nonFinite } = p;
  for (let i = from, o = at; i < to; i++, o++) {
    const v = values[i] as number;
    if (v !== v || v === Infinity || v === -Infinity) out[o] = nonFinite;
    else if (log && v <= 0) out[o] = zero;
    else {
      const t = ((log ? Math.log10(v) : v) - lo) / span;
      out[o] = packed[Math.round(Math.min(1, Math.max(0, t)) * (STEPS - 1))] as number;
    }
  }
}
