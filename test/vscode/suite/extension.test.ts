// Gradient Flow inside a real VS Code extension host (code-server here, @vscode/test-electron where
// VS Code can be downloaded): diagnostics while typing, Train & Inspect in the worker ending with
// a `vanishing` diagnostic on the first dense line, its hover and quick fix, stale findings, Stop,
// replacing a run, closing the file or the panel, and a crashing worker. Runs are awaited through
// the API activate() returns, never with sleeps.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkWithFiles } from '../../../src/engine/index';
import { dataFileReader } from '../../../src/node/dataFiles';
import type { RunOutcome } from '../../../src/host/api';
import type { TestingApi as GradientFlowApi } from '../testingApi';
import { EXTENSION_ID, FIXTURES, diagnostics, hoverText, openCopy, pollFor, saveDocument, waitFor } from './helpers';

let api: GradientFlowApi;
let dir: string;

/** A fresh copy of a fixture in a temporary folder, opened and shown. */
const openFixture = (name: string, as = name): Promise<vscode.TextEditor> => openCopy(path.join(FIXTURES, name), dir, as);

async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

describe('Gradient Flow in the extension host', function () {
  this.timeout(60_000);

  before(async () => {
    const ext = vscode.extensions.getExtension<GradientFlowApi>(EXTENSION_ID);
    assert.ok(ext, 'the extension is installed');
    api = await ext.activate();
    assert.ok(api && typeof api.train === 'function', 'activate() returns the API');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gf-host-test-'));
  });

  after(async () => {
    api?.stop();
    await closeAllEditors();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('language support', () => {
    it('shows a parse problem with its code and range while the file is open', async () => {
      const editor = await openFixture('mistake.nnspec');
      const uri = editor.document.uri;
      const [d] = await waitFor('the unknown-activation diagnostic', () => {
        const ds = diagnostics(uri, 'unknown-activation');
        return ds.length > 0 && ds;
      });
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], [3, 8, 3, 14]);
      assert.match(d.message, /Did you mean `sigmoid`\?/);
    });

    it('updates the problems while typing (debounced)', async () => {
      const editor = await openFixture('mistake.nnspec', 'typing.nnspec');
      const uri = editor.document.uri;
      await waitFor('the first diagnostics', () => diagnostics(uri, 'unknown-activation').length > 0);
      const ok = await editor.edit((e) => e.replace(new vscode.Range(3, 8, 3, 14), 'sigmoid'));
      assert.ok(ok);
      await waitFor('the problem to go', () => diagnostics(uri, 'unknown-activation').length === 0);
    });

    it('offers a "did you mean" quick fix for a misspelt word', async () => {
      const editor = await openFixture('mistake.nnspec', 'didyoumean.nnspec');
      const uri = editor.document.uri;
      const [d] = await waitFor('the diagnostic', () => {
        const ds = diagnostics(uri, 'unknown-activation');
        return ds.length > 0 && ds;
      });
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        d.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const fix = actions.find((a) => a.title === 'Change to `sigmoid`');
      assert.ok(fix?.edit, `offered: ${actions.map((a) => a.title).join(' | ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.equal(editor.document.lineAt(3).text, 'dense 4 sigmoid');
    });

    it('completes activations after `dense N ` and inits after `init=`', async () => {
      const editor = await openFixture('mistake.nnspec', 'complete.nnspec');
      const uri = editor.document.uri;
      await editor.edit((e) => e.insert(new vscode.Position(5, 0), 'dense 8 \ndense 8 relu init=\n'));
      const acts = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(5, 8));
      const actLabels = acts.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      assert.ok(actLabels.includes('sigmoid') && actLabels.includes('leaky_relu'), actLabels.join(','));
      const inits = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(6, 18));
      const initLabels = inits.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      assert.ok(initLabels.includes('he_normal') && initLabels.includes('glorot_uniform'), initLabels.join(','));
    });

    it('documents sigmoid and he_normal on hover', async () => {
      const editor = await openFixture('deep-sigmoid.nnspec', 'keywords.nnspec');
      const uri = editor.document.uri;
      const sig = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(4, 11)));
      assert.match(sig, /1 \/ \(1 \+ e\^\(−z\)\)/);
      assert.match(sig, /f′\(z\) = f\(z\)·\(1 − f\(z\)\) ≤ 1\/4/);
      assert.match(sig, /Largest derivative: 1\/4/);
      await editor.edit((e) => e.replace(new vscode.Range(4, 22, 4, 36), 'he_normal'));
      const he = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(4, 25)));
      assert.match(he, /Variance of the weights: `2\/fan_in`/);
      assert.match(he, /The match for relu/);
    });
  });

  describe('the examples', () => {
    const folder = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
    const specs = () =>
      fs
        .readdirSync(folder())
        .filter((f) => f.endsWith('.nnspec'))
        .sort();

    it("each example opens with the engine's problems as diagnostics, and none is an error", async () => {
      assert.ok(specs().length > 0, 'the workspace has examples');
      for (const name of specs()) {
        const file = path.join(folder(), name);
        const text = fs.readFileSync(file, 'utf8');
        const expected = (await checkWithFiles(text, { fileName: file, read: dataFileReader(file) })).problems.map((p) => `${p.line - 1}:${p.code}`).sort();
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
        const actual = () =>
          diagnostics(doc.uri)
            .map((d) => `${d.range.start.line}:${String(d.code)}`)
            .sort();
        await waitFor(`${name}'s diagnostics ${expected.join(', ')} (have ${actual().join(', ')})`, () => actual().join() === expected.join());
        assert.equal(diagnostics(doc.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length, 0, `${name} has no error`);
      }
    });

    it("the data line's hover of examples/mnist-speed-of-learning.nnspec shows the digits' shape and class balance", async () => {
      const editor = await openCopy(path.join(folder(), 'mnist-speed-of-learning.nnspec'), dir, 'digits.nnspec');
      const line = editor.document
        .getText()
        .split('\n')
        .findIndex((l) => l.startsWith('data '));
      // The summary comes with the document's first check, which loads the digits: polled, not slept on.
      const text = await pollFor('the data summary in the hover', async () => {
        const t = hoverText(
          await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(line, 1)),
        );
        return /Loaded/.test(t) && t;
      });
      assert.match(text, /1,000 samples × 784 features/);
      assert.match(text, /10 classes, balanced: 100 each/);
    });

    it('Train & Inspect on examples/deep-sigmoid.nnspec ends with a vanishing diagnostic on its first dense line', async () => {
      const file = path.join(folder(), 'deep-sigmoid.nnspec');
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
      const firstDense = doc
        .getText()
        .split(/\r?\n/)
        .findIndex((l) => /^\s*dense\b/.test(l));
      const o = await vscode.commands.executeCommand<RunOutcome>('nnspec.trainAndInspect', doc.uri);
      assert.equal(o?.state, 'done');
      await waitFor('the vanishing diagnostic on the first dense line', () => diagnostics(doc.uri, 'vanishing').some((d) => d.range.start.line === firstDense));
      const hover = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(firstDense, 1)));
      assert.match(hover, /Vanishing gradient[\s\S]*Ratio to the output layer/);
      await closeAllEditors();
    });
  });

  describe('Train & Inspect', () => {
    let editor: vscode.TextEditor;
    let uri: vscode.Uri;
    let outcome: RunOutcome | undefined;

    before(async () => {
      await closeAllEditors();
      editor = await openFixture('deep-sigmoid.nnspec');
      uri = editor.document.uri;
      outcome = await vscode.commands.executeCommand<RunOutcome>('nnspec.trainAndInspect', uri);
    });

    it('trains in the worker to the end and finds the vanishing gradient', () => {
      assert.ok(outcome);
      assert.equal(outcome.state, 'done');
      assert.equal(outcome.epochs, 60);
      assert.ok(
        outcome.findings.some((f) => f.kind === 'vanishing' && f.line === 5),
        JSON.stringify(outcome.findings.map((f) => [f.kind, f.line])),
      );
      assert.equal(api.isRunning(uri), false);
    });

    it('puts a `vanishing` diagnostic on the first dense line, beside the parse problems', async () => {
      const [d] = await waitFor('the vanishing diagnostic', () => {
        const ds = diagnostics(uri, 'vanishing');
        return ds.length > 0 && ds;
      });
      assert.equal(d.range.start.line, 4);
      assert.equal(d.range.start.character, 0);
      assert.equal(d.range.end.character, editor.document.lineAt(4).text.length);
      assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(d.message, /Layers 0–6 vanishing/);
      assert.equal(diagnostics(uri, 'vanishing').length, 1, 'once');
      // The run measured the network: the static prediction on the line gives way to the finding (issue 11).
      await waitFor('the prediction to give way', () => diagnostics(uri, 'static-vanishing').length === 0);
    });

    it('shows the evidence on hover: sparkline, ratio to the output layer, the (1/4)^k bound, fixes as links', async () => {
      const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(4, 2)));
      assert.match(text, /Vanishing gradient/);
      assert.match(text, /layer 0: `[▁▂▃▄▅▆▇█·]+`/);
      assert.match(text, /(?:Worst ratio|Ratio) to the output layer: ∂L\/∂W [\d.e-]+, ∂L\/∂z [\d.e-]+/);
      assert.match(text, /Bound: \(1\/4\)\^8/);
      assert.match(text, /\]\(command:nnspec\.applyFix\?/);
    });

    it('opens the panel beside the editor, whose page says ready', async () => {
      const p = await waitFor(
        'the panel page to load',
        () => {
          const info = api.panel();
          return info && info.readyCount > 0 && info;
        },
        30_000,
      );
      assert.ok(p.runId);
    });

    it('keeps the findings through a comment edit, moving them with their line', async () => {
      await editor.edit((e) => e.insert(new vscode.Position(0, 0), '# a comment added above\n'));
      await waitFor('the finding to move down a line', () => diagnostics(uri, 'vanishing').some((d) => d.range.start.line === 5));
      assert.equal(api.findings(uri).find((f) => f.kind === 'vanishing')?.line, 6);
      await vscode.commands.executeCommand('undo');
      await waitFor('the finding to move back', () => diagnostics(uri, 'vanishing').some((d) => d.range.start.line === 4));
    });

    it('offers the fix as a quick fix, and applying it changes the line and clears the stale finding', async () => {
      const [d] = diagnostics(uri, 'vanishing');
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        d.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const titles = actions.map((a) => a.title);
      const fix = actions.find((a) => a.title === 'Use relu with he_normal init');
      assert.ok(fix?.edit, `offered: ${titles.join(' | ')}`);
      assert.ok(fix.kind?.contains(vscode.CodeActionKind.QuickFix));
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.equal(editor.document.lineAt(4).text, 'dense 16 relu init=he_normal x8');
      await waitFor('the stale finding to go', () => diagnostics(uri, 'vanishing').length === 0);
      assert.equal(api.findings(uri).length, 0);
    });

    it("applies a fix from the hover's command link", async () => {
      const e2 = await openFixture('deep-sigmoid.nnspec', 'hover-fix.nnspec');
      const u2 = e2.document.uri;
      const o = await api.train(u2);
      assert.equal(o.state, 'done');
      const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', u2, new vscode.Position(4, 2)));
      const link = /\[Use tanh with glorot\\_uniform init\]\(command:nnspec\.applyFix\?([^)]+)\)/.exec(text);
      assert.ok(link, text);
      const args = JSON.parse(decodeURIComponent(link[1])) as unknown[];
      assert.equal(await vscode.commands.executeCommand('nnspec.applyFix', ...args), true);
      assert.equal(e2.document.lineAt(4).text, 'dense 16 tanh init=glorot_uniform x8');
    });

    it('offers "fix all" for a kind flagged on several lines, and it changes every one', async () => {
      const e3 = await openFixture('two-sigmoid-blocks.nnspec');
      const u3 = e3.document.uri;
      assert.equal((await api.train(u3)).state, 'done');
      const ds = await waitFor('two vanishing diagnostics', () => {
        const x = diagnostics(u3, 'vanishing');
        return x.length === 2 && x;
      });
      // The upper line's own fix covers only it; the lower line's already covers both (the layers above it), so "fix all" is offered above.
      const upper = ds.find((d) => d.range.start.line === 4);
      assert.ok(upper);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        u3,
        upper.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const all = actions.find((a) => a.title === 'Fix all vanishing layers: Use relu with he_normal init (2 lines)');
      assert.ok(all?.edit, `offered: ${actions.map((a) => a.title).join(' | ')}`);
      assert.ok(await vscode.workspace.applyEdit(all.edit));
      assert.equal(e3.document.lineAt(3).text, 'dense 16 relu x4 init=he_normal');
      assert.equal(e3.document.lineAt(4).text, 'dense 16 relu x4 init=he_normal');
    });

    it('the panel reloads its page when shown again after being hidden, and the host answers its ready', async () => {
      const before = await waitFor(
        'the panel',
        () => {
          const p = api.panel();
          return p && p.readyCount > 0 && p;
        },
        30_000,
      );
      // Another editor on top of the panel hides it; closing that editor shows the panel again.
      const other = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'on top of the panel' });
      await vscode.window.showTextDocument(other, { viewColumn: vscode.ViewColumn.Two, preview: false });
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      const after = await waitFor(
        'the page to say ready again',
        () => {
          const p = api.panel();
          return p && p.readyCount > before.readyCount && p;
        },
        30_000,
      );
      assert.equal(after.runId, before.runId, 'the same run is shown');
    });

    it('trains on save when nnspec.trainOnSave is on', async () => {
      const config = vscode.workspace.getConfiguration('nnspec');
      await config.update('trainOnSave', true, vscode.ConfigurationTarget.Global);
      try {
        const e4 = await openFixture('deep-sigmoid.nnspec', 'on-save.nnspec');
        const u4 = e4.document.uri;
        await e4.edit((e) => e.insert(new vscode.Position(0, 0), '# saved\n'));
        await saveDocument(e4.document);
        await waitFor('a run to start on save', () => api.isRunning(u4));
        await waitFor('its findings', () => diagnostics(u4, 'vanishing').length > 0, 30_000);
      } finally {
        await config.update('trainOnSave', undefined, vscode.ConfigurationTarget.Global);
      }
    });
  });

  describe('the panel host', () => {
    let editor: vscode.TextEditor;
    let uri: vscode.Uri;
    const saved: vscode.Uri[] = [];

    before(async () => {
      await closeAllEditors();
      editor = await openFixture('deep-sigmoid.nnspec', 'panel-host.nnspec');
      uri = editor.document.uri;
      assert.equal((await api.train(uri, { epochs: 5 })).state, 'done');
      await waitFor('the panel page', () => (api.panel()?.readyCount ?? 0) > 0, 30_000);
      api.testing.setSaveDialog(async (options) => {
        const name = path.basename(options.defaultUri!.fsPath);
        const target = vscode.Uri.file(path.join(dir, `saved-${saved.length}-${name}`));
        saved.push(target);
        return target;
      });
    });
    after(() => api.testing.setSaveDialog(undefined));

    it('shows a CodeLens "Train & Inspect" on the first statement', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      const lens = lenses.find((l) => l.command?.command === 'nnspec.trainAndInspect');
      assert.ok(lens, JSON.stringify(lenses.map((l) => l.command?.title)));
      assert.equal(lens.range.start.line, 1, 'the `network` line, after the comment');
      assert.match(lens.command!.title, /Train & Inspect/);
    });

    it('exports the statistics as CSV and JSON through the save dialog', async () => {
      await api.testing.postFromPanel({ type: 'export', format: 'csv' });
      const csvFile = saved[saved.length - 1];
      assert.match(csvFile.fsPath, /fixture-deep-sigmoid-stats\.csv$/);
      const rows = fs.readFileSync(csvFile.fsPath, 'utf8').trim().split('\n');
      assert.match(rows[0], /^epoch,loss,accuracy,layer,line,activation,gradRms,/);
      // Epoch 0 (the initial record, the gradient at the initial weights) and epochs 1–5, a row per layer.
      assert.equal(rows.length, 1 + (1 + 5) * 9);
      assert.match(rows[1], /^0,/);
      await api.testing.postFromPanel({ type: 'export', format: 'json' });
      const report = JSON.parse(fs.readFileSync(saved[saved.length - 1].fsPath, 'utf8')) as {
        version: number;
        epochs: unknown[];
        network: { layers: unknown[] };
      };
      assert.equal(report.version, 1);
      assert.equal(report.epochs.length, 5);
      assert.equal(report.network.layers.length, 9);
    });

    it('saves the heatmap PNG from its data URL, and refuses what is not a PNG', async () => {
      const png = Buffer.from(
        '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5ddd3b40000000049454e44ae426082',
        'hex',
      );
      await api.testing.postFromPanel({ type: 'exportPng', dataUrl: `data:image/png;base64,${png.toString('base64')}` });
      const file = saved[saved.length - 1];
      assert.match(file.fsPath, /heatmap\.png$/);
      assert.deepEqual(fs.readFileSync(file.fsPath), png);
      const count = saved.length;
      await api.testing.postFromPanel({ type: 'exportPng', dataUrl: `data:image/png;base64,${Buffer.from('<svg/>').toString('base64')}` });
      assert.equal(saved.length, count, 'no save dialog for a non-PNG');
    });

    it('drops malformed messages from the page', async () => {
      const before = api.panel()!.ignoredMessages;
      for (const m of [null, { type: 'export', format: 'exe' }, { type: 'revealLayer', fileName: editor.document.fileName, line: -1 }, { command: 'export' }]) {
        await api.testing.postFromPanel(m);
      }
      assert.equal(api.panel()!.ignoredMessages, before + 4);
    });

    it("reveals a layer's line in the editor when the page asks, for the file it shows only", async () => {
      await api.testing.postFromPanel({ type: 'revealLayer', fileName: editor.document.fileName, line: 5 });
      const active = vscode.window.activeTextEditor;
      assert.equal(active?.document.uri.toString(), uri.toString());
      assert.equal(active.selection.start.line, 4);
      const other = await openFixture('mistake.nnspec', 'not-shown.nnspec');
      await vscode.window.showTextDocument(editor.document, vscode.ViewColumn.One);
      await api.testing.postFromPanel({ type: 'revealLayer', fileName: other.document.fileName, line: 3 });
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString(), 'another file is not opened');
    });
  });

  describe("the worker's lifecycle", () => {
    beforeEach(closeAllEditors);

    it('Stop Training stops the worker and the run reports cancelled', async () => {
      const editor = await openFixture('long-run.nnspec', 'stop.nnspec');
      const uri = editor.document.uri;
      const run = api.train(uri);
      await waitFor('the run to start', () => api.isRunning(uri));
      await new Promise((r) => setTimeout(r, 300)); // let some epochs run
      assert.equal(await vscode.commands.executeCommand('nnspec.stop'), true);
      const o = await run;
      assert.equal(o.state, 'cancelled');
      assert.equal(o.stopped, 'cancelled');
      assert.ok(o.epochs < 100000);
      assert.equal(api.isRunning(uri), false);
    });

    it('Stop keeps the partial run: its epochs in the panel, its findings in the editor, marked as stopped', async () => {
      const editor = await openFixture('deep-sigmoid.nnspec', 'stop-keeps.nnspec');
      const uri = editor.document.uri;
      const run = api.train(uri, { epochs: 100000 });
      await waitFor('epochs in the panel', () => (api.panel()?.snapshot?.lastEpoch ?? 0) >= 40, 60_000);
      api.stop(uri);
      const o = await run;
      assert.equal(o.outcome, 'cancelled');
      assert.equal(o.state, 'cancelled');
      assert.ok(o.epochs >= 40 && o.epochs < 100000, `${o.epochs} epochs`);
      assert.ok(
        o.findings.some((f) => f.kind === 'vanishing'),
        'the partial run diagnosed',
      );
      const shown = api.findings(uri).filter((f) => f.kind === 'vanishing');
      assert.ok(shown.length > 0, 'its findings in the editor');
      assert.match(shown[0].message, new RegExp(`stopped at epoch ${o.epochs} of 100000`));
      const panel = await waitFor('the panel to hold the stopped run', () => {
        const p = api.panel();
        return p?.snapshot?.lastEpoch === o.epochs && p;
      });
      assert.equal(panel.snapshot?.findings, o.findings.length);
    });

    it('a new run of the same file stops the old one', async () => {
      const editor = await openFixture('long-run.nnspec', 'replace.nnspec');
      const uri = editor.document.uri;
      const first = api.train(uri);
      await waitFor('the first run to start', () => api.isRunning(uri));
      const second = api.train(uri, { epochs: 3 });
      const o1 = await first;
      assert.equal(o1.state, 'cancelled');
      const o2 = await second;
      assert.equal(o2.state, 'done');
      assert.equal(o2.epochs, 3);
    });

    it('closing the file stops its run', async () => {
      const editor = await openFixture('long-run.nnspec', 'close-file.nnspec');
      const uri = editor.document.uri;
      const run = api.train(uri);
      await waitFor('the run to start', () => api.isRunning(uri));
      await vscode.window.showTextDocument(editor.document, vscode.ViewColumn.One);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      const o = await run;
      assert.equal(o.state, 'cancelled');
    });

    it('closing the panel stops the run it shows', async () => {
      const editor = await openFixture('long-run.nnspec', 'close-panel.nnspec');
      const uri = editor.document.uri;
      const run = api.train(uri);
      await waitFor('the run to start', () => api.isRunning(uri));
      api.closePanel();
      const o = await run;
      assert.equal(o.state, 'cancelled');
      assert.equal(api.panel(), undefined);
    });

    it('a crash in the worker surfaces as an error message, and a later run still works', async () => {
      const editor = await openFixture('deep-sigmoid.nnspec', 'crash.nnspec');
      const uri = editor.document.uri;
      const before = api.errors.length;
      const crashed = await api.train(uri, { crashAtEpoch: 3 });
      assert.equal(crashed.state, 'failed');
      assert.equal(crashed.outcome, 'crashed');
      assert.match(crashed.error ?? '', /Test crash at epoch 3/);
      assert.equal(api.errors.length, before + 1);
      assert.match(api.errors[api.errors.length - 1], /training crash\.nnspec failed/);
      const again = await vscode.commands.executeCommand<RunOutcome>('nnspec.trainAndInspect', uri);
      assert.equal(again?.state, 'done');
      assert.ok(again.findings.some((f) => f.kind === 'vanishing'));
    });

    it('a spec with errors is not trained, and says why', async () => {
      const editor = await openFixture('mistake.nnspec', 'rejected.nnspec');
      const o = await api.train(editor.document.uri);
      assert.equal(o.state, 'failed');
      assert.match(api.errors[api.errors.length - 1], /has errors, so it was not trained\. Line 4: Unknown activation `sigmod`/);
    });
  });
});
