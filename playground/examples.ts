/** The examples/ folder inside the page: every .gd program for the picker, and their data files behind a CompilerHost. */
import { memoryHost, type CompilerHost } from '../compiler/host.js';

const programs = import.meta.glob<string>('../examples/*.gd', { query: '?raw', import: 'default', eager: true });
const texts = import.meta.glob<string>('../examples/*.{json,csv}', { query: '?raw', import: 'default', eager: true });
// Binary data files are fetched (as Vite-served assets) before the first check; see loadExampleFiles.
const binaries = import.meta.glob<string>('../examples/*.npy', { query: '?url', import: 'default', eager: true });

/** `../examples/x.gd` → `examples/x.gd`: the paths programs and diagnostics use, as when run from the repository root. */
const repoPath = (k: string) => k.replace(/^\.\.\//, '');

/** Example programs by name (file name without .gd), sorted. */
export const EXAMPLES: ReadonlyMap<string, string> = new Map(
  Object.entries(programs)
    .map(([k, v]) => [k.slice(k.lastIndexOf('/') + 1, -'.gd'.length), v] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1)),
);

/** The path a program named `name` lives at (its `load("...")` paths resolve against it). */
export const programPath = (name: string) => `examples/${name}.gd`;

/**
 * The page's file host: the example data files, plus the program being edited at its path. The
 * compiler's CompilerHost is synchronous, so binary files are fetched once up front.
 */
export async function loadExampleFiles(): Promise<Record<string, string | Uint8Array>> {
  const files: Record<string, string | Uint8Array> = {};
  for (const [k, v] of Object.entries(texts)) files[repoPath(k)] = v;
  for (const [k, url] of Object.entries(binaries)) {
    const res = await fetch(url);
    if (res.ok) files[repoPath(k)] = new Uint8Array(await res.arrayBuffer());
  }
  return files;
}

/** A host over the data files and the edited program's current text. */
export function pageHost(files: Readonly<Record<string, string | Uint8Array>>, path: string, text: string): CompilerHost {
  return memoryHost({ ...files, [path]: text });
}
