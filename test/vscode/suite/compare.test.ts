// Compare Activations…, Find Learning Rate, the step-size findings and the walkthrough inside a real
// VS Code extension host: Compare on the deep-sigmoid example with the four default variants (the
// relu + he_normal verdict has no vanishing, the file as written does), Apply, a stale Apply, the
// worker limit, Stop and closing the panel; the learning-rate range test on relu-he and "Use lr";
// issue 6's sgd lr=3 case as a diagnostic on the optimizer line whose quick fix lowers lr; and the
// walkthrough's commands and files. Runs are awaited through the commands' results, never slept on.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestingApi as GradientFlowApi } from '../testingApi';
import type { CompareOutcome } from '../../../src/host/runs/compare';
import type { LrFindOutcome } from '../../../src/host/runs/lrFinder';
import { EXTENSION_ID, FIXTURES, diagnostics, hoverText, openCopy, saveDocument, waitFor } from './helpers';

const DEFAULT_VARIANTS = ['as-written', 'relu+he_normal', 'leaky_relu+he_normal', 'tanh+glorot_uniform'];

let api: GradientFlowApi;
let dir: string;

const folder = () => vscode.workspace.workspaceFolders![0].uri.fsPath;

const denseLines = (doc: vscode.TextDocument) =>
  doc
    .getText()
    .split(/\r?\n/)
    .filter((l) => /^\s*dense\b/.test(l));
const lineIndex = (doc: vscode.TextDocument, re: RegExp) =>
  doc
    .getText()
    .split(/\r?\n/)
    .findIndex((l) => re.test(l));

function compare(uri: vscode.Uri, variants = DEFAULT_VARIANTS): Thenable<CompareOutcome | undefined> {
  return vscode.commands.executeCommand<CompareOutcome | undefined>('nnspec.compare', { uri, variants });
}

