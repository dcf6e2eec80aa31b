/** Registers std.sketch: its .gd sketches, Newton–Schulz basis, coordinates, surrogate loss and decoding. */
import { registerModule } from '../../../compiler/check/modules.js';
import { SKETCH_SOURCE } from './source.js';

registerModule('std.sketch', { source: SKETCH_SOURCE });
