/**
 * Every example's step graphs on webgpu: fused WGSL vs unfused tfjs-webgpu vs the float64
 * interpreter, two steps each from the same inputs (each path iterating its own state). The
 * tolerance is the problem's own float32 sensitivity, measured by Monte Carlo arithmetic (Parker,
 * 1997): the interpreter re-run with every operation's result perturbed by a random error of the size
 * float32 may commit there. SwiftShader is slow, so the largest examples run at reduced sizes
 * (same program text, smaller dims: SHRINK).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Eqn, Graph } from '../../compiler/ir/ir.js';
import { evalOp, type InterpretInputs } from '../../compiler/ir/interpret.js';
import type { Tensor64 } from '../../compiler/ir/ndarray.js';
import { OPS, sizeOf } from '../../compiler/ir/ops.js';
import { randFill } from '../../compiler/ir/rng.js';
import { compileSolve, front, solveItems } from '../../compiler/pipeline.js';
import { selectBackend } from '../../runtime/backend.js';
import { setFusedRunners } from '../../runtime/executor.js';
import { webgpuFusedRunners } from '../../runtime/webgpu/fused-runners.js';
import { nodeFiles } from '../../runtime/node-files.js';
import { feedGraph } from '../helpers/feeds.js';
import { probeWebgpu, stepOnce } from '../helpers/webgpu.js';
import '../../runtime/std/index.js';

const unavailable = await probeWebgpu();
const U = 2 ** -24;
const STEPS = 2;
const dir = fileURLToPath(new URL('../../examples/', import.meta.url));
const examples = readdirSync(dir).filter((f) => f.endsWith('.gd'));

/** Size reductions for SwiftShader: dims by --set, or literal shapes replaced in the text. */
const SHRINK: Record<string, { readonly sets?: Record<string, number>; readonly text?: readonly [string, string][] }> = {
  'mfld.gd': { text: [['[1024, 9]', '[128, 9]'], ['[512, 8]', '[64, 8]'], ['[512]', '[64]']] },
  'prune-single-index.gd': { sets: { n: 200, d: 100 } },
  'longrun-double-well.gd': { sets: { chains: 1024 } },
  'adversarial-moons.gd': { sets: { n: 64 } },
  'mfld-regression.gd': { sets: { n: 32, m: 64 } },
};

/**
 * Ops whose float32 builtins err by more than one rounding. Vulkan's precision rules (which
 * SwiftShader uses up to the limit: sin/cos measured at 1.9e-4 absolute) allow sin and cos 2^-11
 * absolute on [-π, π], log 2^-21 absolute on [0.5, 2], exp and the rest a few ulps (16 here).
 */
const TRANSCENDENTAL = new Set(['exp', 'log', 'log1p', 'sin', 'cos', 'tanh', 'sigmoid', 'softplus', 'pow', 'sqrt', 'rsqrt']);
const ABSOLUTE = new Set(['sin', 'cos']);

/** The errors float32 may commit computing `e` (one rounding, or the builtin's bound; n roundings of Σ|terms| for a reduction or contraction of n). */
function perturb(e: Eqn, ins: readonly Tensor64[], r: Tensor64, rand: () => number): Tensor64 {
  const op = OPS[e.op];
  if (op.category === 'const' || op.category === 'layout' || e.op === 'reshape' || e.op === 'stop_gradient') return r;
  const data = Float64Array.from(r.data);
  const abs = (t: Tensor64): Tensor64 => ({ shape: t.shape, data: t.data.map(Math.abs) });
  let mag: Float64Array;
  let n = 1;
  if (e.op === 'sum' || e.op === 'matmul') {
    mag = evalOp(e.op, ins.map(abs), e.attrs, e.out.shape).data as Float64Array;
    n = e.op === 'sum' ? sizeOf(ins[0]!.shape) / Math.max(1, sizeOf(r.shape)) : ins[0]!.shape[e.attrs['transposeA'] ? 0 : 1]!;
  } else mag = data.map(Math.abs);
  const k = ABSOLUTE.has(e.op) ? 0 : TRANSCENDENTAL.has(e.op) ? 16 : 1;
  const arg = ins[0]?.data;
  for (let i = 0; i < data.length; i++) {
    // sin/cos: the builtin's 2^-11 plus the argument's own rounding (u·|x|), which range reduction keeps.
    const bound = n * k * U * mag[i]! + (ABSOLUTE.has(e.op) ? 2 ** -11 + U * Math.abs(arg![i]!) : e.op === 'log' ? 2 ** -21 : 0);
    data[i]! += (2 * rand() - 1) * bound;
  }
  return { shape: r.shape, data };
}

