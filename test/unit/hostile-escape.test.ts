// Names from a file shown literally (issue 10): a data path or file name shaped like a Markdown
// command link, HTML or terminal control sequences reaches a notification, a diagnostic or a hover
// as text, never as a link, markup or a control character.

import { strict as assert } from 'node:assert';
import { checkWithFiles } from '../../src/engine/index';
import { failureMessage } from '../../src/host/runs/outcome';
import { notice } from '../../src/host/notice';
import { findingHover } from '../../src/host/language/hoverText';
import type { Finding } from '../../src/engine/types';
import { memoryFiles, spec } from './helpers';

const LINK = /\[[^\]]*\]\((command|https?|file):/;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const hostile = '[run me](command:workbench.action.terminal.new)<img src=x onerror=alert(1)>\u001b]0;pwned\u0007\u001b[2J';

describe('hostile: names from a file shown literally', () => {
  it("a data path's problem keeps the path readable, its control characters escaped", async () => {
    const r = await checkWithFiles(spec([`data csv "${hostile}.csv"`, 'input 2', 'dense 1 sigmoid']), { read: memoryFiles({}) });
    const p = r.problems.find((q) => q.line === 1);
    assert.ok(p, JSON.stringify(r.problems));
    assert.doesNotMatch(p.message, CONTROL);
    assert.ok(p.message.includes('[run me](command:workbench.action.terminal.new)<img src=x onerror=alert(1)>\\x1b]0;pwned\\x07\\x1b[2J.csv'), p.message);
  });

  it('a notification naming a rejected spec and its first error carries no link and no control character', async () => {
    const r = await checkWithFiles(spec([`data csv "${hostile}.csv"`, 'input 2', 'dense 1 sigmoid']), { read: memoryFiles({}) });
    const label = `${hostile}.nnspec`;
    const text = failureMessage({ kind: 'rejected', problems: r.problems }, { label, doing: `training ${label}`, notDone: 'it was not trained' });
    assert.ok(text);
    assert.doesNotMatch(text, LINK);
    assert.doesNotMatch(text, CONTROL);
    // Still readable: the same characters but for a zero-width joiner inside `](`.
    assert.ok(text.replace(/\u200d/g, '').includes('[run me](command:workbench.action.terminal.new)<img src=x onerror=alert(1)>\\x1b]0;pwned'), text);
    const crash = failureMessage(
      { kind: 'crashed', message: `cannot read [x](https://evil.example) ${hostile}` },
      { label, doing: `training ${label}`, notDone: '' },
    );
    assert.ok(crash);
    assert.doesNotMatch(crash, LINK);
  });

  it('notice() leaves ordinary text alone', () => {
    assert.equal(notice('Gradient Flow: iris.nnspec (line 3) has errors [see above].'), 'Gradient Flow: iris.nnspec (line 3) has errors [see above].');
    assert.doesNotMatch(notice('[a] (command:x) and [b]  (https://y)'), /\]\s*\(/);
  });

  it("a hover's fix link titles are escaped Markdown and its only links are the fix commands", () => {
    const f: Finding = {
      kind: 'dead',
      severity: 'warning',
      layers: [0],
      line: 3,
      message: hostile,
      fixes: [{ title: `Use ${hostile}`, change: { kind: 'option', statement: 'optimizer', key: 'clip', value: '1' } }],
      evidence: {},
    };
    const md = findingHover(f, [{ title: f.fixes[0].title, uri: 'command:nnspec.applyFix?%5B%5D' }]);
    // A link ends in an unescaped `](`; the title's brackets are escaped, so Markdown reads them as text.
    const links = [...md.matchAll(/(?<!\\)\]\(([^)]*)\)/g)].map((m) => m[1]);
    assert.deepEqual(links, ['command:nnspec.applyFix?%5B%5D']);
    assert.ok(md.includes('\\[run me\\](command:workbench.action.terminal.new)\\<img'), md);
  });
});
