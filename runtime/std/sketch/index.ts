/** Registers std.sketch: its .gd sketches, feature and coupled Newton–Schulz bases, coordinates, surrogate loss and decoding. */
import { registerModule } from '../../../compiler/check/modules.js';
import { SKETCH_SOURCE } from './source.js';

registerModule('std.sketch', { source: SKETCH_SOURCE });
