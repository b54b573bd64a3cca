// The snippets (snippets/nnspec.json) expand, with their default placeholders, to text the engine
// accepts: the whole-network snippet to a spec without errors, the one-line ones to valid lines.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, checkWithFiles } from '../../src/engine/index';
import { memoryFiles } from './helpers';

const SNIPPETS = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'snippets', 'nnspec.json'), 'utf8')) as Record<
  string,
  { prefix: string | string[]; body: string[]; description: string }
>;

/** The text a snippet inserts when every placeholder keeps its default (the first choice). */
function expand(body: readonly string[]): string {
  const values = new Map<string, string>();
  return body
    .join('\n')
    .replace(
      /\$\{(\d+)(?::([^}]*)|\|([^}|]*)[^}]*\|)?\}|\$(\d+)/g,
      (_m, n: string | undefined, def: string | undefined, choice: string | undefined, bare: string | undefined) => {
        const key = n ?? bare!;
        const v = def ?? (choice !== undefined ? choice.split(',')[0] : undefined);
        if (v !== undefined) values.set(key, v);
        return values.get(key) ?? '';
      },
    );
}

describe('host: snippets', () => {
  it('has a prefix, a description and a body each', () => {
    assert.ok(Object.keys(SNIPPETS).length >= 3);
    for (const [name, s] of Object.entries(SNIPPETS)) {
      assert.ok(s.prefix.length > 0 && s.description && s.body.length > 0, name);
    }
  });

  it('the new-network snippet expands to a spec without errors', () => {
    const text = expand(SNIPPETS['New network'].body);
    const result = check(text, { fileName: '/x/new.nnspec' });
    assert.deepEqual(
      result.problems.filter((p) => p.severity === 'error'),
      [],
      text,
    );
    assert.equal(result.trainable, true);
    assert.equal(result.spec.layers.length, 3);
  });

  it('the one-line snippets expand to valid lines of a spec', async () => {
    const base = 'data xor\ninput 2\n';
    const layer = expand(SNIPPETS['Dense layer'].body);
    for (const name of ['Dense layer', 'Adam optimizer', 'Diagnose thresholds']) {
      const line = expand(SNIPPETS[name].body);
      const text = `${base}${name === 'Dense layer' ? '' : `${layer}\n`}${line}\ndense 1 sigmoid\n`;
      const errors = check(text).problems.filter((p) => p.severity === 'error');
      assert.deepEqual(errors, [], `${name}: ${line}`);
    }
    const csv = expand(SNIPPETS['CSV data'].body);
    assert.match(csv, /^data csv "data\.csv" target=label normalize=true$/);
    const problems = (
      await checkWithFiles(`${csv}\ninput 4\n${layer}\ndense 1 sigmoid\n`, { read: memoryFiles({ 'data.csv': 'a,b,c,d,label\n1,2,3,4,x\n2,3,4,5,y\n' }) })
    ).problems;
    assert.deepEqual(
      problems.filter((p) => p.severity === 'error').map((p) => p.message),
      [],
    );
  });
});
