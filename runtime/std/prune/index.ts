/** Registers std.prune: its .gd statistics and losses and the `sphere` geometry (spherical GD inside prune masks). */
import { registerModule } from '../../../compiler/check/modules.js';
import { registerGeometry } from '../../../compiler/geometry/registry.js';
import { sphere } from './sphere.js';
import { PRUNE_SOURCE } from './source.js';

registerGeometry('sphere', sphere);

registerModule('std.prune', {
  source: PRUNE_SOURCE,
  geometries: [
    {
      name: 'sphere',
      doc: 'spherical GD on the unit sphere of the support: d = g − <g, x>x, x+ = (x − lr d)/|x − lr d|; pruned (zero) entries stay zero',
      targets: ['param'],
      args: 'none',
      flags: [],
    },
  ],
});
