/**
 * Runs a checked program in the page with the CLI's own run loop (runtime/run.ts), paced so the page
 * keeps painting: the loop runs steps for ~12 ms, then waits for the next animation frame.
 */
import type { CheckedProgram } from '../compiler/check/checked.js';
import type { CompilerHost } from '../compiler/host.js';
import { compileSolve } from '../compiler/pipeline.js';
import type { LogRow } from '../runtime/outputs.js';
import { runProgram, type RunResult } from '../runtime/run.js';
import { activateBackend, type BackendChoice } from './backends.js';

/** Steps run back to back before yielding: most of a 60 Hz frame, leaving time to paint and handle input. */
export const SLICE_MS = 12;

/** Resolves after the next frame is painted (rAF, then a task); a hidden page (no frames) still moves on within 100 ms. */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const go = () => {
      if (!done) {
        done = true;
        resolve();
      }
    };
    requestAnimationFrame(() => setTimeout(go, 0));
    setTimeout(go, 100);
  });
}

export interface PageRunOptions {
  readonly backend: BackendChoice;
  readonly seed: number;
  readonly host: CompilerHost;
  readonly programName: string;
  readonly signal: AbortSignal;
  /** Called with the backend that initialized (and the ones auto-selection skipped). */
  readonly onBackend: (name: string, skipped: readonly string[]) => void;
  /** Called with every new log row, as the run writes it. */
  readonly onLog: (row: LogRow, objective: string) => void;
  /** Steps done so far, and the global step at which the current solve ends (null: `until` without `max`). Called every step; keep it cheap. */
  readonly onStep: (globalStep: number, solveEnd: number | null) => void;
}

export async function runInPage(checked: CheckedProgram, o: PageRunOptions): Promise<RunResult> {
  let lastRow: LogRow | null = null;
  return runProgram(checked, {
    // Ignored: activateBackend below replaces runtime/backend.ts's selection.
    backend: 'cpu',
    seed: o.seed,
    outDir: null,
    signal: o.signal,
    host: o.host,
    programName: o.programName,
    compileStep: (item) => compileSolve(checked, item, 'O1', { probe: true }),
    activateBackend: async () => {
      const a = await activateBackend(o.backend);
      o.onBackend(a.name, a.skipped);
      return a.name;
    },
    pacing: { sliceMs: SLICE_MS, yield: nextFrame },
    onProgress: (p) => {
      if (p.latest && p.latest !== lastRow) {
        lastRow = p.latest;
        o.onLog(p.latest, p.objective);
      }
      o.onStep(p.globalStep, p.total === null ? null : p.globalStep - p.t + p.total);
    },
  });
}
