import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, trainToReport } from '../../src/engine/index';
import type { Finding } from '../../src/engine/types';
import { mergeDiagnostics } from '../../src/host/language/diagnosticData';
import { findingHover } from '../../src/host/language/hoverText';

// The hover reads at a glance (issue 11): the verdict and its numbers first, the real epoch count,
// a sparkline that shows a single curve's shape, each layer's own number in a range, and static
// predictions that give way once a run has measured the network.

const deep = readFileSync(join(__dirname, '../../../examples/deep-sigmoid.nnspec'), 'utf8');

describe('hover: the evidence at a glance', () => {
  let findings: readonly Finding[] = [];
  before(() => {
    findings = trainToReport(check(deep)).findings;
  });

  it('says how many epochs the run had (300), not how many points the series was thinned to', () => {
    const f = findings.find((x) => x.kind === 'vanishing' && x.line === 8);
    assert.ok(f);
    assert.ok((f.evidence.series?.[0].length ?? 0) < 300, 'the series is thinned');
    const md = findingHover(f, []);
    assert.match(md, /over 300 epochs/);
    assert.doesNotMatch(md, /over 240 epochs/);
    // The verdict leads, its numbers before the curve.
    assert.ok(md.indexOf('Ratio to the output layer') < md.indexOf('layer 0: `'), md);
  });

  it('one row: its own scale, no "one scale for all rows"; several rows: one scale, and each layer\'s own ratio', () => {
    const one = findingHover(
      findings.find((x) => x.kind === 'vanishing' && x.line === 8)!,
      [],
    );
    assert.doesNotMatch(one, /one scale for all rows/);
    const range = findings.find((x) => x.kind === 'vanishing' && x.line === 9);
    assert.ok(range && range.layers.length > 1);
    const md = findingHover(range, []);
    assert.match(md, /one scale for all rows/);
    assert.match(md, /Worst ratio to the output layer/);
    const own = range.layers.map((k) => new RegExp(`layer ${k}: \`[▁▂▃▄▅▆▇█]+\` \\S+ … \\S+ · ∂L/∂z (\\S+) of the output layer's`).exec(md)?.[1]);
    assert.ok(
      own.every((x) => x !== undefined),
      md,
    );
    assert.equal(new Set(own).size, own.length, `a number per layer: ${own.join(', ')}`);
  });

  it('a single slowly changing curve fills the height of the sparkline instead of a flat bar', () => {
    const f: Finding = {
      kind: 'vanishing',
      severity: 'warning',
      layers: [0],
      line: 4,
      message: 'm',
      fixes: [],
      evidence: { series: [Array.from({ length: 40 }, (_, i) => 1e-7 * (1 + i / 40))], epochs: 40 },
    };
    const spark = /layer 0: `([^`]+)`/.exec(findingHover(f, []))![1];
    assert.equal(spark[0], '▁');
    assert.equal(spark[spark.length - 1], '█');
  });

  it("the static prediction on a line gives way to the run's finding once the document is measured", () => {
    const r = check(deep);
    assert.ok(
      r.problems.some((p) => p.code === 'static-vanishing'),
      'the example has a prediction',
    );
    const f = findings.filter((x) => x.line === 8);
    const before = mergeDiagnostics(deep, r.problems, [])
      .filter((d) => d.line === 7)
      .map((d) => d.code);
    assert.ok(before.includes('static-vanishing'));
    const after = mergeDiagnostics(deep, r.problems, f, true)
      .filter((d) => d.line === 7)
      .map((d) => d.code);
    assert.deepEqual(after, ['vanishing']);
    // A run that found nothing still replaces the prediction: it measured the network.
    assert.ok(!mergeDiagnostics(deep, r.problems, [], true).some((d) => d.code === 'static-vanishing' || d.code === 'saturating-activation'));
  });
});
