/**
 * `gd compile --emit ts` on a `state: dense` per-example program: the emitted module feeds the step's
 * `<param>.rows` input from its batchers and reaches the same table as `gd run`, bit for bit (both wasm).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../api.js';
import { nodeFiles } from '../../runtime/node-files.js';
import { ROOT } from '../helpers/cli.js';
import { Scratch, emitFor } from '../helpers/emit-harness.js';

const scratch = new Scratch('dense-state');
afterAll(() => scratch.remove());

const program = `data Y: [12, 2] = randn(seed: 1) batch 4
param z: [12, 2] per Y = randn(seed: 2)
minimize f = sum(log(1 + (z - Y)^2)) over z by adam(lr: 0.1, beta1: 0.9, beta2: 0.99, state: dense) for 7 steps
`;

describe('emitted TS, state: dense', () => {
  it('the emitted module and gd run agree bit for bit on wasm', async () => {
    mkdirSync(join(scratch.dir, 'gd'), { recursive: true });
    const file = join(scratch.dir, 'gd', 'dense.gd');
    writeFileSync(file, program);
    const text = await emitFor(relative(ROOT, file));
    expect(text).toContain('s.rowNumbers(');
    scratch.write('dense.ts', text);
    const tsc = scratch.tsc();
    expect(tsc.output).toBe('');
    const emitted = scratch.runModule('dense', 'wasm', '{ seed: 0 }');
    expect(emitted.code, emitted.stderr).toBe(0);
    const got = (JSON.parse(emitted.stdout) as { params: Record<string, number[]> }).params.z!;
    const ref = await run(file, { host: nodeFiles, backend: 'wasm', seed: 0 });
    expect(ref.rendered).toBe('');
    expect(got).toEqual(Array.from(ref.params.z!.data));
  }, 120_000);
});
