// Compare Activations…: pick variants of the file (activations and inits, optimizers, learning
// rates), train them in parallel TrainingSessions (at most `nnspec.maxWorkers` at once, the rest
// queued), and show them in the panel's 'compare' view: heatmaps side by side on one colour scale,
// losses overlaid, a verdict under each, progress keyed by each variant's run id. "Apply" writes a
// variant into the file if the file still says what the variants were made from. Stop Training,
// the notification's Cancel, closing the file or the panel stop every variant, queued ones too.

import { basename } from 'node:path';
import * as vscode from 'vscode';
import { checkParsedWithFiles, parseSpec, type ParseResult } from '../../engine/index';
import type { Finding } from '../../engine/types';
import type { Variant } from '../../engine/variants';
import type { HostToPanel, PanelView, RunState, WorkerToHost } from '../../protocol';
import { lineChanges, variantChoices, variantVerdict } from './compareModel';
import { dataFileReader } from '../../node/dataFiles';
import type { InspectorPanel } from '../panel/panel';
import type { InspectorPanels } from '../panel/panels';
import type { PanelContent } from '../panel/panelContent';
import { progressMessage, RunData } from '../panel/runData';
import type { Job, JobService } from './jobService';
import { settle } from './outcome';
import { maxWorkers, memoryBudgetMB, thresholdOverrides } from '../settings';
import { WorkerPool } from './workerPool';
import { notice } from '../notice';

export const COMPARE_COMMAND = 'nnspec.compare';

export interface VariantOutcome {
  readonly id: string;
  readonly label: string;
  readonly runId: string;
  readonly state: RunState;
  readonly verdict: string;
  readonly epochs: number;
  readonly findings: readonly Finding[];
}

export interface CompareOutcome {
  readonly variants: readonly VariantOutcome[];
  /** The worker limit used, and the most workers that trained at once. */
  readonly maxWorkers: number;
  readonly peakWorkers: number;
}

interface Entry {
  readonly variant: Variant;
  readonly data: RunData;
  job?: Job;
  started: boolean;
}

let compareCounter = 0;

/** One comparison: its variants' runs, shown in the panel, stoppable as a whole. */
export class Comparison implements PanelContent {
  readonly kind = 'compare';
  readonly fileName: string;
  readonly uri: vscode.Uri;
  private readonly entries: Entry[];

  constructor(
    private readonly jobs: JobService,
    private readonly panels: InspectorPanels,
    private readonly doc: vscode.TextDocument,
    /** The text the variants were made from; Apply checks the file still says it. */
    readonly sourceText: string,
    /** The text's parse, which the variant "as written" trains (each other variant's text is parsed once, here). */
    private readonly sourceParse: ParseResult,
    variants: readonly Variant[],
    readonly limit: number,
  ) {
    this.uri = doc.uri;
    this.fileName = doc.fileName;
    const n = ++compareCounter;
    this.entries = variants.map((variant, i) => ({
      variant,
      data: new RunData(`compare-${Date.now()}-${n}-${i}`, doc.fileName, variant.label, variant.text),
      started: false,
    }));
  }

  // PanelContent ------------------------------------------------------------------------------

  get runs(): readonly RunData[] {
    return this.entries.map((e) => e.data);
  }

  title(): string {
    return `Gradient Flow: Compare ${basename(this.fileName)}`;
  }

  view(): PanelView {
    return {
      kind: 'compare',
      fileName: this.fileName,
      variants: this.entries.map((e) => ({ variantId: e.variant.id, verdict: variantVerdict(e.data, e.started), run: e.data.snapshot() })),
    };
  }

  progress(run: RunData, added: number): HostToPanel {
    const e = this.entries.find((x) => x.data === run);
    return { ...progressMessage(run, added), ...(e ? { verdict: variantVerdict(run, e.started) } : {}) };
  }

  closed(): void {
    this.stop();
  }

