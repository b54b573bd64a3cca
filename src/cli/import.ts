// `nnspec import MODEL [-o OUT.nnspec] [--data "SOURCE options"]`: the engine reads the model and
// names the files; this writes them and checks the spec it wrote.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { planImport } from '../engine/import/index';

export interface ImportIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

/** Reads the model and writes its spec (and weights); returns the spec's path, or null after printing why not. */
export function importToFiles(model: string, options: { out?: string; data?: string }, io: ImportIo): string | null {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(model));
  } catch (e) {
    io.err(`${model}: cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
    return null;
  }
  const dir = dirname(resolve(model));
  const readSibling = (p: string): Uint8Array | null => {
    try {
      return new Uint8Array(readFileSync(resolve(dir, p)));
    } catch {
      return null;
    }
  };
  const plan = planImport(model, bytes, readSibling, options);
  if (!plan.ok) {
    io.err(`nnspec import: ${plan.error}\nNothing was written.\n`);
    return null;
  }
  for (const n of plan.model.notes) io.err(`${model}: ${n.severity}: ${n.message}\n`);
  for (const f of plan.files) {
    writeFileSync(f.path, f.text);
    io.out(`wrote ${f.path}\n`);
  }
  return plan.specPath;
}
