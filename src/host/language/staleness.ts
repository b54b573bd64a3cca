// When do a run's findings stop describing the text? A finding names a line, and the line's number
// moves when a comment or blank line is added above it; its meaning changes only when a statement
// changes. So the text is reduced to its statements (tokens, without comments and spacing): if
// that list is unchanged the findings stay and move with their statements, else they are stale.
// Pure: no vscode.

import { lexLine } from '../../engine/lexer';
import type { Change, Finding } from '../../engine/types';

export interface StatementLine {
  /** 1-based line. */
  readonly line: number;
  /** The statement's tokens joined by single spaces. */
  readonly text: string;
}

export function statementLines(text: string): StatementLine[] {
  const out: StatementLine[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const { tokens } = lexLine(lines[i]);
    if (tokens.length > 0) out.push({ line: i + 1, text: tokens.map((t) => t.text).join(' ') });
  }
  return out;
}

/**
 * Maps the 1-based lines of statements in `before` to their lines in `after`, or null when the
 * statements differ (the findings are then stale).
 */
export function statementLineMap(before: string, after: string): Map<number, number> | null {
  const a = statementLines(before);
  const b = statementLines(after);
  if (a.length !== b.length) return null;
  const map = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if (a[i].text !== b[i].text) return null;
    map.set(a[i].line, b[i].line);
  }
  return map;
}

function remapChange(change: Change, map: ReadonlyMap<number, number>): Change {
  return change.kind === 'layer' ? { ...change, lines: change.lines.map((l) => map.get(l) ?? l) } : change;
}

/** The findings moved to `after`'s lines, or null when `after` changed what they were about. */
export function remapFindings(findings: readonly Finding[], before: string, after: string): Finding[] | null {
  if (before === after) return [...findings];
  const map = statementLineMap(before, after);
  if (!map) return null;
  return findings.map((f) => ({
    ...f,
    line: map.get(f.line) ?? f.line,
    fixes: f.fixes.map((x) => ({ title: x.title, change: remapChange(x.change, map) })),
  }));
}
