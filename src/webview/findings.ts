// The findings list: each finding's message, its line as a link, and the fixes the editor offers.

import type { Finding, Severity } from '../engine/types';
import { button } from './controls';
import { h, setText } from './dom';

const GLYPH: Record<Severity, string> = { error: '⨯', warning: '⚠', info: 'ℹ' };

export class FindingsList {
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly empty: HTMLParagraphElement;
  private key = '';

  constructor(
    private readonly onReveal: (line: number) => void,
    /** Applies fix `fix` of finding `finding` (indices into the run's findings); absent, fixes are listed as text. */
    private readonly onFix?: (finding: number, fix: number) => void,
  ) {
    this.list = h('ul', { class: 'findings-list' });
    this.empty = h('p', { class: 'muted' }, 'No findings yet.');
    this.element = h(
      'section',
      { class: 'findings card', 'aria-labelledby': 'findings-heading' },
      h('h2', { id: 'findings-heading' }, 'Findings'),
      this.empty,
      this.list,
    );
  }

  update(findings: readonly Finding[], running: boolean): void {
    // Written only when changed: this runs with every progress, and each write lays the page out.
    setText(this.empty, running ? 'No findings yet.' : 'No findings: every layer looks healthy.');
    if (this.empty.hidden !== findings.length > 0) this.empty.hidden = findings.length > 0;
    // Rebuilding on every progress message would steal focus from a link the user is on.
    const key = JSON.stringify(findings.map((f) => [f.kind, f.line, f.message, f.fixes.map((x) => x.title)]));
    if (key === this.key) return;
    this.key = key;
    this.list.replaceChildren(
      ...findings.map((f, fi) => {
        const link = h('button', { class: 'link', type: 'button', title: `Reveal line ${f.line}` }, `line ${f.line}`);
        link.addEventListener('click', () => this.onReveal(f.line));
        const onFix = this.onFix;
        const fixes = !f.fixes.length
          ? null
          : onFix
            ? h(
                'div',
                { class: 'fixes', role: 'group', 'aria-label': 'Fixes' },
                ...f.fixes.map((x, xi) => button(x.title, () => onFix(fi, xi), { secondary: true, title: `Apply to the file: ${x.title}` })),
              )
            : h('p', { class: 'fixes muted' }, `Fix: ${f.fixes.map((x) => x.title).join(' · ')}`);
        return h(
          'li',
          { class: `finding ${f.severity}` },
          h('span', { class: 'glyph', 'aria-hidden': 'true' }, GLYPH[f.severity]),
          h(
            'div',
            { class: 'finding-body' },
            h('p', {}, h('span', { class: 'sr-only' }, `${f.severity}: `), h('strong', {}, f.kind.replace(/_/g, ' ')), ' — ', f.message, ' ', link),
            fixes,
          ),
        );
      }),
    );
  }
}
