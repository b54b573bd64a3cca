// The text of hovers, as Markdown: documentation of the word under the cursor (from the engine's
// vocabulary tables) and the evidence behind a finding on a flagged line, with its fixes as command
// links. hover.ts wraps these in vscode.MarkdownString. Pure: no vscode.

import { lexLine, parseCall } from '../../engine/lexer';
import type { Change, Finding, FindingKind } from '../../engine/types';
import { ACTIVATIONS, DATA_SOURCES, INITS, LOSSES, OPTIMIZERS, STATEMENTS } from '../../engine/vocabulary';
import { FINDINGS } from '../../shared/vocabulary';
import { sci } from '../../shared/numbers';
import { sharedDomain, sparkline } from './sparkline';
import { activationDoc, optionsOf } from './suggestions';

const has = (table: object, key: string): boolean => Object.prototype.hasOwnProperty.call(table, key);

/** 0.25 -> "1/4"; other values as numbers. */
function fraction(v: number): string {
  for (let d = 2; d <= 16; d++) if (Math.abs(v * d - Math.round(v * d)) < 1e-12 && Math.round(v * d) === 1) return `1/${d}`;
  return sci(v);
}

/** The variance an init's doc states ("variance 2/fan_in", or "N(0, 2/fan_in)"). */
export function initVariance(name: string): string | null {
  const doc = INITS[name]?.doc ?? '';
  const normal = /^N\(0, (.+?)\)\./.exec(doc);
  if (normal) return normal[1];
  const stated = /variance ([\d(]\S*?)[.,;]?(?:\s|$)/.exec(doc);
  return stated ? stated[1] : null;
}

export function initHover(name: string): string | null {
  const d = INITS[name];
  if (!d) return null;
  const alias = d.canonical !== name ? ` (alias of \`${d.canonical}\`)` : '';
  const canonicalDoc = d.canonical !== name && INITS[d.canonical] ? INITS[d.canonical].doc : d.doc;
  const variance = initVariance(d.canonical) ?? initVariance(name);
  return `**init \`${name}\`**${alias}\n\n${canonicalDoc}${variance ? `\n\nVariance of the weights: \`${variance}\`` : ''}`;
}

export function activationHover(name: string): string | null {
  if (!has(ACTIVATIONS, name)) return null;
  const key = name as keyof typeof ACTIVATIONS;
  const a = ACTIVATIONS[key];
  return `**activation \`${name}\`**\n\n${activationDoc(key)}\n\nLargest derivative: ${fraction(a.maxDerivative)}${key === 'sigmoid' ? ' — so k sigmoid layers bound the backpropagated factor by (1/4)^k' : ''}`;
}

/** Documentation of the word at a 0-based column of a line, or null. */
export function keywordHover(lineText: string, column: number): string | null {
  const { tokens } = lexLine(lineText);
  const i = tokens.findIndex((t) => column >= t.start && column < t.end);
  if (i < 0) return null;
  const t = tokens[i];
  const keyword = tokens[0].text;
  if (i === 0) {
    if (!has(STATEMENTS, keyword)) return null;
    const s = STATEMENTS[keyword as keyof typeof STATEMENTS];
    return `**\`${s.syntax}\`**\n\n${s.doc}`;
  }
  if (t.kind === 'option') {
    const def = optionsOf(keyword, tokens).find((o) => o.name === t.key);
    if (!def) return null;
    if (def.name === 'init' && t.valueStart !== undefined && column >= t.valueStart) {
      const call = parseCall(t.value ?? '');
      const hover = call ? initHover(call.name) : null;
      if (hover) return hover;
    }
    return `**\`${def.name}=\`** (default ${def.default})\n\n${def.doc}`;
  }
  if (t.kind !== 'word') return null;
  const word = parseCall(t.text)?.name ?? t.text;
  if (keyword === 'dense' && i === 2) return activationHover(word);
  const repeat = /^x(\d+)$/.exec(t.text);
  if (keyword === 'dense' && i > 2 && repeat)
    return `**\`${t.text}\`**: this line stands for ${repeat[1]} identical layers, one after another (each with its own weights).`;
  if (i === 1 && keyword === 'data' && has(DATA_SOURCES, word)) return `**data source \`${word}\`**\n\n${DATA_SOURCES[word as keyof typeof DATA_SOURCES].doc}`;
  if (i === 1 && keyword === 'loss' && has(LOSSES, word)) return `**loss \`${word}\`**\n\n${LOSSES[word as keyof typeof LOSSES]}`;
  if (i === 1 && keyword === 'optimizer' && has(OPTIMIZERS, word)) return `**optimizer \`${word}\`**\n\n${OPTIMIZERS[word as keyof typeof OPTIMIZERS]}`;
  return null;
}

/** What a finding's series hold, and on which scale to draw them. */
function seriesLabel(kind: FindingKind): { label: string; scale: 'log' | 'linear' } {
  switch (kind) {
    case 'dead':
      return { label: 'dead fraction', scale: 'linear' };
    case 'saturated':
      return { label: 'saturated fraction', scale: 'linear' };
    case 'underflow':
      return { label: 'zero-gradient fraction', scale: 'linear' };
    default:
      return { label: '∂L/∂W RMS (log scale)', scale: 'log' };
  }
}

