/**
 * The emitted run control against gd run on a program with what the examples lack: minibatches and a
 * `per` param (gathered rows, scattered updates), `until ... max`, optimizer state, a record (not
 * emitted, must not disturb anything), langevin noise and an unseeded initializer, at a non-zero seed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { gd } from '../helpers/cli.js';
import { Scratch, emitFor } from '../helpers/emit-harness.js';

const FILE = 'test/golden/emit-programs/control.gd';
const scratch = new Scratch('control');
afterAll(() => scratch.remove());

describe('emitted run control', () => {
  it('reproduces gd run exactly (wasm, seed 3)', async () => {
    scratch.write('control.ts', await emitFor(FILE));
    expect(scratch.tsc().output).toBe('');
    const r = scratch.runModule('control', 'wasm', '{ seed: 3 }');
    expect(r.code, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as { objective: number; params: Record<string, number[]>; log: Record<string, number>[]; tensors: number };
    const ref = gd(['run', FILE, '--json', '--quiet', '--seed', '3', '--out', join(scratch.dir, 'run')]);
    expect(ref.code, ref.stderr).toBe(0);
    const want = JSON.parse(ref.stdout) as { objective: { value: number }; params: Record<string, { data: number[] }>; log: Record<string, number>[] };
    expect(got.objective).toBe(Math.fround(want.objective.value));
    for (const k of ['z', 'w', 'u']) expect(got.params[k]).toEqual(want.params[k]!.data.map(Math.fround));
    // The until condition stops the first solve before its cap (so the second solve's steps start there).
    expect(got.log.map((row) => row['step'])).toEqual(want.log.map((row) => row['step']));
    expect(got.log.map((row) => row['step'])[1]).toBeLessThan(60);
    got.log.forEach((row, i) => {
      for (const [k, v] of Object.entries(want.log[i]!)) expect(row[k]).toBe(k === 'step' ? v : Math.fround(v));
    });
    expect(got.tensors).toBe(0);
  }, 600_000);
});
