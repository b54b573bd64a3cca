// Splits one line of a .nnspec file into tokens with their columns. Never throws: a malformed
// line yields the tokens it could read and a list of lexical problems.

export interface Token {
  /** 'word' is a bare value such as `dense`, `16`, `x6` or `normal(0, 1)`; 'option' is key=value. */
  readonly kind: 'word' | 'string' | 'option';
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** For options. */
  readonly key?: string;
  readonly value?: string;
  readonly keyEnd?: number;
  readonly valueStart?: number;
}

export interface LexProblem {
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

export interface LexedLine {
  readonly tokens: Token[];
  readonly problems: LexProblem[];
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v';

export function lexLine(line: string): LexedLine {
  const tokens: Token[] = [];
  const problems: LexProblem[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '#') break;
    const start = i;
    if (c === '"') {
      const close = line.indexOf('"', i + 1);
      if (close < 0) {
        problems.push({ message: 'This string has no closing quote: add a `"` at its end.', start, end: n });
        tokens.push({ kind: 'string', text: line.slice(i + 1), start, end: n });
        i = n;
      } else {
        tokens.push({ kind: 'string', text: line.slice(i + 1, close), start, end: close + 1 });
        i = close + 1;
      }
      continue;
    }
    // A word runs to the next space, except that spaces inside parentheses and quotes belong to it.
    let depth = 0;
    let eq = -1;
    let inQuote = false;
    while (i < n) {
      const ch = line[i];
      if (inQuote) {
        if (ch === '"') inQuote = false;
      } else if (ch === '"') inQuote = true;
      else if (ch === '(') depth++;
      else if (ch === ')') depth = Math.max(0, depth - 1);
      else if (depth === 0 && (isSpace(ch) || ch === '#')) break;
      else if (ch === '=' && eq < 0 && depth === 0) eq = i;
      i++;
    }
    const text = line.slice(start, i);
    if (depth > 0) problems.push({ message: `\`${text}\` has an unclosed parenthesis: add \`)\`.`, start, end: i });
    if (inQuote) problems.push({ message: `\`${text}\` has no closing quote: add a \`"\`.`, start, end: i });
    if (eq >= 0) {
      let value = line.slice(eq + 1, i);
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      tokens.push({ kind: 'option', text, start, end: i, key: line.slice(start, eq), value, keyEnd: eq, valueStart: eq + 1 });
    } else {
      tokens.push({ kind: 'word', text, start, end: i });
    }
  }
  return { tokens, problems };
}

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** Parses a number as the format writes them; null when the text is not one. */
export function parseNumber(text: string): number | null {
  const t = text.trim();
  if (!NUMBER.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/** `name(a, b)` -> { name, args }; a plain word -> args null. Null when the parentheses are malformed. */
export function parseCall(text: string): { name: string; args: string[] | null } | null {
  const open = text.indexOf('(');
  if (open < 0) return { name: text, args: null };
  if (!text.endsWith(')')) return null;
  const inner = text.slice(open + 1, -1).trim();
  return { name: text.slice(0, open).trim(), args: inner === '' ? [] : inner.split(',').map((s) => s.trim()) };
}
