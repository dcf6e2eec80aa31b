/** Step graphs on the real runtime (tfjs wasm, float32) against the float64 interpreter: the float32 claims of the step lowering. */
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../compiler/check/check.js';
import type { PlanItem } from '../../compiler/check/checked.js';
import { memoryHost } from '../../compiler/host.js';
import { interpret } from '../../compiler/ir/interpret.js';
import { parse } from '../../compiler/parse.js';
import { buildStep } from '../../compiler/step.js';
import type { StepProgram } from '../../compiler/step-program.js';
import { selectBackend } from '../../runtime/backend.js';
import { GraphExecutor, outputKey } from '../../runtime/executor.js';
import type { HostTensor } from '../../runtime/data/host-tensor.js';

function compile(src: string): StepProgram {
  const p = parse('t.gd', src);
  const c = check(p.program, memoryHost({}), { parseFile: parse });
  expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const item = c.checked!.plan.find((x): x is PlanItem & { kind: 'solve' } => x.kind === 'solve')!;
  return buildStep(c.checked!, item);
}

type Values = Record<string, number[]>;

/** Runs `steps` steps, on tfjs (float32) or in the interpreter (float64); returns the values after each step. */
function run(sp: StepProgram, init: Values, data: Values, steps: number, on: 'tfjs' | 'f64'): Values[] {
  let cur: Values = { ...init };
  for (const s of sp.state) cur[s.name] = new Array(s.shape.reduce((a, d) => a * d, 1)).fill(s.init);
  const exec = on === 'tfjs' ? new GraphExecutor(sp.step) : null;
  const out: Values[] = [];
  for (let k = 0; k < steps; k++) {
    const value = (name: string): number[] | number => (name === 't' ? k : name === 'rng' ? [0, k] : (cur[name] ?? data[name])!);
    const next: Values = { ...cur };
    if (exec) {
      const feeds = new Map<string, HostTensor>(
        sp.step.inputs.map((i) => {
          const v = value(i.name);
          return [i.name, { shape: i.var.shape, data: Float32Array.from(typeof v === 'number' ? [v] : v) }];
        }),
      );
      const res = exec.run(feeds);
      for (const o of sp.step.outputs)
        if (o.role === 'update') next[o.name] = Array.from(res.get(outputKey('update', o.name))!.dataSync());
      for (const t of res.values()) t.dispose();
    } else {
      const res = interpret(sp.step, Object.fromEntries(sp.step.inputs.map((i) => [i.name, value(i.name)])));
      for (const o of sp.step.outputs) if (o.role === 'update') next[o.name] = Array.from(res[o.name]!.data);
    }
    cur = next;
    out.push(cur);
  }
  exec?.dispose();
  return out;
}

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('step graphs in float32 on tfjs-wasm', () => {
  it('exponentiated gradient with an entropy term (examples/simplex-mirror.gd, k = 200): 200 steps finite, on the simplex, 1e-4 of float64', () => {
    const sp = compile(`
data c: [200] = rand(seed: 3)
param p: [200] in simplex = uniform
minimize cost = dot(c, p) + 0.01 * sum(p * log(p)) over p in mirror(entropy) by gd(lr: 1.0) for 200 steps
`);
    let s = 12345;
    const c = Array.from({ length: 200 }, () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const p0 = new Array(200).fill(1 / 200);
    const f32 = run(sp, { p: p0 }, { c }, 200, 'tfjs');
    const f64 = run(sp, { p: p0 }, { c }, 200, 'f64');
    for (const v of f32) {
      expect(v['p']!.every(Number.isFinite)).toBe(true);
      expect(Math.abs(v['p']!.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
    }
    const last32 = f32[199]!['p']!;
    const last64 = f64[199]!['p']!;
    last64.forEach((v, i) => expect(Math.abs(last32[i]! - v)).toBeLessThan(1e-4 * Math.max(v, 1e-3)));
  });

  it('entropic descent with linear cost stays finite for 1000 steps (coordinates held at the log floor, never 0 or NaN)', () => {
    const sp = compile(`
data c: [3] = [0.3, 0.1, 0.5]
param p: [3] in simplex = uniform
minimize cost = dot(c, p) + 0.001 * sum(p * log(p)) over p in mirror(entropy) by gd(lr: 1.0) for 1000 steps
`);
    const vals = run(sp, { p: [1 / 3, 1 / 3, 1 / 3] }, { c: [0.3, 0.1, 0.5] }, 1000, 'tfjs');
    for (const v of vals) expect(v['p']!.every((x) => Number.isFinite(x) && x > 0)).toBe(true);
    expect(vals[999]!['p']![1]).toBeCloseTo(1, 6);
  });

  it('IFGSM: E_k - E_0 = min(k tau, eps) |w|_1 to 1e-6 in float32', () => {
    const sp = compile(`
data w: [4] = [0.5, -2, 0.001, 3]
param delta: [4] in ball(inf, 0.1) = zeros
maximize attack = dot(w, delta) over delta in linf by gd(lr: 0.03) for 5 steps
`);
    const w = [0.5, -2, 0.001, 3];
    const vals = run(sp, { delta: [0, 0, 0, 0] }, { w }, 5, 'tfjs');
    const want = [0.16503, 0.33006, 0.49509, 0.5501, 0.5501];
    vals.forEach((v, k) => expect(Math.abs(v['delta']!.reduce((a, d, i) => a + d * w[i]!, 0) - want[k]!)).toBeLessThan(1e-6));
  });

  it('adam on tfjs matches the float64 interpreter over 20 steps (1e-5)', () => {
    const sp = compile(`
param x: [3] = zeros
minimize f = 0.5 * sum([1, 2, 3] * (x - [0.5, -1, 2])^2) over x by adam(lr: 0.05, clip: 2) for 20 steps
`);
    const a = run(sp, { x: [1, 1, -1] }, {}, 20, 'tfjs');
    const b = run(sp, { x: [1, 1, -1] }, {}, 20, 'f64');
    a.forEach((v, k) => v['x']!.forEach((x, i) => expect(Math.abs(x - b[k]!['x']![i]!)).toBeLessThan(1e-5)));
  });
});
