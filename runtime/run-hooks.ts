/**
 * Post-run output hooks: files a std module derives from a finished run's records (std.longrun's occupancy
 * SVG). Platform-neutral: a hook gets the records and a `write` callback, never the file system.
 */
import type { LogRow } from './outputs.js';

export interface FinishedRun {
  /** The std modules the program `use`s; a hook acts only for programs that use its module. */
  readonly uses: readonly string[];
  /** Record rows by record file name (as written in `record ... to "file.csv"`). */
  readonly records: ReadonlyMap<string, readonly LogRow[]>;
  /** Writes a text file inside the run folder. */
  readonly write: (rel: string, text: string) => void;
}

export type RunHook = (run: FinishedRun) => void;

const hooks: RunHook[] = [];

/** Adds a hook that runs after every successful run that writes a run folder. */
export function registerRunHook(hook: RunHook): void {
  if (!hooks.includes(hook)) hooks.push(hook);
}

/** Runs every hook (the run loop calls this once, after params.json and run.json). */
export function runFinishedHooks(run: FinishedRun): void {
  for (const h of hooks) h(run);
}