  async applyVariant(variantId: string): Promise<boolean> {
    const entry = this.entries.find((e) => e.variant.id === variantId);
    if (!entry) {
      void vscode.window.showErrorMessage(`Gradient Flow: this comparison has no variant "${variantId}".`);
      return false;
    }
    const doc = await vscode.workspace.openTextDocument(this.uri);
    const current = doc.getText();
    if (current === entry.variant.text) return false; // already applied
    // The file must still say what the variants were made from (or one of them, applied from here).
    const base = current === this.sourceText || this.entries.some((e) => e.variant.text === current);
    if (!base) {
      const again = 'Compare Again';
      void vscode.window
        .showWarningMessage(
          notice(`Gradient Flow: ${basename(this.fileName)} changed since the comparison, so "${entry.variant.label}" was not applied.`),
          again,
        )
        .then((pick) => pick === again && vscode.commands.executeCommand(COMPARE_COMMAND, this.uri));
      return false;
    }
    const edit = new vscode.WorkspaceEdit();
    const lines = lineChanges(current, entry.variant.text);
    if (lines) for (const c of lines) edit.replace(doc.uri, doc.lineAt(c.line).range, c.text);
    else edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(current.length)), entry.variant.text);
    const ok = await vscode.workspace.applyEdit(edit);
    if (ok) {
      const visible = vscode.window.visibleTextEditors.find((e) => e.document === doc);
      await vscode.window.showTextDocument(doc, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
    }
    return ok;
  }

  // Running -----------------------------------------------------------------------------------

  stop(): void {
    for (const e of this.entries) e.job?.stop();
  }

  /** Trains every variant, at most `limit` at once (the rest queued); resolves when all have ended, however they end. */
  async start(): Promise<CompareOutcome> {
    this.panels.show(this, this.doc);
    const pool = new WorkerPool(this.limit);
    const thresholds = thresholdOverrides();
    // The workers run at once share the budget one run has.
    const memoryBudget = Math.max(1, Math.floor(memoryBudgetMB() / Math.min(this.limit, this.entries.length)));
    const jobs = this.entries.map((e) => {
      const job = this.jobs.start({
        uri: this.uri,
        pool,
        session: { parsed: this.parse(e.variant), fileName: this.fileName, ...(thresholds ? { thresholds } : {}), memoryBudgetMB: memoryBudget },
        onMessage: (msg) => this.receive(e, msg),
        onStart: () => {
          e.started = true;
          this.panels.showing(this)?.runEnded(e.data); // its verdict says "training" now, not "queued"
        },
      });
      e.job = job;
      return job;
    });
    const total = jobs.length;
    let ended = 0;
    const report = this.jobs.progress(`Comparing ${total} variants of ${basename(this.fileName)}`, () => jobs);
    await Promise.all(
      this.entries.map(async (e, i) => {
        settle(e.data, await jobs[i].ended);
        this.panels.showing(this)?.runEnded(e.data);
        report({ increment: 100 / total, message: `${++ended} of ${total} done` });
      }),
    );
    return {
      variants: this.entries.map((e) => ({
        id: e.variant.id,
        label: e.variant.label,
        runId: e.data.id,
        state: e.data.state,
        verdict: variantVerdict(e.data, e.started),
        epochs: e.data.epochCount,
        findings: e.data.findings,
      })),
      maxWorkers: this.limit,
      peakWorkers: pool.peak,
    };
  }

  private parse(variant: Variant): ParseResult {
    return variant.text === this.sourceText ? this.sourceParse : parseSpec(variant.text, { fileName: this.fileName });
  }

  private receive(e: Entry, msg: WorkerToHost): void {
    const added = e.data.apply(msg);
    const panel: InspectorPanel | undefined = this.panels.showing(this);
    // The page keeps epochs only for a run whose layers it knows: redraw once they are.
    if (msg.type === 'started') panel?.show(this);
    else if (msg.type === 'epochs') panel?.progress(e.data, added.length);
  }
}

/** Starts comparisons; a new one stops the last. */
export class Comparer {
  private current: Comparison | undefined;

  constructor(
    private readonly jobs: JobService,
    private readonly panels: InspectorPanels,
  ) {}

  get last(): Comparison | undefined {
    return this.current;
  }

  /**
   * Compares variants of the document: those with the given ids, or those the user picks (the
   * file as written and the activation variants preselected). Undefined when nothing was compared.
   */
  async compare(doc: vscode.TextDocument, variantIds?: readonly string[]): Promise<CompareOutcome | undefined> {
    const text = doc.getText();
    const specPath = doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
    const parsed = parseSpec(text, { fileName: doc.fileName });
    const checked = await checkParsedWithFiles(parsed, { read: dataFileReader(specPath), memoryBudgetMB: memoryBudgetMB() });
    if (!checked.trainable) {
      const first = checked.problems.find((p) => p.severity === 'error');
      this.jobs.showError(
        `Gradient Flow: ${basename(doc.fileName)} has errors, so it cannot be compared.${first ? ` Line ${first.line}: ${first.message}` : ''}`,
      );
      return undefined;
    }
    const choices = variantChoices(text, checked.spec);
    let variants: Variant[];
    if (variantIds) {
      const unknown = variantIds.filter((id) => !choices.some((c) => c.variant.id === id));
      if (unknown.length > 0) {
        this.jobs.showError(`Gradient Flow: no variant ${unknown.map((u) => `"${u}"`).join(', ')} of ${basename(doc.fileName)}.`);
        return undefined;
      }
      variants = variantIds.map((id) => choices.find((c) => c.variant.id === id)!.variant);
    } else {
      const picked = await pickVariants(choices);
      if (!picked || picked.length === 0) return undefined;
      variants = picked;
    }
    if (doc.getText() !== text) {
      void vscode.window.showWarningMessage(notice(`Gradient Flow: ${basename(doc.fileName)} changed while choosing; run Compare again.`));
      return undefined;
    }
    this.current?.stop();
    const comparison = new Comparison(this.jobs, this.panels, doc, text, parsed, variants, maxWorkers());
    this.current = comparison;
    if (vscode.window.activeTextEditor?.document === doc) void vscode.commands.executeCommand('workbench.action.keepEditor');
    return comparison.start();
  }
}

type VariantItem = vscode.QuickPickItem & { readonly variant?: Variant };

async function pickVariants(choices: ReturnType<typeof variantChoices>): Promise<Variant[] | undefined> {
  const items: VariantItem[] = [];
  let group: string | undefined;
  for (const c of choices) {
    if (c.group !== group) {
      items.push({ label: c.group, kind: vscode.QuickPickItemKind.Separator });
      group = c.group;
    }
    const changed =
      c.variant.changes.length === 0 && c.variant.id !== 'as-written'
        ? 'another optimizer line'
        : c.variant.id === 'as-written'
          ? 'the file unchanged'
          : undefined;
    items.push({ label: c.variant.label, ...(changed ? { description: changed } : {}), picked: c.picked, variant: c.variant });
  }
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: 'Compare Activations…',
    placeHolder: 'Variants to train side by side (Enter to compare the selected ones)',
    ignoreFocusOut: true,
  });
  return picked?.flatMap((i) => (i.variant ? [i.variant] : []));
}
