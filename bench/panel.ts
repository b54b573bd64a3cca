// The panel page at scale: the page loaded standalone in Chromium (as test/webview serves it), fed
// the host's own messages (src/host/runData.ts: a 'show' of a finished run, then a run streamed as
// 'progress' every 100 ms, as the host's batcher posts them), for runs of 3 to 1,000 layers.
//
// Reported per run (median over tries):
// - painted: from the page's relaying a finished run's 'show' until the first frame after its last
//   busy stretch (a gap of over 50 ms between animation frames counts as busy), so a second draw
//   after a resize is included, and not before the first frame after the one that drew the run's
//   layer table (the last part a show draws: a show of small frames makes no busy stretch);
// - update: main-thread time per streamed 'progress' (CDP Performance.getMetrics TaskDuration, the
//   time between posting it and the next post 100 ms later or later still if the page is busy;
//   the messages are all staged in a worker of the page before the show, so the windows tile it,
//   and each is relayed into the page with postMessage, as VS Code's webview frame relays it):
//   median, p90, max;
// - long tasks (over 50 ms, PerformanceObserver) while streaming, and the longest task from the
//   finished run's show on (not the page's loading, nor the bench reading messages into the page);
// - metric switch and resize: like painted, from the change (the select's change event; the page's
//   resize event);
// - saved state: the largest setState, as JSON characters, and the longest JSON.stringify of one.
//
//   node scripts/build.mjs && node out/bench/panel.js [--tries N] [--only 30x10000,...] [--root DIR]
//   node out/bench/panel.js --bytes [--only ...]   (the messages' sizes only, no browser)
//   node out/bench/panel.js --height 2400 ...   (a page tall enough to show every part: none skips a turn)
//   node out/bench/panel.js --series ...   (each streamed update's time printed too)
//   node out/bench/panel.js --cpu ...   (updates as the main thread's CPU time: steadier for A/B on a busy machine)
//   node out/bench/panel.js --profile DIR [--trace] --tries 1 --only 30x10000   (the first try's show,
//     resize and stream as CPU profiles, or with --trace as Chromium traces, in DIR; their top items by self time printed)
// (--root: a folder holding dist/webview.js and media/, e.g. a copy of an older build to compare.)

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { HISTOGRAM } from '../src/engine/histogram';
import type { EpochRecord, LayerStats, ReportLayer } from '../src/engine/types';
import { progressMessage, RunData, showMessage } from '../src/host/panel/runData';
import { wireBuffers } from '../src/host/panel/wire';
import type { HostToPanel } from '../src/protocol';
import { encodeMessage, REVIVE, servePanel } from '../test/webview/pageServer';

interface Case {
  readonly name: string;
  readonly layers: number;
  readonly epochs: number;
  /** Progress messages the stream is cut into (the host sends one per 100 ms). */
  readonly updates: number;
}

const CASES: readonly Case[] = [
  { name: '3x300', layers: 3, epochs: 300, updates: 60 },
  { name: '8x300', layers: 8, epochs: 300, updates: 60 },
  { name: '30x10000', layers: 30, epochs: 10_000, updates: 200 },
  { name: '200x2000', layers: 200, epochs: 2000, updates: 100 },
  { name: '1000x300', layers: 1000, epochs: 300, updates: 30 },
];

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const TRIES = Number(opt('--tries') ?? 3);
const ONLY = opt('--only')?.split(',');
/** --profile DIR: CPU profiles of the first try's show and stream written there, and their top functions by self time printed. */
const PROFILE = opt('--profile');
const TRACE = args.includes('--trace');
/** --series: each streamed update's main-thread time printed as it is measured. */
const SERIES = args.includes('--series');
/**
 * --cpu: an update's time is the main thread's CPU time (ThreadTime) rather than its tasks' wall
 * time (TaskDuration), which a busy machine inflates while the thread waits for a core: for A/B
 * comparisons while other work runs. The targets are read on wall time, on a quiet machine.
 */
