// Hostile spec text (issue 10): words longer than any keyword cost no edit distance, a file of
// millions of statements lists a bounded number of problems and counts the rest, and control
// characters from the file reach no message unescaped.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, escapeControls, MAX_PROBLEMS } from '../../src/engine/index';
import { closest } from '../../src/engine/suggest';
import { spec } from './helpers';

describe('hostile: spec text', () => {
  it('a 5-million-character word is an unknown statement without a suggestion (no edit distance)', () => {
    const r = check(spec(['x'.repeat(5_000_000), 'data xor', 'input 2', 'dense 1 sigmoid']));
    const p = r.problems.find((q) => q.code === 'unknown-keyword');
    assert.ok(p);
    assert.equal(p.line, 1);
    assert.doesNotMatch(p.message, /Did you mean/);
  });

  it('suggestions still come for near misses, and never for words far longer than a keyword', () => {
    assert.equal(closest('sigmiod', ['sigmoid', 'tanh']), 'sigmoid');
    assert.equal(closest('sigmoidd', ['sigmoid', 'tanh']), 'sigmoid');
    assert.equal(closest('sigmoidxxxxxxxxxx', ['sigmoid', 'tanh']), null);
  });

  it(`a file of 100,000 repeated statements lists ${MAX_PROBLEMS} problems and counts the rest`, () => {
    const text = spec(['data xor', 'input 2', 'dense 1 sigmoid', ...Array.from({ length: 100_000 }, () => 'loss mse')]);
    const r = check(text);
    assert.equal(r.problems.length, MAX_PROBLEMS + 1);
    const last = r.problems[MAX_PROBLEMS];
    assert.equal(last.severity, 'error');
    assert.equal(last.line, 5 + MAX_PROBLEMS);
    assert.match(last.message, /^… and 99,699 more problems from this line on \(only the first 300 are listed\)\.$/);
  });

  it('control characters from the file are escaped in every problem', () => {
    const evil = '\u001b]0;pwned\u0007\u001b[2J';
    const r = check(spec(['data xor', 'input 2', `dense 1 sigmoid name=a${evil}`, evil, `loss ${evil}`]));
    assert.ok(r.problems.length >= 2);
    for (const p of r.problems) assert.doesNotMatch(p.message, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, p.message);
    assert.ok(r.problems.some((p) => p.message.includes('\\x1b]0;pwned\\x07\\x1b[2J')));
    assert.equal(escapeControls('tab\tand\nnewline stay; \u009b goes'), 'tab\tand\nnewline stay; \\x9b goes');
  });

  it('nnspec check prints no control character from a hostile file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gf-input-'));
    const file = join(dir, 'evil.nnspec');
    writeFileSync(file, spec(['data xor', 'input 2', 'dense 1 sigmoid', '\u001b]0;pwned\u0007\u001b[2J']));
    const r = spawnSync(process.execPath, [join(__dirname, '../../../dist/cli.js'), 'check', file], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /evil\.nnspec:4:1: error: Unknown statement `\\x1b\]0;pwned\\x07\\x1b\[2J`/);
    assert.doesNotMatch(r.stdout + r.stderr, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('nnspec train reads --epochs as the spec reads epochs=', () => {
    const r = spawnSync(
      process.execPath,
      [join(__dirname, '../../../dist/cli.js'), 'train', join(__dirname, '../../../examples/iris.nnspec'), '--epochs', '0x10'],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--epochs must be a whole number from 1 to 100000, not 0x10/);
  });
});
