/** The gdlang side of a compute benchmark: a bench/workloads/*.gd program run by the real pipeline and runtime (runProgram), timed per step. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileSolve, front } from '../compiler/pipeline.js';
import { renderDiagnostic } from '../compiler/diagnostics/render.js';
import { nodeFiles } from '../runtime/node-files.js';
import { runProgram } from '../runtime/run.js';
import { loadWasmKernelCompiler } from '../runtime/wasm-simd/wasm-kernels.js';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { BackendName } from '../runtime/backend.js';
import '../runtime/std/index.js';
import { median, type StepTiming } from './timing.js';

/** Absolute path of a workload program. */
export function workloadPath(name: string): string {
  return fileURLToPath(new URL(`./workloads/${name}.gd`, import.meta.url));
}

/**
 * Runs `workloads/<name>.gd` for warm + measured steps exactly as `gd run` does (compile, initialize,
 * step loop with its finiteness probe) and returns the median wall time between consecutive steps
 * after the warm-up. Nothing is written to disk.
 */
export async function gdStepMs(name: string, backend: BackendName, warm: number, measured: number): Promise<StepTiming> {
  const file = workloadPath(name);
  const fr = front(file, readFileSync(file, 'utf8'), nodeFiles);
  const checked = fr.checked;
  if (!checked) throw new Error(`workload ${name} does not compile:\n${fr.diagnostics.map((d) => renderDiagnostic(d, fr.sources)).join('\n')}`);
  // The bench runs under tsx, whose loader rewrites binaryen's 15 MB module on every import (a minute
  // on this machine); a foreign tsx namespace in the URL makes tsx pass it to Node untouched. Loaded
  // before the run, as runProgram would load it with a plain import.
  await loadWasmKernelCompiler(() => import(pathToFileURL(createRequire(import.meta.url).resolve('binaryen')).href + '?tsx-namespace=native'));
  const stamps: number[] = [];
  let last = 0;
  const res = await runProgram(checked, {
    backend,
    seed: 0,
    steps: warm + measured,
    outDir: null,
    compileStep: (item) => compileSolve(checked, item, 'O1', { probe: true }),
    host: nodeFiles,
    onProgress: (p) => {
      // Called after every step (and once more after the final observe): keep one stamp per step.
      if (p.t !== last) {
        stamps.push(performance.now());
        last = p.t;
      }
    },
  });
  if (res.status !== 'ok') throw new Error(`workload ${name} failed: ${res.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  const times = stamps.slice(warm).map((t, i) => t - stamps[warm + i - 1]!);
  return { ms: median(times), steps: times.length };
}
