/**
 * std.longrun's run outputs: for every record file with an `occupancy` column (and optionally `gibbs` and
 * `centers`), the time-averaged occupancy histogram against the Gibbs prediction, as `<file>-mean.csv` and a
 * minimal hand-written `<file>.svg` (bars: observed; line: Gibbs). Platform-neutral: builds text only.
 */
import type { LogRow, LogValue } from '../../outputs.js';
import type { FinishedRun } from '../../run-hooks.js';

export interface OccupancySummary {
  /** Bin centres (0, 1, ... when the record has no `centers`). */
  readonly centers: readonly number[];
  /** Occupancy averaged over the recorded rows. */
  readonly observed: readonly number[];
  /** The Gibbs bin probabilities (last recorded row), or null. */
  readonly gibbs: readonly number[] | null;
  readonly rows: number;
}

const vec = (v: LogValue | undefined): number[] | null =>
  Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : null;

/** Averages the `occupancy` vectors of the rows; null when the rows hold none. */
export function summarize(rows: readonly LogRow[]): OccupancySummary | null {
  const occ = rows.map((r) => vec(r.values['occupancy'])).filter((v): v is number[] => v !== null);
  if (occ.length === 0) return null;
  const k = occ[0]!.length;
  const observed = Array.from({ length: k }, (_, j) => occ.reduce((s, v) => s + v[j]!, 0) / occ.length);
  const last = rows[rows.length - 1]!;
  const centers = vec(last.values['centers']) ?? Array.from({ length: k }, (_, j) => j);
  return { centers, observed, gibbs: vec(last.values['gibbs']), rows: occ.length };
}

/** The summary as CSV: center, occupancy, gibbs. */
export function summaryCsv(s: OccupancySummary): string {
  const head = s.gibbs ? 'center,occupancy,gibbs' : 'center,occupancy';
  const lines = s.centers.map((c, j) => [c, s.observed[j], ...(s.gibbs ? [s.gibbs[j]] : [])].join(','));
  return `${head}\n${lines.join('\n')}\n`;
}

const f3 = (x: number) => (Math.round(x * 1000) / 1000).toString();

/** A minimal SVG bar chart of the observed occupancy with the Gibbs prediction as a polyline. */
export function occupancySvg(s: OccupancySummary, title: string): string {
  const W = 640;
  const H = 360;
  const pad = { l: 56, r: 16, t: 32, b: 40 };
  const k = s.observed.length;
  const top = Math.max(...s.observed, ...(s.gibbs ?? [])) * 1.1 || 1;
  const bw = (W - pad.l - pad.r) / k;
  const x = (j: number) => pad.l + j * bw;
  const y = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - v / top);
  const bars = s.observed
    .map((v, j) => `<rect x="${f3(x(j) + 1)}" y="${f3(y(v))}" width="${f3(bw - 2)}" height="${f3(y(0) - y(v))}" fill="#7aa6d6"/>`)
    .join('');
  const gibbs = s.gibbs
    ? `<polyline fill="none" stroke="#c0392b" stroke-width="2" points="${s.gibbs.map((v, j) => `${f3(x(j) + bw / 2)},${f3(y(v))}`).join(' ')}"/>`
    : '';
  const ticks = [0, Math.floor(k / 4), Math.floor(k / 2), Math.floor((3 * k) / 4), k - 1]
    .map((j) => `<text x="${f3(x(j) + bw / 2)}" y="${H - pad.b + 16}" text-anchor="middle">${f3(s.centers[j]!)}</text>`)
    .join('');
  const yTicks = [0, 0.5, 1]
    .map((q) => `<text x="${pad.l - 6}" y="${f3(y(q * top) + 4)}" text-anchor="end">${f3(q * top)}</text>`)
    .join('');
  const legend = `<rect x="${W - 210}" y="10" width="12" height="12" fill="#7aa6d6"/><text x="${W - 192}" y="20">occupancy (${s.rows} records)</text>${
    s.gibbs ? `<line x1="${W - 210}" y1="34" x2="${W - 198}" y2="34" stroke="#c0392b" stroke-width="2"/><text x="${W - 192}" y="38">Gibbs prediction</text>` : ''
  }`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
    `<text x="${pad.l}" y="20" font-size="13">${title.replace(/[<&]/g, '')}</text>`,
    `<line x1="${pad.l}" y1="${y(0)}" x2="${W - pad.r}" y2="${y(0)}" stroke="#333"/>`,
    bars,
    gibbs,
    ticks,
    yTicks,
    legend,
    '</svg>',
    '',
  ].join('\n');
}

/** The run hook: one summary csv and svg per record file with an occupancy column, for programs that use std.longrun. */
export function writeOccupancyOutputs(run: FinishedRun): void {
  if (!run.uses.includes('std.longrun')) return;
  for (const [file, rows] of run.records) {
    const s = summarize(rows);
    if (!s) continue;
    const base = file.replace(/\.csv$/i, '');
    run.write(`${base}-mean.csv`, summaryCsv(s));
    run.write(`${base}.svg`, occupancySvg(s, `${base}: time-averaged occupancy vs Gibbs`));
  }
}
