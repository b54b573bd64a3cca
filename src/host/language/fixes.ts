// Fixes as data: the "fix all lines of this kind" change, and the check of a fix link's arguments
// (a command URI from a hover can be invoked with anything). Pure: no vscode.

import type { Change, Finding, FindingKind } from '../../engine/types';
import type { FixCommandArgs } from './hoverText';

/**
 * The same change on every line flagged with the given kind as well as its own lines (for a layer
 * change), else the change itself.
 */
export function changeForAll(change: Change, findings: readonly Finding[], kind: FindingKind): Change {
  if (change.kind !== 'layer') return change;
  const lines = [...new Set([...change.lines, ...findings.filter((f) => f.kind === kind).map((f) => f.line)])].sort((a, b) => a - b);
  return { ...change, lines };
}

const WORD = /^[A-Za-z_][A-Za-z0-9_.()\-, ]*$/;

/**
 * Whether a fix link's URI names a .nnspec file on disk (local or remote). A command URI can carry
 * any URI; applyFix opens only these, or a document already open as nnspec.
 */
export function isSpecFileUri(uri: string): boolean {
  const m = /^(file|vscode-remote):([^?#]*)$/i.exec(uri);
  return m !== null && /\.nnspec$/i.test(m[2]);
}

export function isFixArgs(x: unknown): x is FixCommandArgs {
  if (typeof x !== 'object' || x === null) return false;
  const a = x as Record<string, unknown>;
  const c = a.change as Record<string, unknown> | null | undefined;
  if (typeof a.uri !== 'string' || typeof c !== 'object' || c === null) return false;
  const optionalWord = (v: unknown) => v === undefined || (typeof v === 'string' && WORD.test(v));
  if (c.kind === 'layer') {
    return (
      Array.isArray(c.lines) &&
      c.lines.length > 0 &&
      c.lines.every((l) => Number.isInteger(l) && (l as number) >= 1) &&
      optionalWord(c.activation) &&
      optionalWord(c.init) &&
      (c.bias === undefined || (typeof c.bias === 'string' && /^[-+0-9.eE]+$/.test(c.bias)))
    );
  }
  return (
    c.kind === 'option' &&
    (c.statement === 'optimizer' || c.statement === 'train' || c.statement === 'data') &&
    typeof c.key === 'string' &&
    /^[a-z_][a-z0-9_]*$/.test(c.key) &&
    typeof c.value === 'string' &&
    /^[A-Za-z0-9_.+-]+$/.test(c.value)
  );
}
