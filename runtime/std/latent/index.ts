/** Registers std.latent: its .gd VAE pieces, latent-search objective and rank weights (the search itself is `minimize ... over z`). */
import { registerModule } from '../../../compiler/check/modules.js';
import { LATENT_SOURCE } from './source.js';

registerModule('std.latent', { source: LATENT_SOURCE });
