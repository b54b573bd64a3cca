// Reading the files a `data` line names, from disk, for the CLI, the training worker and the
// extension host. A path comes from a file the user may not have written, so only a regular file
// of bounded size is read: a device (/dev/zero), a FIFO, a directory, a symlink loop or an
// unreadable file is an error that says what the path is, found by `stat` before anything is
// opened, and the open itself never blocks (O_NONBLOCK) in case the path changed in between.
// Reads are asynchronous, so the editor's thread never waits on a disk.

import { constants, existsSync, promises as fs, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { FileRead, ReadDataFile } from '../engine/index';
import { SHIPPED_PREFIX } from '../engine/data/sources';

/** The largest data file read, in bytes (docs/limits.md). A CSV of the sample limit with a few features fits well within it. */
export const MAX_DATA_FILE_BYTES = 256 * 1024 * 1024;

export interface ReaderOptions {
  /** Bytes above which a file is refused without being read. */
  readonly maxBytes?: number;
}

/** The absolute path a `data` line's path names, or why there is none. */
export function resolveDataPath(specPath: string | undefined, path: string): { ok: true; full: string } | { ok: false; error: string } {
  if (path.startsWith(SHIPPED_PREFIX)) return shippedPath(path.slice(SHIPPED_PREFIX.length));
  if (isAbsolute(path)) return { ok: true, full: path };
  if (!specPath) return { ok: false, error: 'the spec is not saved in a folder, so a relative path has nothing to start from' };
  return { ok: true, full: resolve(dirname(specPath), path) };
}

/** Reads data files relative to the spec at `specPath` (undefined for an unsaved spec: only absolute paths). */
export function dataFileReader(specPath: string | undefined, options: ReaderOptions = {}): ReadDataFile {
  const maxBytes = options.maxBytes ?? MAX_DATA_FILE_BYTES;
  return async (path) => {
    const where = resolveDataPath(specPath, path);
    return where.ok ? readRegularFile(where.full, maxBytes) : where;
  };
}

/**
 * A file shipped with the product, in examples/data: looked for from this bundle's folder upwards
 * (dist/ in the .vsix and the CLI, out/test/... under mocha), so nothing depends on where it runs.
 */
function shippedPath(name: string): { ok: true; full: string } | { ok: false; error: string } {
  if (!/^[\w.-]+$/.test(name)) return { ok: false, error: `there is no shipped data file "${name}"` };
  for (let dir = __dirname, up = 0; up < 6; up++, dir = dirname(dir)) {
    const full = join(dir, 'examples', 'data', name);
    if (existsSync(full)) return { ok: true, full };
  }
  return { ok: false, error: `the shipped data file ${name} is missing from this installation (examples/data)` };
}

export async function readRegularFile(full: string, maxBytes = MAX_DATA_FILE_BYTES): Promise<FileRead> {
  let before: Stats;
  try {
    before = await fs.stat(full);
  } catch (e) {
    return { ok: false, error: systemError(e, full) };
  }
  const refused = refusal(before, full, maxBytes);
  if (refused) return { ok: false, error: refused };
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(full, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const now = await handle.stat();
    if (now.ino !== before.ino || now.dev !== before.dev) return { ok: false, error: `${full} changed while it was being opened; try again` };
    const again = refusal(now, full, maxBytes);
    if (again) return { ok: false, error: again };
    const bytes = new Uint8Array(now.size);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { ok: true, bytes: filled === bytes.length ? bytes : bytes.subarray(0, filled) };
  } catch (e) {
    return { ok: false, error: systemError(e, full) };
  } finally {
    await handle?.close();
  }
}

/** Why a file is not read, from its stat; null for a regular file within the size limit. */
function refusal(s: Stats, full: string, maxBytes: number): string | null {
  if (!s.isFile()) return `${full} is ${kindOf(s)}, not a regular file`;
  if (s.size > maxBytes) return `${full} is ${megabytes(s.size)}; a data file may be at most ${megabytes(maxBytes)}`;
  return null;
}

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

function megabytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${bytes.toLocaleString('en-US')} bytes`;
  return `${(bytes / (1024 * 1024)).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;
}

/** A Node error as a sentence naming the path, without Node's code prefix. */
function systemError(e: unknown, full: string): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return `there is no file ${full}`;
    case 'ENOTDIR':
      return `a part of ${full} is not a folder`;
    case 'EACCES':
    case 'EPERM':
      return `${full} is not readable (permission denied)`;
    case 'ELOOP':
      return `${full} is a loop of symbolic links`;
    case 'ENAMETOOLONG':
      return `the path ${full} is too long`;
    case 'EISDIR':
      return `${full} is a directory, not a regular file`;
    default:
      return `${full} could not be read (${e instanceof Error ? e.message : String(e)})`;
  }
}
