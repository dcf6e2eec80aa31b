/** Registers std.unlearn: its .gd losses, replay steps and stopping test (capture and ascent are ordinary init/maximize statements). */
import { registerModule } from '../../../compiler/check/modules.js';
import { UNLEARN_SOURCE } from './source.js';

registerModule('std.unlearn', { source: UNLEARN_SOURCE });
