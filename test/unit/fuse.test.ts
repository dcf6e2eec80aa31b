/** The fusion pass: kernel counts per step for small graphs and programs, legality (no cycles, no barrier inside a kernel), pairwise never materialized, and kernel-by-kernel evaluation equal to the unfused graph and the interpreter on every example. */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GraphBuilder } from '../../compiler/ir/builder.js';
import type { Graph } from '../../compiler/ir/ir.js';
import { evalGraph, interpret, type InterpretInputs } from '../../compiler/ir/interpret.js';
import { compileSolve, dump, front, solveItems } from '../../compiler/pipeline.js';
import { O1_PASSES, runPasses } from '../../compiler/passes/index.js';
import { FUSED_ATTR, fuse } from '../../compiler/passes/fuse.js';
import { kernelsOf, materializedPairTensors, printKernels } from '../../compiler/passes/kernels.js';
import '../../runtime/std/index.js';
import { feedGraph } from '../helpers/feeds.js';

const host = {
  readText: (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined),
  readBytes: (p: string, max?: number) => (existsSync(p) ? new Uint8Array(readFileSync(p)).slice(0, max) : undefined),
  size: (p: string) => (existsSync(p) ? statSync(p).size : undefined),
};

function stepOf(src: string): Graph {
  const fr = front('t.gd', src, host);
  if (!fr.checked) throw new Error(fr.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return compileSolve(fr.checked, solveItems(fr.checked)[0]!).step;
}

const opsOf = (g: Graph) => kernelsOf(g).map((k) => k.eqns.map((i) => g.eqns[i]!.op).join(' '));

describe('fusion of small graphs', () => {
  it('an elementwise update with broadcast scalars is one kernel', () => {
    // x <- relu(x - 0.01 g) * 0.999 + 1e-4 g^2: five ops, one pass over memory.
    const b = new GraphBuilder();
    const x = b.input('x', [1000], 'param');
    const g = b.input('g', [1000], 'data');
    b.output('x', b.add(b.mul(b.unary('relu', b.sub(x, b.mul(g, 0.01))), 0.999), b.mul(b.unary('square', g), 1e-4)), 'update');
    const f = fuse(b.build());
    expect(kernelsOf(f)).toHaveLength(1);
    expect(kernelsOf(f)[0]!.writes).toHaveLength(1);
  });

  it('a chain ending in a reduction is one kernel; an op reading that reduction starts another', () => {
    // q = p * exp(-g); p' = q / sum(q): the division needs the whole sum first (a barrier).
    const b = new GraphBuilder();
    const p = b.input('p', [1000], 'param');
    const g = b.input('g', [1000], 'data');
    const q = b.mul(p, b.unary('exp', b.neg(g)));
    b.output('p', b.div(q, b.sum(q)), 'update');
    const f = fuse(b.build());
    expect(opsOf(f)).toEqual(['neg exp mul sum', 'div']);
  });

  it('never fuses across a path that leaves the group (a matmul between two elementwise ops)', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [4, 4], 'param');
    const a = b.unary('exp', x);
    const m = b.op('matmul', [a, a], { transposeA: false, transposeB: false });
    b.output('y', b.add(a, m), 'value');
    const f = fuse(b.build());
    // exp, matmul, add: fusing add into exp's kernel would make that kernel wait on the matmul that waits on it.
    expect(opsOf(f)).toEqual(['exp', 'matmul', 'add']);
    expect(f.eqns.every((e) => e.attrs[FUSED_ATTR] === undefined)).toBe(true);
  });

  it('a small inner reduction stays inside its kernel, a wide one ends it', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [100, 3], 'param');
    const r2 = b.sum(b.unary('square', x), 1); // 3 elements per row: inner
    const e = b.unary('exp', b.neg(r2));
    b.output('E', b.sum(e), 'objective'); // 100 elements: trailing
    const f = fuse(b.build());
    expect(opsOf(f)).toEqual(['square sum neg exp sum']);
  });

  it('is idempotent and returns the same graph when the tags are right; O1 reaches a fixpoint with it', () => {
    const g = stepOf('data X: [20, 3] = randn(seed: 1)\ndata y: [20] = randn(seed: 2)\nparam w: [3] = zeros\nminimize loss = 0.5 * mean((X @ w - y)^2) over w by adam(lr: 0.1) for 3 steps\n');
    expect(fuse(g)).toBe(g);
    expect(runPasses(g, 'O1')).toBe(g);
    expect(O1_PASSES.at(-1)!.name).toBe('fuse');
  });
});

