/** A small live line chart (SVG) of the scalar values a run logs, one line per item, log-scaled when values span decades. */
import type { LogRow } from '../runtime/outputs.js';

const SVG = 'http://www.w3.org/2000/svg';
const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#be185d', '#4d7c0f'];
const W = 640;
const H = 300;
const PAD = { left: 64, right: 12, top: 12, bottom: 28 };

export interface Series {
  readonly name: string;
  readonly points: [number, number][];
}

/** Scalar items of log rows as series (vector-valued items are shown in the log table, not plotted). */
export function seriesOf(rows: readonly LogRow[]): Series[] {
  const by = new Map<string, [number, number][]>();
  for (const r of rows) {
    for (const [k, v] of Object.entries(r.values)) {
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      let s = by.get(k);
      if (!s) by.set(k, (s = []));
      s.push([r.step, v]);
    }
  }
  return [...by].map(([name, points]) => ({ name, points }));
}

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

const fmt = (v: number) => (v === 0 ? '0' : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(1) : String(Number(v.toPrecision(3))));

/** A power of ten as a tick label: 0.001 … 1000 written out, else 1e-12 style. */
const decade = (k: number) => (Math.abs(k) <= 3 ? String(Number((10 ** k).toPrecision(1))) : `1e${k}`);

/**
 * Round tick values covering [a, b] (in plotted units: log10 of the value on a log axis): whole
 * decades on a log axis, 1/2/5 × 10^k steps on a linear one; about four intervals, the range widened
 * to the outer ticks so the lines never leave the frame.
 */
export function niceTicks(a: number, b: number, log: boolean): number[] {
  if (log) {
    const lo = Math.floor(a);
    const hi = Math.max(Math.ceil(b), lo + 1);
    const step = Math.max(1, Math.ceil((hi - lo) / 5));
    const ticks: number[] = [];
    for (let t = lo; t < hi + step; t += step) ticks.push(t);
    return ticks;
  }
  const raw = (b - a) / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = Math.floor(a / step) * step; t < b + step - 1e-9 * step; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** Redraws `svg` with the series (cheap enough to call once per animation frame). */
export function drawPlot(svg: SVGSVGElement, series: readonly Series[], total: number | null): void {
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.replaceChildren();
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) {
    svg.append(el('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'plot-empty' }, 'logged values appear here while a program runs'));
    return;
  }
  const ys = all.map((p) => p[1]);
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  const logY = lo > 0 && hi / lo > 1e3;
  const fy = (v: number) => (logY ? Math.log10(v) : v);
  let a = fy(lo);
  let b = fy(hi);
  if (a === b) [a, b] = [a - 1, b + 1];
  const ticks = niceTicks(a, b, logY);
  a = ticks[0]!;
  b = ticks[ticks.length - 1]!;
  const xMax = Math.max(total ?? 0, ...all.map((p) => p[0]), 1);
  const px = (x: number) => PAD.left + (x / xMax) * (W - PAD.left - PAD.right);
  const py = (y: number) => H - PAD.bottom - ((fy(y) - a) / (b - a)) * (H - PAD.top - PAD.bottom);
  // Axes and ticks.
  svg.append(el('line', { x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom, class: 'axis' }));
  svg.append(el('line', { x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: H - PAD.bottom, class: 'axis' }));
  for (const t of ticks) {
    const y = H - PAD.bottom - ((t - a) / (b - a)) * (H - PAD.top - PAD.bottom);
    svg.append(el('line', { x1: PAD.left, y1: y, x2: W - PAD.right, y2: y, class: 'grid' }));
    svg.append(el('text', { x: PAD.left - 6, y: y + 4, 'text-anchor': 'end', class: 'tick' }, logY ? decade(t) : fmt(t)));
  }
  for (let i = 0; i <= 4; i++) {
    const x = (xMax * i) / 4;
    svg.append(el('text', { x: px(x), y: H - 8, 'text-anchor': 'middle', class: 'tick' }, String(Number(x.toPrecision(3)))));
  }
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const d = s.points.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join('');
    svg.append(el('path', { d, stroke: color, fill: 'none', 'stroke-width': 2, class: 'series', 'data-name': s.name }));
    if (s.points.length === 1) svg.append(el('circle', { cx: px(s.points[0]![0]), cy: py(s.points[0]![1]), r: 3, fill: color }));
    svg.append(el('text', { x: W - PAD.right - 4, y: PAD.top + 14 + 16 * i, 'text-anchor': 'end', fill: color, class: 'legend' }, `${s.name}${logY ? ' (log scale)' : ''}`));
  });
}
