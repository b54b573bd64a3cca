// The README's settings table lists every `nnspec.*` setting of package.json with its default.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

describe('docs: the settings table', () => {
  it('has one row per setting of package.json, with its default', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default: unknown; markdownDescription?: string }> } };
    };
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const rows = new Map([...readme.matchAll(/^\| `(nnspec\.[\w.]+)` \| `([^`]+)` \|/gm)].map((m) => [m[1], m[2]]));
    const props = pkg.contributes.configuration.properties;
    assert.deepEqual([...rows.keys()].sort(), Object.keys(props).sort());
    for (const [key, p] of Object.entries(props)) {
      assert.equal(rows.get(key), String(p.default), key);
      assert.ok(p.markdownDescription && p.markdownDescription.length > 20, `${key} has a description`);
    }
  });
});
