/**
 * std.unlearn reproductions (PAPERS.md), through the real pipeline on wasm: replaying the captured
 * first-step forget gradient equals retraining without the forget set (least squares, n = 20, d = 5,
 * eta 0.01); ascent restricted to chosen params (or a mask) leaves everything else bit-identical; the
 * calibrated stop of live ascent; the example's forget/retain report.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logged, runSource } from './run-source.js';

function normals(seed: number, count: number): number[] {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  return Array.from({ length: count }, () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

const n = 20;
const d = 5;
const X = Array.from({ length: n }, (_, i) => normals(10 + i, d));
const y = X.map((x, i) => x.reduce((s, v, j) => s + v * [1, -2, 0.5, 0, 3][j]!, 0) + 0.1 * normals(50 + i, 1)[0]!);
const f = Array.from({ length: n }, (_, i) => (i % 7 === 2 ? 1 : 0));
const w0 = normals(99, d);
const files = { 'X.json': JSON.stringify(X), 'y.json': JSON.stringify(y), 'f.json': JSON.stringify(f), 'w0.json': JSON.stringify(w0) };
const header = `use std.unlearn
data X: [${n}, ${d}] = load("X.json")
data y: [${n}] = load("y.json")
data f: [${n}] = load("f.json")
data w0: [${d}] = load("w0.json")
param w: [${d}] = w0
def rows(w) = 0.5 * (X @ w - y)^2
`;

const saved = (dir: string, file: string, name: string): number[] =>
  (JSON.parse(readFileSync(join(dir, 'run', file), 'utf8')) as Record<string, { data: number[] }>)[name]!.data;

describe('std.unlearn', () => {
  it('least squares: one full-batch step, then + eta g_f = retraining without the forget set (float32 rounding)', async () => {
    const unlearned = await runSource(
      header +
        `param gf: [${d}] = zeros
phase train {
  init gf from grad(forget_sum(rows(w), f), w)
  minimize L = sum(rows(w)) over w by gd(lr: 0.01) for 1 steps
}
save w to "trained.json"
init w from unlearn_replay(w, gf, 0.01)
save w to "w.json"
`,
      { files, writeRun: true },
    );
    const retrained = await runSource(header + 'minimize L = retain_sum(rows(w), f) over w by gd(lr: 0.01) for 1 steps\nsave w to "w.json"\n', {
      files,
      writeRun: true,
    });
    const a = saved(unlearned.dir, 'w.json', 'w');
    const b = saved(retrained.dir, 'w.json', 'w');
    const trained = saved(unlearned.dir, 'trained.json', 'w');
    // Independent float64 reference: w0 − eta Σ_{retain} x_i (x_i·w0 − y_i).
    const ref = w0.map((v, j) => v - 0.01 * X.reduce((s, x, i) => s + (1 - f[i]!) * x[j]! * (x.reduce((t, u, k) => t + u * w0[k]!, 0) - y[i]!), 0));
    for (let j = 0; j < d; j++) {
      expect(Math.abs(a[j]! - b[j]!)).toBeLessThan(4 * 2 ** -23 * Math.max(1, Math.abs(b[j]!)));
      expect(Math.abs(b[j]! - ref[j]!)).toBeLessThan(1e-5);
    }
    // Not vacuous: the forget set moved the trained weights well beyond rounding.
    expect(Math.max(...trained.map((v, j) => Math.abs(v - b[j]!)))).toBeGreaterThan(1e-3);
  });

  it('ascent restricted to chosen params and masks: everything else is bit-identical', async () => {
    const mask = Array.from({ length: 24 }, (_, i) => ((i * 5) % 3 === 0 ? 1 : 0));
    const res = await runSource(
      `use std.unlearn
data X: [40, 3] = randn(seed: 1)
data y: [40] = tanh(X[:, 0]) - X[:, 2]
data f: [40] = randn([40], seed: 2) > 1
data m: [3, 8] = load("m.json")
param W1: [3, 8] = randn(seed: 4) * 0.5
param w2: [8] = randn(seed: 5) * 0.5
param gf: [3, 8] = zeros
def rows(W1, w2) = 0.5 * (tanh(X @ W1) @ w2 - y)^2
phase train {
  init gf from grad(forget_sum(rows(W1, w2), f), W1)
  minimize L = mean(rows(W1, w2)) over W1, w2 by adam(lr: 0.05) for 50 steps
}
save W1, w2 to "before.json"
phase ascent { maximize F = forget_loss(rows(W1, w2), f) over W1 by gd(lr: 0.05) for 10 steps }
save W1, w2 to "ascent.json"
init W1 from unlearn_masked(W1, gf, 0.5, m)
save W1, w2 to "masked.json"
`,
      { writeRun: true, files: { 'm.json': JSON.stringify(Array.from({ length: 3 }, (_, i) => mask.slice(8 * i, 8 * i + 8))) } },
    );
    const f32 = (a: number[]) => Array.from(new Float32Array(a));
    const before = { W1: saved(res.dir, 'before.json', 'W1'), w2: saved(res.dir, 'before.json', 'w2') };
    const ascent = { W1: saved(res.dir, 'ascent.json', 'W1'), w2: saved(res.dir, 'ascent.json', 'w2') };
    const masked = { W1: saved(res.dir, 'masked.json', 'W1'), w2: saved(res.dir, 'masked.json', 'w2') };
    expect(f32(ascent.w2)).toEqual(f32(before.w2));
    expect(f32(masked.w2)).toEqual(f32(before.w2));
    expect(ascent.W1.some((v, i) => v !== before.W1[i])).toBe(true);
    // Exactly the masked-in entries change; the others keep their bits.
    const changed = masked.W1.map((v, i) => Math.fround(v) !== Math.fround(ascent.W1[i]!));
    expect(changed).toEqual(mask.map((v) => v === 1));
  });

  it('live ascent stops at the calibrated point: the first step where the forget loss reaches the held-out level', async () => {
    const res = await runSource(
      header +
        `data Xh: [5, ${d}] = randn(seed: 7)
data yh: [5] = Xh @ [1, -2, 0.5, 0, 3]
phase train { minimize L = sum(rows(w)) over w by gd(lr: 0.01) for 100 steps }
phase ascent {
  maximize F = forget_loss(rows(w), f) over w by gd(lr: 0.002)
    until unlearned(forget_loss(rows(w), f), 0.5 * mean((Xh @ w - yh)^2), 2) max 500 steps
    log every 1: F, h = 0.5 * mean((Xh @ w - yh)^2)
}
`,
      { files },
    );
    const F = logged(res, 'F');
    const h = logged(res, 'h');
    expect(F.length).toBeGreaterThan(2);
    expect(F.length).toBeLessThan(500);
    expect(F.at(-1)!).toBeGreaterThanOrEqual(2 * h.at(-1)!);
    for (let t = 0; t + 1 < F.length; t++) expect(F[t]!).toBeLessThan(2 * h[t]!);
  });

  it('examples/unlearn-mlp.gd: forget loss rises to the held-out level, retain loss stays low', async () => {
    const text = readFileSync(new URL('../../examples/unlearn-mlp.gd', import.meta.url), 'utf8');
    const res = await runSource(text);
    const forget = logged(res, 'forget');
    const retain = logged(res, 'retain');
    const heldout = logged(res, 'heldout');
    // train rows: 0, 200, 400; ascent rows after.
    expect(forget[2]!).toBeLessThan(heldout[2]! / 2); // memorized
    expect(forget.at(-1)!).toBeGreaterThanOrEqual(heldout.at(-1)!); // unlearned to the calibrated level
    expect(retain.at(-1)!).toBeLessThan(0.1);
  });
});