/** The interpreter, optionally with every result perturbed (one Monte Carlo arithmetic sample). */
function interpretOutputs(g: Graph, inputs: InterpretInputs, rand: (() => number) | null): Record<string, Float64Array> {
  const env = new Map<number, Tensor64>();
  for (const inp of g.inputs) env.set(inp.var.id, { shape: inp.var.shape, data: Float64Array.from(inputs[inp.name] as Float64Array) });
  for (const e of g.eqns) {
    const ins = e.inputs.map((v) => env.get(v.id)!);
    const r = evalOp(e.op, ins, e.attrs, e.out.shape);
    env.set(e.out.id, rand ? perturb(e, ins, r, rand) : r);
  }
  return Object.fromEntries(g.outputs.map((o) => [`${o.role}:${o.name}`, env.get(o.var.id)!.data as Float64Array]));
}

/** Iterates a step graph STEPS times from feedGraph's inputs, feeding updates back; returns the objectives after each step. */
async function iterate(g: Graph, step: (feeds: Record<string, Float64Array>) => Promise<Record<string, ArrayLike<number>>>): Promise<number[][]> {
  // Every path starts from the float32 values the device paths are fed.
  const feeds = Object.fromEntries(Object.entries(feedGraph(g)).map(([k, v]) => [k, Float64Array.from(Float32Array.from(v))]));
  const objs: number[][] = [];
  for (let s = 0; s < STEPS; s++) {
    for (const i of g.inputs) {
      if (i.role === 'rng') feeds[i.name] = Float64Array.of(1, s);
      if (i.role === 'scalar' && i.name === 't') feeds[i.name] = Float64Array.of(s);
    }
    const out = await step(feeds);
    objs.push(g.outputs.filter((o) => o.role === 'objective').map((o) => Number(out[`${o.role}:${o.name}`]![0])));
    for (const o of g.outputs) if (o.role === 'update' && g.inputs.some((i) => i.name === o.name)) feeds[o.name] = Float64Array.from(out[`${o.role}:${o.name}`]!);
  }
  return objs;
}

describe.skipIf(unavailable !== null)('fused WGSL vs unfused tfjs-webgpu vs the float64 interpreter on every example', () => {
  for (const f of examples) {
    it(f, async () => {
      await selectBackend('webgpu');
      const shrink = SHRINK[f] ?? {};
      let text = readFileSync(dir + f, 'utf8');
      for (const [a, b] of shrink.text ?? []) text = text.split(a).join(b);
      const fr = front(dir + f, text, nodeFiles, { overrides: { ...shrink.sets } });
      expect(fr.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
      for (const item of solveItems(fr.checked!)) {
        const g = compileSolve(fr.checked!, item).step;
        const ref = await iterate(g, async (feeds) => interpretOutputs(g, feeds, null));
        // Monte Carlo arithmetic: 4 perturbed runs; their spread is the float32 error this problem admits.
        const spread = ref.map((o) => o.map(() => 0));
        for (let r = 0; r < 4; r++) {
          let c = r * 7919;
          const rand = () => randFill(99, r, 1, c++)[0]!;
          const p = await iterate(g, async (feeds) => interpretOutputs(g, feeds, rand));
          p.forEach((o, s) => o.forEach((v, j) => (spread[s]![j] = Math.max(spread[s]![j]!, Math.abs(v - ref[s]![j]!)))));
        }
        setFusedRunners((x) => webgpuFusedRunners(x));
        const fused = await iterate(g, (feeds) => stepOnce(g, feeds));
        setFusedRunners((x) => webgpuFusedRunners(x, { fuse: false, deviceRandom: false }));
        const unfused = await iterate(g, (feeds) => stepOnce(g, feeds));
        ref.forEach((objs, s) =>
          objs.forEach((r, j) => {
            // Twice the largest sampled deviation, and at least a few roundings of the value itself.
            const tol = 2 * spread[s]![j]! + 4 * U * Math.abs(r);
            const a = fused[s]![j]!;
            const b = unfused[s]![j]!;
            if (!(Math.abs(a - r) <= tol && Math.abs(b - r) <= tol)) console.log(`${f} step ${s}: interpreter ${r}, fused ${a}, unfused ${b}, tol ${tol.toExponential(2)}`);
            expect(Math.abs(a - r)).toBeLessThanOrEqual(tol);
            expect(Math.abs(b - r)).toBeLessThanOrEqual(tol);
          }),
        );
      }
    }, 60_000);
  }
});
