/** The two-axis batching used by pairwise: batched evaluation equals evaluating the body on every pair. */
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../compiler/ir/builder.js';
import { batchGraph } from '../../compiler/ir/batch.js';
import { interpret } from '../../compiler/ir/interpret.js';

describe('batchGraph', () => {
  it('matches a double loop over pairs for layout, reduction, scan and matmul ops', () => {
    const d = 3;
    const body = new GraphBuilder();
    const x = body.input('x', [d], 'data');
    const y = body.input('y', [d], 'data');
    const W = body.input('W', [d, 2], 'data');
    const diff = body.sub(x, y);
    const xr = body.reshape(x, [1, d]);
    const xW = body.matmul(xr, W); // [1,2]
    const Wy = body.matmul(W, body.reshape(y, [d, 1]), { transposeA: true }); // [2,1]
    const outer = body.matmul(body.reshape(diff, [d, 1]), body.reshape(y, [1, d]), { transposeB: false }); // [d,d]
    const tr = body.transpose(outer, [1, 0]);
    const sl = body.slice(tr, [2, 0], [-1, d], [-2, 2]); // rows 2,0; cols 0,2
    const cat = body.concat([body.reshape(xW, [2]), body.reshape(Wy, [2]), body.reshape(sl, [4])], 0); // [8]
    const cs = body.op('cumsum', [cat], { axis: 0, reverse: true });
    const bc = body.broadcastTo(body.reshape(diff, [d, 1]), [d, 2]);
    const f = body.add(body.add(body.sum(body.mul(cs, cs)), body.max(bc)), body.sum(body.op('sort', [x], { axis: 0 }), [0]));
    body.output('f', body.mul(f, body.unary('tanh', body.sum(W))), 'value');
    const g = body.build();

    const m = 4;
    const theta = [0.5, -1, 2, 0.25, -0.3, 0.8, 1.5, 0.1, -0.9, 0, 2.2, -1.3];
    const Wv = [1, 0.5, -0.5, 2, 0.3, -1];
    const main = new GraphBuilder();
    const th = main.input('theta', [m, d], 'particles');
    const Wm = main.input('W', [d, 2], 'data');
    const X = main.reshape(th, [m, 1, d]);
    const Y = main.reshape(th, [1, m, d]);
    const res = batchGraph(main, g, (name) => (name === 'x' ? { v: X, batched: true } : name === 'y' ? { v: Y, batched: true } : { v: Wm, batched: false }))['f']!;
    expect(res.batched).toBe(true);
    main.output('F', main.broadcastTo(res.v, [m, m]), 'value');
    const got = [...interpret(main.build(), { theta, W: Wv })['F']!.data];

    const expected: number[] = [];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        const out = interpret(g, { x: theta.slice(i * d, i * d + d), y: theta.slice(j * d, j * d + d), W: Wv })['f']!;
        expected.push(out.data[0]!);
      }
    }
    got.forEach((v, k) => expect(v).toBeCloseTo(expected[k]!, 10));
  });
});
