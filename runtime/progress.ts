/** Progress display for `gd run`: a one-line bar on a terminal, plain `step 50/300  loss=0.0123` lines otherwise. */
import type { LogRow, LogValue } from './outputs.js';
import { formatFloat32 } from './outputs.js';
import type { Progress } from './run.js';

/** A log value for one line: scalars in short float32 form, tensors abbreviated. */
export function showValue(v: LogValue): string {
  if (typeof v === 'number') return formatFloat32(Number(v.toPrecision(4)));
  const flat = (v as unknown[]).flat(Infinity) as number[];
  const head = flat.slice(0, 4).map((x) => formatFloat32(Number(x.toPrecision(4))));
  return `[${head.join(', ')}${flat.length > 4 ? `, … (${flat.length})` : ''}]`;
}

/** `loss=0.0123  gn=0.5` for a log row. */
export function showRow(row: LogRow): string {
  return Object.entries(row.values)
    .map(([k, v]) => `${k}=${showValue(v)}`)
    .join('  ');
}

/** `1234 steps/s`, `12.5 steps/s`, `0.42 steps/s`. */
export function formatRate(perSecond: number): string {
  const v = perSecond >= 100 ? Math.round(perSecond) : perSecond >= 10 ? Math.round(perSecond * 10) / 10 : Math.round(perSecond * 100) / 100;
  return `${v} steps/s`;
}

export interface ProgressReporter {
  readonly onProgress: (p: Progress) => void;
  /** Ends the bar's line (terminal mode). */
  finish(): void;
}

/**
 * A reporter writing through `write`. On a terminal it redraws one line at most ~10 times a second;
 * otherwise it prints one line per new log row, so piped output stays short and greppable.
 */
export function progressReporter(write: (s: string) => void, tty: boolean, width = 24, now: () => number = Date.now): ProgressReporter {
  let lastRow: LogRow | null = null;
  let lastDraw = 0;
  let drawn = false;
  const started = now();
  const label = (p: Progress, t = p.t) => `${p.phase ? `${p.phase}: ` : ''}step ${t}${p.total !== null ? `/${p.total}` : ''}`;
  return {
    onProgress(p) {
      if (tty) {
        const t = now();
        if (t - lastDraw < 100 && p.t !== p.total) return;
        lastDraw = t;
        const frac = p.total ? Math.min(1, p.t / p.total) : 0;
        const fill = Math.round(frac * width);
        const bar = p.total ? `[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ` : '';
        // Steps per second over the whole run so far (global steps, so phases do not reset it).
        const rate = p.globalStep > 0 && t > started ? `  ${formatRate((p.globalStep * 1000) / (t - started))}` : '';
        write(`\r\u001b[2K${bar}${label(p)}${rate}${p.latest ? `  ${showRow(p.latest)}` : ''}`);
        drawn = true;
      } else if (p.latest && p.latest !== lastRow) {
        lastRow = p.latest;
        // The row may be from a few steps back (rows are written before progress is reported): label it with its own step.
        write(`${label(p, p.t - (p.globalStep - p.latest.step))}  ${showRow(p.latest)}\n`);
      }
    },
    finish() {
      if (tty && drawn) write('\n');
    },
  };
}
