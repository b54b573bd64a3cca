// The test build's API: the production API (src/host/api.ts) plus the hooks the in-extension-host
// suite needs — error messages shown, the panel page's traffic (how often it said `ready`, messages
// dropped as malformed, the most records it held of one run, following its reducer), a save
// dialog that answers itself, a page message posted as if from the page, and a worker that crashes.
// Only test/vscode/testExtension.ts (the test build's entry) imports this; dist/extension.js never does.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ApiParts, GradientFlowApi, PanelInfo, RunOptions, RunOutcome } from '../../src/host/api';
import { createApi } from '../../src/host/api';
import type { InspectorPanel, PanelObserver } from '../../src/host/panel/panel';
import type { Seams } from '../../src/extension';
import type { HostToPanel } from '../../src/protocol';

/** Most error messages kept (the oldest go first). */
const ERRORS_KEPT = 100;

export interface TestingRunOptions extends RunOptions {
  /** The run's worker crashes once it has posted this epoch (test/workers/crashWorker.ts). */
  readonly crashAtEpoch?: number;
}

export interface TestingPanelInfo extends PanelInfo {
  /** How often its page said `ready`, and messages from it dropped as malformed. */
  readonly readyCount: number;
  readonly ignoredMessages: number;
  /** The most records the page held of one run at any time (a 'show' and the progress after it). */
  readonly maxPageRecords: number;
}

export interface TestingApi extends Omit<GradientFlowApi, 'train' | 'panel'> {
  train(uri: vscode.Uri, options?: TestingRunOptions): Promise<RunOutcome>;
  panel(): TestingPanelInfo | undefined;
  /** Error messages shown since activation, oldest first (the last ERRORS_KEPT). */
  readonly errors: readonly string[];
  readonly testing: {
    /** Hands a message to the panel's host as if its page had posted it (validated the same way). */
    postFromPanel(message: unknown): Promise<void>;
    /** Replaces the save dialog of exports; undefined restores it. */
    setSaveDialog(pick: ((options: vscode.SaveDialogOptions) => Thenable<vscode.Uri | undefined>) | undefined): void;
  };
}

interface PageRun {
  stride: number;
  records: number;
  lastEpoch: number;
}

/** What one panel's page was sent and said. */
class PageTraffic {
  readyCount = 0;
  ignoredMessages = 0;
  maxPageRecords = 0;
  private readonly runs = new Map<string, PageRun>();

  /** Follows the page's reducer (src/webview/state.ts): records of a 'show', then those of progress of the same stride beyond its last epoch. */
  posted(message: HostToPanel): void {
    if (message.type === 'show') {
      this.runs.clear();
      const v = message.view;
      const runs = v.kind === 'run' ? [v.run] : v.kind === 'compare' ? v.variants.map((x) => x.run) : [];
      for (const r of runs)
        this.runs.set(r.id, { stride: r.stride ?? 1, records: r.records.epoch.length, lastEpoch: r.records.epoch[r.records.epoch.length - 1] ?? -Infinity });
    } else if (message.type === 'progress') {
      const r = this.runs.get(message.runId);
      if (!r || (message.stride ?? 1) !== r.stride) return;
      for (const epoch of message.records.epoch) {
        if (epoch <= r.lastEpoch) continue;
        r.records++;
        r.lastEpoch = epoch;
      }
    }
    for (const r of this.runs.values()) this.maxPageRecords = Math.max(this.maxPageRecords, r.records);
  }
}

export class TestHooks {
  private readonly errors: string[] = [];
  private readonly traffic = new WeakMap<InspectorPanel, PageTraffic>();
  private saveDialog: ((options: vscode.SaveDialogOptions) => Thenable<vscode.Uri | undefined>) | undefined;

  private trafficOf(panel: InspectorPanel): PageTraffic {
    let t = this.traffic.get(panel);
    if (!t) this.traffic.set(panel, (t = new PageTraffic()));
    return t;
  }

  readonly seams: Seams = {
    pickSaveTarget: (options) => (this.saveDialog ? this.saveDialog(options) : vscode.window.showSaveDialog(options)),
    panelObserver: {
      posted: (panel, message) => this.trafficOf(panel).posted(message),
      received: (panel, message) => {
        const t = this.trafficOf(panel);
        if (!message) t.ignoredMessages++;
        else if (message.type === 'ready') t.readyCount++;
      },
    } satisfies PanelObserver,
    onError: (message) => {
      this.errors.push(message);
      if (this.errors.length > ERRORS_KEPT) this.errors.shift();
    },
  };

  api(parts: ApiParts): TestingApi {
    const api = createApi(parts);
    const errors = this.errors;
    // This module is bundled into out/test/vscode/testExtension.js; the crashing worker into out/test/workers/.
    const crashWorker = path.join(__dirname, '..', 'workers', 'crashWorker.js');
    return {
      ...api,
      train: async (uri, options = {}) => {
        const { crashAtEpoch, ...rest } = options;
        if (crashAtEpoch === undefined) return api.train(uri, rest);
        const doc = await vscode.workspace.openTextDocument(uri);
        // The job starts synchronously inside train(), so the crashing worker serves this run only.
        const crash = parts.jobs.useWorker({ file: crashWorker, data: { crashAtEpoch, how: 'throw' } });
        try {
          const run = parts.runs.train(doc, rest);
          crash.dispose();
          return await run;
        } finally {
          crash.dispose();
        }
      },
      panel: () => {
        const info = api.panel();
        const p = parts.panels.current;
        if (!info || !p) return undefined;
        const t = this.trafficOf(p);
        return { ...info, readyCount: t.readyCount, ignoredMessages: t.ignoredMessages, maxPageRecords: t.maxPageRecords };
      },
      get errors() {
        return [...errors];
      },
      testing: {
        postFromPanel: async (message) => parts.panels.current?.receive(message),
        setSaveDialog: (pick) => (this.saveDialog = pick),
      },
    };
  }
}
