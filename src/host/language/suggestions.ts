// What to suggest at a cursor in a .nnspec line, from the engine's vocabulary tables (never a copy
// of them): keywords at the start of a line, activations after `dense N `, inits after `init=`,
// the options of the current statement, data sources after `data `, values of enum and boolean
// options. completion.ts turns these into vscode.CompletionItem. Pure: no vscode.

import { lexLine, type Token } from '../../engine/lexer';
import type { OptionDef } from '../../engine/vocabulary';
import {
  ACTIVATIONS,
  DATA_SOURCES,
  DENSE_OPTIONS,
  DIAGNOSE_OPTIONS,
  INITS,
  LOSSES,
  OPTIMIZERS,
  OPTIMIZER_OPTIONS,
  STATEMENTS,
  TRAIN_OPTIONS,
} from '../../engine/vocabulary';
import type { DataSourceName, OptimizerName, StatementKeyword } from '../../engine/types';

export type SuggestionKind = 'keyword' | 'activation' | 'init' | 'option' | 'dataSource' | 'loss' | 'optimizer' | 'value';

export interface Suggestion {
  readonly label: string;
  readonly kind: SuggestionKind;
  /** One line shown next to the label. */
  readonly detail: string;
  /** Markdown. */
  readonly documentation: string;
  readonly insertText: string;
  /** Open the suggestions again after inserting (after `init=`, `dense`, …). */
  readonly retrigger?: boolean;
}

const has = <T extends string>(table: Readonly<Record<T, unknown>>, key: string): key is T => Object.prototype.hasOwnProperty.call(table, key);

export function activationDoc(name: keyof typeof ACTIVATIONS): string {
  const a = ACTIVATIONS[name];
  const param = a.parameter ? `\n\nParameter: \`${name}(${a.parameter.default})\` sets ${a.parameter.name} (default ${a.parameter.default}).` : '';
  return `\`${a.formula}\`\n\n\`${a.derivative}\`\n\n${a.note}${param}`;
}

function optionSuggestion(o: OptionDef): Suggestion {
  const retrigger = o.type.kind === 'enum' || o.type.kind === 'boolean';
  return { label: `${o.name}=`, kind: 'option', detail: `default ${o.default}`, documentation: o.doc, insertText: `${o.name}=`, retrigger };
}

/** The options a statement takes, given the line's tokens (for `data` and `optimizer` they depend on the second word). */
export function optionsOf(keyword: string, tokens: readonly Token[]): readonly OptionDef[] {
  const second = tokens[1]?.kind === 'word' ? tokens[1].text : '';
  switch (keyword) {
    case 'dense':
      return DENSE_OPTIONS;
    case 'train':
      return TRAIN_OPTIONS;
    case 'diagnose':
      return DIAGNOSE_OPTIONS;
    case 'data':
      return has(DATA_SOURCES, second) ? DATA_SOURCES[second as DataSourceName].options : [];
    case 'optimizer': {
      const kind = (has(OPTIMIZERS, second) ? second : 'sgd') as OptimizerName;
      return OPTIMIZER_OPTIONS.filter((o) => o.for.includes(kind));
    }
    default:
      return [];
  }
}

function valuesOf(o: OptionDef): Suggestion[] {
  if (o.name === 'init') {
    return Object.entries(INITS).map(([name, d]) => ({
      label: name,
      kind: 'init' as const,
      detail: d.canonical === name ? 'init' : `alias of ${d.canonical}`,
      documentation: d.doc,
      insertText: d.args ? `${name}(${d.args.join(', ')})` : name,
    }));
  }
  if (o.type.kind === 'boolean')
    return ['true', 'false'].map((v) => ({
      label: v,
      kind: 'value' as const,
      detail: `${o.name} (default ${o.default})`,
      documentation: o.doc,
      insertText: v,
    }));
  if (o.type.kind === 'enum')
    return o.type.values.map((v) => ({ label: v, kind: 'value' as const, detail: `${o.name} (default ${o.default})`, documentation: o.doc, insertText: v }));
  return [];
}

/**
 * Suggestions for a cursor after `prefix` (the line's text up to the cursor). The editor filters
 * them by the word being typed, so this decides only which list applies.
 */
export function suggestionsAt(prefix: string): Suggestion[] {
  if (prefix.includes('#')) {
    // Inside a comment (a `#` outside a string starts one).
    const { tokens } = lexLine(prefix);
    const lastEnd = tokens.length ? tokens[tokens.length - 1].end : 0;
    if (prefix.indexOf('#', lastEnd) >= 0) return [];
  }
  const { tokens } = lexLine(prefix);
  const typingNew = prefix.length === 0 || /\s$/.test(prefix);
  // Index of the token the cursor is in (or about to start).
  const index = typingNew ? tokens.length : tokens.length - 1;
  const current: Token | undefined = typingNew ? undefined : tokens[tokens.length - 1];

  if (index <= 0) {
    return (Object.keys(STATEMENTS) as StatementKeyword[]).map((k) => ({
      label: k,
      kind: 'keyword' as const,
      detail: STATEMENTS[k].syntax,
      documentation: STATEMENTS[k].doc,
      insertText: `${k} `,
      retrigger: k === 'data' || k === 'loss' || k === 'optimizer' || k === 'train' || k === 'diagnose',
    }));
  }
  const keyword = tokens[0].text;
  const options = optionsOf(keyword, tokens);

  // A value after `key=`.
  if (current && current.kind === 'option') {
    const def = options.find((o) => o.name === current.key);
    return def ? valuesOf(def) : [];
  }
  const written = new Set(tokens.filter((t) => t.kind === 'option' && t !== current).map((t) => t.key));
  const remaining = options.filter((o) => !written.has(o.name)).map(optionSuggestion);

  switch (keyword) {
    case 'dense':
      if (index === 1) return [];
      if (index === 2)
        return (Object.keys(ACTIVATIONS) as (keyof typeof ACTIVATIONS)[]).map((name) => ({
          label: name,
          kind: 'activation' as const,
          detail: ACTIVATIONS[name].formula,
          documentation: activationDoc(name),
          insertText: name,
        }));
      return remaining;
    case 'data':
      if (index === 1)
        return (Object.keys(DATA_SOURCES) as DataSourceName[]).map((name) => ({
          label: name,
          kind: 'dataSource' as const,
          detail: 'data source',
          documentation: DATA_SOURCES[name].doc,
          insertText: name,
        }));
      return remaining;
    case 'loss':
      return index === 1
        ? (Object.keys(LOSSES) as (keyof typeof LOSSES)[]).map((name) => ({
            label: name,
            kind: 'loss' as const,
            detail: 'loss',
            documentation: LOSSES[name],
            insertText: name,
          }))
        : [];
    case 'optimizer':
      if (index === 1)
        return (Object.keys(OPTIMIZERS) as OptimizerName[]).map((name) => ({
          label: name,
          kind: 'optimizer' as const,
          detail: 'optimizer',
          documentation: OPTIMIZERS[name],
          insertText: name,
        }));
      return remaining;
    case 'train':
    case 'diagnose':
      return remaining;
    default:
      return [];
  }
}
