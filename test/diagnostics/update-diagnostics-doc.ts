/**
 * Refreshes the examples of docs/diagnostics.md from the golden bad programs and their rendered snapshots,
 * keeping each code's hand-written explanation. Run after `vitest -u` changed a snapshot:
 *   npx tsx test/diagnostics/update-diagnostics-doc.ts
 * bad.test.ts checks that the doc is up to date.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODES } from '../../compiler/diagnostics/codes.js';

const here = import.meta.dirname;
const docPath = join(here, '../../docs/diagnostics.md');

/** The first bad program of each code (alphabetical), as [file name, program without its `# expect` line]. */
export function examplesByCode(): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(join(here, 'bad')).filter((x) => x.endsWith('.gd')).sort()) {
    const text = readFileSync(join(here, 'bad', f), 'utf8');
    const code = /^# expect: (GD\d{4})/.exec(text)?.[1];
    if (code && !out.has(code)) out.set(code, f);
  }
  return out;
}

/** The markdown of one code's example: the program and its rendered message. */
export function exampleBlock(file: string): string {
  const program = readFileSync(join(here, 'bad', file), 'utf8').replace(/\n+$/, '').split('\n').slice(1).join('\n');
  const message = readFileSync(join(here, '__snapshots__', file.replace(/\.gd$/, '.txt')), 'utf8').replace(/\n+$/, '');
  return `Example (\`test/diagnostics/bad/${file}\`):\n\n\`\`\`text\n${program}\n\`\`\`\n\n\`\`\`text\n${message}\n\`\`\`\n`;
}

/** The doc with every code's example block regenerated; explanations and other sections are kept. */
export function refreshedDoc(doc: string): string {
  const examples = examplesByCode();
  // Sections start at "### GDxxxx"; each runs to the next heading of any level.
  return doc.replace(/(### (GD\d{4})[^\n]*\n\n)([\s\S]*?)(?=\n#{2,3} |\s*$)/g, (_all, head: string, code: string, body: string) => {
    const explanation = body.split(/\nExample \(`/)[0]!.replace(/\n+$/, '');
    const file = examples.get(code);
    return `${head}${explanation}\n${file ? `\n${exampleBlock(file)}` : ''}`;
  });
}

const isMain = process.argv[1] && import.meta.filename === process.argv[1];
if (isMain) {
  const doc = readFileSync(docPath, 'utf8');
  const missing = Object.keys(CODES).filter((c) => !doc.includes(`### ${c} `));
  if (missing.length) process.stderr.write(`add an explanation to docs/diagnostics.md for: ${missing.join(', ')}\n`);
  writeFileSync(docPath, refreshedDoc(doc));
}
