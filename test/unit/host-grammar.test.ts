// The TextMate grammar (syntaxes/nnspec.tmLanguage.json) tokenized by the engine VS Code itself uses
// (vscode-textmate + vscode-oniguruma, from code-server's VS Code, a devDependency here), and its word
// lists checked against the engine's vocabulary. Skipped when code-server is not installed.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIVATIONS, DATA_SOURCES, INITS, LOSSES, OPTIMIZERS } from '../../src/engine/vocabulary';

const ROOT = join(__dirname, '..', '..', '..');
const GRAMMAR = join(ROOT, 'syntaxes', 'nnspec.tmLanguage.json');
const VSCODE_MODULES = join(ROOT, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');

interface Token {
  text: string;
  scopes: string[];
}

// The little of vscode-textmate and vscode-oniguruma this test uses (they ship no types here).
interface Grammar {
  tokenizeLine(line: string, state: unknown): { tokens: { startIndex: number; endIndex: number; scopes: string[] }[] };
}
interface TextMate {
  Registry: new (options: { onigLib: Promise<unknown>; loadGrammar: (scope: string) => Promise<unknown> }) => {
    loadGrammar(scope: string): Promise<Grammar | null>;
  };
  parseRawGrammar(content: string, path: string): unknown;
  INITIAL: unknown;
}
interface Oniguruma {
  loadWASM(data: ArrayBuffer): Promise<void>;
  OnigScanner: new (patterns: string[]) => unknown;
  OnigString: new (s: string) => unknown;
}

async function tokenizer(): Promise<((line: string) => Token[]) | null> {
  const tm = join(VSCODE_MODULES, 'vscode-textmate');
  const onig = join(VSCODE_MODULES, 'vscode-oniguruma');
  if (!existsSync(tm) || !existsSync(onig)) return null;
  // VS Code's own copies, found at run time: a path, so no static import.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const vsctm = require(tm) as TextMate;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const oniguruma = require(onig) as Oniguruma;
  const wasm = readFileSync(join(onig, 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () => vsctm.parseRawGrammar(readFileSync(GRAMMAR, 'utf8'), GRAMMAR),
  });
  const grammar = await registry.loadGrammar('source.nnspec');
  assert.ok(grammar);
  return (line) => {
    const r = grammar.tokenizeLine(line, vsctm.INITIAL);
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  };
}

function scopeOf(tokens: Token[], text: string): string {
  const t = tokens.find((x) => x.text === text);
  assert.ok(t, `a token "${text}" in ${JSON.stringify(tokens.map((x) => x.text))}`);
  return t.scopes[t.scopes.length - 1];
}

describe('host: TextMate grammar', () => {
  let tokenize: ((line: string) => Token[]) | null = null;
  before(async function () {
    tokenize = await tokenizer();
    if (!tokenize) this.skip();
  });

  it('scopes a dense line: keyword, activation, option, init, repeat, comment', () => {
    const t = tokenize!('dense 16 sigmoid init=he_normal bias=-0.5 x6  # hidden');
    assert.equal(scopeOf(t, 'dense'), 'keyword.control.statement.nnspec');
    assert.equal(scopeOf(t, 'sigmoid'), 'support.function.activation.nnspec');
    assert.equal(scopeOf(t, 'init'), 'variable.parameter.option.nnspec');
    assert.equal(scopeOf(t, 'he_normal'), 'support.function.init.nnspec');
    assert.equal(scopeOf(t, '-0.5'), 'constant.numeric.nnspec');
    assert.equal(scopeOf(t, 'x6'), 'keyword.operator.repeat.nnspec');
    assert.equal(scopeOf(t, '# hidden'), 'comment.line.number-sign.nnspec');
  });

  it('scopes data, optimizer, loss, strings and booleans', () => {
    assert.equal(scopeOf(tokenize!('data spiral samples=400'), 'spiral'), 'support.type.data-source.nnspec');
    const csv = tokenize!('data csv "iris.csv" header=true');
    assert.equal(scopeOf(csv, 'csv'), 'support.type.data-source.nnspec');
    assert.ok(csv.some((x) => x.scopes.includes('string.quoted.double.nnspec') && x.text.includes('iris')));
    assert.equal(scopeOf(csv, 'true'), 'constant.language.nnspec');
    assert.equal(scopeOf(tokenize!('optimizer adam lr=1e-3'), 'adam'), 'support.class.optimizer.nnspec');
    assert.equal(scopeOf(tokenize!('optimizer adam lr=1e-3'), '1e-3'), 'constant.numeric.nnspec');
    assert.equal(scopeOf(tokenize!('loss cross_entropy'), 'cross_entropy'), 'support.constant.loss.nnspec');
    assert.equal(scopeOf(tokenize!('# just a comment'), '# just a comment'), 'comment.line.number-sign.nnspec');
  });

  it("lists exactly the vocabulary's words", () => {
    const raw = readFileSync(GRAMMAR, 'utf8');
    const words = (group: RegExp) => (group.exec(raw)?.[1] ?? '').split('|').sort();
    assert.deepEqual(words(/\\\\b\(((?:linear|sigmoid)[a-z_|]*)\)/), Object.keys(ACTIVATIONS).sort());
    assert.deepEqual(words(/\(((?:xor)[a-z_|]*)\)/), Object.keys(DATA_SOURCES).sort());
    assert.deepEqual(words(/\(((?:mse)[a-z_|]*)\)/), Object.keys(LOSSES).sort());
    assert.deepEqual(words(/\(((?:sgd)[a-z_|]*)\)/), Object.keys(OPTIMIZERS).sort());
    assert.deepEqual(words(/\(((?:glorot_uniform)[a-z_|]*)\)/), Object.keys(INITS).sort());
  });
});
