// One esbuild run per target: the extension host, the training worker, the CLI, the panel's page,
// and the tests and benchmarks (each test file its own bundle, so mocha loads plain CommonJS).
import * as esbuild from 'esbuild';
import { readdirSync, existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const watch = process.argv.includes('--watch');

function filesUnder(dir, pattern) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out = [];
  for (const entry of readdirSync(abs)) {
    const path = join(abs, entry);
    if (statSync(path).isDirectory()) out.push(...filesUnder(relative(root, path), pattern));
    else if (pattern.test(entry)) out.push(relative(root, path));
  }
  return out;
}

const common = {
  absWorkingDir: root,
  bundle: true,
  sourcemap: 'linked',
  target: 'es2022',
  logLevel: 'warning',
  legalComments: 'none',
};
const node = { ...common, platform: 'node', format: 'cjs', external: ['vscode'] };

const targets = [
  { ...node, entryPoints: { extension: 'src/extension.ts', worker: 'src/worker/trainWorker.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  { ...common, platform: 'browser', format: 'iife', entryPoints: { webview: 'src/webview/main.ts' }, outdir: 'dist' },
  {
    ...node,
    external: ['vscode', 'mocha', '@tensorflow/*', 'playwright-core'],
    entryPoints: [...filesUnder('test', /\.ts$/), ...filesUnder('bench', /\.ts$/)],
    outbase: '.',
    outdir: 'out',
  },
].filter((t) => {
  const entries = Array.isArray(t.entryPoints) ? t.entryPoints : Object.values(t.entryPoints);
  return entries.length > 0 && entries.every((e) => existsSync(join(root, e)));
});

if (watch) {
  for (const t of targets) await (await esbuild.context(t)).watch();
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
}
