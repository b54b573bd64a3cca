// Types of index.mjs for the TypeScript tests that import it (test/browser/*.ts).
import type { BrowserContext, Page } from 'playwright-core';

export declare const CHROMIUM: string;
export declare const CHROMIUM_ARGS: string[];
export declare const QUIET_SETTINGS: Record<string, unknown>;
export declare const EXTENSION_PARTS: string[];
export declare function sleep(ms: number): Promise<void>;

export declare function repoRoot(start?: string): string;
export declare function readManifest(root?: string): Record<string, unknown>;
export declare function extensionId(root?: string): string;
export declare function freshWorkDir(name: string, root?: string): string;
export declare function copyExamples(work: string, root?: string, dirName?: string): string;

export declare class MissingRequirement extends Error {}
export declare function requireChromium(): void;
export declare function requireCodeServer(root?: string): string;

export declare function onCleanup(fn: () => unknown): () => void;
export declare function runCleanups(): Promise<void>;
export declare function isStopping(): boolean;
export declare function groupAlive(pgid: number): boolean;
export declare function stopGroup(pgid: number, graceMs?: number): Promise<void>;

export interface CodeServer {
  url: string;
  port: number;
  pid: number;
  work: string;
  userDataDir: string;
  extensionsDir: string;
  logFile: string;
  stop(): Promise<void>;
}
export interface StartOptions {
  work: string;
  root?: string;
  workspace?: string;
  extensionsDir?: string;
  port?: number;
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  echo?: boolean;
}
export declare function freePort(): Promise<number>;
export declare function writeUserSettings(userDataDir: string, extra?: Record<string, unknown>): void;
export declare function startCodeServer(o: StartOptions): Promise<CodeServer>;
export declare function remoteUri(server: CodeServer, absPath: string): string;
export declare function workbenchUrl(server: CodeServer, o?: { folder?: string; payload?: [string, string][] }): string;

export declare function installExtensionCopy(extensionsDir: string, root?: string): string;
export declare function stageTestExtension(work: string, root?: string): string;

export interface Chromium {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}
export declare function launchChromium(o?: { work?: string; headless?: boolean; viewport?: { width: number; height: number } }): Promise<Chromium>;
export declare function waitForWorkbench(page: Page, timeout?: number): Promise<void>;

/** Package the built extension as a .vsix with @vscode/vsce, offline; returns the file's path. */
export function packageVsix(out: string, root?: string): string;
export const VSCE_FLAGS: string[];
/** Install a .vsix with code-server's `--install-extension` into `extensionsDir`; returns its output. */
export function installVsix(vsix: string, extensionsDir: string, work: string, root?: string): string;
