/** `gd plot RUN_DIR [--metric NAME]`: redraw a run's metrics.svg (one panel per logged scalar) from its metrics.csv. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../base-command.js';
import { EXIT } from '../cli-util.js';

export default class Plot extends BaseCommand {
  static override description = "Draw a run's logged scalars over steps as SVG (one panel each, log scale where values span decades).";
  static override examples = ['<%= config.bin %> plot runs/least-squares-20260101-120000', '<%= config.bin %> plot RUN_DIR --metric loss --out loss.svg'];
  static override args = { dir: Args.string({ required: true, description: 'a run folder (holding metrics.csv)' }) };
  static override flags = {
    metric: Flags.string({ description: 'plot only this logged item (its name in metrics.csv)' }),
    out: Flags.string({ description: 'SVG file to write (default RUN_DIR/metrics.svg)' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Plot);
    if (!existsSync(join(args.dir, 'metrics.csv'))) {
      process.stderr.write(`error: ${args.dir} is not a run folder (no metrics.csv)\n`);
      process.exitCode = EXIT.usage;
      return;
    }
    try {
      const { writeRunPlot } = await import('../../runtime/plot/run-plot.js'); // vega is large: loaded only here
      const r = await writeRunPlot(args.dir, { ...(flags.metric !== undefined ? { metric: flags.metric } : {}), ...(flags.out ? { out: flags.out } : {}) });
      if (r.file) process.stdout.write(`${r.file} (${r.metrics.join(', ')})\n`);
      else process.stdout.write(`nothing to plot: the run logged no scalar\n`);
      process.exitCode = EXIT.ok;
    } catch (e) {
      process.stderr.write(`error: ${(e as Error).message}\n`);
      process.exitCode = EXIT.diagnostics;
    }
  }
}
