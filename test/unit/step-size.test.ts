import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, trainToReport } from '../../src/engine/index';
import { findLearningRate } from '../../src/engine/lrfind';
import type { Finding } from '../../src/engine/types';
import { spiralNet } from './helpers';

const relu4 = (lr: string, epochs: number) => spiralNet('dense 16 relu init=he_normal x4', { lr, epochs });
const findings = (text: string): readonly Finding[] => trainToReport(check(text)).findings;
const kinds = (fs: readonly Finding[]) => fs.map((f) => f.kind);

describe('step size, budget and plateau (issue 6 canonical cases)', () => {
  it('4 relu + he_normal layers with sgd lr=3: lr_too_high or nonfinite, on the optimizer line', () => {
    const fs = findings(relu4('3', 100));
    const f = fs.find((x) => x.kind === 'lr_too_high' || x.kind === 'nonfinite');
    assert.ok(f, kinds(fs).join(' '));
    if (f.kind === 'lr_too_high') {
      assert.equal(f.line, 7, 'the optimizer line');
      const fix = f.fixes.find((x) => x.change.kind === 'option' && x.change.key === 'lr');
      assert.ok(fix && fix.change.kind === 'option' && Number(fix.change.value) < 3, 'a lower lr, said how much');
      assert.match(f.message, /‖ΔW‖\/‖W‖/);
    }
  });

  it('the same with lr=1e-5 for 50 epochs: lr_too_low and no vanishing', () => {
    const fs = findings(relu4('1e-5', 50));
    assert.ok(kinds(fs).includes('lr_too_low'), kinds(fs).join(' '));
    assert.ok(!kinds(fs).includes('vanishing'));
    const f = fs.find((x) => x.kind === 'lr_too_low')!;
    assert.equal(f.line, 7);
    const fix = f.fixes[0];
    assert.ok(fix.change.kind === 'option' && fix.change.key === 'lr' && Number(fix.change.value) > 1e-5);
  });

  it('the same with a good lr and epochs=3: budget says more epochs would help', () => {
    const fs = findings(relu4('0.1', 3));
    const f = fs.find((x) => x.kind === 'budget');
    assert.ok(f, kinds(fs).join(' '));
    assert.equal(f.severity, 'info');
    assert.equal(f.line, 8, 'the train line');
    assert.match(f.message, /Still improving .* about \d+ more epochs/);
    assert.ok(f.fixes[0].change.kind === 'option' && f.fixes[0].change.key === 'epochs' && Number(f.fixes[0].change.value) > 3);
  });

  it('a good lr over many epochs: converged long before the end, or nothing to say', () => {
    const fs = findings(relu4('0.1', 300));
    assert.deepEqual(
      kinds(fs).filter((k) => k !== 'budget'),
      [],
    );
    const b = fs.find((x) => x.kind === 'budget');
    if (b) assert.match(b.message, /Converged by epoch \d+ of 300/);
  });

  it('a dead network at chance: plateau on the train line, naming the layers with small gradients', () => {
    const fs = findings(spiralNet('dense 16 relu init=he_normal\ndense 16 relu init=he_normal bias=-3', { lr: '0.05' }));
    const p = fs.find((x) => x.kind === 'plateau');
    assert.ok(p, kinds(fs).join(' '));
    assert.equal(p.line, 9);
    assert.deepEqual(p.layers, [0, 1]);
    assert.match(p.message, /chance level/);
  });
});

describe('the learning-rate range test', () => {
  const dir = join(__dirname, '../../../examples');
  const text = readFileSync(join(dir, 'relu-he.nnspec'), 'utf8');

  it('lr-find on examples/relu-he.nnspec: within 10× of the example lr, and it beats lr/100 and lr×100', () => {
    const c = check(text);
    const used = c.spec.optimizer.lr;
    const { points, suggested } = findLearningRate(c.spec, c.dataset!);
    assert.ok(points.length > 100);
    assert.ok(points[0].lr === 1e-6 && points.every((p, i) => i === 0 || p.lr > points[i - 1].lr));
    assert.ok(suggested !== null);
    assert.ok(suggested / used <= 10 && used / suggested <= 10, `suggested ${suggested}, used ${used}`);
    const finalLoss = (lr: number) => {
      const r = trainToReport(check(text.replace(/lr=[^ \n]+/, `lr=${lr}`)));
      return r.stopped ? Infinity : r.epochs[r.epochs.length - 1].loss;
    };
    const [good, low, high] = [finalLoss(suggested), finalLoss(suggested / 100), finalLoss(suggested * 100)];
    console.log(`      suggested lr ${suggested.toPrecision(2)}: final loss ${good.toFixed(4)}; lr/100: ${low.toFixed(4)}; lr×100: ${high.toFixed(4)}`);
    assert.ok(good < low && good < high);
  });

  it('nnspec lr-find prints the plot and the suggestion', () => {
    const r = spawnSync(process.execPath, [join(__dirname, '../../../dist/cli.js'), 'lr-find', join(dir, 'relu-he.nnspec'), '--json'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { current: number; suggested: number; points: unknown[] };
    assert.equal(out.current, 0.05);
    assert.ok(out.suggested > 0.005 && out.suggested < 0.5);
    const plot = spawnSync(process.execPath, [join(__dirname, '../../../dist/cli.js'), 'lr-find', join(dir, 'relu-he.nnspec')], { encoding: 'utf8' });
    assert.match(plot.stdout, /Smoothed loss against learning rate/);
    assert.match(plot.stdout, /Suggested lr: [\d.]+ .*the file uses lr=0\.05/);
  });
});
