// Unit tests of the extension host's vscode-free modules: sparkline, stale detection, diagnostics
// merging, completion and hover text, message validation, batching, run data and exports.
import * as assert from 'node:assert/strict';
import { check, trainToReport } from '../../src/engine/index';
import type { Finding } from '../../src/engine/types';
import { isPanelToHost, isWorkerToHost } from '../../src/protocol';
import { mergeDiagnostics, statementColumns, uniqueFindings } from '../../src/host/language/diagnosticData';
import { FindingsStore } from '../../src/host/language/findingsStore';
import { changeForAll, isFixArgs } from '../../src/host/language/fixes';
import { commandUri, findingHover, initVariance, keywordHover } from '../../src/host/language/hoverText';
import { decodePngDataUrl, RunData } from '../../src/host/panel/runData';
import { sci } from '../../src/shared/numbers';
import { sharedDomain, sparkline } from '../../src/host/language/sparkline';
import { remapFindings, statementLineMap } from '../../src/host/language/staleness';
import { suggestionsAt } from '../../src/host/language/suggestions';
import { Batcher, type Clock } from '../../src/host/panel/throttle';

const DEEP = `network deep
data spiral samples=400 noise=0.1 seed=3
input 2
dense 16 sigmoid init=glorot_uniform x8
dense 1 sigmoid
loss bce
optimizer sgd lr=0.1
train epochs=60 batch=32 seed=42
`;

let deepFindings: Finding[] | undefined;
function vanishing(): Finding {
  deepFindings ??= [...trainToReport(check(DEEP, { fileName: '/x/deep.nnspec' })).findings];
  const f = deepFindings.find((x) => x.kind === 'vanishing');
  assert.ok(f, 'the deep sigmoid spec has a vanishing finding');
  return f;
}

describe('host: sparkline', () => {
  it('draws a log-scale series with the 8 block characters', () => {
    assert.equal(sparkline([1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10]), '▁▂▃▄▅▆▇█');
  });
  it('marks non-finite and non-positive values, and draws a flat series mid-height', () => {
    assert.equal(sparkline([1, NaN, 0, 100]), '▁··█');
    assert.equal(sparkline([3, 3, 3]), '▄▄▄');
    assert.equal(sparkline([]), '');
  });
  it('uses a linear scale for fractions and resamples long series to the width', () => {
    assert.equal(sparkline([0, 0.5, 1], { scale: 'linear' }), '▁▅█');
    assert.equal(
      sparkline(
        Array.from({ length: 300 }, (_, i) => i + 1),
        { width: 30 },
      ).length,
      30,
    );
  });
  it('formats numbers for prose', () => {
    assert.equal(sci(0.25), '0.25');
    assert.equal(sci(1.52587890625e-5), '1.5e-5');
    assert.equal(sci(123456), '1.2e5');
  });
});

describe('host: stale findings', () => {
  it('keeps findings when only comments, blank lines or spacing change, moving them with their lines', () => {
    const after = `# a new comment\n\n${DEEP.replace('dense 16 sigmoid', 'dense   16 sigmoid').replace('input 2', 'input 2   # two features')}`;
    const map = statementLineMap(DEEP, after);
    assert.ok(map);
    assert.equal(map.get(4), 6);
    const moved = remapFindings([vanishing()], DEEP, after);
    assert.ok(moved);
    assert.equal(moved[0].line, 6);
    const change = moved[0].fixes[0].change;
    assert.equal(change.kind, 'layer');
    assert.deepEqual(change.kind === 'layer' ? change.lines : [], [6]);
  });
  it('drops findings when a statement changes, is added or removed', () => {
    assert.equal(remapFindings([vanishing()], DEEP, DEEP.replace('sigmoid init=glorot_uniform', 'relu init=he_normal')), null);
    assert.equal(remapFindings([vanishing()], DEEP, DEEP.replace('loss bce\n', '')), null);
    assert.equal(remapFindings([vanishing()], DEEP, DEEP.replace('lr=0.1', 'lr=0.05')), null);
    assert.equal(remapFindings([vanishing()], DEEP, DEEP + 'diagnose vanishing=0.001\n'), null);
  });
  it('FindingsStore follows edits and forgets stale findings', () => {
    const store = new FindingsStore();
    assert.equal(store.set('u', DEEP, [vanishing(), vanishing()], DEEP), true);
    assert.equal(store.get('u').length, 1, 'duplicates merged');
    assert.equal(store.textChanged('u', '\n' + DEEP), true);
    assert.equal(store.get('u')[0].line, 5);
    assert.equal(store.textChanged('u', '\n' + DEEP + '# end\n'), false, 'a comment at the end moves nothing');
    assert.equal(store.get('u').length, 1);
    assert.equal(store.textChanged('u', DEEP.replace('x8', 'x4')), true);
    assert.equal(store.get('u').length, 0);
    assert.equal(store.set('v', DEEP, [vanishing()], DEEP.replace('x8', 'x2')), false, 'a run of an older text is stale at once');
  });
});

