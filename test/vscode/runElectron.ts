// Runs the in-extension-host suite (test/vscode/suite/) in a downloaded VS Code through
// @vscode/test-electron: for machines with network access (contributors, users). Here (no network) the
// same suite runs in code-server instead: `node scripts/vscode/runSuite.mjs`.
//
//   node scripts/build.mjs && node out/test/vscode/runElectron.js
// env: GF_VSCODE_VERSION (default 1.100.3, matching engines.vscode and the code-server used in CI).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { stageTestExtension } from '../../scripts/vscode/index.mjs';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..', '..'); // out/test/vscode -> repo
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gf-electron-'));
  const workspace = path.join(work, 'workspace');
  fs.cpSync(path.join(root, 'examples'), workspace, { recursive: true });
  // The test build of the extension (production wiring plus the suite's hooks), not dist/extension.js alone.
  const extension = stageTestExtension(work, root);
  try {
    await runTests({
      version: process.env.GF_VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: extension,
      extensionTestsPath: path.join(root, 'out', 'test', 'vscode', 'suite', 'index.js'),
      launchArgs: [
        workspace,
        '--disable-extensions', // other installed extensions; the one under development still loads
        '--disable-workspace-trust',
        '--user-data-dir',
        path.join(work, 'user-data'),
        '--extensions-dir',
        path.join(work, 'extensions'),
      ],
    });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