describe('Compare, Find Learning Rate and the step size in the extension host', function () {
  this.timeout(120_000);

  before(async () => {
    const ext = vscode.extensions.getExtension<GradientFlowApi>(EXTENSION_ID);
    assert.ok(ext);
    api = await ext.activate();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gf-compare-test-'));
  });

  after(async () => {
    api?.stop();
    await vscode.workspace.getConfiguration('nnspec').update('maxWorkers', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('Compare Activations… on examples/deep-sigmoid.nnspec', () => {
    let editor: vscode.TextEditor;
    let outcome: CompareOutcome | undefined;

    before(async () => {
      editor = await openCopy(path.join(folder(), 'deep-sigmoid.nnspec'), dir, 'compare-deep-sigmoid.nnspec');
      const t0 = Date.now();
      outcome = await compare(editor.document.uri);
      console.log(`      compare: 4 variants in ${Date.now() - t0} ms, at most ${outcome?.peakWorkers} workers at once (limit ${outcome?.maxWorkers})`);
    });

    it('trains the four default variants to the end, in parallel up to one worker per core', () => {
      assert.ok(outcome);
      assert.deepEqual(
        outcome.variants.map((v) => v.id),
        DEFAULT_VARIANTS,
      );
      assert.deepEqual(
        outcome.variants.map((v) => v.state),
        ['done', 'done', 'done', 'done'],
      );
      assert.ok(outcome.variants.every((v) => v.epochs === 300));
      assert.equal(outcome.maxWorkers, os.availableParallelism());
      assert.ok(outcome.peakWorkers >= Math.min(2, os.availableParallelism()) && outcome.peakWorkers <= outcome.maxWorkers, `peak ${outcome.peakWorkers}`);
    });

    it("the verdict of the file as written says vanishing; relu + he_normal's does not", () => {
      const verdicts = Object.fromEntries(outcome!.variants.map((v) => [v.id, v.verdict]));
      console.log(`      verdicts: ${JSON.stringify(verdicts)}`);
      assert.match(verdicts['as-written'], /vanishing/);
      assert.doesNotMatch(verdicts['relu+he_normal'], /vanishing/);
    });

    it('shows the comparison in the panel, whose page says ready', async () => {
      const p = await waitFor(
        'the compare view',
        () => {
          const info = api.panel();
          return info && info.kind === 'compare' && info.readyCount > 0 && info;
        },
        30_000,
      );
      assert.equal(p.runId, undefined, 'no single run');
    });

    it('Apply of relu + he_normal changes the dense lines to relu with he_normal', async () => {
      await api.testing.postFromPanel({ type: 'applyVariant', variantId: 'relu+he_normal' });
      assert.deepEqual(denseLines(editor.document), ['dense 16 relu init=he_normal', 'dense 16 relu init=he_normal x7', 'dense 1 sigmoid']);
      await saveDocument(editor.document);
    });

    it('Apply of another variant works on a file that says an applied one; malformed requests are dropped', async () => {
      const before = api.panel()!.ignoredMessages;
      await api.testing.postFromPanel({ type: 'applyVariant', variantId: '' });
      await api.testing.postFromPanel({ type: 'applyVariant' });
      assert.equal(api.panel()!.ignoredMessages, before + 2);
      await api.testing.postFromPanel({ type: 'applyVariant', variantId: 'tanh+glorot_uniform' });
      assert.deepEqual(denseLines(editor.document), ['dense 16 tanh init=glorot_uniform', 'dense 16 tanh init=glorot_uniform x7', 'dense 1 sigmoid']);
      await saveDocument(editor.document);
    });

    it('does not apply a variant to a file changed since, and says so', async () => {
      await editor.edit((e) => e.insert(new vscode.Position(0, 0), '# edited after the comparison\n'));
      const text = editor.document.getText();
      await api.testing.postFromPanel({ type: 'applyVariant', variantId: 'relu+he_normal' });
      assert.equal(editor.document.getText(), text, 'unchanged');
      await saveDocument(editor.document);
    });
  });

  describe('workers and stopping', () => {
    afterEach(() => vscode.workspace.getConfiguration('nnspec').update('maxWorkers', undefined, vscode.ConfigurationTarget.Global));

    it('nnspec.maxWorkers = 1 trains one variant at a time', async () => {
      await vscode.workspace.getConfiguration('nnspec').update('maxWorkers', 1, vscode.ConfigurationTarget.Global);
      const editor = await openCopy(path.join(folder(), 'deep-sigmoid.nnspec'), dir, 'one-worker.nnspec');
      const o = await compare(editor.document.uri, ['as-written', 'relu+he_normal']);
      assert.ok(o);
      assert.equal(o.maxWorkers, 1);
      assert.equal(o.peakWorkers, 1);
      assert.deepEqual(
        o.variants.map((v) => v.state),
        ['done', 'done'],
      );
    });

    it('Stop Training stops every variant, the queued ones too', async () => {
      await vscode.workspace.getConfiguration('nnspec').update('maxWorkers', 2, vscode.ConfigurationTarget.Global);
      const editor = await openCopy(path.join(FIXTURES, 'long-run.nnspec'), dir, 'compare-stop.nnspec');
      const uri = editor.document.uri;
      const running = compare(uri);
      await waitFor('the comparison to start', () => api.isRunning(uri));
      await new Promise((r) => setTimeout(r, 500)); // let some epochs run
      assert.equal(await vscode.commands.executeCommand('nnspec.stop'), true);
      const o = await running;
      assert.ok(o);
      assert.deepEqual(
        o.variants.map((v) => v.state),
        ['cancelled', 'cancelled', 'cancelled', 'cancelled'],
      );
      assert.equal(o.variants.filter((v) => v.verdict === 'stopped before it started').length, 2, JSON.stringify(o.variants.map((v) => v.verdict)));
      assert.equal(api.isRunning(uri), false);
    });

    it('closing the panel stops the comparison', async () => {
      const editor = await openCopy(path.join(FIXTURES, 'long-run.nnspec'), dir, 'compare-close.nnspec');
      const uri = editor.document.uri;
      const running = compare(uri, ['as-written', 'relu+he_normal']);
      await waitFor('the comparison to start', () => api.isRunning(uri));
      await waitFor('the compare view', () => api.panel()?.kind === 'compare');
      api.closePanel();
      const o = await running;
      assert.ok(o?.variants.every((v) => v.state === 'cancelled'));
      assert.equal(api.isRunning(uri), false);
    });
  });

  describe('Find Learning Rate on examples/relu-he.nnspec', () => {
    let editor: vscode.TextEditor;
    let outcome: LrFindOutcome | undefined;

    before(async () => {
      editor = await openCopy(path.join(folder(), 'relu-he.nnspec'), dir, 'lr-find-relu-he.nnspec');
      outcome = await vscode.commands.executeCommand<LrFindOutcome>('nnspec.findLearningRate', editor.document.uri);
    });

    it("suggests an lr within 10× of the example's 0.05", () => {
      assert.ok(outcome);
      console.log(`      suggested lr ${outcome.suggested} from ${outcome.points} points (the file uses ${outcome.currentLr})`);
      assert.equal(outcome.state, 'done');
      assert.equal(outcome.currentLr, 0.05);
      assert.ok(outcome.points > 100);
      assert.ok(outcome.suggested !== null && outcome.suggested / 0.05 <= 10 && 0.05 / outcome.suggested <= 10, String(outcome.suggested));
    });

    it('shows the sweep in the panel, and "Use lr" writes it into the optimizer line', async () => {
      await waitFor('the lrFind view', () => api.panel()?.kind === 'lrFind');
      const before = api.panel()!.ignoredMessages;
      await api.testing.postFromPanel({ type: 'applyLr', lr: -1 });
      await api.testing.postFromPanel({ type: 'applyLr', lr: 'x' });
      assert.equal(api.panel()!.ignoredMessages, before + 2);
      const lr = outcome!.suggested!;
      await api.testing.postFromPanel({ type: 'applyLr', lr });
      const line = editor.document.lineAt(lineIndex(editor.document, /^optimizer\b/)).text;
      assert.equal(line, `optimizer sgd lr=${Number(lr.toPrecision(3))} momentum=0.9`, "the lr as the page's button shows it");
      await saveDocument(editor.document);
    });
  });

  describe('a learning rate too high (sgd lr=3, four relu layers)', () => {
    let editor: vscode.TextEditor;
    let uri: vscode.Uri;
    let optimizerLine: number;

    before(async () => {
      editor = await openCopy(path.join(FIXTURES, 'lr-too-high.nnspec'), dir, 'lr-too-high.nnspec');
      uri = editor.document.uri;
      optimizerLine = lineIndex(editor.document, /^optimizer\b/);
      const o = await api.train(uri);
      assert.equal(o.state, 'done');
    });

    it('puts an lr_too_high diagnostic on the optimizer line', async () => {
      const [d] = await waitFor('the lr_too_high diagnostic', () => {
        const ds = diagnostics(uri, 'lr_too_high');
        return ds.length > 0 && ds;
      });
      assert.equal(d.range.start.line, optimizerLine);
      assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(d.message, /The learning rate 3 is too high: .*‖ΔW‖\/‖W‖/);
    });

    it('its hover shows the loss and the update ratios over the epochs', async () => {
      const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(optimizerLine, 1)));
      assert.match(text, /Learning rate too high/);
      assert.match(text, /loss: `[▁▂▃▄▅▆▇█·]+`/);
      assert.match(text, /largest update ratio ‖ΔW‖\/‖W‖: `[▁▂▃▄▅▆▇█·]+`/);
      assert.match(text, /about 1e-3 is healthy for SGD/);
      assert.match(text, /\]\(command:nnspec\.applyFix\?/);
    });

    it('its quick fix lowers the learning rate', async () => {
      const [d] = diagnostics(uri, 'lr_too_high');
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        d.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const fix = actions.find((a) => /^Lower the learning rate to /.test(a.title));
      assert.ok(fix?.edit, `offered: ${actions.map((a) => a.title).join(' | ')}`);
      assert.ok(fix.isPreferred);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      const m = /^optimizer sgd lr=([\d.e-]+)$/.exec(editor.document.lineAt(optimizerLine).text);
      assert.ok(m, editor.document.lineAt(optimizerLine).text);
      assert.ok(Number(m[1]) < 3 && Number(m[1]) > 0, m[1]);
      await waitFor('the stale finding to go', () => diagnostics(uri, 'lr_too_high').length === 0);
      await saveDocument(editor.document);
    });
  });

  describe('the walkthrough', () => {
    it('has five steps, each with its Markdown and a completion event of a registered command', async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
      const walkthroughs = (
        ext.packageJSON as { contributes: { walkthroughs: { id: string; steps: { id: string; media: { markdown: string }; completionEvents: string[] }[] }[] } }
      ).contributes.walkthroughs;
      assert.equal(walkthroughs.length, 1);
      assert.equal(walkthroughs[0].id, 'gradientFlow.start');
      const steps = walkthroughs[0].steps;
      assert.deepEqual(
        steps.map((s) => s.id),
        ['openExample', 'train', 'hover', 'quickFix', 'compare'],
      );
      const commands = new Set(await vscode.commands.getCommands(true));
      for (const s of steps) {
        assert.ok(fs.existsSync(path.join(ext.extensionPath, s.media.markdown)), s.media.markdown);
        for (const ev of s.completionEvents) {
          const id = ev.replace(/^onCommand:/, '');
          assert.ok(commands.has(id), `${s.id}: ${id} is registered`);
        }
      }
    });

    it('"Open the deep-sigmoid example" opens the workspace\'s copy', async () => {
      const uri = await vscode.commands.executeCommand<vscode.Uri>('nnspec.openExample');
      assert.equal(uri.fsPath, path.join(folder(), 'deep-sigmoid.nnspec'));
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
    });

    it('"Show the hover" and "Show the quick fixes" put the cursor on the first flagged line', async () => {
      const editor = await openCopy(path.join(FIXTURES, 'deep-sigmoid.nnspec'), dir, 'walkthrough-hover.nnspec');
      assert.equal((await api.train(editor.document.uri)).state, 'done');
      assert.equal(await vscode.commands.executeCommand('nnspec.showFindingHover'), true);
      assert.equal(vscode.window.activeTextEditor?.selection.active.line, 4, 'the first dense line, flagged as vanishing');
      await vscode.commands.executeCommand('cursorTop');
      assert.equal(await vscode.commands.executeCommand('nnspec.showFindingFixes'), true);
      assert.equal(vscode.window.activeTextEditor?.selection.active.line, 4, 'back on the flagged line for its quick fixes');
      await vscode.commands.executeCommand('hideCodeActionWidget').then(undefined, () => undefined);
    });
  });
});
