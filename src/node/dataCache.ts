// The loaded data of recent `data` lines, so that checking a spec again while the user types does
// not read and decode its CSV again. An entry is keyed by the data line's meaning (its DataSpec and
// the folder its paths start from) and is valid while each of its files keeps its path, size and
// modification time; a changed file is loaded again. Loads in flight are shared.

import { promises as fs } from 'node:fs';
import { loadData, type DataLoad, type LoadData, type Pause } from '../engine/index';
import { dataFiles } from '../engine/data/sources';
import type { DataSpec } from '../engine/types';
import { dataFileReader, resolveDataPath, type ReaderOptions } from './dataFiles';

interface Entry {
  /** Path, size and modification time of each file, as they were when the load began. */
  readonly stamp: string;
  readonly load: Promise<DataLoad>;
}

export class DataCache {
  private readonly entries = new Map<string, Entry>();

  /** @param capacity data sets kept (the least recently used goes first). */
  constructor(private readonly capacity = 4) {}

  /** A loader for specs at `specPath` (undefined for an unsaved spec). */
  loader(specPath: string | undefined, options: ReaderOptions & { readonly pause?: Pause } = {}): LoadData {
    return (spec) => this.load(spec, specPath, options);
  }

  async load(spec: DataSpec, specPath: string | undefined, options: ReaderOptions & { readonly pause?: Pause } = {}): Promise<DataLoad> {
    const read = dataFileReader(specPath, options);
    const paths = dataFiles(spec);
    if (paths.length === 0) return loadData(spec, read, options.pause);
    const stamp = await stampOf(specPath, paths);
    // A file that cannot even be stat'ed gives its error through the reader, and is not kept.
    if (stamp === null) return loadData(spec, read, options.pause);
    const key = JSON.stringify([specPath ?? null, options.maxBytes ?? null, spec]);
    const hit = this.entries.get(key);
    if (hit && hit.stamp === stamp) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.load;
    }
    const load = loadData(spec, read, options.pause);
    this.entries.delete(key);
    this.entries.set(key, { stamp, load });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return load;
  }

  clear(): void {
    this.entries.clear();
  }
}

async function stampOf(specPath: string | undefined, paths: readonly string[]): Promise<string | null> {
  const parts: string[] = [];
  for (const path of paths) {
    const where = resolveDataPath(specPath, path);
    if (!where.ok) return null;
    try {
      const s = await fs.stat(where.full);
      parts.push(`${where.full}\0${s.size}\0${s.mtimeMs}\0${s.ino}`);
    } catch {
      return null;
    }
  }
  return parts.join('\n');
}
