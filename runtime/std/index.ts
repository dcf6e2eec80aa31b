/**
 * Registers the standard-library modules this folder implements (their .gd sources, methods and
 * geometries). Import it once before checking or compiling a program that `use`s them: the CLI
 * commands and the tests do; the browser playground can too (nothing here touches node:).
 */
import './mirror/index.js';
import './wasserstein/index.js';
import './mfld/index.js';
import './infinity/index.js';
import './longrun/index.js';
import './dsgd/index.js';
import './unlearn/index.js';
import './prune/index.js';
import './latent/index.js';
import './semiamortized/index.js';
import './sketch/index.js';
