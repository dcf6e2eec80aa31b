/** Writes docs/cli.md from the commands' oclif metadata (`npm run docs:cli`). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commands } from '../bin/commands/index.js';
import { cliReference } from '../bin/cli-docs.js';

writeFileSync(join(import.meta.dirname, '../docs/cli.md'), cliReference(commands));
