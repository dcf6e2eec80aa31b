/** Generated JavaScript fused kernels (compiler/backends/kernel-js.ts) against the float64 interpreter: every kernel of every example that compiles, and the pairwise kernels by construction. */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Graph } from '../../compiler/ir/ir.js';
import { evalGraph } from '../../compiler/ir/interpret.js';
import { compileSolve, front, solveItems } from '../../compiler/pipeline.js';
import { kernelsOf } from '../../compiler/passes/kernels.js';
import { compileKernelJs } from '../../compiler/backends/kernel-js.js';
import '../../runtime/std/index.js';
import { feedGraph } from '../helpers/feeds.js';

const host = {
  readText: (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined),
  readBytes: (p: string, max?: number) => (existsSync(p) ? new Uint8Array(readFileSync(p)).slice(0, max) : undefined),
  size: (p: string) => (existsSync(p) ? statSync(p).size : undefined),
};

function feed(g: Graph): Record<string, Float64Array> {
  return feedGraph(g, { normalParticles: true });
}

/** Checks every compilable fused kernel of the step against the interpreter; returns how many were checked. */
function checkKernels(step: Graph): number {
  const env = evalGraph(step, feed(step));
  let checked = 0;
  for (const k of kernelsOf(step)) {
    if (!k.fused) continue;
    const js = compileKernelJs(step, k);
    if (!js) continue;
    const outs = js.run(js.reads.map((id) => Float32Array.from(env.get(id)!.data)));
    js.writes.forEach((id, w) => {
      const ref = env.get(id)!.data;
      const got = outs[w]!;
      expect(got.length).toBe(ref.length);
      let scale = 1;
      for (const x of ref) if (Number.isFinite(x)) scale = Math.max(scale, Math.abs(x));
      // One assertion per write (per-element expects are slow on [512, 1024] values): the worst element.
      let worst = 0;
      let mismatch = -1;
      ref.forEach((r, i) => {
        const x = got[i]!;
        if (Number.isNaN(r) || !Number.isFinite(r)) {
          if (!Object.is(x, Math.fround(r)) && !(Number.isNaN(r) && Number.isNaN(x))) mismatch = i;
        } else worst = Math.max(worst, Math.abs(x - r));
      });
      expect(mismatch).toBe(-1);
      expect(worst).toBeLessThanOrEqual(1e-4 * scale);
    });
    checked++;
  }
  return checked;
}

function stepOf(src: string): Graph {
  const fr = front('t.gd', src, host);
  if (!fr.checked) throw new Error(fr.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return compileSolve(fr.checked, solveItems(fr.checked)[0]!).step;
}

describe('JS fused kernels', () => {
  it('the pairwise interaction energy: forward + backward kernel over [m, m, 2] compiles and matches', () => {
    const g = stepOf('use std.wasserstein\nparticles theta: [48, 2] = 0.25 * randn(seed: 3)\nminimize half_W = 0.5 * ring_energy(theta) over theta by gd(lr: 0.01) for 3 steps\n');
    const big = kernelsOf(g).find((k) => k.space.length === 3 && k.space[0] === 48 && k.space[1] === 48)!;
    const js = compileKernelJs(g, big);
    expect(js).not.toBeNull();
    expect(checkKernels(g)).toBe(kernelsOf(g).filter((k) => k.fused).length);
  });

  it('exponentiated gradient kernels (logs, exps, normalizer reductions) match', () => {
    const g = stepOf('data c: [300] = rand(seed: 3)\nparam p: [300] in simplex = uniform\nminimize cost = dot(c, p) + 0.01 * sum(p * log(p)) over p in mirror(entropy) by gd(lr: 1.0) for 3 steps\n');
    expect(checkKernels(g)).toBeGreaterThanOrEqual(4);
  });

  const dir = fileURLToPath(new URL('../../examples/', import.meta.url));
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.gd')) : [];
  for (const f of files) {
    it(`every compilable kernel of ${f}`, () => {
      const fr = front(dir + f, readFileSync(dir + f, 'utf8'), host);
      if (!fr.checked) return;
      for (const item of solveItems(fr.checked)) checkKernels(compileSolve(fr.checked, item).step);
    });
  }
});
