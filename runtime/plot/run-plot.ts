/** The plot of a run folder: metrics.svg, drawn from metrics.csv (by `gd run` at the end of every run, and by `gd plot`). */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { scalarSeries } from './metrics-csv.js';
import { plotSpec } from './plot-spec.js';
import { renderSvg } from './render-svg.js';

export const PLOT_FILE = 'metrics.svg';

export interface PlotResult {
  /** The SVG file written, or null when there was nothing to plot (no logged scalar). */
  readonly file: string | null;
  /** The series drawn, in panel order. */
  readonly metrics: readonly string[];
}

/** "program.gd — backend, seed N" from run.json when the run wrote one, else the folder's name. */
function plotTitle(runDir: string): string {
  try {
    const run = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { program?: unknown; backend?: unknown; seed?: unknown };
    if (typeof run.program === 'string') return `${basename(run.program)} — ${String(run.backend)}, seed ${String(run.seed)}`;
  } catch {
    // no or unreadable run.json (a folder from elsewhere): fall back to its name
  }
  return basename(runDir);
}

/**
 * Draws `runDir/metrics.csv` into `out` (default `runDir/metrics.svg`). With `metric`, only that series
 * (an error listing the available ones when it is not there).
 */
export async function writeRunPlot(runDir: string, opts: { metric?: string; out?: string } = {}): Promise<PlotResult> {
  const csvFile = join(runDir, 'metrics.csv');
  if (!existsSync(csvFile)) return { file: null, metrics: [] }; // a run that failed before its first step
  const csv = readFileSync(csvFile, 'utf8');
  let series = scalarSeries(csv).filter((s) => s.points.length > 0);
  if (opts.metric !== undefined) {
    const names = series.map((s) => s.name);
    series = series.filter((s) => s.name === opts.metric);
    if (series.length === 0) throw new Error(`no logged scalar '${opts.metric}' in ${join(runDir, 'metrics.csv')} (there are: ${names.join(', ') || 'none'})`);
  }
  if (series.length === 0) return { file: null, metrics: [] };
  const svg = await renderSvg(plotSpec(series, plotTitle(runDir)));
  const file = opts.out ?? join(runDir, PLOT_FILE);
  writeFileSync(file, svg);
  return { file, metrics: series.map((s) => s.name) };
}
