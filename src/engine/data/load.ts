// Loading a `data` line's samples. The engine never touches a disk: the caller hands in a reader
// (the CLI, the worker and the host read from disk through src/node, the tests from memory), so the
// same code runs in a worker, in the CLI and under mocha.

import type { DataSpec } from '../types';
import { dataFiles, decodeData, type DataLoad } from './sources';
import type { Pause } from './csv';

export type FileRead = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly error: string };

/** Reads a file named on a `data` line; the path is as written, relative to the spec's folder. */
export type ReadDataFile = (path: string) => Promise<FileRead>;

const failed = (error: string): DataLoad => ({ ok: false, errors: [error] });

/** Loads the samples of one `data` line; check() takes it for a spec whose data are read elsewhere. */
export type LoadData = (spec: DataSpec) => Promise<DataLoad>;

/**
 * The samples of a valid `data` line, reading its files (if any) with `read`; a long decode calls
 * `pause` between its pieces.
 */
export async function loadData(spec: DataSpec, read: ReadDataFile | undefined, pause?: Pause): Promise<DataLoad> {
  const bytes: Uint8Array[] = [];
  for (const path of dataFiles(spec)) {
    if (!read) return failed(`Cannot read "${path}" here: no file access.`);
    const r = await read(path);
    if (!r.ok) return failed(`Cannot read "${path}": ${r.error}.`);
    bytes.push(r.bytes);
  }
  return decodeData(spec, bytes, pause);
}

/**
 * The samples of a source that reads no file (the generated sets), made now; for a source that
 * needs files, the error that there is no file access.
 */
export function loadDataNow(spec: DataSpec): DataLoad {
  const [path] = dataFiles(spec);
  if (path !== undefined) return failed(`Cannot read "${path}" here: no file access.`);
  const load = decodeData(spec, []);
  return load instanceof Promise ? failed(`The ${spec.source} samples cannot be made here: they need an asynchronous load.`) : load;
}
