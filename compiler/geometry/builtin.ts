/** Registers the built-in geometries (std modules register theirs beside these with registerGeometry). */
import { euclidean } from './euclidean.js';
import { layerwise } from './layerwise.js';
import { mirror } from './mirror.js';
import { precondition } from './precondition.js';
import { registerGeometry } from './registry.js';
import { l1, l2, linf, lp } from './steepest.js';
import { wasserstein } from './wasserstein.js';

const BUILTIN = {
  euclidean,
  mirror,
  precondition,
  lp,
  linf,
  l1,
  l2,
  wasserstein,
  layerwise,
};

for (const [name, rule] of Object.entries(BUILTIN)) registerGeometry(name, rule);

/** The names registered here, for docs and tests. */
export const BUILTIN_GEOMETRIES = Object.keys(BUILTIN);
