/** `gd compile FILE --dump ast|ir|grad|opt`: print a phase's stable dump; `--emit ts [-o OUT.ts]`: a standalone TypeScript module. */
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../base-command.js';
import { EXIT, exitFor, printDiagnostics, readWithOverrides } from '../cli-util.js';
import { writeFileSync } from 'node:fs';
import { dump, emitTs, front, type DumpKind } from '../../compiler/pipeline.js';
import { nodeFiles } from '../../runtime/node-files.js';
import '../../runtime/std/index.js';

export default class Compile extends BaseCommand {
  static override description = 'Compile a .gd program and print what a phase produced.';
  static override examples = ['<%= config.bin %> compile examples/least-squares.gd --dump ir', '<%= config.bin %> compile examples/least-squares.gd --emit ts -o least-squares.ts'];
  static override args = { file: Args.string({ required: true, description: 'the .gd program' }) };
  static override flags = {
    dump: Flags.string({ options: ['ast', 'ir', 'grad', 'opt', 'fused', 'wgsl'], description: 'which phase to print (required unless --emit)' }),
    emit: Flags.string({ options: ['ts'], description: 'emit a standalone TypeScript module (see docs/embedding.md)' }),
    output: Flags.string({ char: 'o', description: 'with --emit: write the module to this file instead of stdout' }),
    set: Flags.string({ multiple: true, multipleNonGreedy: true, description: 'override a dim or const: --set n=1024 (repeat for several)' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Compile);
    const r = readWithOverrides(args.file, flags.set);
    if (!r) return;
    if (flags.dump === undefined && flags.emit === undefined) this.error('one of --dump or --emit is required', { exit: EXIT.usage });
    const fr = front(args.file, r.text, nodeFiles, { overrides: r.overrides });
    if (flags.emit === 'ts') {
      printDiagnostics(fr.diagnostics, fr.sources);
      if (!fr.checked) {
        process.exitCode = exitFor(fr.diagnostics);
        return;
      }
      const code = await emitTs(fr);
      if (flags.output) writeFileSync(flags.output, code);
      else process.stdout.write(code);
      process.exitCode = EXIT.ok;
      return;
    }
    const kind = flags.dump as DumpKind;
    if (kind !== 'ast' && !fr.checked) {
      printDiagnostics(fr.diagnostics, fr.sources);
      process.exitCode = exitFor(fr.diagnostics);
      return;
    }
    printDiagnostics(fr.diagnostics, fr.sources);
    process.stdout.write(dump(fr, kind) + '\n');
    process.exitCode = exitFor(fr.diagnostics);
  }
}
