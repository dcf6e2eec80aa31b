/** The explicit command table oclif loads (package.json oclif.commands): one entry per `gd` subcommand. */
import Check from './check.js';
import Compile from './compile.js';
import Gradcheck from './gradcheck.js';
import Fmt from './fmt.js';
import Init from './init.js';
import Plot from './plot.js';
import Run from './run.js';

export const commands = {
  check: Check,
  compile: Compile,
  gradcheck: Gradcheck,
  fmt: Fmt,
  init: Init,
  plot: Plot,
  run: Run,
};
