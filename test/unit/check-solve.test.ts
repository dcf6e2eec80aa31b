/** Solve rules (objective, targets, geometries, methods, run control), prune/init/save, the plan, and the LANGUAGE.md programs. */
import { describe, expect, it } from 'vitest';
import '../../runtime/std/index.js'; // std modules register themselves, as the CLI does
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeNpy } from '../../runtime/data/npy.js';
import { CORE_METHODS, SHARED_OPTIONS } from '../../compiler/check/geometries-methods.js';
import { codes, objectiveShape, ok, oneError, run } from './check-helpers.js';

const P = 'data X: [6, 3] = randn(seed: 1)\ndata y: [6] = randn(seed: 2)\nparam w: [3] = zeros\n';
const L = 'mean((X @ w - y)^2)';

describe('solve statements', () => {
  it('needs a scalar objective, printing its shape', () => {
    expect(oneError(`${P}minimize f = X @ w over w by gd(lr: 0.1) for 3 steps\n`, 'GD2009').message).toBe("the objective 'f' must be a scalar, but it has shape [6]");
    const c = ok(`${P}maximize f = -${L} over w by gd(lr: 0.1) for 3 steps\n`);
    expect(objectiveShape(c, 'f')).toEqual([]);
  });

  it('targets must be params or particles, listed once', () => {
    const d = oneError(`${P}minimize f = ${L} over X by gd(lr: 0.1) for 3 steps\n`, 'GD3001');
    expect(d.message).toBe("cannot optimize over 'X': X is data");
    expect(d.notes[0]!.span!.start).toBe('data '.length);
    expect(codes(`${P}let r = X @ w\nminimize f = ${L} over r by gd(lr: 0.1) for 3 steps\n`)).toEqual(['GD3001']);
    expect(codes(`${P}minimize f = ${L} over v by gd(lr: 0.1) for 3 steps\n`)).toEqual(['GD2001']);
  });

  it('warns when the objective reads none of its targets', () => {
    const r = run(`${P}param v: [2] = zeros\nminimize f = ${L} over v by gd(lr: 0.1) for 3 steps\n`);
    expect(r.errors).toEqual([]);
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([['GD3021', 'warning']]);
    // Reads through lets and defs count.
    expect(run(`${P}def sq(a) = a * a\nlet r = sq(X @ w - y)\nminimize f = mean(r) over w by gd(lr: 0.1) for 3 steps\n`).diagnostics).toEqual([]);
  });

  it('checks geometry against target kind and domain', () => {
    ok(`param p: [4] in simplex = uniform\nminimize f = sum(p * log(p)) over p in mirror(entropy) by gd(lr: 1.0) for 3 steps\n`);
    ok(`param p: [4] in positive = ones\nminimize f = sum(p) - sum(log(p)) over p in mirror(burg) by gd(lr: 0.1) for 3 steps\n`);
    ok(`${P}minimize f = ${L} over w in mirror(quadratic) by gd(lr: 0.1) for 3 steps\n`);
    ok(`${P}def phi(x) = sum(x^4) + sum(x^2)\nminimize f = ${L} over w in mirror(potential(phi)) by gd(lr: 0.1) for 3 steps\n`);
    ok(`${P}minimize f = ${L} over w in l2 normalized by gd(lr: 0.1) for 3 steps\n`);
    ok(`${P}minimize f = ${L} over w in lp(3) by gd(lr: 0.1) for 3 steps\n`);
    ok(`${P}minimize f = ${L} over w in linf scaled by gd(lr: 0.1) for 3 steps\n`);
    ok(`${P}minimize f = ${L} over w in precondition(diag([1, 2, 3])) by gd(lr: 0.1) for 3 steps\n`);
    ok(`${P}minimize f = ${L} over w in precondition([1, 2, 3]) by gd(lr: 0.1) for 3 steps\n`);
    ok(`${P}def hs(g) = g / (1 + norm(g))\nminimize f = ${L} over w in precondition(dual: hs) by gd(lr: 0.1) for 3 steps\n`);
    ok('particles th: [5, 2] = randn(seed: 1)\nminimize F = mean(th^2) over th in wasserstein by gd(lr: 0.1) for 3 steps\n');
    ok('particles th: [5, 2] = randn(seed: 1)\nminimize F = mean(th^2) over th in precondition(eye(2)) by gd(lr: 0.1) for 3 steps\n');
    const d = oneError(`${P}minimize f = ${L} over w in mirror(entropy) by gd(lr: 0.1) for 3 steps\n`, 'GD3006');
    expect(d.message).toBe('mirror(entropy) needs a simplex or positive domain; w is in reals');
    expect(codes(`${P}minimize f = ${L} over w in precondition(eye(4)) by gd(lr: 0.1) for 3 steps\n`)).toEqual(['GD2003']);
    expect(codes(`${P}def phi(x) = x^2\nminimize f = ${L} over w in mirror(potential(phi)) by gd(lr: 0.1) for 3 steps\n`)).toEqual(['GD2009']);
    expect(codes(`${P}minimize f = ${L} over w in l2 sideways by gd(lr: 0.1) for 3 steps\n`)).toEqual(['GD3013']);
  });

  it('layerwise takes one known norm per target', () => {
    ok(`param A: [3, 3] = zeros\nparam b: [3] = zeros\nminimize f = sum((A @ b - 1)^2) over A, b in layerwise(spectral, l2) by dsgd(lr: 0.1) for 3 steps\n`);
    expect(codes(`param A: [3, 3] = zeros\nparam b: [3] = zeros\nminimize f = sum((A @ b - 1)^2) over A, b in layerwise(spectral, l7) by dsgd(lr: 0.1) for 3 steps\n`)).toEqual(['GD3013']);
  });

  it('binds method options by position and name, with torch defaults for the rest', () => {
    ok(`${P}minimize f = ${L} over w by sgd(0.1, noise: 0.5 * norm(w)) for 3 steps\n`);
    ok(`${P}minimize f = ${L} over w by adamw(lr: 1e-3, weight_decay: 0.1, clip: 1.0) for 3 steps\n`);
    ok(`${P}minimize f = ${L} over w by rmsprop(state: dense) for 3 steps\n`);
    ok(`${P}minimize f = ${L} over w by langevin(lr: 0.01, temperature: 0.1) for 3 steps\n`);
    ok(`${P}minimize f = ${L} over w by momentum(0.1, 0.8) for 3 steps\n`);
    expect(codes(`${P}minimize f = ${L} over w by momentum(0.1, 0.8, 3) for 3 steps\n`)).toEqual(['GD3004']);
    expect(oneError(`${P}minimize f = ${L} over w by nesterov(lr: 0.1, betta: 0.8) for 3 steps\n`, 'GD3004').help).toBe("did you mean 'beta'?");
    expect(oneError(`${P}minimize f = ${L} over w by gd(clip: 1) for 3 steps\n`, 'GD3005').help).toBe('write e.g. gd(lr: 0.1)');
    expect(codes(`${P}minimize f = ${L} over w by gd(lr: [0.1, 0.2]) for 3 steps\n`)).toEqual(['GD2027']);
    expect(codes(`${P}minimize f = ${L} over w by gd(lr: 0.1, state: eager) for 3 steps\n`)).toEqual(['GD2027']);
    expect(codes(`${P}minimize f = ${L} over w by sgd(lr: 0.1, noise: [1, 2]) for 3 steps\n`)).toEqual(['GD2027']);
  });

  it('the defaults follow torch.optim', () => {
    const def = (m: string, o: string) => CORE_METHODS[m]!.options.find((x) => x.name === o)?.default;
    expect([def('adam', 'lr'), def('adam', 'beta1'), def('adam', 'beta2'), def('adam', 'eps')]).toEqual([1e-3, 0.9, 0.999, 1e-8]);
    expect([def('adamw', 'weight_decay'), def('rmsprop', 'alpha'), def('rmsprop', 'lr'), def('rmsprop', 'eps')]).toEqual([1e-2, 0.99, 1e-2, 1e-8]);
    expect(CORE_METHODS.gd!.options.find((x) => x.name === 'lr')?.required).toBe(true);
    expect(SHARED_OPTIONS.map((o) => o.name)).toEqual(['clip', 'weight_decay', 'state', 'batch_steps']);
  });

  it('checks run control: positive counts and intervals, scalar until, a stopping rule', () => {
    expect(codes(`${P}minimize f = ${L} over w by gd(lr: 0.1) for 2.5 steps\n`)).toEqual(['GD3007']);
    expect(codes(`${P}minimize f = ${L} over w by gd(lr: 0.1) until f < 1 max 0 steps\n`)).toEqual(['GD3007']);
    expect(codes(`${P}minimize f = ${L} over w by gd(lr: 0.1) for 3 steps checkpoint every -1\n`)).toEqual(['GD3019']);
    expect(codes(`${P}minimize f = ${L} over w by gd(lr: 0.1) for 3 steps record f every 0 to "f.csv"\n`)).toEqual(['GD3019']);
    expect(codes(`${P}minimize f = ${L} over w by gd(lr: 0.1) until grad(f, w) < 1\n`)).toEqual(['GD2029']);
    expect(codes(`${P}minimize f = ${L} over w by gd(lr: 0.1)\n`)).toEqual(['GD3012']);
  });
});

