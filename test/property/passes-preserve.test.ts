import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GraphBuilder } from '../../compiler/ir/builder.js';
import { interpret } from '../../compiler/ir/interpret.js';
import { broadcastShapes, type OpName } from '../../compiler/ir/ops.js';
import type { Graph, Var } from '../../compiler/ir/ir.js';
import { runPasses } from '../../compiler/passes/index.js';
import { cse } from '../../compiler/passes/cse.js';
import { dce } from '../../compiler/passes/dce.js';
import { foldConstants } from '../../compiler/passes/fold-constants.js';
import { rewrite } from '../../compiler/passes/rewrite.js';
import { SIMPLIFY_RULES } from '../../compiler/passes/simplify.js';

const UNARY: OpName[] = ['neg', 'tanh', 'sin', 'square', 'sigmoid', 'abs', 'stop_gradient'];
const BINARY: OpName[] = ['add', 'sub', 'mul', 'maximum', 'minimum', 'div', 'pow'];
const CONSTS = [0, 1, -1, 2, 0.5];

/** Decodes a list of integer triples into a random graph over x:[2,3], y:[3], s:[] (and constants). */
function decode(prog: readonly [number, number, number, number][], nOut: number): Graph {
  const b = new GraphBuilder();
  const pool: Var[] = [b.input('x', [2, 3], 'data'), b.input('y', [3], 'data'), b.input('s', [], 'data')];
  const pick = (k: number): Var => pool[k % pool.length]!;
  for (const [kind, i, j, k] of prog) {
    const a = pick(i);
    let v: Var = pool[0]!;
    if (kind === 0) v = b.unary(UNARY[j % UNARY.length]!, a);
    else if (kind === 1 || kind === 2) {
      let c = pick(j);
      try {
        broadcastShapes(a.shape, c.shape);
      } catch {
        c = pool[2]!;
      }
      v = b.op(BINARY[(i + j) % BINARY.length]!, [a, c]);
    } else if (kind === 3 || kind >= 9) {
      // Constants on either side, weighted up: this is where the identity rules fire.
      const c = b.const(CONSTS[k % CONSTS.length]!);
      v = b.op(BINARY[j % BINARY.length]!, i % 2 ? [a, c] : [c, a]);
    }
    else if (kind === 4) v = a.shape.length > 0 ? b.sum(a, [j % a.shape.length], j % 2 === 0) : b.neg(b.neg(a));
    else if (kind === 5) v = a.shape.length === 2 ? b.transpose(b.transpose(a, [1, 0]), [1, 0]) : b.reshape(b.reshape(a, [a.shape.reduce((p, q) => p * q, 1), 1]), a.shape);
    else if (kind === 6) v = b.op('reshape', [a], { shape: [...a.shape] });
    else if (kind === 7) v = b.mul(b.add(a, 0), 1);
    else if (kind === 8) v = b.pow(b.const(CONSTS[j % CONSTS.length]!, [3]), b.const(2));
    pool.push(v);
  }
  for (let k = 0; k < nOut; k++) b.output(`o${k}`, pool[pool.length - 1 - k]!, 'value');
  // Most of the graph reaches an output (every other var), the rest is dead code for DCE.
  const live = pool.slice(3).filter((_, k) => k % 2 === 0);
  if (live.length > 0) b.output('acc', live.map((v) => b.sum(v)).reduce((p, q) => b.add(p, q)), 'value');
  return b.build();
}

const FEED = { x: [0.3, -1.2, 2, 0, 0.7, -0.4], y: [1.5, -0.25, 0.9], s: -0.6 };

function close(a: Record<string, { data: Float64Array }>, c: Record<string, { data: Float64Array }>): boolean {
  return Object.keys(a).every((k) =>
    [...a[k]!.data].every((x, i) => {
      const y = c[k]!.data[i]!;
      if (Number.isNaN(x)) return Number.isNaN(y);
      if (!Number.isFinite(x)) return x === y;
      return Math.abs(x - y) <= 1e-5 * Math.max(1, Math.abs(x));
    }),
  );
}

const progArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.nat(60), fc.nat(60), fc.nat(9)), { minLength: 1, maxLength: 30 });

describe('passes on random graphs', () => {
  it('every pass and the O1 pipeline preserve interpreter results', () => {
    fc.assert(
      fc.property(progArb, fc.integer({ min: 1, max: 3 }), (prog, nOut) => {
        const g = decode(prog, nOut);
        const ref = interpret(g, FEED);
        for (const pass of [foldConstants, (h: Graph) => rewrite(h, SIMPLIFY_RULES), cse, dce, (h: Graph) => runPasses(h, 'O1')]) {
          const h = pass(g);
          expect(close(ref, interpret(h, FEED))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
  it('CSE and DCE are idempotent; O1 reaches a fixpoint; O0 is the identity', () => {
    fc.assert(
      fc.property(progArb, (prog) => {
        const g = decode(prog, 2);
        const c = cse(g);
        expect(cse(c)).toBe(c);
        const d = dce(g);
        expect(dce(d)).toBe(d);
        const o = runPasses(g, 'O1');
        expect(runPasses(o, 'O1')).toBe(o);
        expect(runPasses(g, 'O0')).toBe(g);
        expect(o.eqns.length).toBeLessThanOrEqual(g.eqns.length);
      }),
      { numRuns: 60 },
    );
  });
});
