// The findings of each document's last run, kept with the text they describe. An edit either moves
// them with their statements (comments, blank lines, spacing) or makes them stale (any change to a
// statement), in which case they are dropped. Pure: no vscode (keys are URI strings).

import type { Finding } from '../../engine/types';
import { uniqueFindings } from './diagnosticData';
import { remapFindings } from './staleness';

interface Entry {
  text: string;
  findings: Finding[];
}

export class FindingsStore {
  private readonly entries = new Map<string, Entry>();

  /**
   * Sets the findings of a run on `runText`, if the document still says the same (`currentText`);
   * returns whether any are kept.
   */
  set(uri: string, runText: string, findings: readonly Finding[], currentText: string): boolean {
    const moved = remapFindings(uniqueFindings(findings), runText, currentText);
    if (!moved) {
      this.entries.delete(uri);
      return false;
    }
    this.entries.set(uri, { text: currentText, findings: moved });
    return true;
  }

  get(uri: string): readonly Finding[] {
    return this.entries.get(uri)?.findings ?? [];
  }

  /** Whether the document has a run whose findings still describe it (possibly none). */
  measured(uri: string): boolean {
    return this.entries.has(uri);
  }

  /** Follows an edit; returns true when the findings changed (moved or dropped). */
  textChanged(uri: string, text: string): boolean {
    const e = this.entries.get(uri);
    if (!e || e.text === text) return false;
    const moved = remapFindings(e.findings, e.text, text);
    if (!moved) {
      this.entries.delete(uri);
      return true;
    }
    const changed = moved.some((f, i) => f.line !== e.findings[i].line);
    this.entries.set(uri, { text, findings: moved });
    return changed;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
}