describe('the plan', () => {
  it('flattens phases, prune, init and save in order, with evaluated step specs', () => {
    const c = ok(
      `dim n = 8\n${P}param W: [3, 3] = randn(seed: 3)\nlet loss = ${L} + sum(W^2)\n` +
        `phase warmup { minimize f = loss over w, W by gd(lr: 0.01) for 2 * n steps }\n` +
        `prune W keep 50% by magnitude\ninit w from X[0] * 0\n` +
        `phase main { minimize f = loss over w by adam(lr: 0.05) until f < 1e-3 max 100 steps log every 10: f }\n` +
        `save w, W to "out.json"\n`,
    );
    expect(c.plan.map((p) => [p.kind, p.phase])).toEqual([
      ['solve', 'warmup'],
      ['prune', null],
      ['init', null],
      ['solve', 'main'],
      ['save', null],
    ]);
    const [first, , , second] = c.plan;
    expect(first?.kind === 'solve' && first.steps).toEqual({ kind: 'for', count: 16 });
    expect(second?.kind === 'solve' && second.steps.kind === 'until' && second.steps.max).toBe(100);
  });

  it('checks prune, init and save', () => {
    expect(codes(`${P}prune w keep 4 by magnitude\n`)).toEqual(['GD3017']);
    expect(codes(`${P}prune w keep 2 by luck\n`)).toEqual(['GD2027']);
    expect(codes(`${P}init w from X\n`)).toEqual(['GD2017']);
    expect(codes(`${P}let r = w * 2\ninit w from r\n`)).toEqual(['GD2019']);
    expect(codes(`${P}def f(a) = a\nsave f to "f.json"\n`)).toEqual(['GD2022']);
    ok(`${P}prune w keep 2 by magnitude\ninit w from mean(X, axis: 0)\nsave w, X to "o.json"\n`);
  });
});

