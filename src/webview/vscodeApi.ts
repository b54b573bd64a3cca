// The one handle on the host. acquireVsCodeApi may be called only once per page, so the page
// gets it here and everything else goes through this typed wrapper.

import type { PanelToHost } from '../protocol';

interface RawVsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): unknown;
}

declare global {
  function acquireVsCodeApi(): RawVsCodeApi;
}

export interface Host {
  post(message: PanelToHost): void;
  /** Unchecked: parse it with parseState. */
  loadState(): unknown;
  /** JSON-safe data (savedState in state.ts). */
  saveState(state: unknown): void;
}

let host: Host | undefined;

export function getHost(): Host {
  if (!host) {
    const raw = acquireVsCodeApi();
    host = {
      post: (m) => raw.postMessage(m),
      loadState: () => raw.getState(),
      saveState: (s) => void raw.setState(s),
    };
  }
  return host;
}
