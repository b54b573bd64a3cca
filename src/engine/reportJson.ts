// The report as JSON, written piece by piece so a long run is never held as one string or as
// records: the CLI's `--json` and the panel's export both stream it from here.

import type { Report } from './types';

/** JSON with non-finite numbers as null, as the report format requires. */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), indent);
}

/** Pieces of the document are about this long (characters). */
export const CHUNK_CHARS = 1 << 20;

/**
 * The report `head` (its own `epochs` are not read) with `count` epochs, epoch i written by
 * `epochJson(i)` on a line of its own; otherwise pretty-printed as toJson(report, 2) would be.
 * Pieces are yielded when they reach `chunkChars`.
 */
export function* reportJsonChunks(head: Omit<Report, 'epochs'>, count: number, epochJson: (i: number) => string, chunkChars = CHUNK_CHARS): Generator<string> {
  // Pretty-printed as toJson(…, 2) would, one level in, except each epoch on a line of its own.
  const field = (value: unknown) => toJson(value, 2).replace(/\n/g, '\n  ');
  let chunk = `{\n  "version": ${head.version},\n  "network": ${field(head.network)},\n  "initial": ${field(head.initial)},\n  "epochs": [`;
  for (let i = 0; i < count; i++) {
    chunk += `${i === 0 ? '' : ','}\n    ${epochJson(i)}`;
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}${count > 0 ? '\n  ' : ''}],\n  "findings": ${field(head.findings)},\n  "problems": ${field(head.problems)},\n  "stopped": ${field(head.stopped)}\n}\n`;
}
