import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyChanges, checkWithFiles, trainToReport } from '../../src/engine/index';
import type { Finding } from '../../src/engine/types';
import { spiralNet } from './helpers';
import { dataFileReader } from '../../src/node/dataFiles';

// Fixes that heal (issue 11): every example and canonical case is trained; each warning or error
// finding's first fix (the one Ctrl+. and `nnspec fix` apply) is applied on its own, the file is
// trained again, and the finding it answers must be gone.

const examples = join(__dirname, '../../../examples');

async function train(text: string): Promise<readonly Finding[]> {
  const r = await checkWithFiles(text, { read: dataFileReader(join(examples, 'any.nnspec')) });
  assert.ok(r.trainable, JSON.stringify(r.problems));
  return trainToReport(r).findings;
}

/** The same finding after the fix: its kind, on a layer it named (or, for a run finding, at all). */
function answers(before: Finding, after: Finding): boolean {
  if (after.kind !== before.kind) return false;
  return before.layers.length === 0 || after.layers.some((k) => before.layers.includes(k));
}

/**
 * The examples that train without a warning or error to fix, and why: each is a cure or a real
 * data set that trains. An example not listed here must have something to fix (and its fix must
 * heal), so a new example is either fixed and retrained below or says here why it is not.
 */
const healthy: Record<string, string> = {
  'examples/deep-batchnorm.nnspec': 'batch norm keeps the deep sigmoid stack learning (its growing epoch-0 gradient is the story, not a finding)',
  'examples/iris.nnspec': 'a small real data set that a healthy network learns',
  'examples/leaky-relu.nnspec': 'the dead-relu cure: leaky relu units cannot die (an info finding at most)',
  'examples/relu-he.nnspec': 'the deep-sigmoid cure: relu with he_normal',
  'examples/tanh-glorot.nnspec': 'the other deep-sigmoid cure: tanh with glorot_uniform',
};

const cases: [string, string][] = [
  ...readdirSync(examples)
    .filter((f) => f.endsWith('.nnspec'))
    .sort()
    .map((f): [string, string] => [`examples/${f}`, readFileSync(join(examples, f), 'utf8')]),
  ['8 sigmoid + glorot_uniform', spiralNet('dense 16 sigmoid init=glorot_uniform x8')],
  ['8 relu + normal(0, 1), lr 0.01', spiralNet('dense 16 relu init=normal(0, 1) x8', { lr: '0.01' })],
  ['relu with bias=-3 above a he_normal layer', spiralNet('dense 16 relu init=he_normal\ndense 16 relu init=he_normal bias=-3')],
  ['4 sigmoid + normal(0, 10)', spiralNet('dense 16 sigmoid init=normal(0, 10) x4')],
  ['4 relu + he_normal, lr 3', spiralNet('dense 16 relu init=he_normal x4', { lr: '3' })],
  ['4 relu + he_normal, lr 1e-5, 50 epochs', spiralNet('dense 16 relu init=he_normal x4', { lr: '1e-5', epochs: 50 })],
  ['a dead network at chance, lr 0.05', spiralNet('dense 16 relu init=he_normal\ndense 16 relu init=he_normal bias=-3', { lr: '0.05' })],
];

describe('fixes heal: each first fix, applied and retrained, removes the finding it answers', function () {
  // The MNIST example trains 500 full-batch epochs once per fix: minutes on a busy machine.
  this.timeout(600000);
  for (const [name, text] of cases) {
    it(name, async () => {
      const findings = (await train(text)).filter((f) => f.severity !== 'info' && f.fixes.length > 0);
      if (name.startsWith('examples/'))
        assert.equal(
          findings.length === 0,
          name in healthy,
          findings.length === 0
            ? `${name} has nothing to fix: list it in healthy with why`
            : `${name} is listed healthy but has ${findings.map((f) => f.kind).join(', ')}`,
        );
      for (const f of findings) {
        const fix = f.fixes[0];
        const fixed = applyChanges(text, [fix.change]);
        assert.notEqual(fixed, text, `${f.kind} on line ${f.line}: "${fix.title}" changes the file`);
        // A fix that says it cannot heal on its own is exempt, and has to say so in its title.
        if (/on its own/.test(fix.title)) continue;
        const left = (await train(fixed)).filter((g) => answers(f, g));
        assert.deepEqual(
          left.map((g) => `${g.kind} line ${g.line}: ${g.message}`),
          [],
          `${f.kind} on line ${f.line} after "${fix.title}"`,
        );
      }
    });
  }

  it("the walkthrough's fix on deep-sigmoid (line 8, the first offered) heals layer 0 on retrain", async () => {
    const text = readFileSync(join(examples, 'deep-sigmoid.nnspec'), 'utf8');
    const f = (await train(text)).find((x) => x.kind === 'vanishing' && x.line === 8);
    assert.ok(f);
    assert.match(f.fixes[0].title, /^Use relu with he_normal init/);
    const after = await train(applyChanges(text, [f.fixes[0].change]));
    assert.deepEqual(
      after.filter((g) => g.kind === 'vanishing' || g.kind === 'plateau').map((g) => g.message),
      [],
    );
  });

  it('a fix that would change nothing is not offered: relu + he_normal on layers that already are', async () => {
    // A dead network at chance: the plateau names layers 0 and 1, both already relu with he_normal.
    const text = spiralNet('dense 16 relu init=he_normal\ndense 16 relu init=he_normal bias=-3', { lr: '0.05' });
    const fs = await train(text);
    const plateau = fs.find((f) => f.kind === 'plateau');
    assert.ok(plateau, fs.map((f) => f.kind).join(' '));
    assert.deepEqual(plateau.layers, [0, 1]);
    assert.deepEqual(
      plateau.fixes.map((x) => x.title),
      [],
    );
    for (const f of fs) {
      for (const fix of f.fixes) assert.notEqual(applyChanges(text, [fix.change]), text, `${f.kind}: "${fix.title}" changes nothing`);
    }
  });
});
