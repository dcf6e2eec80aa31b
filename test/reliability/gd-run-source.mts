// Runs the `gd run` command from source (no build needed), for tests that drive the CLI as a process.
import Run from '../../bin/commands/run.js';

await Run.run(process.argv.slice(2), new URL('../../package.json', import.meta.url).href);
