// Turns a fix's structured change into text edits on the .nnspec source, so the editor's quick
// fixes, the panel's "Apply" and the tests all make the same edit.

import type { Change } from './types';
import { lexLine, type Token } from './lexer';

export interface TextEdit {
  /** 1-based line. */
  readonly line: number;
  readonly startColumn: number;
  readonly endColumn: number;
  readonly newText: string;
}

function lines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Sets `key=value` on a line: replaces the option's value, or appends the option before a comment. */
function setOption(lineNo: number, source: string, tokens: readonly Token[], key: string, value: string): TextEdit {
  const hit = tokens.find((t) => t.kind === 'option' && t.key === key);
  if (hit) return { line: lineNo, startColumn: hit.valueStart ?? hit.end, endColumn: hit.end, newText: value };
  const end = tokens.length ? tokens[tokens.length - 1].end : source.length;
  return { line: lineNo, startColumn: end, endColumn: end, newText: ` ${key}=${value}` };
}

export function editsForChange(text: string, change: Change): TextEdit[] {
  const src = lines(text);
  const edits: TextEdit[] = [];
  if (change.kind === 'layer') {
    for (const lineNo of change.lines) {
      const source = src[lineNo - 1];
      if (source === undefined) continue;
      const { tokens } = lexLine(source);
      if (tokens[0]?.text !== 'dense') continue;
      const act = tokens[2];
      if (change.activation !== undefined && act && act.kind === 'word') {
        edits.push({ line: lineNo, startColumn: act.start, endColumn: act.end, newText: change.activation });
      }
      if (change.init !== undefined) edits.push(setOption(lineNo, source, tokens, 'init', change.init));
      if (change.bias !== undefined) edits.push(setOption(lineNo, source, tokens, 'bias', change.bias));
      if (change.norm !== undefined) edits.push(setOption(lineNo, source, tokens, 'norm', change.norm));
      if (change.residual !== undefined) edits.push(setOption(lineNo, source, tokens, 'residual', change.residual));
    }
    return mergeAppends(edits);
  }
  for (let i = 0; i < src.length; i++) {
    const { tokens } = lexLine(src[i]);
    if (tokens[0]?.text === change.statement) return [setOption(i + 1, src[i], tokens, change.key, change.value)];
  }
  // The statement is not written yet: add it, with the default it would have had, at the end.
  const head = change.statement === 'optimizer' ? 'optimizer sgd' : change.statement;
  const lastLine = src.length;
  const lastText = src[lastLine - 1] ?? '';
  const prefix = lastText.length > 0 ? '\n' : '';
  return [{ line: lastLine, startColumn: lastText.length, endColumn: lastText.length, newText: `${prefix}${head} ${change.key}=${change.value}\n` }];
}

/** Two appends at the same place (init and bias) become one, so the edits never overlap. */
function mergeAppends(edits: TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const e of edits) {
    const prev = out[out.length - 1];
    if (prev && prev.line === e.line && prev.startColumn === prev.endColumn && e.startColumn === e.endColumn && prev.startColumn === e.startColumn) {
      out[out.length - 1] = { ...prev, newText: prev.newText + e.newText };
    } else out.push(e);
  }
  return out;
}

/**
 * Applies changes one after another, each to the text the previous ones left, so two fixes on the
 * same line (an activation, then an init) both land.
 */
export function applyChanges(text: string, changes: readonly Change[]): string {
  return changes.reduce((t, c) => applyEdits(t, editsForChange(t, c)), text);
}

/** Applies edits to the text (for the CLI, the tests and the Compare variants). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const src = lines(text);
  const sorted = [...edits].sort((a, b) => b.line - a.line || b.startColumn - a.startColumn);
  for (const e of sorted) {
    const s = src[e.line - 1] ?? '';
    src[e.line - 1] = s.slice(0, e.startColumn) + e.newText + s.slice(e.endColumn);
  }
  return src
    .join(eol)
    .replace(/\n/g, eol === '\r\n' ? '\r\n' : '\n')
    .replace(/\r\r\n/g, '\r\n');
}