describe('programs of LANGUAGE.md and examples/', () => {
  const dir = join(import.meta.dirname, '../../examples');
  const files: Record<string, string> = {};
  for (const f of readdirSync(dir)) if (!f.endsWith('.gd')) files[f] = readFileSync(join(dir, f), 'utf8');

  for (const f of readdirSync(dir).filter((x) => x.endsWith('.gd'))) {
    it(`examples/${f} checks clean`, () => {
      const r = run(readFileSync(join(dir, f), 'utf8'), files);
      expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    });
  }

  it('§2 declarations (with the sizes k and m the excerpt leaves to context) and §4 solve check clean', () => {
    const rows = Array.from({ length: 256 }, (_, i) => [0, 1, 2, 3, 4, 5].map((j) => i + j).join(',')).join('\n');
    const npy = encodeNpy({ shape: [256, 6], data: new Float32Array(256 * 6) });
    const c = ok(
      `# comments start with '#'
dim n = 256
const lam = 1e-3
dim k = 5
dim m = 16
data X: [n, d] = load("data/X.csv")
data y: [n] = tanh(X[:, 0])
data Z: [n, d] = randn(seed: 7) * 0.1
data B: [n, d] = load("big.npy") batch 64
param w: [d] = zeros
param p: [k] in simplex = uniform
param delta: [784] in ball(inf, 8/255) = zeros
particles theta: [m, d] = randn(seed: 1)
param z: [n, k] per B
let r = X @ w - y
def mlp(x, W1, b1, W2) = relu(x @ W1 + b1) @ W2
minimize loss = 0.5 * mean(r^2) + lam * norm(w)^2
  over w
  by gd(lr: 0.1)
  for 500 steps
  log every 50: loss, norm(grad(loss, w))
phase warmup { minimize l2 = mean(z^2) + sum(p^2) over z, p by gd(lr: 0.01) for 100 steps }
phase main   { minimize l3 = mean(theta^2) + mean(delta^2) over theta, delta by adam(lr: 1e-3) for 2000 steps }
prune w keep 10% by magnitude
init z from B[:, 0:5]
save w, p to "out.json"
`,
      { 'data/X.csv': rows, 'big.npy': npy },
    );
    const d = c.symbols.get('d');
    expect(d?.kind === 'dim' && d.value).toBe(6);
    expect(c.plan.map((p) => p.kind)).toEqual(['solve', 'solve', 'solve', 'prune', 'init', 'save']);
  });
});