const CPU = args.includes('--cpu');
/**
 * --height PX: the page's height (default 900, where the loss chart and the layer table are below the
 * fold, as in a panel of that height). 2400 puts the whole page in view, so every part is drawn as it streams.
 */
const HEIGHT = Number(opt('--height') ?? 900);

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tid: number;
  pid: number;
}
let traceEvents: TraceEvent[] = [];
const traced = new WeakSet<CDPSession>();

async function startTrace(cdp: CDPSession): Promise<void> {
  traceEvents = [];
  if (!traced.has(cdp)) {
    traced.add(cdp);
    cdp.on('Tracing.dataCollected', (e) => traceEvents.push(...(e.value as unknown as TraceEvent[])));
  }
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,v8.execute,blink,cc,gpu,v8', transferMode: 'ReportEvents' });
}

/** The renderer main thread's complete events, by self time (an event's time less its children's). */
async function stopTrace(cdp: CDPSession, phase: string): Promise<void> {
  const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
  await cdp.send('Tracing.end');
  await done;
  const names = traceEvents.filter((e) => e.name === 'thread_name' && (e as unknown as { args: { name: string } }).args.name === 'CrRendererMain');
  const mains = new Set(names.map((e) => `${e.pid}:${e.tid}`));
  const evs = traceEvents
    .filter((e) => e.ph === 'X' && e.dur !== undefined && mains.has(`${e.pid}:${e.tid}`))
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const self = new Map<string, number>();
  const stack: TraceEvent[] = [];
  for (const e of evs) {
    while (stack.length && (stack[stack.length - 1] as TraceEvent).ts + ((stack[stack.length - 1] as TraceEvent).dur ?? 0) <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - (e.dur ?? 0) / 1000);
    self.set(e.name, (self.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
    stack.push(e);
  }
  writeFileSync(join(PROFILE as string, `${profileName}-${phase}.trace.json`), JSON.stringify(traceEvents));
  const top = [...self].sort((a, b) => b[1] - a[1]);
  console.log(`${profileName} ${phase} trace, main thread self time:`);
  for (const [k, v] of top.slice(0, 18)) console.log(`  ${ms(v).padStart(7)}  ${k}`);
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function reportLayers(n: number): ReportLayer[] {
  return Array.from({ length: n }, (_, i) => ({
    index: i,
    line: i + 4,
    units: i === n - 1 ? 1 : 16,
    activation: i === n - 1 ? 'sigmoid' : 'tanh',
    init: 'glorot_uniform',
    params: 272,
    predicted: { actStd: 0.5, deltaRatio: 0.9 ** (n - 1 - i) },
  }));
}

/** Epoch e of an n-layer run: gradients shrinking toward the input, decaying over time, with noise and histograms. */
function record(e: number, n: number): EpochRecord {
  const rand = rng(e * 7919 + n);
  const layers: LayerStats[] = [];
  const histograms: number[][] = [];
  for (let i = 0; i < n; i++) {
    const g = 3e-2 * Math.exp(-e / 400) * 0.93 ** (n - 1 - i) * (1 + (rand() - 0.5) * 0.3);
    layers.push({
      gradRms: g,
      gradMeanAbs: g * 0.8,
      gradMaxAbs: g * 4,
      deltaRms: g * 3,
      updateRatio: g * 0.05,
      weightRms: 0.6,
      actMean: 0.1,
      actStd: 0.5,
      dead: 0,
      saturated: rand() * 0.1,
      zeroGrad: 0,
      nonFinite: 0,
      biasGradNorm: g * 2,
    });
    const h = new Array<number>(HISTOGRAM.bins).fill(0);
    const centre = Math.min(HISTOGRAM.bins - 3, Math.max(2, Math.round(((Math.log10(g) - HISTOGRAM.min) / (HISTOGRAM.max - HISTOGRAM.min)) * HISTOGRAM.bins)));
    for (let k = -2; k <= 2; k++) h[centre + k] = 40 - 12 * Math.abs(k);
    histograms.push(h);
  }
  return { epoch: e, loss: Math.exp(-e / 300) + 0.05 * rand(), accuracy: 0.5 + 0.4 * (1 - Math.exp(-e / 300)), layers, histograms };
}

function newRun(c: Case, id: string): RunData {
  const run = new RunData(id, '/bench/deep.nnspec', 'deep.nnspec', '');
  const layers = reportLayers(c.layers);
  run.apply({ type: 'started', name: `deep-${c.layers}`, layers, params: 272 * c.layers, epochs: c.epochs, problems: [], initial: null });
  return run;
}

function finish(run: RunData, c: Case): void {
  const layers = reportLayers(c.layers);
  run.apply({
    type: 'done',
    report: { version: 1, network: { name: run.name, params: run.params, layers }, initial: null, epochs: [], findings: [], problems: [], stopped: null },
  });
}

/** The host's messages for a streamed run: progress per chunk, a fresh 'show' when the panel stride doubles (as src/host/panel.ts does). */
function streamMessages(c: Case): HostToPanel[] {
  const run = newRun(c, `${c.name}-live`);
  const out: HostToPanel[] = [showMessage(run, 'gradRms')];
  let stride = run.panelStride;
  const per = Math.ceil(c.epochs / c.updates);
  for (let from = 1; from <= c.epochs; from += per) {
    const records: EpochRecord[] = [];
    for (let e = from; e < Math.min(c.epochs + 1, from + per); e++) records.push(record(e, c.layers));
    run.apply({ type: 'epochs', records, findings: [] });
    if (run.panelStride !== stride) {
      stride = run.panelStride;
      out.push(showMessage(run, 'gradRms'));
    } else out.push(progressMessage(run, records.length));
  }
  finish(run, c);
  out.push(progressMessage(run, 0));
  return out;
}

function finishedShow(c: Case): HostToPanel {
  const run = newRun(c, `${c.name}-done`);
  const chunk = 500;
  for (let from = 1; from <= c.epochs; from += chunk) {
    const records: EpochRecord[] = [];
    for (let e = from; e < Math.min(c.epochs + 1, from + chunk); e++) records.push(record(e, c.layers));
    run.apply({ type: 'epochs', records, findings: [] });
  }
  finish(run, c);
  return showMessage(run, 'gradRms');
}

/** Runs in the page before its script: a fake VS Code API that measures setState, a long-task log. */
function instrument(): void {
  const w = window as unknown as Record<string, unknown>;
  const saves: { chars: number; ms: number }[] = [];
  const tasks: { start: number; duration: number }[] = [];
  w.__saves = saves;
  w.__tasks = tasks;
  w.acquireVsCodeApi = () => ({
    postMessage: () => undefined,
    getState: () => undefined,
    setState: (s: unknown) => {
      const t = performance.now();
      const json = JSON.stringify(s);
      saves.push({ chars: json.length, ms: performance.now() - t });
    },
  });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  /**
   * Milliseconds from `t0` to the first frame after the page's last busy stretch (gaps over 50 ms),
   * and, given the id of a run being shown, not before the first frame after the one in which the
   * page drew that run's layer table (the last part a show draws): a show whose every frame is
   * under 50 ms of work makes no busy stretch.
   */
  w.__settle = (t0: number, runId?: string) =>
    new Promise<number>((resolve) => {
      let last = t0;
      let painted = NaN;
      // The frame (its timestamp) in which the table got the run, and the time the next one began.
      let drawnIn = NaN;
      let afterDrawn = runId === undefined ? t0 : NaN;
      const watch = new MutationObserver(() => {
        if (!Number.isNaN(drawnIn) || document.querySelector<HTMLElement>('.layer-table tbody')?.dataset.run !== runId) return;
        drawnIn = Number(document.timeline.currentTime);
        watch.disconnect();
      });
      if (runId !== undefined) watch.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-run'] });
      // performance.now(), not the frame's timestamp: that is when the frame began, which can be before t0.
      const frame = (ts: number): void => {
        const t = performance.now();
        if (Number.isNaN(painted) || t - last > 50) painted = t;
        last = t;
        if (Number.isNaN(afterDrawn) && ts > drawnIn) afterDrawn = t;
        if (t - painted > 400 && !Number.isNaN(afterDrawn)) resolve(Math.max(painted, afterDrawn) - t0);
        else requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
}

interface Try {
  painted: number;
  updates: number[];
  streamLongTasks: number;
  longestTask: number;
  metricSwitch: number;
  resize: number;
  stateChars: number;
  stateMs: number;
}

async function taskSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return metrics.find((m) => m.name === (CPU ? 'ThreadTime' : 'TaskDuration'))?.value ?? NaN;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The worker that holds a case's messages until they are posted: `{ from, count }` fetches them
 * (message k at `${from}${k}`) and answers with the count held; a number k posts message k back to
 * the page and drops it.
 */
const HOLDER = `const revive = ${REVIVE};
const msgs = [];
onmessage = async (e) => {
  if (typeof e.data === 'number') {
    postMessage(msgs[e.data]);
    msgs[e.data] = null;
    return;
  }
  const { from, count } = e.data;
  for (let k = 0; k < count; k++) msgs.push(revive(await (await fetch(from + k)).text()));
  postMessage(msgs.length);
};`;

interface Holding {
  __holder: Worker;
  /** Called after the page relays a message, with the time it began relaying it. */
  __relayed?: (t0: number) => void;
}

/** A case's messages (the finished run's show, then the stream), and where the page's worker fetches them. */
interface Served {
  readonly messages: readonly HostToPanel[];
  readonly url: string;
}

/**
 * Serves a case's messages, encoded, at `${url}${k}` for the page's worker to fetch: so staging
 * them never passes through the page's own heap.
 */
function serveMessages(messages: readonly HostToPanel[]): Promise<{ server: Server; served: Served }> {
  const encoded = messages.map(encodeMessage);
  const server = createServer((req, res) => {
    const body = encoded[Number(req.url?.slice(1))];
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(body ?? '');
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => ok({ server, served: { messages, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` } })),
  );
}

/**
 * Stages a case's messages in a worker of the page, outside the page's heap, as a real run's wait in
 * the extension host. The page relays each with postMessage, as VS Code's webview frame relays the
 * host's messages into the page: it arrives cloned on the page's thread, young and short-lived, as in
 * a panel. (Read into the page's own heap instead, they were copied by its first scavenges and their
 * garbage fed its major collections, inside the windows measured.)
 */
async function stageInWorker(page: Page, stream: Served): Promise<void> {
  const staged = await page.evaluate(
    ([source, from, count]) =>
      new Promise<number>((resolve) => {
        const w = window as unknown as Holding;
        w.__holder = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
        w.__holder.onmessage = (e: MessageEvent<unknown>) => {
          if (typeof e.data === 'number') return resolve(e.data);
          const t0 = performance.now();
          window.postMessage(e.data, '*');
          w.__relayed?.(t0);
        };
        w.__holder.postMessage({ from, count });
      }),
    [HOLDER, stream.url, stream.messages.length] as const,
  );
  if (staged !== stream.messages.length) throw new Error(`the worker holds ${staged} of ${stream.messages.length} messages`);
}

const profiled = new WeakSet<Served>();
let profileName = '';

async function startProfile(cdp: CDPSession): Promise<void> {
  if (TRACE) return startTrace(cdp);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/** Writes the profile and prints its ten functions of most self time (and the sum of the samples). */
async function stopProfile(cdp: CDPSession, phase: string): Promise<void> {
  if (TRACE) return stopTrace(cdp, phase);
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
  const file = join(PROFILE as string, `${profileName}-${phase}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byName = new Map<string, number>();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}`;
    byName.set(key, (byName.get(key) ?? 0) + (self.get(n.id) ?? 0));
  }
  const top = [...byName].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]);
  const busy = top.reduce((a, [, v]) => a + v, 0);
  console.log(`${file}: ${ms(busy)} not idle; by self time:`);
  for (const [k, v] of top.slice(0, 15)) console.log(`  ${ms(v).padStart(7)}  ${k}`);
}

/** The id of the run a 'show' of one run shows. */
function shownRunId(msg: HostToPanel | undefined): string | undefined {
  return msg?.type === 'show' && msg.view.kind === 'run' ? msg.view.run.id : undefined;
}

/** One try of a case: message 0 of `served` is the finished run's show, the rest its stream. */
async function oneTry(context: BrowserContext, origin: string, served: Served): Promise<Try> {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1100, height: HEIGHT });
  await page.goto(origin);
  await page.waitForFunction(() => document.getElementById('app') !== null);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');

  const profiling = PROFILE !== undefined && !profiled.has(served);
  if (profiling) profiled.add(served);
  // Every message staged first (not timed, with a pause after, so nothing of staging them is charged
  // to the page).
  await stageInWorker(page, served);
  await sleep(300);
  // A finished run, shown: from the page's relaying it (its serialisation and the clone the page
  // receives are the page's, as in a panel; the worker's posting it is not).
  if (profiling) await startProfile(cdp);
  const painted = await page.evaluate(
    (runId) =>
      new Promise<number>((resolve) => {
        const w = window as unknown as Holding & { __settle: (t0: number, runId?: string) => Promise<number>; __showAt: number };
        w.__relayed = (t0) => {
          w.__relayed = undefined;
          w.__showAt = t0;
          resolve(w.__settle(t0, runId));
        };
        w.__holder.postMessage(0);
      }),
    shownRunId(served.messages[0]),
  );

  if (profiling) await stopProfile(cdp, 'show');
  // Metric switch and resize on it.
  const metricSwitch = await page.evaluate(() => {
    const w = window as unknown as { __settle: (t0: number) => Promise<number> };
    const select = document.querySelector('vscode-single-select#metric') as (HTMLElement & { value: string }) | null;
    const t0 = performance.now();
    if (select) {
      select.value = 'deltaRms';
      select.dispatchEvent(new Event('change'));
    }
    return w.__settle(t0);
  });
  // Resize: from the page's resize event (in the first frame at the new size), not from our call,
  // whose round trips to the browser are no part of the page's time. The resize observers do their
  // work later in that frame, after its animation callbacks: settling starts with the next frame.
  await page.evaluate(() => {
    const w = window as unknown as { __settle: (t0: number) => Promise<number>; __resized: Promise<number> };
    w.__resized = new Promise((resolve) =>
      addEventListener(
        'resize',
        () => {
          const t0 = performance.now();
          requestAnimationFrame(() => resolve(w.__settle(t0)));
        },
        { once: true },
      ),
    );
  });
  if (profiling) await startProfile(cdp);
  await page.setViewportSize({ width: 800, height: HEIGHT });
  const resize = await page.evaluate(() => (window as unknown as { __resized: Promise<number> }).__resized);
  if (profiling) await stopProfile(cdp, 'resize');
  await page.setViewportSize({ width: 1100, height: HEIGHT });
  await sleep(300);

  // The same size of run, streamed: one message every 100 ms, as the host's batcher posts them, and
  // each 100 ms window's main-thread time is an update's: the windows tile the stream, so the loss
  // chart and table drawn on timers between messages land in them as they would in a panel.
  const tasksBefore = await page.evaluate(() => (window as unknown as { __tasks: unknown[] }).__tasks.length);
  const updates: number[] = [];
  if (profiling) await startProfile(cdp);
  const stream = served.messages.length - 1;
  for (let i = 0; i < stream; i++) {
    const a = await taskSeconds(cdp);
    await page.evaluate((k) => (window as unknown as Holding).__holder.postMessage(k), 1 + i);
    await sleep(100);
    const b = await taskSeconds(cdp);
    if (i > 0) updates.push((b - a) * 1000);
    if (SERIES && i > 0) console.log(`${profileName} update ${i} (${(served.messages[1 + i] as HostToPanel).type}): ${((b - a) * 1000).toFixed(1)} ms`);
  }
  await sleep(500);
  if (profiling) await stopProfile(cdp, 'stream');
  const result = await page.evaluate((from) => {
    const w = window as unknown as { __tasks: { start: number; duration: number }[]; __saves: { chars: number; ms: number }[]; __showAt: number };
    // The page's tasks from the show's relay on (the task that relays it serialises it, as the
    // sender would), not the page's own loading nor the staging of the messages.
    const page = w.__tasks.filter((t) => t.start >= w.__showAt - 5);
    return {
      streamLongTasks: w.__tasks.slice(from).length,
      longestTask: Math.max(0, ...page.map((t) => t.duration)),
      stateChars: Math.max(0, ...w.__saves.map((s) => s.chars)),
      stateMs: Math.max(0, ...w.__saves.map((s) => s.ms)),
    };
  }, tasksBefore);
  await page.close();
  return { painted, updates, metricSwitch, resize, ...result };
}

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
}
const median = (xs: readonly number[]): number => quantile(xs, 0.5);
const ms = (v: number): string => (v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
const size = (chars: number): string => (chars >= 1e6 ? `${(chars / 1e6).toFixed(1)} MB` : `${Math.round(chars / 1e3)} kB`);

/** Bytes of a message as it travels: its JSON with the typed arrays left out, plus the bytes of the buffers they view. */
function messageBytes(m: HostToPanel): number {
  const json = JSON.stringify(m, (_k, v: unknown) => (ArrayBuffer.isView(v) ? 0 : v)).length;
  return json + [...wireBuffers(m)].reduce((n, b) => n + b.byteLength, 0);
}

/** The bytes the host posts for each run: the finished run's 'show', and the whole stream summed. */
function reportBytes(): void {
  console.log('| run | finished show | streamed (all messages) | largest message |\n|---|---|---|---|');
  for (const c of CASES) {
    if (ONLY && !ONLY.includes(c.name)) continue;
    const stream = streamMessages(c).map(messageBytes);
    const total = stream.reduce((a, b) => a + b, 0);
    console.log(`| ${c.name} | ${size(messageBytes(finishedShow(c)))} | ${size(total)} | ${size(Math.max(...stream))} |`);
  }
}

async function main(): Promise<void> {
  if (args.includes('--bytes')) return reportBytes();
  const { server, origin }: { server: Server; origin: string } = await servePanel(opt('--root') ?? resolve(__dirname, '../..'));
  const dir = mkdtempSync(join(tmpdir(), 'gf-bench-panel-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    // The page's CSP (default-src 'none') refuses the bench's worker; the page itself starts none.
    bypassCSP: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await context.addInitScript(instrument);
  const rows: string[] = [];
  try {
    for (const c of CASES) {
      if (ONLY && !ONLY.includes(c.name)) continue;
      const { server: messageServer, served } = await serveMessages([finishedShow(c), ...streamMessages(c)]);
      profileName = c.name;
      const tries: Try[] = [];
      try {
        for (let t = 0; t < TRIES; t++) tries.push(await oneTry(context, origin, served));
      } catch (e) {
        rows.push(`| ${c.name} | failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)} |`);
        console.log(rows[rows.length - 1]);
        continue;
      } finally {
        messageServer.close();
      }
      const all = tries.flatMap((t) => t.updates);
      const m = (f: (t: Try) => number): number => median(tries.map(f));
      const row = [
        c.name,
        ms(m((t) => t.painted)),
        `${ms(median(all))} / ${ms(quantile(all, 0.9))} / ${ms(Math.max(...all))}`,
        `${m((t) => t.streamLongTasks)} of ${served.messages.length - 2}`,
        ms(m((t) => t.longestTask)),
        `${ms(m((t) => t.metricSwitch))}, ${ms(m((t) => t.resize))}`,
        `${size(m((t) => t.stateChars))}, ${ms(m((t) => t.stateMs))}`,
      ];
      rows.push(`| ${row.join(' | ')} |`);
      console.log(rows[rows.length - 1]);
    }
  } finally {
    await context.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `\n${TRIES} tries each\n| run | painted | update median / p90 / max | long tasks streaming | longest task | metric switch, resize | saved state, longest save |\n|---|---|---|---|---|---|---|\n${rows.join('\n')}`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
