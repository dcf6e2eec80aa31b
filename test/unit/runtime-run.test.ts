import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as A from '../../compiler/ast/ast.js';
import type { PlanItem } from '../../compiler/check/checked.js';
import { GraphBuilder } from '../../compiler/ir/builder.js';
import { siteStream } from '../../compiler/ir/lower.js';
import { randnFill } from '../../compiler/ir/rng.js';
import type { StepProgram } from '../../compiler/step-program.js';
import { selectBackend } from '../../runtime/backend.js';
import { runProgram, type RunOptions } from '../../runtime/run.js';
import { call, checkedProgram, dataSym, explodingStep, ident, leastSquaresStep, num, paramSym, solveItem, span } from './runtime-fixtures.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'gd-run-'));

beforeAll(async () => {
  await selectBackend('wasm');
});

/** The least-squares program: X ~ randn(seed: 1), y ~ randn(seed: 2), momentum GD on w. */
function lsq(n: number, d: number, steps: number, extra: Partial<Parameters<typeof solveItem>[0]> = {}, batch: number | null = null) {
  const xInit = call('randn', { seed: num(1) });
  const yInit = call('randn', { seed: num(2) });
  const item = solveItem({ objective: 'loss', target: 'w', steps, logEvery: 10, ...extra });
  const checked = checkedProgram([dataSym('X', [n, d], { expr: xInit }, batch), dataSym('y', [n], { expr: yInit }, batch), paramSym('w', [d])], [item]);
  return { checked, xInit, yInit };
}

const base = (sp: StepProgram, outDir: string | null = null): RunOptions => ({ backend: 'wasm', seed: 0, outDir, compileStep: () => sp });

