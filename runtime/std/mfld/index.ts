/** Registers std.mfld: its .gd network definitions (MFLD itself is particles + entropy in the core). */
import { registerModule } from '../../../compiler/check/modules.js';
import { MFLD_SOURCE } from './source.js';

registerModule('std.mfld', { source: MFLD_SOURCE });
