// Nielsen's "speed of learning" in the panel, in a real VS Code (code-server in Chromium): open
// examples/mnist-speed-of-learning.nnspec, Train & Inspect, pick ‖∂L/∂b‖ as the heatmap metric,
// and read from the panel's readout each hidden layer's ‖∂L/∂b‖ at the initial weights (epoch 0)
// and at epoch 500. The first hidden layer must learn about a hundred times slower than the last,
// and the panel must say what `nnspec train` says in the terminal.
//
// Tolerance: "about a hundred times" is a factor of 2 either way, 50–200×. The book's own number
// (0.285 / 0.003 = 95×) comes from one random initialisation, which it says moves each value by
// roughly ±40%; over seeds 1–10 our ratio at the initial weights runs from 79× to 184× (81× for
// seed 1, the example's; docs/reproductions.md), and at epoch 500 of seed 1 it is 76×. A wrong
// sigmoid′, init or bias gradient moves it by a factor of 4 or more per layer.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Frame, Page } from 'playwright-core';
import { ARTIFACTS, ROOT, findFrameWith, openFile, openWorkbench, poll, runCommand, type Workbench } from './harness';

/** One row of the panel's readout: its label, each hidden layer's value and the "N× slower" phrase. */
interface ReadoutRow {
  readonly epoch: number;
  readonly label: string;
  readonly values: number[];
  readonly phrase: string;
}

const READOUT = '.speed-of-learning:not([hidden]) .speed-table';

/** The readout's rows as the page shows them (numbers parsed back from their text), each with its "N× slower" line. */
async function readout(frame: Frame): Promise<ReadoutRow[]> {
  const rows = await frame.$$eval(`${READOUT} tbody tr`, (trs) =>
    trs.map((tr) => ({ epoch: (tr as HTMLElement).dataset.epoch ?? '', cells: [...tr.children].map((c) => c.textContent ?? '') })),
  );
  const phrases = await frame.$$eval('.speed-of-learning .speed-phrases li', (lis) =>
    lis.map((li) => [(li as HTMLElement).dataset.epoch ?? '', li.textContent ?? '']),
  );
  return rows.map(({ epoch, cells }) => {
    const label = cells[0] ?? '';
    const line = phrases.find(([e]) => e === epoch)?.[1] ?? '';
    return { epoch: Number(epoch), label, values: cells.slice(1).map(Number), phrase: line.startsWith(`${label}: `) ? line.slice(label.length + 2) : line };
  });
}

