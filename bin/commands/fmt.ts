/** `gd fmt FILE... [--check]`: rewrite .gd files in the canonical layout, or (--check) list those that would change and exit 1. */
import { readFileSync, writeFileSync } from 'node:fs';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../base-command.js';
import { EXIT, printDiagnostics } from '../cli-util.js';
import { formatGd } from '../../compiler/format/format.js';
import { GdSyntaxError } from '../../compiler/format/plugin.js';
import { fileNotFound } from '../../compiler/diagnostics/constructors/cli.js';

export default class Fmt extends BaseCommand {
  static override description =
    'Format .gd programs in the canonical layout (comments kept; the program\'s meaning never changes). Same as prettier with the gd plugin.';
  static override examples = ['<%= config.bin %> fmt examples/*.gd', '<%= config.bin %> fmt --check prog.gd'];
  static override strict = false;
  static override args = { file: Args.string({ required: true, description: '.gd files to format' }) };
  static override flags = {
    check: Flags.boolean({ description: 'write nothing; list the files that are not formatted and exit 1 if any' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Fmt);
    const changed: string[] = [];
    let failed = false;
    for (const file of argv as string[]) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        printDiagnostics([fileNotFound(file)], new Map());
        failed = true;
        continue;
      }
      let out: string;
      try {
        out = await formatGd(text, file);
      } catch (e) {
        // A program with syntax errors is left as it is: `gd check` says what is wrong with it.
        const why = e instanceof GdSyntaxError ? `syntax error, not formatted: ${e.message}` : (e as Error).message;
        process.stderr.write(`${file}: ${why}\n`);
        failed = true;
        continue;
      }
      if (out === text) continue;
      changed.push(file);
      if (!flags.check) writeFileSync(file, out);
    }
    if (flags.check) for (const f of changed) process.stdout.write(`${f}\n`);
    else for (const f of changed) process.stdout.write(`formatted ${f}\n`);
    process.exitCode = failed || (flags.check && changed.length > 0) ? EXIT.diagnostics : EXIT.ok;
  }
}
