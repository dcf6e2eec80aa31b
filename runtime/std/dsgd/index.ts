/** Registers std.dsgd: its .gd bounds and helpers and the dsgd_bounds method (per-block L_i, greedy block choice). */
import { registerModule } from '../../../compiler/check/modules.js';
import { registerMethod } from '../../../compiler/methods/registry.js';
import { dsgdBounds, MAX_BLOCKS } from './method.js';
import { DSGD_SOURCE } from './source.js';

registerMethod('dsgd_bounds', dsgdBounds);

const scalar = (name: string, doc: string, dflt: number | null = null) => ({ name, required: false, default: dflt, kind: 'scalar' as const, doc });

registerModule('std.dsgd', {
  source: DSGD_SOURCE,
  methods: [
    {
      name: 'dsgd_bounds',
      doc: 'duality-structure GD with per-block smoothness bounds: the block with the largest |g_i|_*^2/(2 L_i) steps by rho_i(g_i)/L_i',
      // Every block needs L<i> or lr: the checker reports a block with neither (GD3024).
      perTarget: { prefix: 'L', fallback: 'lr', what: 'smoothness bound' },
      options: [
        ...Array.from({ length: MAX_BLOCKS }, (_, i) => scalar(`L${i + 1}`, `smoothness bound of the ${i + 1}th target block (default 1/lr)`)),
        scalar('lr', 'fallback: L_i = 1/lr for blocks without a bound'),
        scalar('scale', 'step factor (1: the guaranteed step; < 1 for the stochastic variant)', 1),
      ],
    },
  ],
});
