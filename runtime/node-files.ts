/** The runtime's default file access on Node (data files); the CLI may pass its own CompilerHost instead. */
import { readFileSync, statSync } from 'node:fs';
import type { CompilerHost } from '../compiler/host.js';

export const nodeFiles: CompilerHost = {
  readText(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  readBytes(path, maxBytes) {
    try {
      const b = new Uint8Array(readFileSync(path));
      return maxBytes === undefined ? b : b.subarray(0, maxBytes);
    } catch {
      return undefined;
    }
  },
  size(path) {
    try {
      const s = statSync(path);
      return s.isFile() ? s.size : undefined;
    } catch {
      return undefined;
    }
  },
};
