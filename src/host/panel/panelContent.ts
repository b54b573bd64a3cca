// What the panel shows: one run (Train & Inspect), the runs of a comparison, or the learning-rate
// finder's plot. The panel keeps one content at a time; each kind says how to draw itself from
// scratch, how to report a run's progress, and answers the page's requests that belong to it.
// Pure: no vscode.

import type { HostToPanel, PanelView } from '../../protocol';
import type { RunData } from './runData';

export interface PanelContent {
  readonly kind: PanelView['kind'];
  /** The panel's tab title. */
  title(): string;
  /** The file the content is about (the page may only reveal lines of this file). */
  readonly fileName: string;
  /** The runs it draws; progress of any other run is ignored. */
  readonly runs: readonly RunData[];
  /** Everything the page needs to draw it from scratch. */
  view(): PanelView;
  /** A progress message for one of its runs, when it adds to the plain one (progressMessage). */
  progress?(run: RunData, added: number): HostToPanel;
  /** The run the exports save (the run view only). */
  readonly exportRun?: RunData;
  /** "Apply" of a Compare variant, validated by the panel; resolves to whether the file changed. */
  applyVariant?(variantId: string): Promise<boolean>;
  /** "Use lr = X" of the learning-rate finder, validated by the panel. */
  applyLr?(lr: number): Promise<boolean>;
  /** "Re-run" of an out-of-date run: trains the file's current text. */
  rerun?(): void;
  /** The panel was closed: stop what it shows. */
  closed(): void;
}

/** One run of Train & Inspect. */
export function runContent(run: RunData, onClosed: () => void, rerun?: () => void): PanelContent {
  return {
    kind: 'run',
    title: () => `Gradient Flow: ${run.name || baseName(run.fileName)}`,
    fileName: run.fileName,
    runs: [run],
    view: () => ({ kind: 'run', run: run.snapshot() }),
    exportRun: run,
    ...(rerun ? { rerun } : {}),
    closed: onClosed,
  };
}

export function baseName(fileName: string): string {
  return fileName.split(/[\\/]/).pop() ?? fileName;
}
