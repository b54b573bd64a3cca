// How long checking a spec stalls the extension host's event loop while its CSV (200,000 rows by
// default) loads: the host's path (src/host/language/diagnostics.ts: checkWithFiles with a
// DataCache and a time-sliced decode), against the whole decode at once. A "keystroke" changes a
// layer's width and checks the spec again, as the diagnostics do after each pause in typing. The
// stall is the largest event-loop delay seen (perf_hooks.monitorEventLoopDelay, 1 ms resolution).
// On a loaded machine that delay includes the time the process waited for a core, so the largest
// CPU time between two turns of the loop is printed too (process.cpuUsage: an upper bound, since it
// counts the process's other threads).
//
//   node out/bench/stall.js [ROWS] [KEYSTROKES]

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { checkWithFiles } from '../src/engine/index';
import { DataCache } from '../src/node/dataCache';
import { dataFileReader } from '../src/node/dataFiles';
import { timeSlices } from '../src/node/timeSlices';

const ROWS = Number(process.argv[2] ?? 200_000);
const KEYSTROKES = Number(process.argv[3] ?? 20);

/** A CSV of `rows` samples: four features and a class out of three. */
export function writeCsv(path: string, rows: number): void {
  const lines = ['a,b,c,d,label'];
  let s = 1;
  const r = () => ((s = (s * 16807) % 2147483647) / 2147483647).toFixed(6);
  for (let i = 0; i < rows; i++) lines.push(`${r()},${r()},${r()},${r()},${i % 3}`);
  writeFileSync(path, lines.join('\n') + '\n');
}

export const specText = (width: number) => `network typing\ndata csv "big.csv" target=label\ninput 4\ndense ${width} relu init=he_normal\ndense 3 softmax\n`;

interface Measured {
  readonly ms: number;
  readonly stallMs: number;
  /** The largest CPU time between two turns of the event loop. */
  readonly cpuMs: number;
}

const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** The wall time of `work`, and the largest event-loop delay and CPU time between turns while it ran. */
async function measure(work: () => Promise<unknown>): Promise<Measured> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  let last = cpuNow();
  let cpuMs = 0;
  let turning = true;
  const turn = () => {
    const now = cpuNow();
    cpuMs = Math.max(cpuMs, now - last);
    last = now;
    if (turning) setImmediate(turn);
  };
  setImmediate(turn);
  const t0 = performance.now();
  await work();
  const ms = performance.now() - t0;
  // One more turn of the loop, so a delay at the very end is sampled.
  await new Promise((r) => setTimeout(r, 5));
  turning = false;
  h.disable();
  return { ms, stallMs: h.max / 1e6, cpuMs };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gf-stall-'));
  try {
    writeCsv(join(dir, 'big.csv'), ROWS);
    const specPath = join(dir, 'typing.nnspec');
    const fmt = (m: Measured) =>
      `${m.ms.toFixed(0).padStart(6)} ms, stall ${m.stallMs.toFixed(1).padStart(6)} ms, CPU between turns ${m.cpuMs.toFixed(1).padStart(6)} ms`;
    console.log(`${ROWS.toLocaleString('en-US')}-row CSV, ${KEYSTROKES} keystrokes`);

    const whole = await measure(() => checkWithFiles(specText(16), { fileName: specPath, read: dataFileReader(specPath) }));
    console.log(`decode at once, no cache (the CLI's and worker's path):  ${fmt(whole)}`);

    const cache = new DataCache();
    const check = (width: number) => checkWithFiles(specText(width), { fileName: specPath, load: cache.loader(specPath, { pause: timeSlices() }) });
    const first = await measure(() => check(16));
    console.log(`host, first check (read + sliced decode):                 ${fmt(first)}`);
    const typing: Measured[] = [];
    for (let k = 0; k < KEYSTROKES; k++) typing.push(await measure(() => check(17 + k)));
    const worst = typing.reduce((a, b) => (b.stallMs > a.stallMs ? b : a));
    const median = [...typing].sort((a, b) => a.ms - b.ms)[typing.length >> 1];
    console.log(`host, each keystroke after (cached data), median time:    ${median.ms.toFixed(1).padStart(6)} ms`);
    console.log(`host, each keystroke after (cached data), worst stall:    ${worst.stallMs.toFixed(1).padStart(6)} ms`);
    console.log(
      `host, each keystroke after (cached data), worst CPU between turns: ${Math.max(...typing.map((m) => m.cpuMs))
        .toFixed(1)
        .padStart(6)} ms`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void main();
