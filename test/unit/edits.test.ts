import { strict as assert } from 'node:assert';
import { applyEdits, check, editsForChange } from '../../src/engine/index';
import { spec } from './helpers';

const TEXT = spec([
  'data spiral samples=400',
  'input 2',
  'dense 16 sigmoid init=normal(0, 1)   # first',
  'dense 16 sigmoid x6',
  'dense 1 sigmoid',
  'optimizer sgd lr=0.5 momentum=0.9',
]);

describe('fixes as edits', () => {
  it('changes activation and init on a layer line, keeping the comment', () => {
    const out = applyEdits(TEXT, editsForChange(TEXT, { kind: 'layer', lines: [3], activation: 'relu', init: 'he_normal' }));
    assert.equal(out.split('\n')[2], 'dense 16 relu init=he_normal   # first');
  });
  it('adds an init where there was none, before the repeat count stays', () => {
    const out = applyEdits(TEXT, editsForChange(TEXT, { kind: 'layer', lines: [4], activation: 'relu', init: 'he_normal', bias: '0' }));
    assert.equal(out.split('\n')[3], 'dense 16 relu x6 init=he_normal bias=0');
    assert.equal(check(out).problems.filter((p) => p.severity === 'error').length, 0);
  });
  it('sets an option that exists, and appends one that does not', () => {
    const lower = applyEdits(TEXT, editsForChange(TEXT, { kind: 'option', statement: 'optimizer', key: 'lr', value: '0.05' }));
    assert.equal(lower.split('\n')[5], 'optimizer sgd lr=0.05 momentum=0.9');
    const clip = applyEdits(TEXT, editsForChange(TEXT, { kind: 'option', statement: 'optimizer', key: 'clip', value: '1' }));
    assert.equal(clip.split('\n')[5], 'optimizer sgd lr=0.5 momentum=0.9 clip=1');
  });
  it('writes a statement that is missing, at the end', () => {
    const out = applyEdits(TEXT, editsForChange(TEXT, { kind: 'option', statement: 'train', key: 'precision', value: 'float64' }));
    assert.ok(out.endsWith('train precision=float64\n'), JSON.stringify(out));
    assert.equal(check(out).spec.train.precision, 'float64');
  });
  it('keeps CRLF line ends', () => {
    const crlf = TEXT.replace(/\n/g, '\r\n');
    const out = applyEdits(crlf, editsForChange(crlf, { kind: 'layer', lines: [3], activation: 'tanh' }));
    assert.equal(out, crlf.replace('dense 16 sigmoid init', 'dense 16 tanh init'));
  });
});