describe('runProgram', () => {
  it('matches a float64 reference of momentum GD on least squares', async () => {
    const n = 30;
    const d = 4;
    const { checked, xInit, yInit } = lsq(n, d, 50);
    const res = await runProgram(checked, base(leastSquaresStep(n, d, { lr: 0.1, beta: 0.9 })));
    expect(res.status).toBe('ok');
    // Independent reference: the same data (the documented initializer rule), plain float64 loops.
    const X = Float32Array.from(randnFill(1, siteStream(xInit.span), n * d, 0));
    const y = Float32Array.from(randnFill(2, siteStream(yInit.span), n, 0));
    const w = new Float64Array(d);
    const m = new Float64Array(d);
    const lossAt = () => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        let r = -y[i]!;
        for (let j = 0; j < d; j++) r += X[i * d + j]! * w[j]!;
        s += r * r;
      }
      return (0.5 * s) / n;
    };
    const losses: number[] = [];
    for (let k = 0; k < 50; k++) {
      if (k % 10 === 0) losses.push(lossAt());
      const g = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        let r = -y[i]!;
        for (let j = 0; j < d; j++) r += X[i * d + j]! * w[j]!;
        for (let j = 0; j < d; j++) g[j]! += (X[i * d + j]! * r) / n;
      }
      for (let j = 0; j < d; j++) {
        m[j] = 0.9 * m[j]! + g[j]!;
        w[j]! -= 0.1 * m[j]!;
      }
    }
    losses.push(lossAt());
    Array.from(w).forEach((v, j) => expect(res.params['w']!.data[j]!).toBeCloseTo(v, 4));
    expect(res.log.map((r) => r.step)).toEqual([0, 10, 20, 30, 40, 50]);
    res.log.forEach((r, i) => expect(r.values['loss'] as number).toBeCloseTo(losses[i]!, 5));
    expect(res.objective!.name).toBe('loss');
    expect(res.objective!.value).toBeCloseTo(losses[5]!, 5);
    expect(res.steps).toBe(50);
  });

  it('same seed gives identical numbers; another seed does not', async () => {
    const { checked } = lsq(16, 3, 20);
    const sp = leastSquaresStep(16, 3, { lr: 0.05, beta: 0.5, noise: 0.1 });
    const a = await runProgram(checked, { ...base(sp), seed: 3 });
    const b = await runProgram(checked, { ...base(sp), seed: 3 });
    const c = await runProgram(checked, { ...base(sp), seed: 4 });
    expect(Array.from(a.params['w']!.data)).toEqual(Array.from(b.params['w']!.data));
    expect(Array.from(a.params['w']!.data)).not.toEqual(Array.from(c.params['w']!.data));
  });

  it('the cpu backend agrees with wasm to float32 rounding, and is itself deterministic', async () => {
    const { checked } = lsq(16, 3, 30);
    const sp = leastSquaresStep(16, 3, { lr: 0.05, beta: 0.5, noise: 0.01 });
    const wasm = await runProgram(checked, { ...base(sp), seed: 1 });
    const cpu1 = await runProgram(checked, { ...base(sp), seed: 1, backend: 'cpu' });
    const cpu2 = await runProgram(checked, { ...base(sp), seed: 1, backend: 'cpu' });
    expect(cpu1.backend).toBe('cpu');
    expect(Array.from(cpu1.params['w']!.data)).toEqual(Array.from(cpu2.params['w']!.data));
    cpu1.params['w']!.data.forEach((v, i) => expect(v).toBeCloseTo(wasm.params['w']!.data[i]!, 4));
    await selectBackend('wasm');
  });

  it('--steps overrides the step count', async () => {
    const { checked } = lsq(8, 2, 100);
    const res = await runProgram(checked, { ...base(leastSquaresStep(8, 2, { lr: 0.1, beta: 0 })), steps: 7 });
    expect(res.steps).toBe(7);
    expect(res.log.map((r) => r.step)).toEqual([0, 7]);
  });

  it('keeps the tensor count flat: the same after step 10 and step 10,000', async () => {
    const { checked } = lsq(16, 3, 10_000, { logEvery: 5000 }, 4);
    const counts = new Map<number, number>();
    const res = await runProgram(checked, {
      ...base(leastSquaresStep(4, 3, { lr: 0.01, beta: 0.9, noise: 0.001 })),
      onProgress: (p) => {
        if (p.t === 10 || p.t === 10_000) counts.set(p.t, tf.memory().numTensors);
      },
    });
    expect(res.status).toBe('ok');
    expect(counts.get(10)).toBeGreaterThan(0);
    expect(counts.get(10_000)).toBe(counts.get(10));
  }, 60_000);

  it('writes metrics.csv, params.json, run.json and record files into the run folder', async () => {
    const dir = join(tmp(), 'run1');
    const { checked } = lsq(10, 2, 20, { record: { file: 'traj/w.csv', every: 5, items: ['w'] } });
    const res = await runProgram(checked, base(leastSquaresStep(10, 2, { lr: 0.1, beta: 0, extraLog: true }), dir));
    expect(res.runDir).toBe(dir);
    const metrics = readFileSync(join(dir, 'metrics.csv'), 'utf8').trim().split('\n');
    expect(metrics[0]).toBe('step,loss');
    expect(metrics.slice(1).map((l) => Number(l.split(',')[0]))).toEqual([0, 10, 20]);
    expect(Number(metrics[3]!.split(',')[1])).toBeCloseTo(res.objective!.value, 5);
    const rec = readFileSync(join(dir, 'traj/w.csv'), 'utf8').trim().split('\n');
    expect(rec[0]).toBe('step,w');
    expect(rec).toHaveLength(1 + 5); // steps 0, 5, 10, 15, 20
    const last = rec[5]!;
    expect(last.startsWith('20,"[')).toBe(true);
    const cell = JSON.parse(last.slice(last.indexOf(',') + 2, -1).replace(/""/g, '"')) as number[];
    cell.forEach((v, i) => expect(Math.fround(v)).toBe(res.params['w']!.data[i]));
    const params = JSON.parse(readFileSync(join(dir, 'params.json'), 'utf8'));
    expect(params.w.shape).toEqual([2]);
    expect(Float32Array.from(params.w.data)).toEqual(res.params['w']!.data);
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(run).toMatchObject({ program: 'test.gd', seed: 0, backend: 'wasm', steps: 20, status: 'ok' });
    expect(run.versions.tfjs).toMatch(/^4\./);
  });

  it('stops on a non-finite param with GD4006 naming step and param, leaving the last finite state', async () => {
    const dir = join(tmp(), 'nan');
    const checked = checkedProgram([paramSym('w', [3], call('ones'))], [solveItem({ objective: 'loss', target: 'w', steps: 10, logEvery: 1 })]);
    const res = await runProgram(checked, base(explodingStep(3, 1e10, false), dir));
    expect(res.status).toBe('error');
    const d = res.diagnostics[0]!;
    expect(d.code).toBe('GD4006');
    // w = 1e10^k after k steps; float32 overflows (> 3.4e38) in step 4.
    expect(d.message).toBe("param 'w' became Infinity at step 4");
    expect(d.notes[0]!.message).toContain(join(dir, 'checkpoint'));
    const ck = JSON.parse(readFileSync(join(dir, 'checkpoint', 'checkpoint.json'), 'utf8'));
    expect(ck.globalStep).toBe(3);
    expect(Array.from(res.params['w']!.data)).toEqual([1e30, 1e30, 1e30].map(Math.fround));
  });

  it('names the objective when it is the objective that overflows', async () => {
    const checked = checkedProgram([paramSym('w', [2], call('ones'))], [solveItem({ objective: 'loss', target: 'w', steps: 10 })]);
    const res = await runProgram(checked, base(explodingStep(2, 1e10, true)));
    // Objective sum(w^2) at the start of step k is 2e(20(k-1)): infinite in float32 at step 3 (2e40).
    expect(res.diagnostics[0]!.message).toBe("objective 'loss' became Infinity at step 3");
  });

  it('resumes bit-for-bit after an interrupt, with batching and noise', async () => {
    const n = 12;
    const d = 3;
    const { checked } = lsq(n, d, 40, { checkpointEvery: 10 }, 4);
    const sp = leastSquaresStep(4, d, { lr: 0.05, beta: 0.9, noise: 0.01 });
    const full = await runProgram(checked, { ...base(sp, join(tmp(), 'full')), seed: 5 });
    expect(full.status).toBe('ok');

    const ctl = new AbortController();
    const cutDir = join(tmp(), 'cut');
    const copyAt20 = join(tmp(), 'at20');
    const cut = await runProgram(checked, {
      ...base(sp, cutDir),
      seed: 5,
      signal: ctl.signal,
      onProgress: (p) => {
        if (p.t === 20) cpSync(join(cutDir, 'checkpoint'), join(copyAt20, 'checkpoint'), { recursive: true });
        if (p.t === 27) ctl.abort();
      },
    });
    expect(cut.status).toBe('interrupted');
    expect(cut.diagnostics[0]!.code).toBe('GD4007');
    expect(cut.diagnostics[0]!.help).toContain('--resume');
    expect(cut.steps).toBe(27);

    const resumed = await runProgram(checked, { ...base(sp, cutDir), seed: 5, resumeFrom: cutDir });
    expect(resumed.status).toBe('ok');
    expect(Array.from(resumed.params['w']!.data)).toEqual(Array.from(full.params['w']!.data));
    expect(resumed.log).toEqual(full.log);
    expect(readFileSync(join(cutDir, 'metrics.csv'), 'utf8')).toBe(readFileSync(join(full.runDir!, 'metrics.csv'), 'utf8'));

    // From the periodic checkpoint at step 20 too (the batch order and momentum must come back).
    const from20 = await runProgram(checked, { ...base(sp, join(tmp(), 'r20')), seed: 5, resumeFrom: join(copyAt20, 'checkpoint') });
    expect(Array.from(from20.params['w']!.data)).toEqual(Array.from(full.params['w']!.data));
  });

  it('resumes bit-for-bit at a solve boundary and at a periodic checkpoint, without repeating log rows', async () => {
    const n = 12;
    const d = 3;
    const xInit = call('randn', { seed: num(1) });
    const yInit = call('randn', { seed: num(2) });
    const first = solveItem({ objective: 'loss', target: 'w', steps: 20, logEvery: 5, checkpointEvery: 5 });
    const second = solveItem({ objective: 'loss', target: 'w', steps: 10, logEvery: 5, checkpointEvery: 5, phase: 'noisy' });
    const checked = checkedProgram([dataSym('X', [n, d], { expr: xInit }), dataSym('y', [n], { expr: yInit }), paramSym('w', [d])], [first, second]);
    const programs = new Map([
      [first, leastSquaresStep(n, d, { lr: 0.05, beta: 0.9 })],
      [second, leastSquaresStep(n, d, { lr: 0.01, beta: 0.5, noise: 0.05 })],
    ]);
    const o = (dir: string): RunOptions => ({ backend: 'wasm', seed: 2, outDir: dir, compileStep: (item) => programs.get(item)! });
    const full = await runProgram(checked, o(join(tmp(), 'full')));
    expect(full.log.map((r) => r.step)).toEqual([0, 5, 10, 15, 20, 20, 25, 30]);
    for (const cutAt of [10, 20, 25]) {
      const dir = join(tmp(), `cut${cutAt}`);
      const ctl = new AbortController();
      const cut = await runProgram(checked, { ...o(dir), signal: ctl.signal, onProgress: (p) => p.globalStep === cutAt && ctl.abort() });
      expect(cut.status).toBe('interrupted');
      const resumed = await runProgram(checked, { ...o(dir), resumeFrom: dir });
      expect(resumed.log).toEqual(full.log);
      expect(Array.from(resumed.params['w']!.data)).toEqual(Array.from(full.params['w']!.data));
      expect(readFileSync(join(dir, 'metrics.csv'), 'utf8')).toBe(readFileSync(join(full.runDir!, 'metrics.csv'), 'utf8'));
    }
  });

  it('until COND max N: stops before the first step at which COND holds, or at the cap', async () => {
    const mk = (b: GraphBuilder) => {
      const w = b.input('w', [2], 'param');
      return { w, loss: b.sum(b.mul(w, w)) };
    };
    const s = new GraphBuilder();
    const o = mk(s);
    s.output('w', s.sub(o.w, s.mul(0.2, o.w)), 'update'); // gd(lr: 0.1) on sum(w^2)
    s.output('loss', o.loss, 'objective');
    const ob = new GraphBuilder();
    ob.output('loss', mk(ob).loss, 'objective');
    const ub = new GraphBuilder();
    ub.output('cond', ub.op('lt', [mk(ub).loss, ub.const(1e-4)]), 'cond');
    const sp: StepProgram = { objective: 'loss', sense: 'minimize', targets: ['w'], step: s.build(), observe: ob.build(), until: ub.build(), state: [], logItems: [] };
    const wInit: A.Expr = { kind: 'Tensor', elements: [num(1), num(-2)], span: span() };
    const run = (max: number | null) => {
      const item = { ...solveItem({ objective: 'loss', target: 'w', steps: 1 }), steps: { kind: 'until' as const, cond: num(0), max } };
      return runProgram(checkedProgram([paramSym('w', [2], wInit)], [item]), base(sp));
    };
    // float32 reference: the number of steps until sum(w^2) < 1e-4.
    let a = Math.fround(1);
    let b = Math.fround(-2);
    let k = 0;
    while (Math.fround(Math.fround(a * a) + Math.fround(b * b)) >= 1e-4) {
      a = Math.fround(a - Math.fround(0.2 * a));
      b = Math.fround(b - Math.fround(0.2 * b));
      k++;
    }
    expect((await run(null)).steps).toBe(k);
    expect((await run(1000)).steps).toBe(k);
    expect((await run(5)).steps).toBe(5);
  });

  it('a compiler bug propagates as an exception, after freeing every tensor and marking run.json', async () => {
    const dir = join(tmp(), 'bug');
    const { checked } = lsq(8, 2, 5);
    const before = tf.memory().numTensors;
    const sp = leastSquaresStep(8, 2, { lr: 0.1, beta: 0 });
    const broken: StepProgram = { ...sp, step: { ...sp.step, outputs: [...sp.step.outputs, { var: { id: 9999, shape: [] }, name: 'ghost', role: 'value' }] } };
    await expect(runProgram(checked, base(broken, dir))).rejects.toThrow(/ghost/);
    expect(tf.memory().numTensors).toBe(before);
    expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).status).toBe('error');
  });

  it('refuses a checkpoint from another seed or program with GD4008', async () => {
    const { checked } = lsq(8, 2, 10, { checkpointEvery: 5 });
    const sp = leastSquaresStep(8, 2, { lr: 0.1, beta: 0 });
    const dir = join(tmp(), 'ck');
    await runProgram(checked, base(sp, dir));
    const other = await runProgram(checked, { ...base(sp, null), seed: 9, resumeFrom: dir });
    expect(other.diagnostics[0]!.code).toBe('GD4008');
    const missing = await runProgram(checked, { ...base(sp, null), resumeFrom: tmp() });
    expect(missing.diagnostics[0]!.code).toBe('GD4008');
  });

  it('per params: a step reads and writes only the rows of the current batch', async () => {
    const n = 8;
    const K = 2;
    const mk = (b: GraphBuilder) => {
      const z = b.input('z', [K, 1], 'param');
      const B = b.input('B', [K, 1], 'data');
      return { z, B, loss: b.sum(b.mul(z, 0)) };
    };
    const s = new GraphBuilder();
    const o = mk(s);
    // z_i <- z_i + B_i: row i of z gains B's own row value i, so a wrong gather/scatter pairing shows.
    s.output('z', s.add(o.z, o.B), 'update');
    s.output('loss', o.loss, 'objective');
    const ob = new GraphBuilder();
    ob.output('loss', mk(ob).loss, 'objective');
    const sp: StepProgram = { objective: 'loss', sense: 'minimize', targets: ['z'], step: s.build(), observe: ob.build(), until: null, state: [], logItems: [] };
    const rowIds: A.Expr = { kind: 'Tensor', elements: Array.from({ length: n }, (_, i): A.Expr => ({ kind: 'Tensor', elements: [num(i)], span: span() })), span: span() };
    const checked = checkedProgram([dataSym('B', [n, 1], { expr: rowIds }, K), paramSym('z', [n, 1], null, 'B')], [solveItem({ objective: 'loss', target: 'z', steps: 12 })]);
    const res = await runProgram(checked, base(sp));
    expect(res.status).toBe('ok');
    // 12 steps = 3 epochs of 4 batches covering all 8 rows: every row gains its own index 3 times.
    expect(Array.from(res.params['z']!.data)).toEqual(Array.from({ length: n }, (_, i) => 3 * i));
  });

  it('prune keeps the largest entries and later steps keep the pruned ones at zero; save writes json', async () => {
    const dir = join(tmp(), 'prune');
    const wInit: A.Expr = { kind: 'Tensor', elements: [0.5, -3, 1, 2].map(num), span: span() };
    const mk = (b: GraphBuilder) => {
      const w = b.input('w', [4], 'param');
      return { w, loss: b.sum(b.mul(w, w)) };
    };
    const s = new GraphBuilder();
    const o = mk(s);
    s.output('w', s.add(o.w, 1), 'update');
    s.output('loss', o.loss, 'objective');
    const ob = new GraphBuilder();
    ob.output('loss', mk(ob).loss, 'objective');
    const sp: StepProgram = { objective: 'loss', sense: 'minimize', targets: ['w'], step: s.build(), observe: ob.build(), until: null, state: [], logItems: [] };
    const pruneStmt: A.PruneStmt = { kind: 'Prune', target: ident('w'), amount: num(50), percent: true, by: ident('magnitude'), span: span() };
    const saveStmt: A.SaveStmt = { kind: 'Save', names: [ident('w')], file: { kind: 'String', value: 'out/w.json', span: span() }, span: span() };
    const plan: PlanItem[] = [{ kind: 'prune', phase: null, stmt: pruneStmt }, solveItem({ objective: 'loss', target: 'w', steps: 3 }), { kind: 'save', phase: null, stmt: saveStmt }];
    const checked = checkedProgram([paramSym('w', [4], wInit)], plan);
    const res = await runProgram(checked, base(sp, dir));
    expect(res.status).toBe('ok');
    expect(Array.from(res.params['w']!.data)).toEqual([0, 0, 0, 5]);
    expect(JSON.parse(readFileSync(join(dir, 'out/w.json'), 'utf8'))).toEqual({ w: { shape: [4], data: [0, 0, 0, 5] } });
    expect(existsSync(join(dir, 'checkpoint'))).toBe(false);
  });
});
