/** `gd gradcheck FILE`: compares the compiled gradient of every objective with central finite differences in float64. */
import { Args, Flags } from '@oclif/core';
import '../../runtime/std/index.js';
import { BaseCommand } from '../base-command.js';
import { EXIT, exitFor, printDiagnostics, readWithOverrides } from '../cli-util.js';
import { front } from '../../compiler/pipeline.js';
import { gradcheck } from '../../compiler/gradcheck.js';
import { nodeFiles } from '../../runtime/node-files.js';
import { initialValues64 } from '../../runtime/initial-values64.js';
import { RuntimeFault } from '../../runtime/faults.js';

export default class Gradcheck extends BaseCommand {
  static override description =
    'Check the compiled gradient of each objective w.r.t. each target against central finite differences (float64 reference interpreter).';
  static override examples = ['<%= config.bin %> gradcheck examples/ridge.gd', '<%= config.bin %> gradcheck prog.gd --at random --tol 1e-5'];
  static override args = { file: Args.string({ required: true, description: 'the .gd program' }) };
  static override flags = {
    at: Flags.string({ options: ['init', 'random'], default: 'init', description: "where to check: the targets' initial values, or seeded standard normals" }),
    seed: Flags.integer({ default: 0, description: 'seed for random points and initializers' }),
    tol: Flags.string({ default: '1e-6', description: 'largest acceptable relative error |a-b|/max(1,|a|,|b|)' }),
    samples: Flags.integer({ default: 64, description: 'coordinates checked per target (evenly spaced) for large targets' }),
    set: Flags.string({ multiple: true, multipleNonGreedy: true, description: 'override a dim or const: --set n=1024 (repeat for several)' }),
    json: Flags.boolean({ description: 'print results as a JSON array' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Gradcheck);
    const tol = Number(flags.tol);
    if (!(tol > 0)) {
      process.stderr.write(`error[GD9006]: --tol must be a positive number, got '${flags.tol}'\n`);
      process.exitCode = EXIT.usage;
      return;
    }
    const r = readWithOverrides(args.file, flags.set);
    if (!r) return;
    const fr = front(args.file, r.text, nodeFiles, { overrides: r.overrides });
    printDiagnostics(fr.diagnostics, fr.sources);
    if (!fr.checked) {
      process.exitCode = exitFor(fr.diagnostics);
      return;
    }
    let values: Map<string, Float64Array>;
    try {
      values = initialValues64(fr.checked, nodeFiles, flags.seed);
    } catch (e) {
      if (!(e instanceof RuntimeFault)) throw e;
      printDiagnostics([e.diagnostic], fr.sources);
      process.exitCode = EXIT.diagnostics;
      return;
    }
    const results = gradcheck(fr.checked, {
      at: flags.at as 'init' | 'random',
      seed: flags.seed,
      initialValues: (name) => values.get(name) ?? new Float64Array(0),
      maxElements: flags.samples,
    });
    const bad = results.filter((x) => !(x.maxRelError <= tol));
    if (flags.json) {
      process.stdout.write(JSON.stringify(results.map((x) => ({ ...x, ok: x.maxRelError <= tol }))) + '\n');
    } else {
      const w = Math.max(9, ...results.map((x) => `${x.objective} / ${x.target}`.length));
      process.stdout.write(`${'objective / target'.padEnd(w)}  max rel. error  (tolerance ${tol})\n`);
      for (const x of results) {
        const mark = x.maxRelError <= tol ? 'ok' : 'FAIL';
        process.stdout.write(`${`${x.objective} / ${x.target}`.padEnd(w)}  ${x.maxRelError.toExponential(2).padStart(14)}  ${mark}\n`);
      }
      if (results.length === 0) process.stdout.write('(no objectives to check)\n');
    }
    process.exitCode = bad.length ? EXIT.diagnostics : EXIT.ok;
  }
}
