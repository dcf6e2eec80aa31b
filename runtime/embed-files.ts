/** The Node-only part of `gdlang/runtime`: reading a data file from a file: URL (imported lazily by embed.ts). */
import { readFile } from 'node:fs/promises';

/** The bytes of the file at a file: URL; throws a plain Error naming the file when it cannot be read. */
export async function readFileUrl(url: URL): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(url));
  } catch (e) {
    throw new Error(`cannot read ${url.href}: ${(e as Error).message}`);
  }
}
