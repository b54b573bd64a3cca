// Diagnostics of .nnspec documents: the parse and static-analysis problems while typing (debounced),
// merged with the findings of the document's last run (FindingsStore), source `nnspec`, code = the
// problem's code or the finding's kind.

import * as vscode from 'vscode';
import { checkWithFiles } from '../../engine/index';
import { DataCache } from '../../node/dataCache';
import { dataFileReader } from '../../node/dataFiles';
import { timeSlices } from '../../node/timeSlices';
import { memoryBudgetMB } from '../settings';
import type { Severity } from '../../engine/types';
import { mergeDiagnostics, type DiagnosticData } from './diagnosticData';
import type { FindingsStore } from './findingsStore';
import { summarizeData, type DataSummary } from './dataSummary';

export const LANGUAGE_ID = 'nnspec';
export const DIAGNOSTIC_SOURCE = 'nnspec';
const DEBOUNCE_MS = 300;

export function isSpec(doc: vscode.TextDocument): boolean {
  return doc.languageId === LANGUAGE_ID;
}

function severity(s: Severity): vscode.DiagnosticSeverity {
  return s === 'error' ? vscode.DiagnosticSeverity.Error : s === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
}

export function toDiagnostic(d: DiagnosticData): vscode.Diagnostic {
  const diag = new vscode.Diagnostic(new vscode.Range(d.line, d.startColumn, d.line, d.endColumn), d.message, severity(d.severity));
  diag.source = DIAGNOSTIC_SOURCE;
  diag.code = d.code;
  return diag;
}

export class SpecDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The data of recent checks, so typing does not load a CSV again; decoding yields to the editor. */
  private readonly dataCache = new DataCache();
  /** Per document, the number of the latest check, so a slow check never overwrites a newer one. */
  private readonly generations = new Map<string, number>();
  /** Per document, the shape and class counts of the data its latest check loaded (for the data line's hover). */
  private readonly summaries = new Map<string, DataSummary>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly findings: FindingsStore) {
    this.subscriptions.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((doc) => isSpec(doc) && void this.refresh(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!isSpec(e.document) || e.contentChanges.length === 0) return;
        this.findings.textChanged(e.document.uri.toString(), e.document.getText());
        this.schedule(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        const key = doc.uri.toString();
        this.cancel(key);
        this.collection.delete(doc.uri);
        this.generations.delete(key);
        this.summaries.delete(key);
        this.findings.delete(key);
      }),
    );
    for (const doc of vscode.workspace.textDocuments) if (isSpec(doc)) void this.refresh(doc);
  }

  /** Checks the document now (its data files read asynchronously) and publishes its problems and findings. */
  async refresh(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    this.cancel(key);
    if (doc.isClosed) return;
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    const text = doc.getText();
    const specPath = doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
    let problems;
    let dataset = null;
    try {
      const checked = await checkWithFiles(text, {
        fileName: doc.fileName,
        load: this.dataCache.loader(specPath, { pause: timeSlices() }),
        readWeights: dataFileReader(specPath),
        memoryBudgetMB: memoryBudgetMB(),
      });
      problems = checked.problems;
      dataset = checked.dataset;
    } catch (e) {
      console.error('Gradient Flow: checking the spec failed', e);
      problems = [];
    }
    if (doc.isClosed || this.generations.get(key) !== generation) return;
    if (dataset) this.summaries.set(key, summarizeData(dataset));
    else this.summaries.delete(key);
    const data = mergeDiagnostics(text, problems, this.findings.get(key), this.findings.measured(key));
    this.collection.set(doc.uri, data.map(toDiagnostic));
  }

  /** The data the document's latest check loaded, summarized; undefined before a check, or when its data did not load. */
  dataSummary(uri: string): DataSummary | undefined {
    return this.summaries.get(uri);
  }

  private schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.cancel(key);
    this.timers.set(
      key,
      setTimeout(() => void this.refresh(doc), DEBOUNCE_MS),
    );
  }

  private cancel(key: string): void {
    const t = this.timers.get(key);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(key);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const s of this.subscriptions) s.dispose();
  }
}
