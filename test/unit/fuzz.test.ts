import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkWithFiles, type CheckResult } from '../../src/engine/index';
import { Rng } from '../../src/engine/rng';

const examplesDir = join(__dirname, '../../../examples');
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.nnspec'))
  .map((f) => readFileSync(join(examplesDir, f), 'utf8'));
const read = async (p: string) =>
  p === 'data/iris.csv' ? { ok: true as const, bytes: readFileSync(join(examplesDir, p)) } : { ok: false as const, error: 'no such file' };

const WORDS = [
  'network',
  'data',
  'input',
  'dense',
  'loss',
  'optimizer',
  'train',
  'diagnose',
  'spiral',
  'xor',
  'csv',
  '"data/iris.csv"',
  '"x',
  'relu',
  'sigmoid',
  'softmax',
  'leaky_relu(0.2)',
  'elu(',
  'init=normal(0, 1)',
  'init=',
  'x6',
  'x0',
  'x99999',
  '16',
  '-1',
  '1e400',
  'NaN',
  '0x10',
  'lr=0.1',
  'lr=',
  '=',
  '==',
  'epochs=100001',
  'samples=1000000',
  'batch=0',
  'precision=float16',
  'bias=-3',
  '#',
  '(',
  ')',
  '"',
  '\t',
  '4096',
  '4097',
  'bce',
  'mse',
  'cross_entropy',
  'sgd',
  'adam',
  'momentum=1',
  'classes=3',
  'target=species',
  'header=false',
  'normalize=true',
  'é',
  '\u0000',
];

function randomSpec(rng: Rng): string {
  const lines: string[] = [];
  const n = rng.int(12);
  for (let i = 0; i < n; i++) {
    const k = rng.int(7);
    const words: string[] = [];
    for (let j = 0; j < k; j++) words.push(WORDS[rng.int(WORDS.length)]);
    lines.push(words.join(rng.next() < 0.9 ? ' ' : '  '));
  }
  return lines.join(rng.next() < 0.5 ? '\n' : '\r\n');
}

function mutate(text: string, rng: Rng): string {
  let t = text;
  const edits = 1 + rng.int(4);
  for (let e = 0; e < edits; e++) {
    const at = rng.int(t.length + 1);
    const op = rng.int(4);
    if (op === 0) t = t.slice(0, at) + t.slice(at + 1 + rng.int(5));
    else if (op === 1) t = t.slice(0, at) + WORDS[rng.int(WORDS.length)] + t.slice(at);
    else if (op === 2) t = t.slice(0, at) + String.fromCharCode(32 + rng.int(95)) + t.slice(at + 1);
    else {
      const lines = t.split('\n');
      const a = rng.int(lines.length);
      const b = rng.int(lines.length);
      [lines[a], lines[b]] = [lines[b], lines[a]];
      t = lines.join('\n');
    }
  }
  return t;
}

async function assertRangesInside(text: string): Promise<void> {
  const lines = text.split(/\r\n|\r|\n/);
  let result: CheckResult;
  try {
    result = await checkWithFiles(text, { fileName: 'fuzz.nnspec', read });
  } catch (e) {
    assert.fail(`check threw on ${JSON.stringify(text)}: ${(e as Error).stack}`);
  }
  for (const p of result.problems) {
    assert.ok(p.line >= 1 && p.line <= lines.length, `line ${p.line} of ${lines.length} in ${JSON.stringify(text)}`);
    const len = lines[p.line - 1].length;
    assert.ok(
      p.startColumn >= 0 && p.startColumn <= p.endColumn && p.endColumn <= len,
      `range ${p.startColumn}-${p.endColumn} on a line of ${len}: ${JSON.stringify(text)} ${p.message}`,
    );
    assert.ok(p.message.length > 10);
  }
}

describe('fuzz: the parser never throws and every range is inside the text', () => {
  it('on 3000 random specs', async () => {
    const rng = new Rng(1234);
    for (let i = 0; i < 3000; i++) await assertRangesInside(randomSpec(rng));
  });
  it('on 3000 mutations of the examples', async () => {
    const rng = new Rng(99);
    for (let i = 0; i < 3000; i++) await assertRangesInside(mutate(examples[i % examples.length], rng));
  });
  it('on the empty file, blank lines and binary noise', async () => {
    for (const t of [
      '',
      '\n\n\n',
      '\r',
      '\ufeff',
      '####',
      '"',
      '(((((',
      'dense',
      String.fromCharCode(...Array.from({ length: 300 }, (_, i) => (i * 7919) % 65535)),
    ])
      await assertRangesInside(t);
  });
});
