/** `gd init [DIR]`: start a project — main.gd (a program that loads a csv), data.csv and a README. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../base-command.js';
import { EXIT } from '../cli-util.js';
import { scaffoldFiles } from '../init-template.js';

export default class Init extends BaseCommand {
  static override description = 'Create a starter project: main.gd, the data.csv it loads, and a README.';
  static override examples = ['<%= config.bin %> init my-project', '<%= config.bin %> init'];
  static override args = { dir: Args.string({ default: '.', description: 'project folder (created if missing)' }) };
  static override flags = { force: Flags.boolean({ description: 'overwrite files that already exist' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Init);
    const files = scaffoldFiles(basename(resolve(args.dir)));
    const clashes = Object.keys(files).filter((f) => existsSync(join(args.dir, f)));
    if (clashes.length > 0 && !flags.force) {
      process.stderr.write(`error: ${clashes.map((f) => join(args.dir, f)).join(', ')} already exist${clashes.length === 1 ? 's' : ''} (--force overwrites)\n`);
      process.exitCode = EXIT.usage;
      return;
    }
    mkdirSync(args.dir, { recursive: true });
    for (const [f, text] of Object.entries(files)) writeFileSync(join(args.dir, f), text);
    process.stdout.write(`created ${Object.keys(files).map((f) => join(args.dir, f)).join(', ')}\nnext: gd run ${join(args.dir, 'main.gd')}\n`);
    process.exitCode = EXIT.ok;
  }
}
