/** The base of every gd command: usage errors from flag parsing become GD9002/GD9006 lines with exit code 2, never a stack trace. */
import { Command, Errors } from '@oclif/core';
import { EXIT } from './cli-util.js';
import { InternalError } from '../compiler/diagnostics/internal-error.js';

export abstract class BaseCommand extends Command {
  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (err instanceof Errors.ExitError) throw err;
    if (err instanceof InternalError) {
      process.stderr.write(`${err.message}\nThis is a bug in gdlang, not in your program; please report it with the program that triggered it.\n`);
      process.exitCode = 70;
      return;
    }
    // oclif's argument/flag parse errors (unknown flag, missing argument, bad option value).
    const isParse = err.constructor?.name?.endsWith('Error') && err.oclif?.exit === 2;
    if (isParse) {
      const code = /Nonexistent flag|Unexpected argument/i.test(err.message) ? 'GD9002' : 'GD9006';
      process.stderr.write(`error[${code}]: ${err.message.split('\n').join('\n  ')}\n`);
      process.exitCode = EXIT.usage;
      return;
    }
    process.stderr.write(`error: ${err.message}\n${err.stack ?? ''}\n`);
    process.exitCode = 70;
    return;
  }
}
