/**
 * The tool commands through the built CLI: `gd init` → check → run (compared with the least-squares
 * solution of the scaffold's own data, solved independently here), the run's metrics.svg rasterized and
 * inspected, `gd plot`, and `gd fmt` / `gd fmt --check`.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { format } from 'prettier';
import { gd, ROOT } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'gd-tools-'));

/** Solves the 3x3 normal equations of [x1 x2 1] · [w1 w2 b] ≈ y by Gaussian elimination (float64). */
function leastSquares(csv: string): number[] {
  const rows = csv.trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  const A = [0, 1, 2].map(() => [0, 0, 0, 0]);
  for (const [x1, x2, y] of rows) {
    const f = [x1!, x2!, 1];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) A[i]![j]! += f[i]! * f[j]!;
      A[i]![3]! += f[i]! * y!;
    }
  }
  for (let c = 0; c < 3; c++)
    for (let r = c + 1; r < 3; r++) {
      const m = A[r]![c]! / A[c]![c]!;
      for (let k = c; k < 4; k++) A[r]![k]! -= m * A[c]![k]!;
    }
  const x = [0, 0, 0];
  for (let r = 2; r >= 0; r--) x[r] = (A[r]![3]! - [0, 1, 2].slice(r + 1).reduce((s, k) => s + A[r]![k]! * x[k]!, 0)) / A[r]![r]!;
  return x;
}

/** Pixels of a rendered SVG that are neither white nor near-white (background), and the line's blue ones. */
function inkOf(svgFile: string): { width: number; height: number; ink: number; blue: number } {
  const png = new Resvg(readFileSync(svgFile, 'utf8'), { background: 'white' }).render();
  const px = png.pixels;
  let ink = 0;
  let blue = 0;
  for (let i = 0; i < px.length; i += 4) {
    const [r, g, b] = [px[i]!, px[i + 1]!, px[i + 2]!];
    if (r < 240 || g < 240 || b < 240) ink++;
    if (b > 150 && r < 90 && g > 90 && g < 150) blue++; // #1f77b4, the series line
  }
  return { width: png.width, height: png.height, ink, blue };
}

describe('gd init → check → run → plot', () => {
  const proj = join(tmp, 'proj');
  const run = join(proj, 'run1');
  beforeAll(() => {
    expect(gd(['init', proj]).code).toBe(0);
  });

  it('scaffolds a program, its csv and a README; refuses to overwrite', () => {
    for (const f of ['main.gd', 'data.csv', 'README.md']) expect(existsSync(join(proj, f))).toBe(true);
    expect(readFileSync(join(proj, 'main.gd'), 'utf8')).toContain('load("data.csv")');
    const again = gd(['init', proj]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exist/);
  });

  it('the scaffold checks clean, is formatted, and runs to the least-squares solution of its data', () => {
    const check = gd(['check', join(proj, 'main.gd')]);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(gd(['fmt', '--check', join(proj, 'main.gd')]).code).toBe(0);
    const r = gd(['run', join(proj, 'main.gd'), '--out', run, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const fit = JSON.parse(readFileSync(join(run, 'fit.json'), 'utf8')) as Record<string, { data: number[] }>;
    const [w1, w2, b] = leastSquares(readFileSync(join(proj, 'data.csv'), 'utf8'));
    expect(fit.w!.data[0]).toBeCloseTo(w1!, 3);
    expect(fit.w!.data[1]).toBeCloseTo(w2!, 3);
    expect(fit.b!.data[0]).toBeCloseTo(b!, 3);
  });

  it('the run wrote metrics.svg with one panel per logged scalar, drawn (ink in the plot area)', () => {
    const svg = readFileSync(join(run, 'metrics.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('>loss<');
    expect(svg).toContain('>gn<');
    const { width, height, ink, blue } = inkOf(join(run, 'metrics.svg'));
    expect(width).toBeGreaterThan(300);
    expect(height).toBeGreaterThan(300);
    expect(ink).toBeGreaterThan(2000);
    expect(blue).toBeGreaterThan(300); // two series lines of ~480 px each
  });

  it('gd plot redraws one metric; an unknown metric is an error naming the known ones', () => {
    const out = join(tmp, 'loss.svg');
    const r = gd(['plot', run, '--metric', 'loss', '--out', out]);
    expect(r.code).toBe(0);
    const svg = readFileSync(out, 'utf8');
    expect(svg).toContain('>loss<');
    expect(svg).not.toContain('>gn<');
    expect(inkOf(out).blue).toBeGreaterThan(150);
    const bad = gd(['plot', run, '--metric', 'nope']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/there are: loss, gn/);
  });
});

describe('gd fmt', () => {
  it('--check lists unformatted files and exits 1; fmt rewrites them (not one with syntax errors); then --check passes', () => {
    const a = join(tmp, 'a.gd');
    const b = join(tmp, 'b.gd');
    const bad = join(tmp, 'bad.gd');
    writeFileSync(a, 'dim  n=3 # keep me\nparam w:[n]=zeros\n');
    writeFileSync(b, 'dim n = 3\n');
    writeFileSync(bad, 'param w: [2] = \nminimize\n');
    const c1 = gd(['fmt', '--check', a, b]);
    expect(c1.code).toBe(1);
    expect(c1.stdout.trim()).toBe(a);
    expect(readFileSync(a, 'utf8')).toBe('dim  n=3 # keep me\nparam w:[n]=zeros\n');
    const f = gd(['fmt', a, b, bad]);
    expect(f.code).toBe(1);
    expect(f.stderr).toMatch(/bad\.gd: syntax error/);
    expect(readFileSync(bad, 'utf8')).toBe('param w: [2] = \nminimize\n');
    expect(readFileSync(a, 'utf8')).toBe('dim n = 3 # keep me\nparam w: [n] = zeros\n');
    expect(gd(['fmt', '--check', a, b]).code).toBe(0);
  });

  it('the built plugin loads by path, as `prettier --plugin ./dist/compiler/format/plugin.js` loads it', async () => {
    const plugin = join(ROOT, 'dist/compiler/format/plugin.js');
    expect(await format('param w:[2]=zeros # w\n', { filepath: 'x.gd', plugins: [plugin] })).toBe('param w: [2] = zeros # w\n');
  });
});
