/**
 * `state: lazy | dense` for `per` params (PAPERS.md std.semiamortized). Dense: the step updates the whole
 * table as torch.optim.Adam would with zero gradient outside the batch (every row's moments decay, rows
 * outside the batch keep moving on their momentum, bias correction by the global step). Lazy: only the
 * batch's rows and their state change (torch.optim.SparseAdam, whose step count is also the param's global
 * one). Checked against a float64 reference loop written here, in the float64 interpreter (the compiled
 * step graph) and on wasm (the real run loop); the batch rows of each step are read from the run's own log.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../compiler/check/check.js';
import type { PlanItem } from '../../compiler/check/checked.js';
import { memoryHost } from '../../compiler/host.js';
import { interpret } from '../../compiler/ir/interpret.js';
import { parse } from '../../compiler/parse.js';
import { batchShapes } from '../../compiler/pipeline.js';
import { buildStep } from '../../compiler/step.js';
import { logged, runSource } from './run-source.js';

const N = 12;
const D = 2;
const B = 4;
const STEPS = 9;
let s = 4242;
const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
const T = Array.from({ length: N }, () => Array.from({ length: D }, () => 4 * u() - 2));
const Z0 = Array.from({ length: N }, () => Array.from({ length: D }, () => 4 * u() - 2));
const files = {
  'T.json': JSON.stringify(T),
  'Z0.json': JSON.stringify(Z0),
  'I.json': JSON.stringify(Array.from({ length: N }, (_, i) => i)),
};

/** Loss sum log(1 + (z - t)^2) over the batch rows; `Ib` logs the rows each step reads (logged before it). */
const program = (method: string, steps = STEPS) => `data T: [${N}, ${D}] = load("T.json")
data I: [${N}] = load("I.json")
data Z0: [${N}, ${D}] = load("Z0.json")
data Tb: [${N}, ${D}] = T batch ${B}
data Ib: [${N}] = I batch ${B}
param Z: [${N}, ${D}] per Tb = Z0
minimize fit = sum(log(1 + (Z - Tb)^2)) over Z by ${method} for ${steps} steps
  log every 1: rows = Ib
save Z to "Z.json"
`;

interface Opt {
  readonly lr: number;
  readonly b1: number;
  readonly b2: number;
  readonly eps: number;
}

/**
 * The float64 reference: Adam over the table with the batch rows' gradient (zero elsewhere). Dense moves
 * every row's moments and value; lazy touches only the batch rows. Both bias-correct with the global step.
 */
function reference(rowsPerStep: readonly number[][], o: Opt, mode: 'lazy' | 'dense'): number[][] {
  const z = Z0.map((r) => [...r]);
  const m = Z0.map((r) => r.map(() => 0));
  const v = Z0.map((r) => r.map(() => 0));
  rowsPerStep.forEach((rows, t) => {
    const g = Z0.map((r) => r.map(() => 0));
    for (const i of rows) for (let j = 0; j < D; j++) g[i]![j] = (2 * (z[i]![j]! - T[i]![j]!)) / (1 + (z[i]![j]! - T[i]![j]!) ** 2);
    const c1 = 1 - o.b1 ** (t + 1);
    const c2 = 1 - o.b2 ** (t + 1);
    const touched = mode === 'dense' ? Z0.map((_, i) => i) : rows;
    for (const i of touched) {
      for (let j = 0; j < D; j++) {
        m[i]![j] = o.b1 * m[i]![j]! + (1 - o.b1) * g[i]![j]!;
        v[i]![j] = o.b2 * v[i]![j]! + (1 - o.b2) * g[i]![j]! ** 2;
        z[i]![j] = z[i]![j]! - (o.lr * (m[i]![j]! / c1)) / (Math.sqrt(v[i]![j]! / c2) + o.eps);
      }
    }
  });
  return z;
}

const adam: Opt = { lr: 0.1, b1: 0.9, b2: 0.99, eps: 1e-8 };
const adamCall = (state: string) => `adam(lr: ${adam.lr}, beta1: ${adam.b1}, beta2: ${adam.b2}, eps: ${adam.eps}, state: ${state})`;

/** The rows each of the `STEPS` steps read: the log row at step t is taken before step t. */
function stepRows(res: Awaited<ReturnType<typeof runSource>>): number[][] {
  const rows = res.log.filter((r) => 'rows' in r.values).map((r) => r.values.rows as number[]);
  return rows.slice(0, STEPS);
}

const savedZ = (dir: string): number[][] => {
  const z = (JSON.parse(readFileSync(join(dir, 'run', 'Z.json'), 'utf8')) as Record<string, { data: number[] }>).Z!.data;
  return Array.from({ length: N }, (_, i) => z.slice(i * D, i * D + D).map(Math.fround));
};
const maxDiff = (a: number[][], b: number[][]) => Math.max(...a.flatMap((r, i) => r.map((x, j) => Math.abs(x - b[i]![j]!))));

