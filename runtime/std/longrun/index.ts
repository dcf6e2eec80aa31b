/** Registers std.longrun: its .gd occupancy and Gibbs helpers (the noisy sgd itself is core: sgd(lr, noise: s)). */
import { registerModule } from '../../../compiler/check/modules.js';
import { LONGRUN_SOURCE } from './source.js';

registerModule('std.longrun', { source: LONGRUN_SOURCE });
