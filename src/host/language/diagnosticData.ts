// The editor's diagnostics as plain data: parse and static-analysis problems plus a run's findings,
// merged without duplicates. diagnostics.ts turns these into vscode.Diagnostic. Pure: no vscode.

import { lexLine } from '../../engine/lexer';
import type { Finding, FindingKind, Problem, ProblemCode, Severity } from '../../engine/types';

export interface DiagnosticData {
  /** 0-based line and columns, as the editor counts. */
  readonly line: number;
  readonly startColumn: number;
  readonly endColumn: number;
  readonly severity: Severity;
  /** A problem's code or a finding's kind. */
  readonly code: ProblemCode | FindingKind;
  readonly message: string;
  readonly origin: 'problem' | 'finding';
}

/** The columns of a line's statement (first token to last, comment excluded); the whole line if it has none. */
export function statementColumns(lineText: string): { start: number; end: number } {
  const { tokens } = lexLine(lineText);
  if (tokens.length === 0) return { start: 0, end: lineText.length };
  return { start: tokens[0].start, end: tokens[tokens.length - 1].end };
}

export function problemData(p: Problem, lines: readonly string[]): DiagnosticData {
  const text = lines[p.line - 1] ?? '';
  let start = Math.max(0, Math.min(p.startColumn, text.length));
  let end = Math.max(start, Math.min(p.endColumn, text.length));
  if (start === end) {
    // A zero-width problem (a missing statement, an empty file) still needs something to underline.
    const cols = statementColumns(text);
    start = cols.start;
    end = Math.max(cols.end, start);
  }
  return { line: Math.max(0, p.line - 1), startColumn: start, endColumn: end, severity: p.severity, code: p.code, message: p.message, origin: 'problem' };
}

export function findingData(f: Finding, lines: readonly string[]): DiagnosticData {
  const text = lines[f.line - 1] ?? '';
  const cols = statementColumns(text);
  return {
    line: Math.max(0, f.line - 1),
    startColumn: cols.start,
    endColumn: cols.end,
    severity: f.severity,
    code: f.kind,
    message: f.message,
    origin: 'finding',
  };
}

/** What the static analysis predicts before training (gradients, saturation); a run's measurements replace them. */
const PREDICTIONS: ReadonlySet<ProblemCode> = new Set(['static-vanishing', 'static-exploding', 'saturating-activation']);

/**
 * Problems then findings, in line order, each (line, code, message) once. Once the document has a
 * run (`measured`), the predictions give way to what the run measured.
 */
export function mergeDiagnostics(text: string, problems: readonly Problem[], findings: readonly Finding[], measured = false): DiagnosticData[] {
  const lines = text.split(/\r\n|\r|\n/);
  const seen = new Set<string>();
  const out: DiagnosticData[] = [];
  const kept = measured ? problems.filter((p) => !PREDICTIONS.has(p.code)) : problems;
  for (const d of [...kept.map((p) => problemData(p, lines)), ...findings.map((f) => findingData(f, lines))]) {
    const key = `${d.line}\u0000${d.code}\u0000${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out.sort((a, b) => a.line - b.line || a.startColumn - b.startColumn);
}

/** Findings without repeats (the same finding streamed during a run and again at its end). */
export function uniqueFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.line}\u0000${f.kind}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