describe('kernel counts per step of small programs', () => {
  it('least squares by gd: residual matmul, fused loss/cotangent, gradient matmul, fused update', () => {
    const g = stepOf('data X: [20, 3] = randn(seed: 1)\ndata y: [20] = randn(seed: 2)\nparam w: [3] = zeros\nminimize loss = 0.5 * mean((X @ w - y)^2) over w by gd(lr: 0.1) for 3 steps\n');
    const ks = kernelsOf(g);
    const matmuls = ks.filter((k) => k.eqns.some((i) => g.eqns[i]!.op === 'matmul'));
    expect(matmuls).toHaveLength(2);
    // Everything else is elementwise or a reduction and fuses around the two matmuls.
    expect(ks.length).toBeLessThanOrEqual(5);
    expect(ks.filter((k) => k.fused).length).toBeGreaterThanOrEqual(2);
  });

  it('exponentiated gradient on a simplex: every kernel is a fused group, far fewer kernels than ops', () => {
    const g = stepOf('data c: [50] = rand(seed: 3)\nparam p: [50] in simplex = uniform\nminimize cost = dot(c, p) + 0.01 * sum(p * log(p)) over p in mirror(entropy) by gd(lr: 1.0) for 3 steps\n');
    const ks = kernelsOf(g);
    expect(ks.every((k) => k.fused)).toBe(true);
    expect(ks.length).toBeLessThan(g.eqns.filter((e) => e.op !== 'const' && e.op !== 'reshape').length / 3);
  });

  it('pairwise interaction energy: 3 kernels, and the [m, m] pair tensor is never materialized', () => {
    const src = 'use std.wasserstein\nparticles theta: [64, 2] = 0.25 * randn(seed: 3)\nminimize half_W = 0.5 * ring_energy(theta) over theta by gd(lr: 0.01) for 3 steps\n';
    const g = stepOf(src);
    const unfused = stripTags(g);
    // Without fusion the pair tensors are materialized (the check below can see them).
    expect(materializedPairTensors(unfused)[0]!.vars.length).toBeGreaterThan(0);
    const sites = materializedPairTensors(g);
    expect(sites).toHaveLength(1);
    expect(sites[0]!.m).toBe(64);
    expect(sites[0]!.vars).toEqual([]);
    // forward + backward pair region, the scalar objective, the update
    expect(kernelsOf(g)).toHaveLength(3);
    expect(printKernels(g)).toContain('the [64,64] pair tensor is never materialized');
    // `gd compile --dump fused` prints what gd run runs: the same step plus its finiteness probe
    // (objective + sum(theta' * 0)), which joins the update and objective kernels instead of adding one.
    const fr = front('t.gd', src, host);
    const probed = compileSolve(fr.checked!, solveItems(fr.checked!)[0]!, 'O1', { probe: true }).step;
    expect(probed.eqns.length).toBeGreaterThan(g.eqns.length);
    expect(kernelsOf(probed)).toHaveLength(3);
    const text = dump(fr, 'fused');
    expect(text.split('\n').slice(0, 2)).toEqual(['# minimize half_W', 'kernels per step: 3 (3 fused, ' + probed.eqns.length + ' equations)']);
  });
});

function stripTags(g: Graph): Graph {
  return {
    ...g,
    eqns: g.eqns.map((e) => {
      const { [FUSED_ATTR]: _t, ...attrs } = e.attrs;
      return { ...e, attrs };
    }),
  };
}

/**
 * Evaluates a graph kernel by kernel, in kernelsOf order: each kernel sees only values already in
 * memory (graph inputs, constants, views, earlier kernels' writes) and leaves only its writes. A
 * kernel reading something not yet written, or an output never written, throws — so equal results
 * mean the kernel split is complete and correctly ordered.
 */
