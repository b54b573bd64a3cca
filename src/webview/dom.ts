// A tiny element builder: the page is built with DOM calls, never innerHTML, so host-provided
// text (file names, messages) cannot become markup.

type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** For the custom elements (vscode-button and friends), which are not in HTMLElementTagNameMap's typing here. */
export function custom(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

function setAttrs(el: Element, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

/** Sets an element's text only when it differs: writing even the same text replaces the node and lays the page out again. */
export function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

let uid = 0;
export function uniqueId(prefix: string): string {
  return `${prefix}-${++uid}`;
}

/**
 * Readies a canvas to draw `cssW` × `cssH` CSS pixels at `dpr` device pixels each: its context,
 * scaled to CSS pixels, with that area cleared. The bitmap only grows (the canvas sits in a
 * `.canvas-clip` box that shows its top left): a smaller size draws into part of it, so resizing a
 * panel back and forth allocates no new bitmap (a heatmap's took about 10 ms on each resize).
 */
export function clearedCanvas(canvas: HTMLCanvasElement, cssW: number, cssH: number, dpr: number): CanvasRenderingContext2D | null {
  const w = Math.round(cssW * dpr);
  const hgt = Math.round(cssH * dpr);
  const sameDpr = canvas.dataset.dpr === String(dpr);
  if (!sameDpr) canvas.dataset.dpr = String(dpr);
  const bitmapW = sameDpr ? Math.max(canvas.width, w) : w;
  const bitmapH = sameDpr ? Math.max(canvas.height, hgt) : hgt;
  if (canvas.width !== bitmapW) canvas.width = bitmapW;
  if (canvas.height !== bitmapH) canvas.height = bitmapH;
  // CSS size of the whole bitmap, so that one device pixel stays one bitmap pixel.
  const styleW = `${bitmapW / dpr}px`;
  const styleH = `${bitmapH / dpr}px`;
  if (canvas.style.width !== styleW) canvas.style.width = styleW;
  if (canvas.style.height !== styleH) canvas.style.height = styleH;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  // What a larger size drew before is cleared too (it lies outside the box, but an export reads it).
  ctx.clearRect(0, 0, bitmapW / dpr, bitmapH / dpr);
  return ctx;
}