describe('host: diagnostics data', () => {
  it('merges problems and findings without duplicates, findings over the statement', () => {
    const result = check(DEEP);
    const f = vanishing();
    const merged = mergeDiagnostics(DEEP, result.problems, [f, f]);
    const onLayer = merged.filter((d) => d.line === 3);
    assert.deepEqual(onLayer.map((d) => d.code).sort(), ['saturating-activation', 'static-vanishing', 'vanishing']);
    const v = onLayer.find((d) => d.code === 'vanishing')!;
    assert.equal(v.severity, 'warning');
    assert.equal(v.startColumn, 0);
    assert.equal(v.endColumn, 'dense 16 sigmoid init=glorot_uniform x8'.length);
    assert.equal(uniqueFindings([f, f]).length, 1);
  });
  it('a problem keeps its code and columns; a statement excludes its comment', () => {
    const text = 'data xor\ninput 2\ndense 4 sigmod\ndense 1 sigmoid\n';
    const d = mergeDiagnostics(text, check(text).problems, []).find((x) => x.code === 'unknown-activation');
    assert.ok(d);
    assert.deepEqual([d.line, d.startColumn, d.endColumn], [2, 8, 14]);
    assert.deepEqual(statementColumns('  dense 4 relu  # hidden'), { start: 2, end: 14 });
  });
});

describe('host: completion', () => {
  const labels = (prefix: string) => suggestionsAt(prefix).map((s) => s.label);
  it('offers statement keywords at the start of a line', () => {
    assert.deepEqual(labels('').sort(), ['data', 'dense', 'diagnose', 'input', 'loss', 'network', 'optimizer', 'train', 'weights']);
    assert.ok(labels('de').includes('dense'));
  });
  it('offers activations after `dense N `, then the dense options', () => {
    assert.ok(labels('dense 16 ').includes('sigmoid'));
    assert.ok(labels('dense 16 re').includes('relu'));
    assert.deepEqual(labels('dense '), []);
    assert.deepEqual(labels('dense 16 relu ').sort(), ['bias=', 'init=', 'name=', 'norm=', 'residual=']);
    assert.deepEqual(labels('dense 16 relu init=he ').sort(), ['bias=', 'name=', 'norm=', 'residual=']);
    assert.deepEqual(labels('dense 16 relu norm='), ['layer', 'batch']);
  });
  it('offers inits after `init=` and values of enum and boolean options', () => {
    const inits = labels('dense 16 relu init=');
    assert.ok(inits.includes('he_normal') && inits.includes('glorot_uniform') && inits.includes('normal'));
    assert.equal(suggestionsAt('dense 16 relu init=').find((s) => s.label === 'normal')?.insertText, 'normal(mean, std)');
    assert.deepEqual(labels('train precision='), ['float32', 'float64']);
    assert.deepEqual(labels('train shuffle='), ['true', 'false']);
  });
  it('offers data sources and their options, optimizers and the options of the one written', () => {
    assert.deepEqual(labels('data ').sort(), ['circles', 'csv', 'gaussians', 'idx', 'mnist', 'moons', 'normal', 'sine', 'spiral', 'xor']);
    assert.deepEqual(labels('data spiral ').sort(), ['classes=', 'noise=', 'samples=', 'seed=']);
    assert.deepEqual(labels('optimizer ').sort(), ['adam', 'rmsprop', 'sgd']);
    assert.ok(labels('optimizer adam ').includes('beta1='));
    assert.ok(!labels('optimizer adam ').includes('momentum='));
    assert.ok(labels('optimizer sgd ').includes('momentum='));
    assert.deepEqual(labels('loss ').sort(), ['bce', 'cross_entropy', 'mse']);
  });
  it('offers nothing in a comment', () => {
    assert.deepEqual(labels('dense 16 relu # sig'), []);
  });
});

