/**
 * The emitted Program beyond run(): step() advances one optimization step (and `params` shows it),
 * `data` replaces the files of `load(...)` data, `overrides` accepts only `steps` and the compiled
 * dims/consts, and dispose() frees every tensor.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { ROOT, gd } from '../helpers/cli.js';
import { Scratch, emitFor } from '../helpers/emit-harness.js';

const scratch = new Scratch('program');
afterAll(() => scratch.remove());

/** Runs an ES module body in out/ (where the compiled modules are) and parses its JSON output. */
function drive(body: string): unknown {
  const f = join(scratch.dir, 'out', `drive-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(f, `import * as tf from '@tensorflow/tfjs-core';\nimport { selectBackend } from ${JSON.stringify(join(ROOT, 'dist/runtime/backend.js'))};\nawait selectBackend('wasm');\n${body}`);
  const r = spawnSync(process.execPath, [f], { encoding: 'utf8', cwd: ROOT, timeout: 300_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('emitted Program', () => {
  it('step, params, data, overrides, dispose', async () => {
    scratch.write('ls.ts', await emitFor('examples/least-squares.gd'));
    scratch.write('ifgsm.ts', await emitFor('examples/ifgsm.gd'));
    const tsc = scratch.tsc();
    expect(tsc.output).toBe('');

    const got = drive(`
      import { createProgram } from './ls.js';
      const p = await createProgram({ seed: 0 });
      for (let i = 0; i < 7; i++) p.step();
      const w = Array.from(p.params.w.dataSync());
      let unknown = '';
      try { await createProgram({ overrides: { n: 3 } }); } catch (e) { unknown = e.message; }
      const before = tf.memory().numTensors;
      p.dispose();
      process.stdout.write(JSON.stringify({ w, unknown, before, after: tf.memory().numTensors }));
    `) as { w: number[]; unknown: string; before: number; after: number };
    const ref = gd(['run', 'examples/least-squares.gd', '--json', '--quiet', '--steps', '7', '--out', join(scratch.dir, 'run-ls')]);
    expect(ref.code, ref.stderr).toBe(0);
    const want = (JSON.parse(ref.stdout) as { params: { w: { data: number[] } } }).params.w.data;
    expect(got.w).toEqual(want.map(Math.fround));
    expect(got.unknown).toMatch(/unknown override 'n'/);
    expect(got.before).toBeGreaterThan(0);
    expect(got.after).toBe(0);

    // Supplying the files' values through `data` gives the same run as reading them.
    const both = drive(`
      import { readFileSync } from 'node:fs';
      import { createProgram } from './ifgsm.js';
      const x0 = JSON.parse(readFileSync('examples/digit.json', 'utf8'));
      const W = JSON.parse(readFileSync('examples/weights.json', 'utf8')).flat();
      const a = await (await createProgram({ seed: 0, overrides: { steps: 3 } })).run();
      const b = await (await createProgram({ seed: 0, overrides: { steps: 3 }, data: { x0, W } })).run();
      let short = '';
      try { await createProgram({ data: { x0: [1, 2] } }); } catch (e) { short = e.message; }
      process.stdout.write(JSON.stringify({ a: Array.from(a.params.delta), b: Array.from(b.params.delta), oa: a.objective, ob: b.objective, short }));
    `) as { a: number[]; b: number[]; oa: number; ob: number; short: string };
    expect(both.b).toEqual(both.a);
    expect(both.ob).toBe(both.oa);
    expect(both.a.some((v) => v !== 0)).toBe(true);
    expect(both.short).toMatch(/2 values supplied/);
  }, 600_000);
});
