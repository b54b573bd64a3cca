// CSV as it comes in the wild: a BOM, CRLF or LF or CR line ends, quoted fields with "" escapes and
// embedded newlines, a header row or none. Problems name the CSV's own 1-based line and column.

import type { Dataset } from '../types';
import { parseNumber } from '../lexer';
import { LIMITS } from '../vocabulary';

export interface CsvRow {
  /** 1-based line where the row starts. */
  readonly line: number;
  readonly fields: string[];
}

export interface CsvProblem {
  readonly message: string;
  /** 1-based line and column in the CSV file. */
  readonly line: number;
  readonly column: number;
}

/**
 * Called between pieces of a long decode; a caller on a thread that must stay responsive (the
 * extension host) returns a promise that lets other work run first, the others return nothing.
 */
export type Pause = () => Promise<void> | undefined;

/** Rows between two calls of a Pause. */
const ROWS_PER_PIECE = 2048;

const noPause: Pause = () => undefined;

/** Bytes decoded between two calls of a Pause (UTF-8 decoding runs at some tens of MB/s under load). */
const BYTES_PER_PIECE = 1 << 18;

/** The file's text, decoded a piece at a time: a long file decoded at once stalled the editor for 250 ms. */
export async function decodeUtf8(bytes: Uint8Array, pause: Pause = noPause): Promise<string> {
  const decoder = new TextDecoder('utf-8');
  let text = '';
  for (let i = 0; i < bytes.length; i += BYTES_PER_PIECE) {
    text += decoder.decode(bytes.subarray(i, i + BYTES_PER_PIECE), { stream: true });
    await pause();
  }
  return text + decoder.decode();
}

