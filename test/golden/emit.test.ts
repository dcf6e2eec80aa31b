/**
 * `gd compile --emit ts` on every example: the emitted module is snapshotted (test/golden/emit/), it
 * type-checks under `tsc --strict`, and run standalone it reproduces `gd run --no-fuse` on the same backend
 * and seed: objective, params and log rows equal to 1e-6 relative (both run the same tfjs kernels op by op).
 * The backend is tfjs-wasm, gd run's default.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, gd } from '../helpers/cli.js';
import { Scratch, emitFor } from '../helpers/emit-harness.js';

/** The committed examples (work in progress beside them is not yet an example). */
const examples = execFileSync('git', ['ls-files', 'examples/*.gd'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter((f) => f !== '').map((f) => f.slice('examples/'.length)).sort();
/** The long examples run a few steps of each solve (gd run --steps, the module's overrides.steps). */
const STEPS: Record<string, number> = { 'mfld.gd': 20 };
const BACKEND = 'wasm';
const stem = (f: string) => f.replace(/\.gd$/, '').replace(/[^A-Za-z0-9]/g, '_');

function close(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b)) || a === b;
}
const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);

describe('gd compile --emit ts', () => {
  const scratch = new Scratch('emit');
  const emitted = new Map<string, string>();
  /** Examples that did not compile (reported by their own tests, so one does not hide the others). */
  const failures = new Map<string, string>();
  let tscResult: { code: number; output: string };

  beforeAll(async () => {
    for (const f of examples) {
      try {
        const code = await emitFor(`examples/${f}`);
        emitted.set(f, code);
        scratch.write(`${stem(f)}.ts`, code);
      } catch (e) {
        failures.set(f, (e as Error).message);
      }
    }
    tscResult = scratch.tsc();
  }, 300_000);
  afterAll(() => scratch.remove());

  it.each(examples)('%s: golden module', async (f) => {
    expect(failures.get(f)).toBeUndefined();
    await expect(emitted.get(f)).toMatchFileSnapshot(`emit/${stem(f)}.ts`);
  });

  it('every emitted module type-checks with tsc --strict', () => {
    expect(tscResult.output).toBe('');
    expect(tscResult.code).toBe(0);
  });

  it('emitted modules import only @tensorflow/tfjs-core and gdlang/runtime, and use no `any`', () => {
    for (const code of emitted.values()) {
      const imports = [...code.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
      expect(imports).toEqual(['@tensorflow/tfjs-core', 'gdlang/runtime']);
      expect(code).not.toMatch(/\bany\b/);
    }
  });

  it.each(examples)('%s: the standalone module reproduces gd run (wasm, seed 0)', (f) => {
    expect(failures.get(f)).toBeUndefined();
    expect(tscResult.code).toBe(0);
    const steps = STEPS[f];
    // --no-fuse: the module runs every op as a tfjs kernel, and so does gd run then (its generated fused
    // kernels have their own differential tests against op by op, test/backends/wasm-simd*.test.ts).
    const ref = gd(['run', `examples/${f}`, '--json', '--quiet', '--no-fuse', '--seed', '0', '--backend', BACKEND, '--out', join(scratch.dir, 'runs', stem(f)), ...(steps ? ['--steps', String(steps)] : [])]);
    expect(ref.code, ref.stderr).toBe(0);
    const want = JSON.parse(ref.stdout) as { objective: { value: number }; params: Record<string, { data: number[] }>; log: Record<string, unknown>[] };
    const r = scratch.runModule(stem(f), BACKEND, steps ? `{ seed: 0, overrides: { steps: ${steps} } }` : '{ seed: 0 }');
    expect(r.code, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as { objective: number; params: Record<string, number[]>; log: Record<string, unknown>[]; tensors: number };
    expect(close(got.objective, want.objective.value), `objective ${got.objective} vs ${want.objective.value}`).toBe(true);
    expect(Object.keys(got.params).sort()).toEqual(Object.keys(want.params).sort());
    for (const [k, v] of Object.entries(want.params)) {
      const g = got.params[k]!;
      expect(g.length).toBe(v.data.length);
      const bad = v.data.findIndex((x, i) => !close(Math.fround(x), g[i]!));
      expect(bad, `param ${k}[${bad}]: ${g[bad]} vs ${v.data[bad]}`).toBe(-1);
    }
    expect(got.log.length).toBe(want.log.length);
    got.log.forEach((row, i) => {
      const w = want.log[i]!;
      expect(Object.keys(row)).toEqual(Object.keys(w));
      for (const k of Object.keys(w)) {
        const a = flat(row[k]);
        const b = flat(w[k]).map((x) => (k === 'step' ? x : Math.fround(x)));
        expect(a.length).toBe(b.length);
        a.forEach((x, j) => expect(close(x, b[j]!), `log row ${i} ${k}: ${x} vs ${b[j]}`).toBe(true));
      }
    });
    // Everything the program allocated is freed by dispose().
    expect(got.tensors).toBe(0);
  }, 600_000);
});
