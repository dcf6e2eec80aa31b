#!/usr/bin/env node
// The `gd` command: oclif dispatches to the compiled commands in dist/bin/commands (built by `npm install` via `prepare`).
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
