/** `gd check FILE...`: parse, resolve and type/shape-check programs; exit 0 clean, 1 with diagnostics, 2 on usage errors. */
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../base-command.js';
import { diagnosticsJson, exitFor, parseSets, printDiagnostics, readProgram } from '../cli-util.js';
import { front } from '../../compiler/pipeline.js';
import { nodeFiles } from '../../runtime/node-files.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import '../../runtime/std/index.js';

export default class Check extends BaseCommand {
  static override description = 'Check .gd programs for syntax, name, shape, geometry and method errors without running them.';
  static override examples = ['<%= config.bin %> check examples/least-squares.gd', '<%= config.bin %> check --json prog.gd'];
  static override strict = false;
  static override args = { file: Args.string({ required: true, description: '.gd files to check' }) };
  static override flags = {
    json: Flags.boolean({ description: 'print diagnostics as JSON objects (one array on stdout)' }),
    set: Flags.string({ multiple: true, multipleNonGreedy: true, description: 'override a dim or const: --set n=1024 (repeat for several)' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Check);
    const sets = parseSets(flags.set);
    const all: Diagnostic[] = [];
    const sources = new Map<string, string>();
    if ('error' in sets) all.push(sets.error);
    else {
      for (const file of argv as string[]) {
        const r = readProgram(file);
        if ('error' in r) {
          all.push(r.error);
          continue;
        }
        const fr = front(file, r.text, nodeFiles, { overrides: sets.overrides });
        fr.sources.forEach((v, k) => sources.set(k, v));
        all.push(...fr.diagnostics);
      }
    }
    if (flags.json) process.stdout.write(JSON.stringify(diagnosticsJson(all, sources), null, 2) + '\n');
    else printDiagnostics(all, sources);
    process.exitCode = exitFor(all);
  }
}
