/** docs/cli.md is what `npm run docs:cli` generates from the commands' oclif metadata now. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commands } from '../../bin/commands/index.js';
import { cliReference } from '../../bin/cli-docs.js';

describe('docs/cli.md', () => {
  it('is up to date with the command table (regenerate with npm run docs:cli)', () => {
    const committed = readFileSync(join(import.meta.dirname, '../../docs/cli.md'), 'utf8');
    expect(committed).toBe(cliReference(commands));
  });

  it('documents every command with its flags and examples', () => {
    const md = cliReference(commands);
    for (const [name, c] of Object.entries(commands)) {
      expect(md).toContain(`## gd ${name}\n`);
      for (const f of Object.keys((c as { flags?: object }).flags ?? {})) expect(md).toContain(`--${f}`);
    }
    expect(md).toContain('gd fmt FILE... [FLAGS]');
    expect(md).toContain('`--check`');
    expect(md).not.toContain('<%=');
  });
});
