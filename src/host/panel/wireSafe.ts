// What the panel's messages carry over webview.postMessage. VS Code serializes typed arrays there
// as binary by reference to their ArrayBuffers; in code-server 4.100.3 a Compare 'show' (four runs,
// some 200 typed arrays) reached the page with some columns emptied (length 0, a 0-byte buffer)
// or cut short, and the page rightly dropped the whole message, leaving two variants blank. Until
// that transport is understood and tested, columns travel as plain arrays of numbers, which the
// page already reads (the saved state's form) back into Float32Arrays, value for value: a float32
// goes as the shortest decimal that reads back as the same float32 (0.1, not 0.10000000149011612),
// which keeps the JSON about half the size of the doubles' digits.

import { f32String } from './runData';

/** `message` with every typed array as a plain array of its numbers (a new object only where something changed). */
export function wireSafe<T>(message: T): T {
  return replace(message) as T;
}

function replace(v: unknown): unknown {
  if (v instanceof Float32Array) return Array.from(v, (x) => (Number.isFinite(x) && x !== 0 && !Number.isInteger(x) ? Number(f32String(x)) : x));
  if (v instanceof Int32Array || v instanceof Float64Array) return Array.from(v);
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    v.forEach((x, i) => {
      const y = replace(x);
      if (y !== x) (out ??= v.slice())[i] = y;
    });
    return out ?? v;
  }
  if (v !== null && typeof v === 'object') {
    let out: Record<string, unknown> | undefined;
    for (const [k, x] of Object.entries(v)) {
      const y = replace(x);
      if (y !== x) (out ??= { ...(v as Record<string, unknown>) })[k] = y;
    }
    return out ?? v;
  }
  return v;
}
