/** docs/cli.md from the commands' oclif metadata (descriptions, arguments, flags, examples): `npm run docs:cli` writes it, a test keeps it current. */

/** The parts of an oclif command class the reference reads. */
interface CommandMeta {
  readonly description?: string;
  readonly examples?: readonly (string | { description: string; command: string })[];
  readonly strict?: boolean;
  readonly args?: Record<string, { description?: string; required?: boolean; default?: unknown }>;
  readonly flags?: Record<
    string,
    { type: 'boolean' | 'option'; char?: string; description?: string; default?: unknown; options?: readonly string[]; multiple?: boolean; required?: boolean }
  >;
}

const bin = (s: string) => s.replace(/<%= config\.bin %>/g, 'gd');
/** Table cells: a `|` would end the cell. */
const cell = (s: string) => s.replace(/\|/g, '\\|');

function usage(name: string, c: CommandMeta): string {
  const args = Object.entries(c.args ?? {}).map(([a, m]) => {
    const word = a.toUpperCase() + (c.strict === false ? '...' : '');
    return m.required ? word : `[${word}]`;
  });
  const flags = Object.keys(c.flags ?? {}).length ? ['[FLAGS]'] : [];
  return ['gd', name, ...args, ...flags].join(' ');
}

function flagLine(name: string, f: NonNullable<CommandMeta['flags']>[string]): string {
  const spell = `${f.char ? `-${f.char}, ` : ''}--${name}${f.type === 'option' ? (f.options ? `=${f.options.join('|')}` : '=VALUE') : ''}`;
  const notes = [f.multiple ? 'repeatable' : '', f.default !== undefined && f.type === 'option' ? `default: ${String(f.default)}` : '', f.required ? 'required' : '']
    .filter(Boolean)
    .join('; ');
  return `| ${cell(`\`${spell}\``)} | ${cell(f.description ?? '')}${notes ? ` (${cell(notes)})` : ''} |`;
}

/** The whole reference, commands in the order given (the command table's order). */
export function cliReference(commands: Readonly<Record<string, CommandMeta>>): string {
  const out: string[] = [
    '# gd command reference',
    '',
    '<!-- Generated from the commands\' oclif metadata by `npm run docs:cli` (bin/cli-docs.ts); do not edit by hand. -->',
    '',
    'Exit codes shared by all commands: 0 ok, 1 diagnostics (or files that `fmt --check` would change), 2 usage errors, 130 interrupted.',
    '',
  ];
  for (const name of Object.keys(commands)) out.push(`- [\`gd ${name}\`](#gd-${name})`);
  for (const [name, c] of Object.entries(commands)) {
    out.push('', `## gd ${name}`, '', bin(c.description ?? ''), '', '```', usage(name, c), '```');
    const args = Object.entries(c.args ?? {});
    if (args.length) {
      out.push('', '| argument | meaning |', '|---|---|');
      for (const [a, m] of args) out.push(`| \`${a.toUpperCase()}\` | ${cell(m.description ?? '')}${m.default !== undefined ? ` (default: ${String(m.default)})` : ''} |`);
    }
    const flags = Object.entries(c.flags ?? {});
    if (flags.length) {
      out.push('', '| flag | meaning |', '|---|---|');
      for (const [f, m] of flags) out.push(flagLine(f, m));
    }
    if (c.examples?.length) {
      out.push('', 'Examples:', '', '```sh');
      for (const e of c.examples) out.push(bin(typeof e === 'string' ? e : e.command));
      out.push('```');
    }
  }
  return `${out.join('\n')}\n`;
}
