/**
 * Generates gaussian-kl.svg and gaussian-kl.json for docs/std/wasserstein.md: KL(mu_k | N(0, Sigma*)) of WGD,
 * PWGD, NEM and FB run by gdlang (wasm, float32 particles, KL computed in float64 from the logged particles)
 * against the float64 fixture of test/std/fixtures. Run: npx tsx docs/std/plots/make-gaussian-kl.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gaussianKl, meanCov, rowsOf, type M } from '../../../test/std/linalg.js';
import { runSource } from '../../../test/std/run-source.js';

const here = import.meta.dirname;
const fixture = JSON.parse(readFileSync(join(here, '../../../test/std/fixtures/bonet_gaussian_try0.json'), 'utf8')) as Record<string, Record<string, unknown>>;
const STEPS = 1500;
const EVERY = 10;
const schemes = [
  { name: 'wgd', geometry: '', color: '#1f77b4' },
  { name: 'pwgd', geometry: ' in precondition(S)', color: '#2ca02c' },
  { name: 'nem', geometry: ' in nem', color: '#d62728' },
  { name: 'fb', geometry: ' in fb(lam: 1)', color: '#9467bd', noEntropy: true },
];

const out: Record<string, Record<string, { k: number[]; kl: number[] }>> = {};
for (const target of ['diag', 'non_diag']) {
  const S = fixture[target]!['Sigma_target'] as M;
  out[target] = {};
  for (const s of schemes) {
    const res = await runSource(
      [
        'use std.wasserstein',
        'data S: [10, 10] = load("sigma.json")',
        'data Q: [10, 10] = inv(S)',
        'particles theta: [20, 10] = sqrt(10) * (eye(20)[:, 0:10] - eye(20)[:, 10:20])',
        `minimize F = quadratic_energy(theta, Q)${'noEntropy' in s ? '' : ' + entropy(theta, estimator: gaussian)'} over theta${s.geometry} by gd(lr: 0.01) for ${STEPS - 1} steps`,
        `  log every ${EVERY}: theta`,
      ].join('\n') + '\n',
      { files: { 'sigma.json': JSON.stringify(S) } },
    );
    const k: number[] = [];
    const kl: number[] = [];
    for (const row of res.log) {
      const th = (row.values['theta'] as number[][]).flat();
      const { mean, cov } = meanCov(rowsOf(th, 10));
      k.push(row.step);
      kl.push(gaussianKl(mean, cov, S));
    }
    out[target][s.name] = { k, kl };
    console.log(target, s.name, 'k=100', kl[k.indexOf(100)], 'fixture', (fixture[target]![s.name] as Record<string, number>)['100']);
  }
}
writeFileSync(join(here, 'gaussian-kl.json'), JSON.stringify(out));

// Minimal hand-written SVG: log10 KL vs k, one panel per target; lines = gdlang, dots = fixture.
const W = 420;
const H = 300;
const pad = { l: 50, r: 10, t: 28, b: 36 };
const lo = -8;
const hi = 2;
const x = (k: number) => pad.l + ((W - pad.l - pad.r) * k) / STEPS;
const y = (v: number) => pad.t + ((H - pad.t - pad.b) * (hi - Math.max(lo, Math.min(hi, Math.log10(Math.max(v, 1e-30)))))) / (hi - lo);
const panel = (target: string, dx: number) => {
  const parts = [`<g transform="translate(${dx},0)">`, `<text x="${pad.l}" y="18" font-size="13">${target === 'diag' ? 'diagonal' : 'rotated'} target</text>`];
  parts.push(`<rect x="${pad.l}" y="${pad.t}" width="${W - pad.l - pad.r}" height="${H - pad.t - pad.b}" fill="none" stroke="#999"/>`);
  for (let e = lo; e <= hi; e += 2) parts.push(`<text x="${pad.l - 4}" y="${y(10 ** e) + 4}" text-anchor="end">1e${e}</text>`);
  for (const k of [0, 500, 1000, 1500]) parts.push(`<text x="${x(k)}" y="${H - pad.b + 14}" text-anchor="middle">${k}</text>`);
  for (const s of schemes) {
    const d = out[target]![s.name]!;
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${d.k.map((k, i) => `${x(k).toFixed(1)},${y(d.kl[i]!).toFixed(1)}`).join(' ')}"/>`);
    for (const [k, v] of Object.entries(fixture[target]![s.name] as Record<string, number>)) {
      if (v > 10 ** lo) parts.push(`<circle cx="${x(+k).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="none" stroke="#000"/>`);
    }
  }
  parts.push('</g>');
  return parts.join('\n');
};
const legend = schemes.map((s, i) => `<line x1="${60 + i * 90}" y1="${H + 10}" x2="${80 + i * 90}" y2="${H + 10}" stroke="${s.color}" stroke-width="2"/><text x="${84 + i * 90}" y="${H + 14}">${s.name.toUpperCase()}</text>`).join('');
const svg = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H + 24}" font-family="sans-serif" font-size="11">`,
  panel('diag', 0),
  panel('non_diag', W),
  legend,
  `<circle cx="${60 + 3 * 90 + 10}" cy="${H + 10}" r="3" fill="none" stroke="#000"/><text x="${60 + 3 * 90 + 18}" y="${H + 14}">float64 fixture; x: iteration k, y: KL(mu_k | target); float32 floor near 1e-6</text>`,
  '</svg>',
  '',
].join('\n');
writeFileSync(join(here, 'gaussian-kl.svg'), svg);
