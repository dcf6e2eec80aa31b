/**
 * std.semiamortized reproductions (PAPERS.md) on the SO(2) toy, through the real pipeline on wasm: 20 template
 * points, 64 images y_i = R(phi_i) P + 0.05 noise, latents from phi_i + U(−0.8, 0.8), loss mean_k |R(phi) p_k − y_ik|².
 * Plain GD reaches the Procrustes angle atan2(Σ p×y, Σ p·y) (computed here in float64); lazy Adam on batches
 * of 16 with 5 steps per batch reaches a median error < 5e-3 in 30 epochs (dense Adam stalls near 0.1 rad); winner-takes-all over three heads
 * picks the +0.01 head everywhere and gives the others exactly zero gradient.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logged, runSource } from './run-source.js';

let s = 777;
const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
const normal = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
const K = 20;
const N = 64;
const px = Array.from({ length: K }, normal);
const py = Array.from({ length: K }, normal);
const phi = Array.from({ length: N }, () => 2 * Math.PI * u() - Math.PI);
const Yx = phi.map((a) => px.map((x, k) => Math.cos(a) * x - Math.sin(a) * py[k]! + 0.05 * normal()));
const Yy = phi.map((a) => px.map((x, k) => Math.sin(a) * x + Math.cos(a) * py[k]! + 0.05 * normal()));
const start = phi.map((a) => a + 1.6 * u() - 0.8);
const procrustes = Yx.map((yx, i) => {
  let cross = 0;
  let dot = 0;
  for (let k = 0; k < K; k++) {
    cross += px[k]! * Yy[i]![k]! - py[k]! * yx[k]!;
    dot += px[k]! * yx[k]! + py[k]! * Yy[i]![k]!;
  }
  return Math.atan2(cross, dot);
});
const wrap = (a: number) => Math.abs(Math.atan2(Math.sin(a), Math.cos(a)));
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const files = {
  'px.json': JSON.stringify(px),
  'py.json': JSON.stringify(py),
  'Yx.json': JSON.stringify(Yx),
  'Yy.json': JSON.stringify(Yy),
  'start.json': JSON.stringify(start),
  'phi.json': JSON.stringify(phi),
};
const header = `use std.semiamortized
data px: [${K}] = load("px.json")
data py: [${K}] = load("py.json")
data Yx: [${N}, ${K}] = load("Yx.json")
data Yy: [${N}, ${K}] = load("Yy.json")
data start: [${N}] = load("start.json")
data phi_true: [${N}] = load("phi.json")
`;
const savedPhi = (dir: string): number[] =>
  (JSON.parse(readFileSync(join(dir, 'run', 'phi.json'), 'utf8')) as Record<string, { data: number[] }>).phi!.data;

const decode = (state: 'lazy' | 'dense', steps = 600) => `${header}data Bx: [${N}, ${K}] = Yx batch 16
data By: [${N}, ${K}] = Yy batch 16
param phi: [${N}] per Bx = start
minimize fit = sum(so2_loss(phi, px, py, Bx, By)) over phi by adam(lr: 0.05, beta1: 0.9, beta2: 0.9, batch_steps: 5, state: ${state}) for ${steps} steps
save phi to "phi.json"
`;

describe('std.semiamortized', () => {
  it('plain GD (lr 0.05, 300 steps) reaches the Procrustes angle of every image to 1e-5 (float32)', async () => {
    const res = await runSource(
      `${header}param phi: [${N}] = start
minimize fit = sum(so2_loss(phi, px, py, Yx, Yy)) over phi by gd(lr: 0.05) for 300 steps
save phi to "phi.json"
`,
      { files, writeRun: true },
    );
    const got = savedPhi(res.dir);
    const errs = got.map((g, i) => wrap(g - procrustes[i]!));
    expect(Math.max(...start.map((a, i) => wrap(a - procrustes[i]!)))).toBeGreaterThan(0.5);
    expect(Math.max(...errs)).toBeLessThan(1e-5);
  });

  it('lazy Adam, batches of 16, 5 steps per batch, 30 epochs: median error < 5e-3 (dense: stalls near 0.1); batch_steps holds each batch', async () => {
    const lazy = await runSource(decode('lazy'), { files, writeRun: true });
    const errLazy = savedPhi(lazy.dir).map((g, i) => wrap(g - procrustes[i]!));
    expect(median(errLazy)).toBeLessThan(5e-3);
    // PAPERS.md: dense Adam (state: dense) keeps moving rows outside the batch on stale moments and stalls
    // near 0.1 rad median error on this toy (measured 0.095), far from lazy.
    const dense = await runSource(decode('dense'), { files, writeRun: true });
    const errDense = savedPhi(dense.dir).map((g, i) => wrap(g - procrustes[i]!));
    expect(median(errDense)).toBeGreaterThan(0.05);
    expect(median(errDense)).toBeGreaterThan(10 * median(errLazy));
    // batch_steps holds each batch: after 5 steps exactly 16 rows moved (48 with one step per batch, 3 batches).
    const five = savedPhi((await runSource(decode('lazy', 5), { files, writeRun: true })).dir);
    const once = savedPhi((await runSource(decode('lazy', 3).replace('batch_steps: 5', 'batch_steps: 1'), { files, writeRun: true })).dir);
    const moved = (v: number[]) => v.filter((x, i) => Math.fround(x) !== Math.fround(start[i]!)).length;
    expect(moved(five)).toBe(16);
    expect(moved(once)).toBe(48);
  }, 60_000);

  it('winner-takes-all, heads at +pi/2, +0.01, −2: the +0.01 head wins every image, the others get exactly zero gradient', async () => {
    const res = await runSource(
      `${header}param heads: [${N}, 3] = outer(phi_true, [1, 1, 1]) + [1.5708, 0.01, -2]
minimize wta = wta_loss(so2_losses(heads, px, py, Yx, Yy)) over heads by gd(lr: 0.05) for 1 steps
  log every 1: winners = sum(wta_winner(so2_losses(heads, px, py, Yx, Yy)), axis: 0),
    g0 = sum(abs(grad(wta, heads)[:, 0])), g1 = min(abs(grad(wta, heads)[:, 1])), g2 = sum(abs(grad(wta, heads)[:, 2])),
    check = max(abs(so2_losses(heads, px, py, Yx, Yy)[:, 1] - so2_loss(heads[:, 1], px, py, Yx, Yy)))
`,
      { files },
    );
    const first = res.log[0]!.values;
    expect(first.winners).toEqual([0, N, 0]);
    expect(first.g0).toBe(0);
    expect(first.g2).toBe(0);
    expect(first.g1 as number).toBeGreaterThan(0);
    // so2_losses (expanded form) agrees with the direct per-image loss.
    expect(first.check as number).toBeLessThan(1e-5);
    expect(logged(res, 'g0').every((v) => v === 0)).toBe(true);
  });
});
