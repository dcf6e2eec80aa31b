/**
 * Every example runs through the real CLI (`gd run --json`, default wasm backend) and produces a result
 * that means something; two closed forms are checked end to end with data the test writes itself.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gd } from '../helpers/cli.js';

interface RunJson {
  status: string;
  steps: number;
  objective: { name: string; value: number };
  params: Record<string, { shape: number[]; data: number[] }>;
  log: Array<Record<string, number | number[]>>;
  run_dir?: string;
}

const exampleDir = join(import.meta.dirname, '../../examples');
const examples = readdirSync(exampleDir).filter((f) => f.endsWith('.gd'));
// Examples whose full length is a benchmark rather than a test run with fewer steps here.
const SHORTENED: Record<string, number> = { 'mfld.gd': 60 };

function runJson(file: string, extra: string[] = []): RunJson {
  const out = mkdtempSync(join(tmpdir(), 'gd-run-'));
  const r = gd(['run', file, '--json', '--out', out, ...extra], { timeoutMs: 240_000 });
  expect(r.stderr.includes('    at ')).toBe(false);
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(1); // exactly one JSON object on stdout
  const j = JSON.parse(lines[0]!) as RunJson;
  expect(existsSync(join(out, 'metrics.csv'))).toBe(true);
  expect(existsSync(join(out, 'params.json'))).toBe(true);
  expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).status).toBe('ok');
  return j;
}

describe('every example runs', () => {
  it.each(examples)('%s', (ex) => {
    const steps = SHORTENED[ex];
    const j = runJson(`examples/${ex}`, steps ? ['--steps', String(steps)] : []);
    expect(j.status).toBe('ok');
    expect(Number.isFinite(j.objective.value)).toBe(true);
    for (const p of Object.values(j.params)) {
      expect(p.data.length).toBe(p.shape.reduce((a, b) => a * b, 1));
      expect(p.data.every(Number.isFinite)).toBe(true);
    }
    const logged = j.log.map((row) => row[j.objective.name]).filter((v): v is number => typeof v === 'number');
    if (logged.length >= 2) expect(logged[logged.length - 1]!).toBeLessThan(logged[0]!);
  });

  it('ifgsm stays inside the linf ball and increases the loss', () => {
    const j = runJson('examples/ifgsm.gd');
    const d = j.params.delta!.data;
    expect(Math.max(...d.map(Math.abs))).toBeLessThanOrEqual(0.1 + 1e-7);
    // 20 signed steps of 0.01 reach the 0.1 boundary in every coordinate with a non-zero gradient.
    expect(d.filter((v) => Math.abs(Math.abs(v) - 0.1) < 1e-6).length).toBeGreaterThan(700);
  });
});

/** Solves the normal equations (X'X) w = X'y in float64 by Gaussian elimination: an independent reference. */
function normalEquations(X: number[][], y: number[]): number[] {
  const d = X[0]!.length;
  const A = Array.from({ length: d }, (_, i) => Array.from({ length: d + 1 }, (_, j) => (j < d ? X.reduce((s, r) => s + r[i]! * r[j]!, 0) : X.reduce((s, r, k) => s + r[i]! * y[k]!, 0))));
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[p]![c]!)) p = r;
    [A[c], A[p]] = [A[p]!, A[c]!];
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = A[r]![c]! / A[c]![c]!;
      for (let k = c; k <= d; k++) A[r]![k]! -= f * A[c]![k]!;
    }
  }
  return A.map((row, i) => row[d]! / A[i]![i]!);
}

describe('determinism', () => {
  it('the same program and seed give identical numbers whether named by a relative or an absolute path', () => {
    const a = runJson('examples/ridge.gd');
    const b = runJson(join(exampleDir, 'ridge.gd'));
    expect(b.params).toEqual(a.params);
    expect(b.log).toEqual(a.log);
  });
});

describe('closed forms through the CLI', () => {
  it('least squares with noisy targets reaches the normal-equation solution', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gd-ls-'));
    let s = 12345;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const X = Array.from({ length: 60 }, () => Array.from({ length: 4 }, rnd));
    const y = X.map((r) => r[0]! - 2 * r[1]! + 0.5 * r[3]! + 0.3 * rnd());
    writeFileSync(join(dir, 'X.csv'), X.map((r) => r.join(',')).join('\n') + '\n');
    writeFileSync(join(dir, 'y.csv'), y.join('\n') + '\n');
    writeFileSync(
      join(dir, 'ls.gd'),
      'data X: [n, d] = load("X.csv")\ndata y: [n] = load("y.csv")\nparam w: [d] = zeros\nminimize loss = 0.5 * mean((X @ w - y)^2) over w by gd(lr: 0.5) for 2000 steps\n',
    );
    const j = runJson(join(dir, 'ls.gd'));
    const ref = normalEquations(X, y);
    j.params.w!.data.forEach((v, i) => expect(v).toBeCloseTo(ref[i]!, 4));
  });

  it('entropic mirror descent with an entropy-regularised linear cost follows softmax(-c(1-0.99^k)/0.01)', () => {
    // log p+ = log p - lr (c + lam (log p + 1)) + const, from uniform: p_k = softmax(-c (1 - (1-lr lam)^k) / lam).
    const dir = mkdtempSync(join(tmpdir(), 'gd-eg-'));
    const c = [0.3, 0.1, 0.5, 0.25, 0.05];
    writeFileSync(join(dir, 'c.json'), JSON.stringify(c));
    writeFileSync(
      join(dir, 'eg.gd'),
      'data c: [5] = load("c.json")\nparam p: [5] in simplex = uniform\nminimize cost = dot(c, p) + 0.01 * sum(p * log(p)) over p in mirror(entropy) by gd(lr: 1.0) for 200 steps\n',
    );
    const j = runJson(join(dir, 'eg.gd'));
    const a = (1 - 0.99 ** 200) / 0.01;
    const z = c.map((ci) => Math.exp(-a * ci));
    const sum = z.reduce((x, y) => x + y, 0);
    j.params.p!.data.forEach((v, i) => expect(v).toBeCloseTo(z[i]! / sum, 5));
  });
});
