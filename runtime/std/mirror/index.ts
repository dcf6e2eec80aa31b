/** Registers std.mirror: its .gd potentials and divergences (the mirror geometries themselves are core: compiler/geometry/mirror.ts). */
import { registerModule } from '../../../compiler/check/modules.js';
import { MIRROR_SOURCE } from './source.js';

registerModule('std.mirror', { source: MIRROR_SOURCE });
