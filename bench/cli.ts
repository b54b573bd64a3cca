// The 300-epoch run of examples/deep-sigmoid.nnspec: wall time of the built CLI
// (`node dist/cli.js train examples/deep-sigmoid.nnspec --json`, process start to exit, median of
// 5), and of `trainToReport` in this process for comparison (median of 5 after a warm-up run).
//   node out/bench/cli.js [SPEC]

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { check, trainToReport } from '../src/engine/index';
import { median, now } from './timing';

const root = resolve(__dirname, '..', '..');
const specPath = resolve(process.argv[2] ?? join(root, 'examples', 'deep-sigmoid.nnspec'));
const cli = join(root, 'dist', 'cli.js');
const text = readFileSync(specPath, 'utf8');
const lines: string[] = [`The ${specPath.slice(root.length + 1)} run (${/epochs=(\d+)/.exec(text)?.[1] ?? '?'} epochs), wall time, median of 5:`];

if (existsSync(cli)) {
  const times: number[] = [];
  let failure = '';
  for (let i = 0; i < 5; i++) {
    const t0 = now();
    const r = spawnSync(process.execPath, [cli, 'train', specPath, '--json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    times.push(now() - t0);
    if (r.status !== 0 && r.status !== 1) failure = `exit ${r.status}: ${r.stderr.trim().split('\n').pop()}`;
  }
  lines.push(`  CLI  node dist/cli.js train … --json: ${(median(times) / 1000).toFixed(2)} s${failure ? ` (${failure})` : ''}`);
} else {
  lines.push('  CLI: dist/cli.js not built');
}

const result = check(text, { fileName: specPath });
trainToReport(result);
const times: number[] = [];
for (let i = 0; i < 5; i++) {
  const t0 = now();
  trainToReport(result);
  times.push(now() - t0);
}
lines.push(`  in process, trainToReport:           ${(median(times) / 1000).toFixed(2)} s`);
console.log(lines.join('\n'));
