// npm run package: build, then gradient-flow.vsix with @vscode/vsce, offline.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { packageVsix, repoRoot } from './vscode/index.mjs';

const root = repoRoot();
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
const out = packageVsix(join(root, 'gradient-flow.vsix'), root);
console.log(`${out}: ${(statSync(out).size / 1024).toFixed(0)} KB`);
