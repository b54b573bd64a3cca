// Completion in .nnspec files: the suggestions of suggestions.ts as vscode.CompletionItems.

import * as vscode from 'vscode';
import { suggestionsAt, type SuggestionKind } from './suggestions';

const KINDS: Readonly<Record<SuggestionKind, vscode.CompletionItemKind>> = {
  keyword: vscode.CompletionItemKind.Keyword,
  activation: vscode.CompletionItemKind.Function,
  init: vscode.CompletionItemKind.Constructor,
  option: vscode.CompletionItemKind.Property,
  dataSource: vscode.CompletionItemKind.Module,
  loss: vscode.CompletionItemKind.EnumMember,
  optimizer: vscode.CompletionItemKind.Class,
  value: vscode.CompletionItemKind.Value,
};

/** Characters after which the list opens by itself: a space (next word) and `=` (a value). */
export const TRIGGER_CHARACTERS = [' ', '='];

export class SpecCompletionProvider implements vscode.CompletionItemProvider {
  provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    const prefix = doc.lineAt(position.line).text.slice(0, position.character);
    // The word being typed, which the inserted text replaces (an option's value after its `=`).
    const m = /[A-Za-z_][A-Za-z0-9_]*$/.exec(prefix);
    const range = new vscode.Range(position.line, position.character - (m ? m[0].length : 0), position.line, position.character);
    return suggestionsAt(prefix).map((s, i) => {
      const item = new vscode.CompletionItem(s.label, KINDS[s.kind]);
      item.detail = s.detail;
      item.documentation = new vscode.MarkdownString(s.documentation);
      item.insertText = s.insertText;
      item.range = range;
      item.sortText = String(i).padStart(3, '0');
      if (s.retrigger) item.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
      return item;
    });
  }
}