describe('state: dense | lazy for per params', () => {
  it('dense Adam on wasm matches the float64 full-table reference (zero gradient outside the batch) to float32 rounding', async () => {
    const res = await runSource(program(adamCall('dense')), { files, writeRun: true });
    const rows = stepRows(res);
    expect(rows).toHaveLength(STEPS);
    // Batches really vary and leave rows out, so the dense/lazy distinction is exercised.
    expect(new Set(rows.map((r) => r.join(','))).size).toBeGreaterThan(2);
    const got = savedZ(res.dir);
    const want = reference(rows, adam, 'dense');
    expect(maxDiff(got, want)).toBeLessThan(2e-6);
    // ... and not the lazy rule: the two references differ by far more than the tolerance.
    expect(maxDiff(want, reference(rows, adam, 'lazy'))).toBeGreaterThan(1e-2);
  });

  it('lazy Adam on wasm matches the float64 rows-only reference; rows outside every batch so far are bit-identical', async () => {
    const res = await runSource(program(adamCall('lazy')), { files, writeRun: true });
    const rows = stepRows(res);
    const got = savedZ(res.dir);
    expect(maxDiff(got, reference(rows, adam, 'lazy'))).toBeLessThan(2e-6);
    // 12 rows, batches of 4, 9 steps: every row is visited, so check after 2 steps where rows differ.
    const two = await runSource(program(adamCall('lazy'), 2), { files, writeRun: true });
    const twoRows = stepRows(two).slice(0, 2);
    const seen = new Set(twoRows.flat());
    const z2 = savedZ(two.dir);
    for (let i = 0; i < N; i++) {
      if (seen.has(i)) continue;
      expect(z2[i]).toEqual(Z0[i]!.map(Math.fround));
    }
    expect(seen.size).toBe(2 * B);
  }, 60_000);

  it('float64 interpreter on the compiled dense step graph: the reference to 1e-12, state stored whole', () => {
    const src = program(adamCall('dense'));
    const p = parse('t.gd', src);
    const c = check(p.program, memoryHost(files), { parseFile: parse });
    expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const checked = c.checked!;
    const solve = checked.plan.find((x): x is PlanItem & { kind: 'solve' } => x.kind === 'solve')!;
    const sp = buildStep(checked, solve, { dataShapes: batchShapes(checked)! });
    // The step takes the whole table and its whole state, and the batch's row indices.
    const shapeOf = (name: string) => sp.step.inputs.find((i) => i.name === name)?.var.shape;
    expect(shapeOf('Z')).toEqual([N, D]);
    expect(shapeOf('Z.m')).toEqual([N, D]);
    expect(sp.step.inputs.find((i) => i.name === 'Z.rows')?.role).toBe('rows');
    expect(sp.state.map((x) => [x.name, x.shape, x.rows])).toEqual([
      ['Z.m', [N, D], 'dense'],
      ['Z.v', [N, D], 'dense'],
    ]);
    // Arbitrary batches (rows repeat across steps, some rows never visited).
    const rows = [
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [0, 5, 9, 2],
      [3, 8, 1, 4],
      [11, 0, 7, 6],
    ];
    const flat = (m: number[][]) => m.flat();
    let cur: Record<string, number[]> = { Z: flat(Z0), 'Z.m': Array(N * D).fill(0), 'Z.v': Array(N * D).fill(0) };
    rows.forEach((r, t) => {
      const feed = (name: string): number[] | number => {
        if (name === 't') return t;
        if (name === 'Z.rows') return r;
        if (name === 'Tb') return r.flatMap((i) => T[i]!);
        return cur[name]!;
      };
      const res = interpret(sp.step, Object.fromEntries(sp.step.inputs.map((i) => [i.name, feed(i.name)])) as never);
      const next = { ...cur };
      for (const o of sp.step.outputs) if (o.role === 'update') next[o.name] = Array.from(res[o.name]!.data);
      cur = next;
    });
    const want = flat(reference(rows, adam, 'dense'));
    expect(Math.max(...cur.Z!.map((x, i) => Math.abs(x - want[i]!)))).toBeLessThan(1e-12);
    // Row 10 was never in a batch: its gradient and moments stayed exactly 0, so even dense Adam left it.
    expect(cur.Z!.slice(10 * D, 11 * D)).toEqual(Z0[10]);
  });

  it('lazy vs dense: momentum moves rows outside the batch only under dense; without momentum they agree bit for bit', async () => {
    const mom = (state: string) => `momentum(lr: 0.05, beta: 0.9, state: ${state})`;
    const lazy = await runSource(program(mom('lazy'), 2), { files, writeRun: true });
    const dense = await runSource(program(mom('dense'), 2), { files, writeRun: true });
    const [r0, r1] = stepRows(lazy);
    expect(stepRows(dense).slice(0, 2)).toEqual([r0, r1]);
    const zl = savedZ(lazy.dir);
    const zd = savedZ(dense.dir);
    let moved = 0;
    for (let i = 0; i < N; i++) {
      const inFirstOnly = r0!.includes(i) && !r1!.includes(i);
      const inSecond = r1!.includes(i);
      const untouched = !r0!.includes(i) && !inSecond;
      if (untouched) {
        expect(zl[i]).toEqual(Z0[i]!.map(Math.fround));
        expect(zd[i]).toEqual(Z0[i]!.map(Math.fround));
      }
      // In step 0's batch only: lazy keeps its step-0 value z0 − lr·g, dense moves it again by −lr·beta·g
      // (its buffer g decays by beta, with zero gradient), g the step-0 gradient.
      if (inFirstOnly) {
        const g = Z0[i]!.map((z, j) => (2 * (z - T[i]![j]!)) / (1 + (z - T[i]![j]!) ** 2));
        zd[i]!.forEach((x, j) => expect(Math.abs(x - zl[i]![j]! + 0.05 * 0.9 * g[j]!)).toBeLessThan(1e-6));
        moved = Math.max(moved, ...g.map((x) => 0.045 * Math.abs(x)));
      }
      if (inSecond && !r0!.includes(i)) expect(zd[i]).toEqual(zl[i]);
    }
    expect(moved).toBeGreaterThan(1e-2);
    // Plain GD has no state: the two modes are the same update, bit for bit.
    const gdl = savedZ((await runSource(program('gd(lr: 0.05, state: lazy)', 5), { files, writeRun: true })).dir);
    const gdd = savedZ((await runSource(program('gd(lr: 0.05, state: dense)', 5), { files, writeRun: true })).dir);
    expect(gdd).toEqual(gdl);
  }, 60_000);
});
