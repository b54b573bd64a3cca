// The panel page. It knows the host only through the protocol: it draws at once from the state
// VS Code saved (so a reloaded panel is never blank), says 'ready', and then follows 'show' and
// 'progress' messages, redrawing at most about ten times a second however fast epochs arrive.

import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';

import type { PanelToHost, PanelView } from '../protocol';
import { setUpCharts } from './charts';
import { CompareView } from './compareView';
import { h } from './dom';
import { LrFindView } from './lrFindView';
import { RunView } from './runView';
import { INITIAL_STATE, reduce, savedState, withMetric, type PageState } from './state';
import { readTheme, watchTheme, type Theme } from './theme';
import { parseHostMessage, parseState } from './validate';
import type { Actions, View } from './view';
import { getHost } from './vscodeApi';

const MIN_FRAME_MS = 100;
const SAVE_DELAY_MS = 1000;
/** A newly shown run is saved soon, but not in the tasks that draw it (its summary takes milliseconds at 1,000 layers). */
const SHOW_SAVE_DELAY_MS = 300;
/** How soon the page asks the host again for the run, when progress arrives for a run it does not have. */
const RESYNC_MS = 1000;

const host = getHost();
const app = document.getElementById('app') ?? document.body.appendChild(h('main', { id: 'app' }));

let state: PageState = loadState();
let theme: Theme = readTheme();
let view: View | null = null;
let viewKind: PanelView['kind'] | null = null;

function loadState(): PageState {
  const saved = host.loadState();
  if (saved === undefined || saved === null) return INITIAL_STATE;
  const parsed = parseState(saved);
  if (parsed.ok) return parsed.value;
  console.warn(`Gradient Flow: saved panel state ignored (${parsed.error})`);
  return INITIAL_STATE;
}

function post(message: PanelToHost): void {
  host.post(message);
}

const actions: Actions = {
  revealLayer: (fileName, line) => post({ type: 'revealLayer', fileName, line }),
  setMetric: (metric) => {
    if (metric === state.metric) return;
    state = withMetric(state, metric);
    saveNow();
    post({ type: 'metricChanged', metric });
    render();
  },
  setLossLog: (lossLog) => {
    if (lossLog === Boolean(state.lossLog)) return;
    state = { ...state, lossLog };
    saveNow();
    render();
  },
  exportData: (format) => post({ type: 'export', format }),
  exportPng: (dataUrl) => post({ type: 'exportPng', dataUrl }),
  applyVariant: (variantId) => post({ type: 'applyVariant', variantId }),
  applyLr: (lr) => post({ type: 'applyLr', lr }),
  applyFix: (findingIndex, fixIndex) => post({ type: 'applyFix', findingIndex, fixIndex }),
  rerun: () => post({ type: 'rerun' }),
  requestHistogram: (request) => post({ type: 'histogram', ...request }),
  pinScale: (pinned) => {
    const { pinned: _, ...rest } = state;
    state = pinned ? { ...rest, pinned } : rest;
    saveNow();
    render();
  },
};

/**
 * A run view built while the page waits for its first run, unseen (.spare-view): its custom elements
 * render, its parts are made and it is styled and laid out then, not in the frame that shows the run
 * (tens of milliseconds at first use). Hidden with display: none it was styled and laid out in that frame.
 */
let spare: RunView | null = null;
function buildSpare(): void {
  if (view || spare) return;
  spare = new RunView(actions);
  spare.element.classList.add('spare-view');
  spare.element.setAttribute('aria-hidden', 'true');
  app.append(spare.element);
}

