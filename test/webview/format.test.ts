import * as assert from 'node:assert/strict';
import { basename, epochRange, formatFraction, formatMetric, formatSci, formatTick, formatValue, layerLabel } from '../../src/webview/format';
import { binRangeLabel, HISTOGRAM, histogramEdges } from '../../src/webview/histogramBins';
import { binOf as histogramBin } from '../../src/engine/histogram';

describe('webview formatting', () => {
  it('writes statistics plainly when short, scientifically when not', () => {
    assert.equal(formatValue(0.0123456), '0.0123');
    assert.equal(formatValue(12.345), '12.3');
    assert.equal(formatValue(1234.5), '1230');
    assert.equal(formatValue(0.5), '0.5');
    assert.equal(formatValue(1.23456e-5), '1.23e-5');
    assert.equal(formatValue(2.5e7), '2.5e7');
    assert.equal(formatValue(-4e-6), '-4e-6');
    assert.equal(formatValue(0), '0');
    assert.equal(formatValue(NaN), 'NaN');
    assert.equal(formatValue(Infinity), '∞');
    assert.equal(formatValue(0.000999), '9.99e-4');
  });

  it('drops a mantissa of one on decade ticks', () => {
    assert.equal(formatSci(1e-3), '1e-3');
    assert.equal(formatTick(1e-3), '1e-3');
    assert.equal(formatTick(3e-3), '3e-3');
    assert.equal(formatTick(1), '1');
    assert.equal(formatTick(10), '10');
    assert.equal(formatTick(1000), '1e3');
  });

  it('writes fractions as percentages', () => {
    assert.equal(formatFraction(0.25), '25%');
    assert.equal(formatFraction(0.0333), '3.3%');
    assert.equal(formatFraction(1), '100%');
    assert.equal(formatFraction(0), '0%');
    assert.equal(formatMetric('dead', 0.5), '50%');
    assert.equal(formatMetric('gradRms', 0.5), '0.5');
  });

  it('labels layers, epochs and files', () => {
    assert.equal(layerLabel({ index: 0, line: 5, activation: 'sigmoid' }), 'L0 · line 5 · sigmoid');
    assert.equal(epochRange(3, 3), 'epoch 3');
    assert.equal(epochRange(11, 20), 'epochs 11–20');
    assert.equal(basename('/a/b/net.nnspec'), 'net.nnspec');
    assert.equal(basename('C:\\nets\\net.nnspec'), 'net.nnspec');
  });

  it('has 32 histogram bins of half a decade from 1e-12 to 1e4', () => {
    const e = histogramEdges();
    assert.equal(HISTOGRAM.bins, 32);
    assert.equal(e.length, 33);
    assert.equal(e[0], -12);
    assert.equal(e[32], 4);
    assert.equal(histogramBin(1e-3), 18);
    assert.equal(histogramBin(3e-3), 18);
    assert.equal(histogramBin(4e-3), 19);
    assert.equal(histogramBin(1e-20), 0, 'the first bin catches everything below');
    assert.equal(histogramBin(1e9), 31, 'the last bin catches everything above');
    assert.equal(binRangeLabel(0), '< 3.2e-12');
    assert.equal(binRangeLabel(18), '[1e-3, 3.2e-3)');
    assert.equal(binRangeLabel(31), '≥ 3.2e3');
  });
});
