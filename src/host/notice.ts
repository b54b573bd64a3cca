// Text for VS Code's notifications. They render `[label](link)` as a link, and a `command:` link
// runs that command when clicked, so a file or model name shaped like one would be a trap; every
// notice that carries names from files goes through `notice`, which shows them literally. Pure.

import { escapeControls } from '../engine/escape';

/** The text with its control characters escaped and no `[…](…)` left to become a link. */
export function notice(text: string): string {
  // A zero-width joiner between `]` and `(` keeps the text as it reads and breaks the link syntax.
  return escapeControls(text).replace(/\]\s*\(/g, (m) => `${m.slice(0, -1)}\u200d(`);
}