/** Builds the view for the current state's kind (a 'show' may switch kinds) and draws it. */
function mount(): void {
  const kind = state.view?.kind ?? null;
  if (kind !== viewKind || !view) {
    view?.destroy();
    if (kind === 'run' && spare) {
      view = spare;
      spare = null;
      for (const child of [...app.children]) if (child !== view.element) child.remove();
      view.element.classList.remove('spare-view');
      view.element.removeAttribute('aria-hidden');
    } else {
      // Another kind of view: the spare run view is not wanted (the next run view is built when needed).
      if (kind !== null) {
        spare?.destroy();
        spare = null;
      }
      view = kind === 'run' ? new RunView(actions) : kind === 'compare' ? new CompareView(actions) : kind === 'lrFind' ? new LrFindView(actions) : null;
      app.replaceChildren(view ? view.element : h('p', { class: 'placeholder muted' }, 'Waiting for a training run…'), ...(spare ? [spare.element] : []));
    }
    viewKind = kind;
  }
  render();
}

/**
 * A 'show' is drawn in the next frame rather than in the task that received it: the message's
 * clone and checks (a large run's take tens of milliseconds) and its first draw are then two tasks,
 * not one long one. Progress arriving in between is folded into the state the mount draws.
 */
let mountPending = false;
function mountSoon(): void {
  if (mountPending) return;
  mountPending = true;
  requestAnimationFrame(() => {
    mountPending = false;
    mount();
  });
}

function render(): void {
  if (mountPending) return;
  pendingFrame = false;
  lastFrame = performance.now();
  app.setAttribute('aria-busy', 'false');
  if (state.view && view)
    view.render(state.view, {
      theme,
      metric: state.metric,
      lossLog: Boolean(state.lossLog),
      trimmed: new Set(state.trimmed ?? []),
      outOfDate: Boolean(state.outOfDate),
      pinned: state.pinned ?? null,
    });
}

// Progress: coalesce into one frame, at most every MIN_FRAME_MS. Hidden panels get no animation
// frames; that is fine, the state is still kept and saved, and the next visible frame catches up.
let pendingFrame = false;
let lastFrame = 0;
function scheduleRender(): void {
  if (pendingFrame) return;
  pendingFrame = true;
  const wait = Math.max(0, lastFrame + MIN_FRAME_MS - performance.now());
  setTimeout(() => requestAnimationFrame(() => pendingFrame && render()), wait);
}

// setState serialises the whole state; during training that is throttled like drawing is.
let saveTimer: ReturnType<typeof setTimeout> | undefined;
function saveSoon(delay = SAVE_DELAY_MS): void {
  if (saveTimer !== undefined && delay >= SAVE_DELAY_MS) return;
  clearTimeout(saveTimer);
  saveTimer = setTimeout(saveNow, delay);
}
function saveNow(): void {
  if (saveTimer !== undefined) clearTimeout(saveTimer);
  saveTimer = undefined;
  host.saveState(savedState(state));
}

// The host's 'show' can be lost (posted before the page could receive it, or our 'ready' lost on a
// cold start); progress for a run the page does not have then asks for the run again.
let lastResync = -Infinity;
function resync(): void {
  if (performance.now() - lastResync < RESYNC_MS) return;
  lastResync = performance.now();
  post({ type: 'ready' });
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = parseHostMessage(event.data);
  if (!parsed.ok) {
    console.warn(`Gradient Flow: ignored a malformed message (${parsed.error})`);
    return;
  }
  const msg = parsed.value;
  if (msg.type === 'histogram') {
    view?.histogram?.(msg);
    return;
  }
  const { state: next, change } = reduce(state, msg);
  if (change.kind === 'same') return;
  if (change.kind === 'none') {
    console.warn(`Gradient Flow: ignored a message: ${change.reason}; asking the host for the run`);
    resync();
    return;
  }
  state = next;
  if (change.kind === 'view') {
    saveSoon(SHOW_SAVE_DELAY_MS);
    mountSoon();
  } else if (change.kind === 'status') {
    saveNow();
    render();
  } else {
    saveSoon();
    scheduleRender();
  }
});

watchTheme(() => {
  theme = readTheme();
  setUpCharts(theme);
  render();
});

setUpCharts(theme);
mount();
post({ type: 'ready' });
if (!view) requestIdleCallback(buildSpare, { timeout: 1000 });
