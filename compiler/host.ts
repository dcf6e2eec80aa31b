/**
 * The compiler's only window on files. The CLI implements it with node:fs, the browser playground with
 * an in-memory map, so grammar/ and compiler/ never import Node-only modules.
 */

export interface CompilerHost {
  /** The file's text, or undefined when it does not exist or cannot be read. */
  readText(path: string): string | undefined;
  /** Up to `maxBytes` bytes from the start of the file (whole file when omitted), or undefined when absent. */
  readBytes(path: string, maxBytes?: number): Uint8Array | undefined;
  /** The file's size in bytes, or undefined when it does not exist. */
  size(path: string): number | undefined;
}

/** Resolves `rel` against the folder of `fromFile` with POSIX rules (absolute paths stay as they are). */
export function resolveRelative(fromFile: string, rel: string): string {
  if (rel.startsWith('/')) return normalizePath(rel);
  const slash = fromFile.lastIndexOf('/');
  const dir = slash >= 0 ? fromFile.slice(0, slash) : '.';
  return normalizePath(`${dir}/${rel}`);
}

/** Collapses `.` and `..` segments and repeated slashes. */
export function normalizePath(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (seg === '..' && abs) continue;
    else out.push(seg);
  }
  const joined = out.join('/');
  return abs ? `/${joined}` : joined === '' ? '.' : joined;
}

/** An in-memory host (tests, playground). */
export function memoryHost(files: Record<string, string | Uint8Array>): CompilerHost {
  const enc = new TextEncoder();
  const get = (p: string) => files[normalizePath(p)] ?? files[p];
  return {
    readText(path) {
      const f = get(path);
      return f === undefined ? undefined : typeof f === 'string' ? f : new TextDecoder().decode(f);
    },
    readBytes(path, maxBytes) {
      const f = get(path);
      if (f === undefined) return undefined;
      const b = typeof f === 'string' ? enc.encode(f) : f;
      return maxBytes === undefined ? b : b.subarray(0, maxBytes);
    },
    size(path) {
      const f = get(path);
      return f === undefined ? undefined : typeof f === 'string' ? enc.encode(f).length : f.length;
    },
  };
}
