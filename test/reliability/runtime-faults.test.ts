/** Reliability of `gd run` on real programs (parse → check → compile → run): resume, faults, determinism, SIGINT. */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileSolve, front } from '../../compiler/pipeline.js';
import type { CheckedProgram } from '../../compiler/check/checked.js';
import { selectBackend } from '../../runtime/backend.js';
import { nodeFiles } from '../../runtime/node-files.js';
import { runProgram, type RunOptions } from '../../runtime/run.js';

const ROOT = join(import.meta.dirname, '../..');
const tmp = () => mkdtempSync(join(tmpdir(), 'gd-rel-'));

/** Checks a program written to a temp folder; fails the test on diagnostics. */
function checkedOf(text: string): { checked: CheckedProgram; file: string } {
  const file = join(tmp(), 'prog.gd');
  writeFileSync(file, text);
  const fr = front(file, text, nodeFiles);
  if (!fr.checked) throw new Error(fr.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return { checked: fr.checked, file };
}

const opts = (checked: CheckedProgram, o: Partial<RunOptions> = {}): RunOptions => ({
  backend: 'wasm',
  seed: 0,
  outDir: null,
  compileStep: (item) => compileSolve(checked, item),
  ...o,
});

beforeAll(async () => {
  await selectBackend('wasm');
});

const BATCHED = `
data X: [64, 5] = randn(seed: 1) batch 16
data w_true: [5] = randn(seed: 2)
data y: [64] = X @ w_true batch 16
param w: [5] = zeros
minimize loss = 0.5 * mean((X @ w - y)^2) over w by adam(lr: 0.05) for 40 steps
  log every 10: loss
  checkpoint every 10
minimize loss2 = 0.5 * mean((X @ w - y)^2) over w by langevin(lr: 0.01, temperature: 0.001) for 15 steps
  log every 5: loss2
  checkpoint every 5
`;

describe('gd run reliability', () => {
  it('an interrupted and resumed run equals the uninterrupted one, bit for bit', async () => {
    const { checked } = checkedOf(BATCHED);
    const full = await runProgram(checked, opts(checked, { seed: 7, outDir: join(tmp(), 'full') }));
    expect(full.status).toBe('ok');
    expect(full.steps).toBe(55);
    // Interrupt mid-way through adam (moments and batch order in flight), at the boundary between the
    // solves, in langevin (noise) and exactly at one of its periodic checkpoints.
    for (const cutAt of [23, 40, 47, 50]) {
      const dir = join(tmp(), `cut${cutAt}`);
      const ctl = new AbortController();
      const cut = await runProgram(checked, opts(checked, { seed: 7, outDir: dir, signal: ctl.signal, onProgress: (p) => p.globalStep === cutAt && ctl.abort() }));
      expect(cut.status).toBe('interrupted');
      expect(cut.steps).toBe(cutAt);
      const resumed = await runProgram(checked, opts(checked, { seed: 7, outDir: dir, resumeFrom: dir }));
      expect(resumed.status).toBe('ok');
      expect(Array.from(resumed.params['w']!.data)).toEqual(Array.from(full.params['w']!.data));
      expect(resumed.log).toEqual(full.log);
      expect(readFileSync(join(dir, 'metrics.csv'), 'utf8')).toBe(readFileSync(join(full.runDir!, 'metrics.csv'), 'utf8'));
    }
  }, 60_000);

  it('a compiled program keeps the tensor count flat over its steps and frees everything at the end', async () => {
    const { checked } = checkedOf(`
data X: [64, 5] = randn(seed: 1) batch 16
data y: [64] = X @ [1, 2, 3, 4, 5] batch 16
param w: [5] = zeros
minimize loss = 0.5 * mean((X @ w - y)^2) + 0.01 * norm(w)^2 over w by adam(lr: 0.01, clip: 1.0) for 1000 steps
  log every 100: loss
`);
    const tf = await import('@tensorflow/tfjs-core');
    const before = tf.memory().numTensors;
    const counts = new Map<number, number>();
    const res = await runProgram(checked, opts(checked, { onProgress: (p) => (p.t === 10 || p.t === 1000) && counts.set(p.t, tf.memory().numTensors) }));
    expect(res.status).toBe('ok');
    expect(counts.get(1000)).toBe(counts.get(10));
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('the same seed gives identical numbers, another seed different ones', async () => {
    const { checked } = checkedOf(BATCHED);
    const a = await runProgram(checked, opts(checked, { seed: 1, steps: 12 }));
    const b = await runProgram(checked, opts(checked, { seed: 1, steps: 12 }));
    const c = await runProgram(checked, opts(checked, { seed: 2, steps: 12 }));
    expect(Array.from(a.params['w']!.data)).toEqual(Array.from(b.params['w']!.data));
    expect(a.log).toEqual(b.log);
    expect(Array.from(a.params['w']!.data)).not.toEqual(Array.from(c.params['w']!.data));
  });

  it('a diverging run stops with GD4006 at the first non-finite objective and checkpoints the last finite state', async () => {
    const { checked } = checkedOf('param w: [3] = ones\nminimize loss = sum(w^2) over w by gd(lr: 10) for 60 steps\n');
    const dir = join(tmp(), 'nan');
    const res = await runProgram(checked, opts(checked, { outDir: dir }));
    // Independent float32 simulation: w <- w - 10 * 2w; the objective of step k is evaluated before it.
    let w = 1;
    let step = 1;
    while (Number.isFinite(Math.fround(3 * Math.fround(w * w)))) {
      w = Math.fround(w - Math.fround(10 * Math.fround(2 * w)));
      step++;
    }
    expect(res.status).toBe('error');
    expect(res.diagnostics[0]!.code).toBe('GD4006');
    expect(res.diagnostics[0]!.message).toBe(`objective 'loss' became Infinity at step ${step}`);
    const ck = JSON.parse(readFileSync(join(dir, 'checkpoint', 'checkpoint.json'), 'utf8'));
    expect(ck.globalStep).toBe(step - 1);
    expect(Array.from(res.params['w']!.data)).toEqual([w, w, w]);
  });

  describe('the step graph\'s own finiteness probe (compileSolve probe: true, what gd run compiles) reports what the host-side probe reports', () => {
    const withProbe = (checked: CheckedProgram) => opts(checked, { compileStep: (item) => compileSolve(checked, item, 'O1', { probe: true }) });

    it('the probe is a step output only when asked for', () => {
      const { checked } = checkedOf('param w: [1] = ones\nminimize loss = -sum(w) over w by gd(lr: 1e38) for 10 steps\n');
      const item = checked.plan.find((p) => p.kind === 'solve')!;
      const sp = compileSolve(checked, item as Parameters<typeof compileSolve>[1], 'O1', { probe: true });
      expect(sp.step.outputs.filter((o) => o.role === 'probe').map((o) => o.name)).toEqual(['finite']);
      expect(compileSolve(checked, item as Parameters<typeof compileSolve>[1]).step.outputs.some((o) => o.role === 'probe')).toBe(false);
    });

    it('a param that overflows while the objective is still finite: GD4006 names the param and step, both ways', async () => {
      // w: 1 -> 1e38 -> 2e38 -> 3e38 -> 4e38 = Infinity in float32 (max 3.4e38) at step 4; the objective
      // -sum(w) before step 4 is -3e38, finite, so only the update's probe term can see it.
      const { checked } = checkedOf('param w: [1] = ones\nminimize loss = -sum(w) over w by gd(lr: 1e38) for 10 steps\n');
      for (const o of [withProbe(checked), opts(checked)]) {
        const res = await runProgram(checked, o);
        expect(res.status).toBe('error');
        expect(res.diagnostics[0]!.code).toBe('GD4006');
        expect(res.diagnostics[0]!.message).toBe("param 'w' became Infinity at step 4");
        expect(Array.from(res.params['w']!.data)).toEqual([Math.fround(3e38)]);
      }
    });

    it('an objective that overflows first: the same diagnostic both ways', async () => {
      const { checked } = checkedOf('param w: [3] = ones\nminimize loss = sum(w^2) over w by gd(lr: 10) for 60 steps\n');
      const a = await runProgram(checked, withProbe(checked));
      const b = await runProgram(checked, opts(checked));
      expect(a.diagnostics[0]!.message).toMatch(/^objective 'loss' became Infinity at step \d+$/);
      expect(a.diagnostics[0]!.message).toBe(b.diagnostics[0]!.message);
      expect(Array.from(a.params['w']!.data)).toEqual(Array.from(b.params['w']!.data));
    });
  });

  it('bad data is a diagnostic naming file, row and column, not an exception', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'X.csv'), 'a,b\n1,2\n3,x\n');
    const text = 'data X: [2, 2] = load("X.csv")\nparam w: [2] = zeros\nminimize loss = sum((X @ w - 1)^2) over w by gd(lr: 0.1) for 3 steps\n';
    const file = join(dir, 'prog.gd');
    writeFileSync(file, text);
    const fr = front(file, text, nodeFiles);
    // The checker may already reject the file while reading its header; otherwise the runtime must.
    const diags = fr.checked ? (await runProgram(fr.checked, opts(fr.checked))).diagnostics : fr.diagnostics;
    const d = diags.find((x) => x.code === 'GD4004')!;
    expect(d.message).toBe(`${join(dir, 'X.csv')}:3:2: 'x' is not a number`);
  });

  it('SIGINT through the CLI checkpoints and exits 130 with GD4007', async () => {
    const dir = tmp();
    const file = join(dir, 'long.gd');
    writeFileSync(file, 'data A: [32, 32] = randn(seed: 1)\nparam x: [32] = zeros\nminimize f = sum((A @ x - 1)^2) over x by gd(lr: 0.0001) for 1000000 steps\n  log every 20: f\n');
    const out = join(dir, 'run');
    const script = join(ROOT, 'test/reliability/gd-run-source.mts');
    const child = spawn(process.execPath, ['--import', 'tsx', script, file, '--out', out, '--seed', '3'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (b: Buffer) => {
        stdout += b.toString();
        if (!sent && (stdout.match(/^step /gm) ?? []).length >= 3) {
          sent = true; // a second SIGINT means "exit now", so send exactly one
          child.kill('SIGINT');
        }
      });
      child.on('exit', (c) => resolve(c));
      setTimeout(() => child.kill('SIGKILL'), 90_000);
    });
    expect(code).toBe(130);
    expect(stderr).toContain('error[GD4007]: interrupted at step');
    expect(stderr).toContain(`--resume ${join(out, 'checkpoint')}`);
    expect(stderr).not.toMatch(/at .*\.(js|ts):\d+/);
    expect(existsSync(join(out, 'checkpoint', 'checkpoint.json'))).toBe(true);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.status).toBe('interrupted');
    expect(stdout).toMatch(/^step 0\/1000000  f=\d/m);
  }, 120_000);

  it('--json prints exactly one JSON object with the result', async () => {
    const dir = tmp();
    const file = join(dir, 'ls.gd');
    writeFileSync(file, 'data X: [20, 3] = randn(seed: 1)\ndata y: [20] = X @ [1, 2, 3]\nparam w: [3] = zeros\nminimize loss = 0.5 * mean((X @ w - y)^2) over w by gd(lr: 0.2) for 200 steps\n  log every 100: loss\n');
    const script = join(ROOT, 'test/reliability/gd-run-source.mts');
    const child = spawn(process.execPath, ['--import', 'tsx', script, file, '--json', '--out', join(dir, 'run')], { cwd: ROOT });
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const r = JSON.parse(stdout);
    expect(r).toMatchObject({ status: 'ok', program: file, backend: 'wasm', seed: 0, steps: 200, objective: { name: 'loss' } });
    expect(r.params.w.shape).toEqual([3]);
    r.params.w.data.forEach((v: number, i: number) => expect(v).toBeCloseTo(i + 1, 3));
    expect(r.log.map((row: { step: number }) => row.step)).toEqual([0, 100, 200]);
    expect(r.log[2].loss).toBeCloseTo(r.objective.value, 6);
  }, 120_000);
});