describe('host: hover text', () => {
  it('documents sigmoid with its formula, derivative and the 1/4 bound', () => {
    const md = keywordHover('dense 16 sigmoid init=glorot_uniform', 11)!;
    assert.match(md, /1 \/ \(1 \+ e\^\(−z\)\)/);
    assert.match(md, /f′\(z\) = f\(z\)·\(1 − f\(z\)\)/);
    assert.match(md, /Largest derivative: 1\/4/);
    assert.match(md, /\(1\/4\)\^k/);
  });
  it('documents he_normal with its variance and when to use it, also through an alias', () => {
    const md = keywordHover('dense 16 relu init=he_normal', 22)!;
    assert.match(md, /Variance of the weights: `2\/fan_in`/);
    assert.match(md, /relu/);
    assert.match(keywordHover('dense 16 relu init=kaiming', 22)!, /alias of `he_normal`[\s\S]*2\/fan_in/);
    assert.equal(initVariance('glorot_uniform'), '2/(fan_in+fan_out)');
    assert.equal(initVariance('glorot_normal'), '2/(fan_in+fan_out)');
  });
  it('documents keywords, options, losses, optimizers and data sources; nothing on numbers', () => {
    assert.match(keywordHover('dense 16 relu', 1)!, /dense UNITS ACTIVATION/);
    assert.match(keywordHover('optimizer sgd lr=0.1', 15)!, /Learning rate/);
    assert.match(keywordHover('loss bce', 6)!, /Binary cross-entropy/);
    assert.match(keywordHover('optimizer adam', 11)!, /Kingma/);
    assert.match(keywordHover('data spiral samples=400', 7)!, /spiral arms/);
    assert.equal(keywordHover('dense 16 relu', 7), null);
    assert.match(keywordHover('dense 16 relu x6', 15)!, /6 identical layers/);
    assert.equal(keywordHover('dense 16 relu # sigmoid', 18), null);
  });
  it("shows a finding's evidence: sparklines, the ratios, the bound and the fixes as command links", () => {
    const f = vanishing();
    const links = f.fixes.map((x) => ({ title: x.title, uri: commandUri('nnspec.applyFix', [{ uri: 'file:///x/deep.nnspec', change: x.change }]) }));
    const md = findingHover(f, links);
    assert.match(md, /\*\*Vanishing gradient\*\* \(warning\)/);
    assert.match(md, /layer 0: `[▁▂▃▄▅▆▇█]+`/);
    // Several layers: the worst one's ratios lead (each layer's own is on its row).
    assert.match(md, /Worst ratio to the output layer: ∂L\/∂W [\d.e-]+, ∂L\/∂z [\d.e-]+/);
    assert.match(md, /Bound: \(1\/4\)\^8 = 1\.5e-5/);
    assert.match(md, /\[Use relu with he\\_normal init\]\(command:nnspec\.applyFix\?/);
    const uri = /\(command:nnspec\.applyFix\?([^)]+)\)/.exec(md)![1];
    const args = JSON.parse(decodeURIComponent(uri)) as [{ uri: string; change: { lines: number[] } }];
    assert.deepEqual(args[0].change.lines, [4]);
  });
});

describe('host: message validation', () => {
  it('accepts every well-formed panel message', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'revealLayer', fileName: '/a/b.nnspec', line: 4 },
      { type: 'export', format: 'csv' },
      { type: 'export', format: 'json' },
      { type: 'exportPng', dataUrl: 'data:image/png;base64,AAAA' },
      { type: 'metricChanged', metric: 'deltaRms' },
      { type: 'applyVariant', variantId: 'v1' },
      { type: 'applyLr', lr: 0.01 },
    ])
      assert.equal(isPanelToHost(m), true, JSON.stringify(m));
  });
  it('rejects malformed and unknown panel messages', () => {
    for (const m of [
      null,
      'ready',
      [],
      {},
      { type: 'run' },
      { type: 'revealLayer', fileName: '/a', line: 0 },
      { type: 'revealLayer', fileName: 3, line: 1 },
      { type: 'revealLayer', fileName: '/a', line: 1.5 },
      { type: 'export', format: 'xml' },
      { type: 'exportPng', dataUrl: 'data:text/html,<b>' },
      { type: 'metricChanged', metric: 'loss' },
      { type: 'applyLr', lr: -1 },
      { type: 'applyLr', lr: Infinity },
      { type: 'applyVariant', variantId: '' },
    ])
      assert.equal(isPanelToHost(m), false, JSON.stringify(m));
  });
  it('checks the tag of worker messages', () => {
    assert.equal(isWorkerToHost({ type: 'epochs', records: [], findings: [] }), true);
    assert.equal(isWorkerToHost({ type: 'nope' }), false);
    assert.equal(isWorkerToHost(undefined), false);
  });
});