export interface FixLink {
  readonly title: string;
  /** A `command:` URI that applies the change. */
  readonly uri: string;
}

/** A command URI: `command:ID?` + the encoded JSON array of arguments. */
export function commandUri(command: string, args: readonly unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

export interface FixCommandArgs {
  /** The document's URI as a string. */
  readonly uri: string;
  readonly change: Change;
}

/** The evidence behind a finding: what, the sparkline per layer, the ratios, the bound, the fixes. */
export function findingHover(f: Finding, fixLinks: readonly FixLink[]): string {
  const parts: string[] = [];
  const where = f.layers.length === 0 ? '' : f.layers.length === 1 ? ` — layer ${f.layers[0]}` : ` — layers ${f.layers.join(', ')}`;
  // The verdict first, then its numbers; the message itself is the diagnostic's, which the same hover shows.
  parts.push(`**${FINDINGS[f.kind].title}** (${f.severity})${where}`);
  const ev = f.evidence;
  const ratios: string[] = [];
  if (ev.gradRatio !== undefined) ratios.push(`∂L/∂W ${sci(ev.gradRatio)}`);
  if (ev.deltaRatio !== undefined) ratios.push(`∂L/∂z ${sci(ev.deltaRatio)}`);
  if (ratios.length) parts.push(`${f.layers.length > 1 ? 'Worst ratio' : 'Ratio'} to the output layer: ${ratios.join(', ')}`);
  if (ev.bound) parts.push(`Bound: ${ev.bound.text} = ${sci(ev.bound.value)} (sigmoid′ ≤ 1/4 per layer)`);
  const series = ev.series ?? [];
  const epochs = isFiniteNumber(ev.epochs) ? ev.epochs : (series[0]?.length ?? 0);
  const over = `over ${epochs} epoch${epochs === 1 ? '' : 's'}`;
  if (series.length > 0) {
    const { label, scale } = seriesLabel(f.kind);
    const shown = series.slice(0, 8);
    // One row shows its own curve, min to max; several rows share a scale so their heights compare.
    const domain = shown.length > 1 ? sharedDomain(shown, scale) : undefined;
    const deltas = numberArray(ev.deltaRatios) && ev.deltaRatios.length === series.length ? ev.deltaRatios : null;
    const rows = shown.map((s, j) => {
      const own = deltas ? ` · ∂L/∂z ${sci(deltas[j])} of the output layer's` : '';
      return `layer ${f.layers[j] ?? j}: \`${sparkline(s, { scale, ...(domain ? { domain } : {}) })}\` ${rangeOf(s)}${own}`;
    });
    if (series.length > shown.length) rows.push(`… and ${series.length - shown.length} more`);
    const scaleNote = domain ? `, one scale for all rows (${sci(domain[0])} … ${sci(domain[1])})` : '';
    parts.push(`${label} ${over}${scaleNote}:\n\n${rows.join('  \n')}`);
  }
  // Findings about the whole run carry the loss and the largest update ratio per epoch instead.
  const runSeries: [string, unknown][] = [
    ['loss', ev.losses],
    ['largest update ratio ‖ΔW‖/‖W‖', ev.updateRatios],
  ];
  const runRows = runSeries
    .filter((e): e is [string, number[]] => numberArray(e[1]) && e[1].length > 0)
    .map(([label, values]) => `${label}: \`${sparkline(values)}\` ${rangeOf(values)}`);
  if (series.length === 0 && runRows.length > 0)
    parts.push(`Over ${epochs || ((ev.losses as number[] | undefined)?.length ?? 0)} epochs (log scale):\n\n${runRows.join('  \n')}`);
  // The step size's numbers against the rule of thumb, and what else a run finding measured.
  const healthy = 'about 1e-3 is healthy for SGD';
  if (isFiniteNumber(ev.peakRatio)) parts.push(`Largest update ratio ‖ΔW‖/‖W‖ of the run: ${sci(ev.peakRatio)} (${healthy})`);
  if (isFiniteNumber(ev.updateRatio)) parts.push(`Largest update ratio ‖ΔW‖/‖W‖ over the last quarter: ${sci(ev.updateRatio)} (${healthy})`);
  if (numberArray(ev.smallLayers) && ev.smallLayers.length > 0) parts.push(`Layers with small gradients: ${ev.smallLayers.join(', ')}`);
  if (fixLinks.length) parts.push(`Fixes: ${fixLinks.map((l) => `[${escapeMarkdown(l.title)}](${l.uri})`).join(' · ')}`);
  return parts.join('\n\n');
}

function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function numberArray(x: unknown): x is number[] {
  return Array.isArray(x) && x.every((v) => typeof v === 'number');
}

function rangeOf(values: readonly number[]): string {
  const finite = values.filter((v) => Number.isFinite(v));
  return finite.length ? `${sci(Math.min(...finite))} … ${sci(Math.max(...finite))}` : 'non-finite';
}

/** A CSV's class name or a fix's title as plain text in Markdown. */
export function escapeMarkdown(s: string): string {
  return s.replace(/([\\`*_{}[\]<>#|])/g, '\\$1');
}
