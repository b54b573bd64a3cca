import * as assert from 'node:assert/strict';
import {
  colorFor,
  computeDomain,
  interpolate,
  legendTicks,
  parseHex,
  parsePalette,
  position,
  scaleKindFor,
  VIRIDIS,
  type ColorDomain,
} from '../../src/webview/colorScale';
import { heatmapScale } from '../../src/webview/heatmapScale';
import * as fx from './fixtures';
import { packedColor, packRow, STEPS, type PaletteBytes } from '../../src/webview/heatmapPalette';

const close = (a: number, b: number, eps = 1e-9): void => assert.ok(Math.abs(a - b) < eps, `${a} ≈ ${b}`);

describe('webview colour scale', () => {
  it('uses log10 for magnitudes and 0..1 for fractions', () => {
    assert.equal(scaleKindFor('gradRms'), 'log');
    assert.equal(scaleKindFor('updateRatio'), 'log');
    assert.equal(scaleKindFor('dead'), 'linear');
    assert.deepEqual(computeDomain([0.2, 0.3], 'linear'), { kind: 'linear', lo: 0, hi: 1 });
  });

  it('spans the finite positive values, widened by references', () => {
    const d = computeDomain([1e-5, 3e-3, 0, NaN, Infinity, 0.1], 'log');
    close(d.lo, -5);
    close(d.hi, -1);
    const withRef = computeDomain([1e-2, 1e-1], 'log', [1e-3]);
    close(withRef.lo, -3);
    close(withRef.hi, -1);
    assert.deepEqual(computeDomain([0.01, 0.01], 'log'), { kind: 'log', lo: -2.5, hi: -1.5 });
    assert.deepEqual(computeDomain([0, NaN], 'log'), { kind: 'log', lo: -4, hi: 0 });
  });

  it('places values on the palette', () => {
    const d = { kind: 'log' as const, lo: -5, hi: -1 };
    close(position(d, 1e-3) ?? -1, 0.5);
    assert.equal(position(d, 1e-9), 0);
    assert.equal(position(d, 10), 1);
    assert.equal(position(d, 0), null);
    assert.equal(position(d, NaN), null);
    close(position({ kind: 'linear', lo: 0, hi: 1 }, 0.25) ?? -1, 0.25);
  });

  it('ticks at decades across several decades', () => {
    const t = legendTicks({ kind: 'log', lo: -5.3, hi: -0.7 });
    assert.deepEqual(
      t.map((x) => x.label),
      ['1e-5', '1e-4', '1e-3', '1e-2', '1e-1'],
    );
    close(t[0]?.pos ?? -1, 0.3 / 4.6);
    close(t[2]?.value ?? -1, 1e-3);
  });

  it('thins decades on a long span and uses 1-3 steps on a short one', () => {
    assert.deepEqual(
      legendTicks({ kind: 'log', lo: -12, hi: 2 }).map((x) => x.label),
      ['1e-12', '1e-9', '1e-6', '1e-3', '1'],
    );
    assert.deepEqual(
      legendTicks({ kind: 'log', lo: -3.6, hi: -1.2 }).map((x) => x.label),
      ['3e-4', '1e-3', '3e-3', '1e-2', '3e-2'],
    );
    assert.deepEqual(
      legendTicks({ kind: 'log', lo: -2.9, hi: -2.1 }).map((x) => x.label),
      ['2e-3', '3e-3', '4e-3', '5e-3', '6e-3', '7e-3'],
    );
  });

  it('ticks fractions at quarters', () => {
    const t = legendTicks({ kind: 'linear', lo: 0, hi: 1 });
    assert.deepEqual(
      t.map((x) => x.label),
      ['0%', '25%', '50%', '75%', '100%'],
    );
    assert.deepEqual(
      t.map((x) => x.pos),
      [0, 0.25, 0.5, 0.75, 1],
    );
  });

  it('interpolates the palette and names the special colours', () => {
    const pal = parsePalette('#000000 #ffffff');
    assert.equal(interpolate(pal, 0), 'rgb(0, 0, 0)');
    assert.equal(interpolate(pal, 0.5), 'rgb(128, 128, 128)');
    assert.equal(interpolate(pal, 2), 'rgb(255, 255, 255)');
    assert.equal(parsePalette('not a palette').length, VIRIDIS.length);
    assert.deepEqual(parseHex('#fde725'), [253, 231, 37]);
    const colors = { palette: pal, zero: 'grey', nonFinite: 'red' };
    const d = { kind: 'log' as const, lo: -4, hi: 0 };
    assert.equal(colorFor(d, 1e-2, colors), 'rgb(128, 128, 128)');
    assert.equal(colorFor(d, 0, colors), 'grey');
    assert.equal(colorFor(d, NaN, colors), 'red');
    assert.equal(colorFor(d, Infinity, colors), 'red');
  });

  it('one scale across compare variants, and the 1e-3 reference for update ratios', () => {
    const runs = fx.variants().map((v) => v.run);
    const shared = heatmapScale(runs, 'gradRms');
    const each = runs.map((r) => heatmapScale([r], 'gradRms').domain);
    close(shared.domain.lo, Math.min(...each.map((d) => d.lo)));
    close(shared.domain.hi, Math.max(...each.map((d) => d.hi)));
    assert.equal(shared.legend.showNonFinite, true, 'the diverged variant has NaN gradients');
    const ur = heatmapScale([fx.run('r', 50, 'done')], 'updateRatio');
    assert.equal(ur.legend.reference?.value, 1e-3);
    assert.ok(ur.domain.lo <= -3 && ur.domain.hi >= -3);
    assert.equal(heatmapScale([fx.run('r', 50, 'done')], 'dead').legend.reference, undefined);
  });
});

describe('webview heatmap palette', () => {
  it("packRow writes each value's packedColor: random values with zeros, negatives, NaN and ±Infinity, log and linear scales, values past both ends", () => {
    const p: PaletteBytes = { zero: 0xff000001 | 0, nonFinite: 0xff000002 | 0, packed: Int32Array.from({ length: STEPS }, (_, i) => (0xff000100 + i) | 0) };
    let seed = 7;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const special = [0, -0, -2, NaN, Infinity, -Infinity, 1e-3, 1];
    const values = Float64Array.from({ length: 5000 }, () =>
      rand() < 0.1 ? (special[Math.floor(rand() * special.length)] as number) : 10 ** (-9 + rand() * 10),
    );
    const fractions = Float64Array.from(values, (v) => (Number.isFinite(v) ? Math.min(1.2, v * 1e3) - 0.1 : v));
    const domains: [ColorDomain, Float64Array][] = [
      [{ kind: 'log', lo: -7, hi: -1.5 }, values],
      [{ kind: 'log', lo: -3.25, hi: -2.75 }, values],
      [{ kind: 'linear', lo: 0, hi: 1 }, fractions],
    ];
    for (const [domain, xs] of domains) {
      const out = new Int32Array(xs.length + 3);
      packRow(p, domain, xs, 10, xs.length, out, 3);
      const steps = new Set<number>();
      for (let i = 10; i < xs.length; i++) {
        const want = packedColor(p, domain, xs[i] as number);
        assert.equal(out[i - 7], want, `${domain.kind} ${domain.lo}..${domain.hi}: ${xs[i]}`);
        steps.add(want);
      }
      assert.deepEqual([out[0], out[1], out[2], out[3 + xs.length - 10]], [0, 0, 0, 0], 'nothing written outside the range');
      assert.ok(steps.size > 50 && steps.has(p.zero) === (domain.kind === 'log') && steps.has(p.nonFinite), `${steps.size} colours`);
    }
  });
});