describe('host: batching progress', () => {
  class FakeClock implements Clock {
    t = 0;
    timers: { at: number; fn: () => void; id: number }[] = [];
    private next = 0;
    now = () => this.t;
    setTimeout = (fn: () => void, ms: number) => {
      const id = ++this.next;
      this.timers.push({ at: this.t + ms, fn, id });
      return id;
    };
    clearTimeout = (h: unknown) => {
      this.timers = this.timers.filter((x) => x.id !== h);
    };
    advance(ms: number) {
      this.t += ms;
      const due = this.timers.filter((x) => x.at <= this.t);
      this.timers = this.timers.filter((x) => x.at > this.t);
      for (const d of due) d.fn();
    }
  }
  it('delivers at most one batch per interval, and everything in the end', () => {
    const clock = new FakeClock();
    const out: number[][] = [];
    const b = new Batcher<number>((items) => out.push(items), 100, clock);
    for (let i = 0; i < 1000; i++) {
      b.push(i);
      clock.advance(1); // an epoch a millisecond: 1000 epochs in one second
    }
    b.flush();
    assert.ok(out.length <= 11, `${out.length} deliveries in a second`);
    assert.equal(out.flat().length, 1000);
    assert.deepEqual(
      out.flat(),
      Array.from({ length: 1000 }, (_, i) => i),
    );
  });
  it('dispose drops what is pending', () => {
    const clock = new FakeClock();
    const out: number[][] = [];
    const b = new Batcher<number>((items) => out.push(items), 100, clock);
    b.push(1);
    b.push(2);
    b.dispose();
    clock.advance(1000);
    assert.deepEqual(out, [[1]]);
  });
});

describe('host: run data and exports', () => {
  it('folds worker messages into a snapshot, CSV and JSON', () => {
    const result = check(DEEP, { fileName: '/x/deep.nnspec' });
    const report = trainToReport(result, { epochs: 3 });
    const run = new RunData('r1', '/x/deep.nnspec', 'deep.nnspec', DEEP);
    run.apply({
      type: 'started',
      name: 'deep',
      layers: report.network.layers,
      params: report.network.params,
      epochs: 3,
      problems: result.problems,
      initial: report.initial,
    });
    assert.deepEqual(run.apply({ type: 'epochs', records: report.epochs.slice(0, 2), findings: [] }).length, 2);
    assert.equal(run.snapshot().state, 'running');
    assert.equal(run.apply({ type: 'done', report }).length, 1, 'the epoch not streamed yet');
    const snap = run.snapshot();
    assert.equal(snap.records.epoch.length, 3);
    assert.equal(snap.state, 'done');
    const csv = run.toCsv().trim().split('\n');
    assert.equal(
      csv[0],
      'epoch,loss,accuracy,layer,line,activation,gradRms,gradMeanAbs,gradMaxAbs,deltaRms,updateRatio,weightRms,actMean,actStd,dead,saturated,zeroGrad,nonFinite,biasGradNorm',
    );
    // The initial record as epoch 0, then three epochs, of 9 layers each.
    assert.equal(csv.length, 1 + 4 * 9);
    assert.deepEqual(
      csv.slice(1, 10).map((r) => r.split(',')[0]),
      new Array(9).fill('0'),
    );
    assert.equal(Number(csv[9].split(',')[18]), report.initial!.layers[8].biasGradNorm);
    assert.deepEqual([...(snap.initial?.epoch ?? [])], [0], 'the initial record, one column entry at epoch 0');
    assert.deepEqual(
      snap.initial?.stats.gradRms.map((c) => c[0]),
      report.initial!.layers.map((l) => Math.fround(l.gradRms)),
    );
    const json = JSON.parse(run.toJson()) as { version: number; initial: { layers: unknown[] }; epochs: unknown[] };
    assert.equal(json.version, 1);
    assert.equal(json.initial.layers.length, 9);
    assert.equal(json.epochs.length, 3);
  });
  it('records failures and cancellations once', () => {
    const run = new RunData('r2', '/x/a.nnspec', 'a.nnspec', '');
    run.apply({ type: 'failed', message: 'boom' });
    run.cancel();
    assert.equal(run.state, 'failed');
    assert.equal(run.snapshot().error, 'boom');
  });
  it('decodes only PNG data URLs', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const bytes = decodePngDataUrl(`data:image/png;base64,${png.toString('base64')}`);
    assert.ok(bytes);
    assert.equal(bytes.length, png.length);
    assert.equal(decodePngDataUrl(`data:image/png;base64,${Buffer.from('GIF89a').toString('base64')}`), null);
    assert.equal(decodePngDataUrl('data:image/png;base64,@@@'), null);
  });
});