function evalByKernels(g: Graph, inputs: InterpretInputs): Record<string, Float64Array> {
  const mem = evalGraph({ inputs: g.inputs, eqns: [], outputs: [] }, inputs);
  const free = g.eqns.filter((e) => e.op === 'const' || (e.op === 'reshape' && e.attrs[FUSED_ATTR] === undefined));
  const settleFree = () => {
    for (let again = true; again; ) {
      again = false;
      for (const e of free) {
        if (mem.has(e.out.id) || !e.inputs.every((v) => mem.has(v.id))) continue;
        const sub: Graph = { inputs: [], eqns: [e], outputs: [] };
        const env = evalGraph({ ...sub, inputs: e.inputs.map((v, k) => ({ var: v, name: `i${k}`, role: 'data' as const })) }, Object.fromEntries(e.inputs.map((v, k) => [`i${k}`, mem.get(v.id)!.data])));
        mem.set(e.out.id, env.get(e.out.id)!);
        again = true;
      }
    }
  };
  settleFree();
  for (const k of kernelsOf(g)) {
    for (const r of k.reads) if (!mem.has(r)) throw new Error(`kernel reads %${r} before it is in memory`);
    const eqns = k.eqns.map((i) => g.eqns[i]!);
    const ins = k.reads.map((id, n) => ({ var: findVar(g, id), name: `r${n}`, role: 'data' as const }));
    const env = evalGraph({ inputs: ins, eqns, outputs: [] }, Object.fromEntries(k.reads.map((id, n) => [`r${n}`, mem.get(id)!.data])));
    for (const w of k.writes) mem.set(w, env.get(w)!);
    settleFree();
  }
  const out: Record<string, Float64Array> = {};
  for (const o of g.outputs) {
    const v = mem.get(o.var.id);
    if (!v) throw new Error(`output ${o.name} never written`);
    out[`${o.role}:${o.name}`] = Float64Array.from(v.data);
  }
  return out;
}

function findVar(g: Graph, id: number) {
  return g.inputs.find((i) => i.var.id === id)?.var ?? g.eqns.find((e) => e.out.id === id)!.out;
}

function feed(g: Graph): Record<string, Float64Array> {
  return feedGraph(g);
}

const dir = fileURLToPath(new URL('../../examples/', import.meta.url));
const examples = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.gd')) : [];

/** Fused kernel-by-kernel evaluation equals the unfused graph exactly and the interpreter to 1e-4, for every solve of a program. */
function expectFusionPreservesValues(file: string, text: string): void {
  const fr = front(file, text, host);
  expect(fr.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`)).toEqual([]);
  for (const item of solveItems(fr.checked!)) {
    const raw = compileSolve(fr.checked!, item, 'O0').step;
    const fused = runPasses(raw, 'O1');
    const unfused = stripTags(fused);
    const values = feed(raw);
    const ref = interpret(raw, values);
    const a = evalByKernels(fused, values);
    const u = interpret(unfused, values);
    for (const o of raw.outputs) {
      const r = ref[o.name]!.data;
      const x = a[`${o.role}:${o.name}`]!;
      const y = u[o.name]!.data;
      r.forEach((rv, i) => {
        if (Number.isNaN(rv)) {
          expect(x[i]).toBeNaN();
          return;
        }
        expect(x[i]).toBe(y[i]); // same ops, same float64 kernels: kernel-by-kernel is exact
        expect(Math.abs(x[i]! - rv)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(rv)));
      });
    }
  }
}

describe('fused vs unfused vs interpreter on every example', () => {
  for (const f of examples) {
    it(f, () => expectFusionPreservesValues(dir + f, readFileSync(dir + f, 'utf8')));
  }

  it('groups that are each legal but wait on each other are split (Adam on a batched tanh MLP)', () => {
    // Found by the sketch example with adam: two kernels each read the other's output ("cycle").
    const text = readFileSync(dir + 'sketch-decode.gd', 'utf8').replace(/by momentum\([^)]*\)/, 'by adam(lr: 0.05)');
    expect(text).toContain('by adam(lr: 0.05)');
    const fr = front(dir + 'sketch-decode.gd', text, host);
    for (const item of solveItems(fr.checked!)) expect(() => kernelsOf(compileSolve(fr.checked!, item, 'O1').step)).not.toThrow();
    expectFusionPreservesValues(dir + 'sketch-decode.gd', text);
  });
});
