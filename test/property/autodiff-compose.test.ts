/** Random compositions of differentiable ops: reverse mode vs central differences (float64). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GraphBuilder } from '../../compiler/ir/builder.js';
import { broadcastShapes, sizeOf, type OpName } from '../../compiler/ir/ops.js';
import type { Var } from '../../compiler/ir/ir.js';
import { gradcheckGraph } from '../../compiler/gradcheck.js';
import { randFill, randnFill } from '../../compiler/ir/rng.js';

const SMOOTH: OpName[] = ['tanh', 'sin', 'cos', 'sigmoid', 'softplus', 'square', 'neg'];
const BIN: OpName[] = ['add', 'sub', 'mul'];

/** Decodes integer quadruples into a graph over a:[2,3], b:[3], c:[3,2], s:[]; returns the objective. */
function build(prog: readonly [number, number, number, number][]) {
  const b = new GraphBuilder();
  const pool: Var[] = [b.input('a', [2, 3], 'param'), b.input('b', [3], 'param'), b.input('c', [3, 2], 'param'), b.input('s', [], 'param')];
  const pick = (k: number): Var => pool[k % pool.length]!;
  for (const [kind, i, j, k] of prog) {
    const x = pick(i);
    let v: Var;
    switch (kind) {
      case 0:
        v = b.unary(SMOOTH[j % SMOOTH.length]!, x);
        break;
      case 1: {
        let y = pick(j);
        try {
          broadcastShapes(x.shape, y.shape);
        } catch {
          y = pool[3]!;
        }
        v = b.op(BIN[k % BIN.length]!, [x, y]);
        break;
      }
      case 2: {
        // Division by something bounded away from zero.
        let y = pick(j);
        try {
          broadcastShapes(x.shape, y.shape);
        } catch {
          y = pool[3]!;
        }
        v = b.div(x, b.add(b.unary('square', y), 1));
        break;
      }
      case 3:
        v = x.shape.length > 0 ? b.sum(x, [k % x.shape.length], k % 2 === 0) : b.mul(x, x);
        break;
      case 4: {
        const m = pool.filter((p) => p.shape.length === 2);
        const p = m[j % m.length]!;
        const q = m[k % m.length]!;
        // Pick the transposes that make the inner dims agree.
        const opts = [
          [false, false],
          [true, false],
          [false, true],
          [true, true],
        ] as const;
        const ok = opts.find(([ta, tb]) => (ta ? p.shape[0] : p.shape[1]) === (tb ? q.shape[1] : q.shape[0]));
        v = ok ? b.matmul(p, q, { transposeA: ok[0], transposeB: ok[1] }) : b.unary('tanh', x);
        break;
      }
      case 5:
        v = x.shape.length === 2 ? b.transpose(x, [1, 0]) : b.reshape(x, [sizeOf(x.shape), 1]);
        break;
      case 6:
        v = x.shape.length >= 1 && x.shape[x.shape.length - 1]! >= 2
          ? b.slice(x, x.shape.map(() => 0), x.shape.map((d, a) => (a === x.shape.length - 1 ? d : d)), x.shape.map((_, a) => (a === x.shape.length - 1 ? 2 : 1)))
          : b.broadcastTo(x, [2, ...x.shape]);
        break;
      case 7:
        v = x.shape.length > 0 ? b.concat([x, b.unary('sin', x)], 0) : b.unary('cos', x);
        break;
      default: {
        const ax = x.shape.length > 0 ? [x.shape.length - 1] : [];
        v = ax.length ? b.op('max', [x], { axes: ax, keepDims: false }) : b.unary('sigmoid', x);
      }
    }
    pool.push(v);
  }
  const last = pool[pool.length - 1]!;
  const R = b.tensor([...randFill(3, 0, sizeOf(last.shape))].map((u) => 2 * u - 1), last.shape);
  b.output('f', b.sum(b.mul(last, R)), 'objective');
  return b.build();
}

describe('reverse mode on random compositions', () => {
  it('agrees with central finite differences', () => {
    // Generic values (no two sums or differences of entries coincide), so `max` never meets a tie, where
    // it has no derivative and central differences straddle the kink. Round decimals did: with
    // a = [0.3, 0.8, …] and b = [0.9, 1.4, …], a - b held -0.6 twice in a row.
    const generic = (stream: number, n: number) => [...randnFill(17, stream, n)];
    const feed = { a: generic(0, 6), b: generic(1, 3), c: generic(2, 6), s: generic(3, 1)[0]! };
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.nat(40), fc.nat(40), fc.nat(40)), { minLength: 1, maxLength: 12 }), (prog) => {
        const g = build(prog);
        const used = g.inputs.map((i) => i.name);
        const res = gradcheckGraph(g, 'f', used, feed);
        for (const r of res) expect(r.maxRelError).toBeLessThan(1e-5);
      }),
      { numRuns: 120 },
    );
  });
});
