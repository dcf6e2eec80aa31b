/** Registers std.semiamortized: its .gd WTA losses and SO(2) toy (lazy per-row Adam state and batch_steps are core). */
import { registerModule } from '../../../compiler/check/modules.js';
import { SEMIAMORTIZED_SOURCE } from './source.js';

registerModule('std.semiamortized', { source: SEMIAMORTIZED_SOURCE });
