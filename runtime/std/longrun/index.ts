/** Registers std.longrun: its .gd occupancy and Gibbs helpers (the noisy sgd itself is core: sgd(lr, noise: s)) and the occupancy-SVG run output. */
import { registerModule } from '../../../compiler/check/modules.js';
import { registerRunHook } from '../../run-hooks.js';
import { writeOccupancyOutputs } from './occupancy-svg.js';
import { LONGRUN_SOURCE } from './source.js';

registerModule('std.longrun', { source: LONGRUN_SOURCE });
registerRunHook(writeOccupancyOutputs);
