/** Registers std.infinity: its .gd helpers and the fgsm(eps) method. */
import { registerModule } from '../../../compiler/check/modules.js';
import { registerMethod } from '../../../compiler/methods/registry.js';
import { fgsm } from './fgsm.js';
import { INFINITY_SOURCE } from './source.js';

registerMethod('fgsm', fgsm);

registerModule('std.infinity', {
  source: INFINITY_SOURCE,
  methods: [
    {
      name: 'fgsm',
      doc: 'fast gradient sign method: x ← x ± eps·d with d the geometry direction (sign g in linf); run it for 1 step',
      options: [{ name: 'eps', required: true, default: null, kind: 'scalar', doc: 'the attack radius (the step length)' }],
    },
  ],
});
