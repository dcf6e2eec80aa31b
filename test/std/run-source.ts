/** Test helper for the std modules: runs .gd source text through the real pipeline (front → compileSolve → runProgram). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileSolve, front } from '../../compiler/pipeline.js';
import { renderDiagnostic } from '../../compiler/diagnostics/render.js';
import type { BackendName } from '../../runtime/backend.js';
import { nodeFiles } from '../../runtime/node-files.js';
import { runProgram, type RunResult } from '../../runtime/run.js';
import '../../runtime/std/index.js';

export interface SourceRun extends RunResult {
  /** The folder holding the program and its data files (the run folder is `<dir>/run` when asked for). */
  readonly dir: string;
}

/**
 * Writes `text` (and `files`, name → contents) to a fresh temp folder and runs it. Throws with the rendered
 * diagnostics when the program does not check or the run does not end ok.
 */
export async function runSource(
  text: string,
  opts: { files?: Record<string, string>; backend?: BackendName; seed?: number; steps?: number; writeRun?: boolean } = {},
): Promise<SourceRun> {
  const dir = mkdtempSync(join(tmpdir(), 'gd-std-'));
  for (const [name, body] of Object.entries(opts.files ?? {})) writeFileSync(join(dir, name), body);
  const file = join(dir, 'prog.gd');
  writeFileSync(file, text);
  const fr = front(file, text, nodeFiles);
  if (!fr.checked) throw new Error(fr.diagnostics.map((d) => renderDiagnostic(d, (f) => fr.sources.get(f))).join('\n'));
  const checked = fr.checked;
  const res = await runProgram(checked, {
    backend: opts.backend ?? 'wasm',
    seed: opts.seed ?? 0,
    ...(opts.steps !== undefined ? { steps: opts.steps } : {}),
    outDir: opts.writeRun ? join(dir, 'run') : null,
    compileStep: (item) => compileSolve(checked, item),
    host: nodeFiles,
  });
  if (res.status !== 'ok') throw new Error(res.diagnostics.map((d) => renderDiagnostic(d, (f) => fr.sources.get(f))).join('\n'));
  return { ...res, dir };
}

/** The logged values of `name`, in log order (one number per row that has it). */
export function logged(res: RunResult, name: string): number[] {
  return res.log.filter((r) => name in r.values).map((r) => r.values[name] as number);
}
