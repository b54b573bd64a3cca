// A run longer than the panel's cap, in a real extension host: Train & Inspect on a tiny network
// for 3,000 epochs. The host keeps every epoch (the exports have them all), the page is sent at
// most PANEL_EPOCH_CAP records of the run at any time (bucket aggregates once it passed the cap,
// with a fresh 'show' when the stride doubled), and the run's findings still come out, on the line.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestingApi as GradientFlowApi } from '../testingApi';
import { PANEL_EPOCH_CAP } from '../../../src/protocol';
import { EXTENSION_ID, waitFor } from './helpers';

const SPEC = `# A tiny sigmoid network trained for many epochs: the panel gets bucket aggregates.
network fixture-many-epochs
data xor samples=16 seed=3
input 2
dense 4 sigmoid init=glorot_uniform x6
dense 1 sigmoid
loss bce
optimizer sgd lr=0.1
train epochs=3000 batch=16 seed=42
`;

describe("A run longer than the panel's cap", function () {
  this.timeout(120_000);
  let api: GradientFlowApi;
  let dir: string;

  before(async () => {
    const ext = vscode.extensions.getExtension<GradientFlowApi>(EXTENSION_ID);
    assert.ok(ext);
    api = await ext.activate();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gf-long-run-'));
  });

  after(async () => {
    api?.stop();
    api?.testing.setSaveDialog(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('trains 3,000 epochs; the page gets at most the cap of records, and the findings come out', async () => {
    const file = path.join(dir, 'many-epochs.nnspec');
    fs.writeFileSync(file, SPEC);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    const outcome = await api.train(doc.uri);
    assert.equal(outcome.state, 'done', outcome.error);
    assert.equal(outcome.epochs, 3000);
    assert.ok(
      outcome.findings.some((f) => f.kind === 'vanishing' && f.line === 5),
      outcome.findings.map((f) => `${f.kind}@${f.line}`).join(', '),
    );

    const panel = await waitFor('the panel', () => api.panel());
    assert.ok(panel.snapshot, 'a run view');
    assert.equal(panel.snapshot.stride, 2, '3,000 epochs in buckets of 2');
    assert.equal(panel.snapshot.records, 1500);
    assert.equal(panel.snapshot.lastEpoch, 3000);
    assert.ok(panel.snapshot.findings > 0);
    assert.ok(panel.maxPageRecords <= PANEL_EPOCH_CAP, `the page held ${panel.maxPageRecords} records`);
    assert.ok(panel.maxPageRecords >= 1500);

    const diagnostics = await waitFor('the vanishing diagnostic', () => {
      const ds = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'nnspec' && d.code === 'vanishing');
      return ds.length > 0 && ds;
    });
    assert.equal(diagnostics[0].range.start.line, 4);
    const hover = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(4, 2));
    const text = hover.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(text, /Vanishing gradient/);

    // The exports still hold every epoch, streamed from the host's columns.
    const saved: vscode.Uri[] = [];
    api.testing.setSaveDialog(async () => {
      const uri = vscode.Uri.file(path.join(dir, `export-${saved.length}`));
      saved.push(uri);
      return uri;
    });
    await api.testing.postFromPanel({ type: 'export', format: 'csv' });
    const rows = fs.readFileSync(saved[0].fsPath, 'utf8').trim().split('\n');
    // Epoch 0 (the initial record) and the 3,000 epochs, a row per layer.
    assert.equal(rows.length, 1 + (1 + 3000) * 7);
    await api.testing.postFromPanel({ type: 'export', format: 'json' });
    const report = JSON.parse(fs.readFileSync(saved[1].fsPath, 'utf8')) as { epochs: { epoch: number }[]; findings: unknown[] };
    assert.equal(report.epochs.length, 3000);
    assert.equal(report.epochs[2999].epoch, 3000);
    assert.ok(report.findings.length > 0);
  });
});
