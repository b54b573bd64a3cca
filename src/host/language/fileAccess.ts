// File access for checking a spec in the editor: a `data csv "PATH"` line names a file relative to
// the spec's folder. The extension host runs in Node (also under code-server), so node:fs reads it.

import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ReadResult } from '../../engine/index';

/** A readFile for the engine's check(); without a folder on disk (an untitled file) every read fails. */
export function readFileRelativeTo(specPath: string | undefined): (path: string) => ReadResult {
  return (path) => {
    if (!specPath && !isAbsolute(path)) return { ok: false, error: 'the spec is not saved in a folder, so a relative path has nothing to start from' };
    try {
      const full = isAbsolute(path) ? path : resolve(dirname(specPath!), path);
      return { ok: true, text: readFileSync(full, 'utf8') };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message.replace(/^ENOENT: /, '') : String(e) };
    }
  };
}
