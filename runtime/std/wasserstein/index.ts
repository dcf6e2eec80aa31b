/** Registers std.wasserstein: its .gd energies and the nem, fb, ball_mirror and box_mirror geometries. */
import { registerModule } from '../../../compiler/check/modules.js';
import { registerGeometry } from '../../../compiler/geometry/registry.js';
import { ballMirrorRule, boxMirrorRule, fb, nem } from './geometries.js';
import { WASSERSTEIN_SOURCE } from './source.js';

registerGeometry('nem', nem);
registerGeometry('fb', fb);
registerGeometry('ball_mirror', ballMirrorRule);
registerGeometry('box_mirror', boxMirrorRule);

registerModule('std.wasserstein', {
  source: WASSERSTEIN_SOURCE,
  geometries: [
    {
      name: 'nem',
      doc: 'negative-entropy mirror descent of particles (Gaussian estimator): inv(Sigma+) = cov of the dual points',
      targets: ['particles'],
      args: 'none',
      flags: [],
    },
    {
      name: 'fb',
      doc: 'forward-backward: explicit step on the objective, then the JKO step of lam·entropy under the Gaussian fit (write the entropy here, not in the objective)',
      targets: ['particles'],
      args: 'options',
      flags: [],
      options: ['lam'],
    },
    {
      name: 'ball_mirror',
      doc: 'mirror map of phi = -gamma log(R - |x|^2) (per particle row); options gamma (default 1), R (default 1)',
      targets: ['param', 'particles'],
      args: 'options',
      flags: [],
      options: ['gamma', 'R'],
    },
    {
      name: 'box_mirror',
      doc: 'mirror map of phi = -sum log(1 - x) - sum log(1 + x) on (-1, 1)^d',
      targets: ['param', 'particles'],
      args: 'none',
      flags: [],
    },
  ],
});
