// Hovers in .nnspec files: documentation of keywords, activations, inits and options, and on a line
// flagged by a run the evidence of its findings with their fixes as command links. The Markdown is
// trusted for exactly one command, the one that applies a fix.

import * as vscode from 'vscode';
import type { FindingsStore } from './findingsStore';
import { commandUri, findingHover, keywordHover, type FixCommandArgs } from './hoverText';
import { dataSummaryHover, type DataSummary } from './dataSummary';

export const APPLY_FIX_COMMAND = 'nnspec.applyFix';

export class SpecHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly findings: FindingsStore,
    private readonly data: { dataSummary(uri: string): DataSummary | undefined },
  ) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const line = doc.lineAt(position.line);
    const parts: vscode.MarkdownString[] = [];
    const uri = doc.uri.toString();
    for (const f of this.findings.get(uri)) {
      if (f.line !== position.line + 1) continue;
      const links = f.fixes.map((fix) => ({ title: fix.title, uri: commandUri(APPLY_FIX_COMMAND, [{ uri, change: fix.change } satisfies FixCommandArgs]) }));
      const md = new vscode.MarkdownString(findingHover(f, links));
      md.isTrusted = { enabledCommands: [APPLY_FIX_COMMAND] };
      parts.push(md);
    }
    const docs = keywordHover(line.text, position.character);
    if (docs) parts.push(new vscode.MarkdownString(docs));
    const summary = /^\s*data\b/.test(line.text) ? this.data.dataSummary(uri) : undefined;
    if (summary) parts.push(new vscode.MarkdownString(dataSummaryHover(summary)));
    if (parts.length === 0) return undefined;
    const range = doc.getWordRangeAtPosition(position) ?? line.range;
    return new vscode.Hover(parts, range);
  }
}