describe('entropy terms', () => {
  const TH = 'particles th: [6, 2] = randn(seed: 1)\nparam w: [2] = zeros\n';
  it('need their particles among the targets, one particles set and one estimator per objective', () => {
    ok(`${TH}minimize F = mean(th^2) + 0.1 * entropy(th) + 0.2 * entropy(th) over th by gd(lr: 0.1) for 3 steps\n`);
    expect(oneError(`${TH}minimize F = sum(w^2) + mean(th^2) + entropy(th) over w by gd(lr: 0.1) for 3 steps\n`, 'GD3014').message).toBe(
      "entropy(th) needs 'th' among the targets of this solve",
    );
    expect(codes(`${TH}minimize F = mean(th^2) + entropy(th) + entropy(th, estimator: gaussian) over th by gd(lr: 0.1) for 3 steps\n`)).toEqual(['GD2027']);
  });
});

describe('geometry argument spellings the step lowering accepts', () => {
  it('lambdas for potential(...) and dual:, named p: and map:, and l1', () => {
    ok(`${P}minimize f = ${L} over w in mirror(potential((x) => sum(x^4))) by gd(lr: 0.1) for 3 steps\n`);
    ok(`${P}minimize f = ${L} over w in precondition(dual: (g) => g / (1 + norm(g))) by gd(lr: 0.1) for 3 steps\n`);
    ok(`${P}minimize f = ${L} over w in lp(p: 4) by gd(lr: 0.1) for 3 steps\n`);
    ok(`${P}minimize f = ${L} over w in mirror(map: quadratic) by gd(lr: 0.1) for 3 steps\n`);
    ok(`${P}minimize f = ${L} over w in l1 by gd(lr: 0.1) for 3 steps\n`);
    expect(codes(`${P}minimize f = ${L} over w in mirror(potential((x) => x^4)) by gd(lr: 0.1) for 3 steps\n`)).toEqual(['GD2009']);
    expect(codes(`${P}minimize f = ${L} over w in precondition(dual: (g) => sum(g)) by gd(lr: 0.1) for 3 steps\n`)).toEqual(['GD2003']);
    expect(codes(`${P}minimize f = ${L} over w in lp(0.5) by gd(lr: 0.1) for 3 steps\n`)).toEqual(['GD3013']);
  });
});