describe('host: fixes', () => {
  const TWO = `data spiral samples=400 noise=0.1 seed=3
input 2
dense 16 sigmoid x4
dense 16 sigmoid x4
dense 1 sigmoid
optimizer sgd lr=0.1
train epochs=60 batch=32 seed=42
`;
  it('"fix all" puts a layer change on every line flagged with the same kind', () => {
    const findings = trainToReport(check(TWO)).findings;
    const v = findings.filter((f) => f.kind === 'vanishing');
    assert.deepEqual(
      v.map((f) => f.line),
      [3, 4],
    );
    const all = changeForAll(v[0].fixes[0].change, findings, 'vanishing');
    assert.deepEqual(all.kind === 'layer' ? all.lines : null, [3, 4]);
    const clip = { kind: 'option', statement: 'optimizer', key: 'clip', value: '1' } as const;
    assert.equal(changeForAll(clip, findings, 'vanishing'), clip);
  });
  it('accepts only well-formed fix link arguments', () => {
    assert.equal(isFixArgs({ uri: 'file:///a.nnspec', change: { kind: 'layer', lines: [3], activation: 'relu', init: 'he_normal' } }), true);
    assert.equal(isFixArgs({ uri: 'file:///a.nnspec', change: { kind: 'option', statement: 'optimizer', key: 'clip', value: '1' } }), true);
    for (const bad of [
      null,
      {},
      { uri: 1, change: {} },
      { uri: 'x', change: { kind: 'layer', lines: [] } },
      { uri: 'x', change: { kind: 'layer', lines: [0] } },
      { uri: 'x', change: { kind: 'layer', lines: [1], activation: 'relu\ndata xor' } },
      { uri: 'x', change: { kind: 'option', statement: 'network', key: 'a', value: '1' } },
      { uri: 'x', change: { kind: 'option', statement: 'train', key: 'epochs', value: '1 # x' } },
    ])
      assert.equal(isFixArgs(bad), false, JSON.stringify(bad));
  });
  it('a finding about the whole run shows the loss over the epochs, without a layer', () => {
    const f: Finding = {
      kind: 'budget',
      severity: 'info',
      layers: [],
      line: 7,
      message: 'Still improving.',
      fixes: [],
      evidence: { losses: [0.7, 0.5, 0.3, 0.2], updateRatios: [1e-3, 1e-3, 8e-4, 5e-4] },
    };
    const md = findingHover(f, []);
    assert.match(md, /^\*\*Iteration budget\*\* \(info\)\n/);
    assert.match(md, /loss: `[▁▂▃▄▅▆▇█]{4}` 0\.2 … 0\.7/);
    assert.match(md, /largest update ratio/);
  });
});

describe('host: sparkline scales', () => {
  it('draws several series on one scale, at least a decade tall on a log scale', () => {
    const domain = sharedDomain(
      [
        [1e-8, 1.1e-8],
        [1e-4, 1e-3],
      ],
      'log',
    );
    assert.deepEqual(
      domain.map((v) => Math.round(Math.log10(v))),
      [-8, -3],
    );
    assert.equal(sparkline([1e-8, 1.1e-8], { domain }), '▁▁', 'a flat series stays low');
    assert.equal(sparkline([1e-4, 1e-3], { domain }), '▇█');
    const flat = sharedDomain([[2e-5, 2.2e-5]], 'log');
    assert.ok(Math.log10(flat[1] / flat[0]) >= 0.999);
    assert.deepEqual(sharedDomain([[0.2, 0.4]], 'linear'), [0, 1]);
  });
});
