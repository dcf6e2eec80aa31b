/** Registers the built-in methods (std modules register theirs beside these with registerMethod). */
import { adam, adamw } from './adam.js';
import { dsgd } from './dsgd.js';
import { gd } from './gd.js';
import { langevin } from './langevin.js';
import { momentum } from './momentum.js';
import { nesterov } from './nesterov.js';
import { registerMethod } from './registry.js';
import { rmsprop } from './rmsprop.js';

const BUILTIN = {
  gd,
  sgd: gd,
  momentum,
  nesterov,
  adam,
  adamw,
  rmsprop,
  langevin,
  dsgd,
};

for (const [name, rule] of Object.entries(BUILTIN)) registerMethod(name, rule);

/** The names registered here, for docs and tests. */
export const BUILTIN_METHODS = Object.keys(BUILTIN);
