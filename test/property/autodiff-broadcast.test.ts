/** VJP rules of broadcasting binary ops and of reductions on random shapes and axes, vs central differences. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GraphBuilder } from '../../compiler/ir/builder.js';
import { sizeOf, type OpName } from '../../compiler/ir/ops.js';
import { gradcheckGraph } from '../../compiler/gradcheck.js';
import { randFill } from '../../compiler/ir/rng.js';

const shapeArb = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 3 });

/** An operand shape that broadcasts to `out`: a suffix of it with some dims set to 1. */
const operandOf = (out: number[]) =>
  fc.tuple(fc.integer({ min: 0, max: out.length }), fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length })).map(([drop, ones]) =>
    out.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)),
  );

function values(n: number, seed: number, positive: boolean): Float64Array {
  return randFill(seed, 1, n).map((u) => (positive ? 0.4 + 1.5 * u : 3 * u - 1.5));
}

function check(build: (b: GraphBuilder, xs: ReturnType<GraphBuilder['input']>[]) => ReturnType<GraphBuilder['input']>, shapes: number[][], positive: boolean[]): number {
  const b = new GraphBuilder();
  const xs = shapes.map((s, i) => b.input(`x${i}`, s, 'param'));
  const y = build(b, xs);
  const R = b.tensor([...randFill(9, 2, sizeOf(y.shape))].map((u) => 2 * u - 1), y.shape);
  b.output('f', b.sum(b.mul(y, R)), 'objective');
  const feed: Record<string, Float64Array> = {};
  shapes.forEach((s, i) => (feed[`x${i}`] = values(sizeOf(s), 10 + i, positive[i]!)));
  return Math.max(...gradcheckGraph(b.build(), 'f', shapes.map((_, i) => `x${i}`), feed).map((r) => r.maxRelError));
}

const BINARY: [OpName, boolean, boolean][] = [
  ['add', false, false],
  ['sub', false, false],
  ['mul', false, false],
  ['div', false, true],
  ['pow', true, false],
  ['maximum', false, false],
  ['minimum', false, false],
];

describe('broadcasting and reduction VJPs on random shapes', () => {
  it('binary ops with NumPy broadcasting', () => {
    const arb = shapeArb.chain((out) => fc.tuple(fc.constant(out), operandOf(out), operandOf(out), fc.integer({ min: 0, max: BINARY.length - 1 })));
    fc.assert(
      fc.property(arb, ([, a, c, k]) => {
        const [op, posA, posB] = BINARY[k]!;
        expect(check((b, [x, y]) => b.op(op, [x!, y!]), [a, c], [posA, posB])).toBeLessThan(1e-6);
      }),
      { numRuns: 80 },
    );
  });
  it('reductions over random axes, with and without keepDims', () => {
    const arb = shapeArb
      .filter((s) => s.length > 0)
      .chain((s) => fc.tuple(fc.constant(s), fc.subarray(s.map((_, i) => i), { minLength: 1 }), fc.boolean(), fc.constantFrom<OpName>('sum', 'max', 'min', 'prod')));
    fc.assert(
      fc.property(arb, ([s, axes, keep, op]) => {
        expect(check((b, [x]) => b.op(op, [x!], { axes, keepDims: keep }), [s], [op === 'prod'])).toBeLessThan(1e-6);
      }),
      { numRuns: 80 },
    );
  });
});