export async function parseCsvRows(text: string, pause: Pause = noPause): Promise<{ rows: CsvRow[]; problems: CsvProblem[] }> {
  const rows: CsvRow[] = [];
  const problems: CsvProblem[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let line = 1;
  let read = 0;
  while (i < n) {
    const rowLine = line;
    const fields: string[] = [];
    let field = '';
    let endOfRow = false;
    let quotedField = false;
    while (!endOfRow) {
      if (i >= n) {
        fields.push(field);
        break;
      }
      const c = text[i];
      if (c === '"' && field === '' && !quotedField) {
        quotedField = true;
        const openLine = line;
        i++;
        let closed = false;
        while (i < n) {
          const q = text[i];
          if (q === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (q === '\n' || (q === '\r' && text[i + 1] !== '\n')) line++;
          field += q;
          i++;
        }
        if (!closed) problems.push({ message: 'a quoted field has no closing quote', line: openLine, column: fields.length + 1 });
        continue;
      }
      if (c === ',') {
        fields.push(field);
        field = '';
        quotedField = false;
        i++;
        continue;
      }
      if (c === '\r' || c === '\n') {
        fields.push(field);
        i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        endOfRow = true;
        continue;
      }
      field += c;
      i++;
    }
    // A blank line is not a row.
    if (!(fields.length === 1 && fields[0].trim() === '')) rows.push({ line: rowLine, fields });
    if (++read % ROWS_PER_PIECE === 0) await pause();
  }
  return { rows, problems };
}

export interface CsvOptions {
  readonly target: string | number | null;
  readonly header: boolean;
  readonly normalize: boolean;
}

export type CsvResult =
  | { readonly ok: true; readonly dataset: Dataset; readonly featureStd: Float64Array; readonly warnings: CsvProblem[] }
  | { readonly ok: false; readonly problems: CsvProblem[] };

export async function datasetFromCsv(text: string, options: CsvOptions, pause: Pause = noPause): Promise<CsvResult> {
  const { rows, problems } = await parseCsvRows(text, pause);
  if (problems.length > 0) return { ok: false, problems };
  if (rows.length === 0) return { ok: false, problems: [{ message: 'the file is empty: it needs rows of numbers, one sample a row', line: 1, column: 1 }] };
  const warnings: CsvProblem[] = [];
  const width = rows[0].fields.length;
  let names: string[];
  let body: CsvRow[];
  if (options.header) {
    names = rows[0].fields.map((f) => f.trim());
    body = rows.slice(1);
    if (names.every((f) => parseNumber(f) !== null)) {
      warnings.push({ message: 'the header row looks like numbers; if the file has no header, write header=false', line: rows[0].line, column: 1 });
    }
  } else {
    names = rows[0].fields.map((_, k) => String(k));
    body = rows;
  }
  if (body.length === 0) return { ok: false, problems: [{ message: 'the file has a header but no data rows', line: rows[0].line, column: 1 }] };
  if (body.length > LIMITS.samples) {
    return {
      ok: false,
      problems: [
        { message: `the file has ${body.length} rows; the limit is ${LIMITS.samples.toLocaleString('en-US')} samples`, line: body[0].line, column: 1 },
      ],
    };
  }
  if (width < 2)
    return {
      ok: false,
      problems: [{ message: `a row needs at least 2 columns (features and a target); line ${rows[0].line} has ${width}`, line: rows[0].line, column: 1 }],
    };

  let targetIndex = width - 1;
  if (typeof options.target === 'number') {
    if (options.target >= width) {
      return {
        ok: false,
        problems: [{ message: `target=${options.target} but the rows have ${width} columns (0 to ${width - 1})`, line: rows[0].line, column: 1 }],
      };
    }
    targetIndex = options.target;
  } else if (typeof options.target === 'string') {
    const k = names.indexOf(options.target);
    if (k < 0) {
      const known = names.map((s) => `\`${s}\``).join(', ');
      return { ok: false, problems: [{ message: `there is no column named \`${options.target}\`; the columns are ${known}`, line: rows[0].line, column: 1 }] };
    }
    targetIndex = k;
  }

  // One pass reads and checks every cell, so a long file is parsed once, in pieces.
  const features = width - 1;
  const n = body.length;
  const x = new Float64Array(n * features);
  const y = new Float64Array(n);
  const rawTargets: string[] = new Array<string>(n);
  let numericTargets = true;
  const bad: CsvProblem[] = [];
  for (let r = 0; r < n; r++) {
    const row = body[r];
    if (r % ROWS_PER_PIECE === 0) await pause();
    if (row.fields.length !== width) {
      bad.push({
        message: `line ${row.line} has ${row.fields.length} fields, but line ${rows[0].line} has ${width}`,
        line: row.line,
        column: Math.min(row.fields.length, width) + 1,
      });
      continue;
    }
    let j = r * features;
    for (let k = 0; k < width; k++) {
      if (k === targetIndex) continue;
      const cell = row.fields[k].trim();
      const v = cell === '' ? null : parseNumber(cell);
      if (cell === '')
        bad.push({ message: `line ${row.line}, column ${k + 1} (${names[k]}) is empty; every feature needs a number`, line: row.line, column: k + 1 });
      else if (v === null) bad.push({ message: `line ${row.line}, column ${k + 1} (${names[k]}): \`${cell}\` is not a number`, line: row.line, column: k + 1 });
      else x[j] = v;
      j++;
    }
    const target = row.fields[targetIndex].trim();
    if (target === '') bad.push({ message: `line ${row.line}, column ${targetIndex + 1} (the target) is empty`, line: row.line, column: targetIndex + 1 });
    rawTargets[r] = target;
    if (numericTargets) {
      const v = parseNumber(target);
      if (v === null) numericTargets = false;
      else y[r] = v;
    }
    if (bad.length >= 20) break;
  }
  if (bad.length > 0) return { ok: false, problems: bad };

  let classNames: string[] = [];
  let classes = 0;
  if (numericTargets) {
    let integral = true;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const v = y[i];
      if (!(Number.isInteger(v) && v >= 0)) integral = false;
      max = Math.max(max, v);
    }
    // Small non-negative integers are class labels; anything else is a real target.
    if (integral && max < LIMITS.classes) classes = Math.max(2, max + 1);
  } else {
    classNames = [...new Set(rawTargets)].sort();
    const index = new Map(classNames.map((c, k) => [c, k]));
    rawTargets.forEach((t, i) => (y[i] = index.get(t) as number));
    classes = Math.max(2, classNames.length);
  }
  const featureNames = names.filter((_, k) => k !== targetIndex);
  const mean = new Float64Array(features);
  const std = new Float64Array(features);
  for (let i = 0; i < n; i++) for (let j = 0; j < features; j++) mean[j] += x[i * features + j] / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < features; j++) std[j] += (x[i * features + j] - mean[j]) ** 2 / n;
  for (let j = 0; j < features; j++) std[j] = Math.sqrt(std[j]);
  if (options.normalize) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < features; j++) x[i * features + j] = std[j] > 0 ? (x[i * features + j] - mean[j]) / std[j] : 0;
    }
  }
  return { ok: true, dataset: { n, features, classes, x, y, classNames, featureNames }, featureStd: std, warnings };
}
