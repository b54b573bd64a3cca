// The shared vocabulary and number helpers, and the docs and package.json kept in step with them.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { geoMean, sci } from '../../src/shared/numbers';
import { FINDING_KINDS, HEATMAP_METRICS, STAT_NAMES, STATISTICS, isOneOf, stateOfStop } from '../../src/shared/vocabulary';

const ROOT = join(__dirname, '..', '..', '..');

describe('shared: the geometric mean', () => {
  it('is the mean of log10 over the positive values', () => {
    assert.equal(geoMean([1e-2, 1e-4]), 1e-3);
    assert.ok(Math.abs(geoMean([1, 10, 100]) - 10) < 1e-12);
    assert.equal(geoMean([5, 1e-2, 1e-4, 5], 1, 3), 1e-3, 'over values[from..to)');
  });
  it('leaves zeros and negatives out, and is 0 when nothing is positive', () => {
    assert.equal(geoMean([0, 1e-2, -3, 1e-4]), 1e-3);
    assert.equal(geoMean([0, 0]), 0);
  });
  it('never averages a non-finite value away: NaN wins, then Infinity; an empty range is NaN', () => {
    assert.ok(Number.isNaN(geoMean([1, NaN, Infinity])));
    assert.equal(geoMean([1e-3, Infinity]), Infinity);
    assert.equal(geoMean([1e-3, -Infinity]), Infinity);
    assert.ok(Number.isNaN(geoMean([])));
    assert.ok(Number.isNaN(geoMean([1, 2], 1, 1)));
  });
});

describe('shared: numbers in prose', () => {
  it('plain from 0.001 up to 10,000, scientific with two digits outside', () => {
    assert.equal(sci(0.25), '0.25');
    assert.equal(sci(0.00123456), '0.00123');
    assert.equal(sci(1234.5), '1230');
    assert.equal(sci(1.52587890625e-5), '1.5e-5');
    assert.equal(sci(123456), '1.2e5');
    assert.equal(sci(-2e-7), '-2.0e-7');
    assert.equal(sci(0), '0');
    assert.equal(sci(NaN), 'NaN');
    assert.equal(sci(-Infinity), '-Infinity');
  });
});

describe('shared: the vocabulary', () => {
  it('derives its lists from its tables, and narrows strings from outside', () => {
    assert.deepEqual(STAT_NAMES, Object.keys(STATISTICS));
    assert.ok(HEATMAP_METRICS.every((m) => STAT_NAMES.includes(m)));
    assert.ok(isOneOf(FINDING_KINDS, 'plateau'));
    assert.ok(!isOneOf(FINDING_KINDS, 'toString'));
    assert.ok(!isOneOf(FINDING_KINDS, 3));
    assert.equal(stateOfStop(null), 'done');
    assert.equal(stateOfStop('nonfinite'), 'nonfinite');
    assert.equal(stateOfStop('cancelled'), 'cancelled');
  });

  it("docs/nnspec.md's tables list every statistic and every finding kind, and nothing else", () => {
    const doc = readFileSync(join(ROOT, 'docs', 'nnspec.md'), 'utf8');
    const section = (title: string) => {
      const start = doc.indexOf(`## ${title}`);
      assert.ok(start >= 0, `docs/nnspec.md has a "## ${title}" section`);
      const end = doc.indexOf('\n## ', start + 1);
      return doc.slice(start, end < 0 ? undefined : end);
    };
    // A row's first cell names one or more fields: | `actMean`, `actStd` | … |
    const rowNames = (text: string) => [...text.matchAll(/^\| ((?:`\w+`(?:, )?)+) \|/gm)].flatMap((m) => [...m[1].matchAll(/`(\w+)`/g)].map((n) => n[1]));
    assert.deepEqual(rowNames(section('The statistics')), [...STAT_NAMES]);
    assert.deepEqual(
      rowNames(section('How Gradient Flow decides'))
        .filter((n) => n !== 'field')
        .sort(),
      [...FINDING_KINDS].sort(),
    );
  });

  it("package.json's defaultMetric setting offers the heatmap's metrics with the panel's labels", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { enum?: string[]; enumDescriptions?: string[] }> } };
    };
    const setting = pkg.contributes.configuration.properties['nnspec.defaultMetric'];
    assert.deepEqual(setting.enum, [...HEATMAP_METRICS]);
    assert.deepEqual(
      setting.enumDescriptions,
      HEATMAP_METRICS.map((m) => STATISTICS[m].long),
    );
  });
});