/** The terminal's "Speed of learning" lines: label → the hidden layers' values and the phrase. */
function terminalSpeeds(out: string): Map<string, { values: number[]; phrase: string }> {
  const lines = out.split('\n');
  const at = lines.findIndex((l) => l.startsWith('Speed of learning'));
  assert.ok(at >= 0, `the CLI prints a speed-of-learning section:\n${out}`);
  const rows = new Map<string, { values: number[]; phrase: string }>();
  for (const line of lines.slice(at + 1, at + 3)) {
    const m = /^ {2}(initial weights|epoch \d+)\s+([^(]+)\((.+)\)$/.exec(line);
    assert.ok(m, `a speed-of-learning row: ${line}`);
    rows.set(m[1] as string, { values: (m[2] as string).trim().split(/\s+/).map(Number), phrase: m[3] as string });
  }
  return rows;
}

describe("Nielsen's speed of learning in the panel (code-server in Chromium)", function () {
  this.timeout(180_000);
  let wb: Workbench;
  let page: Page;

  before(async () => {
    wb = await openWorkbench('browser-speed-of-learning');
    page = wb.page;
  });
  afterEach(function () {
    return wb?.screenshotOnFailure(this);
  });
  after(() => wb?.close());

  it('shows the first hidden layer learning about 100× slower than the last, at epoch 0 and epoch 500, as the terminal does', async () => {
    await openFile(page, 'mnist-speed-of-learning.nnspec');
    await runCommand(page, 'Gradient Flow: Train & Inspect');
    // Five layers (four hidden, one output); 500 full-batch epochs, a few seconds on a quiet machine.
    await poll(
      'the run to end',
      async () => {
        const frame = await findFrameWith(page, '.heatmap-box[data-rows="5"]', 5_000);
        return frame.$('.view-header .state-badge.done');
      },
      120_000,
    );
    // The terminal's run of the same file, meanwhile (its numbers are compared at the end).
    const cli = promisify(execFile)(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'train', '--no-color', 'mnist-speed-of-learning.nnspec'], {
      cwd: wb.workspace,
      maxBuffer: 16 * 1024 * 1024,
    });
    cli.catch(() => undefined); // awaited below; a failure before then must not go unhandled
    // Pick ‖∂L/∂b‖ in the metric picker, as a user does: one step per try (open the list, or click
    // the option once it shows), so a slow page or a reloaded one is simply tried again.
    const frame = await poll(
      'the heatmap to show ‖∂L/∂b‖ with its readout',
      async () => {
        const f = await findFrameWith(page, '.heatmap-box[data-rows="5"]', 5_000);
        if (await f.$(`${READOUT} tbody tr[data-epoch="500"]`)) return f;
        const option = f.getByRole('option', { name: /bias gradient norm/ });
        if (await option.isVisible()) await option.click({ timeout: 5_000 });
        else await f.locator('vscode-single-select#metric').click({ timeout: 5_000 });
        return null;
      },
      60_000,
    );
    assert.match((await frame.locator('canvas.legend').getAttribute('aria-label')) ?? '', /‖∂L\/∂b‖/);
    const rows = await readout(frame);
    assert.deepEqual(
      rows.map((r) => [r.epoch, r.label]),
      [
        [0, 'epoch 0 (initial weights)'],
        [500, 'epoch 500'],
      ],
    );
    for (const r of rows) {
      assert.equal(r.values.length, 4, `four hidden layers at ${r.label}: ${r.values.join(', ')}`);
      assert.ok(
        r.values.every((v) => Number.isFinite(v) && v > 0),
        `positive values at ${r.label}: ${r.values.join(', ')}`,
      );
      const slower = (r.values[3] as number) / (r.values[0] as number);
      console.log(`    panel, ${r.label}: ${r.values.join('  ')} (${r.phrase}; from the shown values ${slower.toFixed(1)}×)`);
      assert.ok(slower > 50 && slower < 200, `${r.label}: the first hidden layer is ${slower.toFixed(1)}× slower than the last (about 100×: 50–200×)`);
      // The phrase is the ratio of the unrounded values; the shown ones are rounded to 3 digits.
      const said = /^the first ([\d.]+)× slower than the last$/.exec(r.phrase);
      assert.ok(said, `the readout says how much slower: ${r.phrase}`);
      assert.ok(Math.abs(Number(said[1]) / slower - 1) < 0.03, `${r.phrase} agrees with the shown values' ${slower.toFixed(1)}×`);
    }
    console.log(`    screenshot: ${path.relative(ROOT, await wb.screenshot('speed-of-learning-panel'))}`);
    // The heatmap's card alone, for docs/images/speed-of-learning-panel.png.
    await frame.locator('.heatmap-section').screenshot({ path: path.join(ARTIFACTS, 'speed-of-learning-heatmap.png') });

    // The same run in the terminal: the same phrases, and the same values to the CLI's rounding
    // (2–3 significant digits, so within 5%; the panel's are float32 of the same float64 run).
    const terminal = terminalSpeeds((await cli).stdout);
    for (const [label, r] of [
      ['initial weights', rows[0]],
      ['epoch 500', rows[1]],
    ] as const) {
      const t = terminal.get(label);
      assert.ok(t && r, `the terminal has a '${label}' row`);
      assert.equal(r.phrase, t.phrase, `${label}: the panel and the terminal say the same`);
      r.values.forEach((v, k) => {
        const tv = t.values[k] as number;
        assert.ok(Math.abs(v / tv - 1) < 0.05, `${label}, hidden layer ${k}: panel ${v}, terminal ${tv}`);
      });
    }
  });
});
