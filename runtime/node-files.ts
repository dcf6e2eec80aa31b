/** The Node implementation of the compiler's file interface: .gd sources and data files, for the CLI and the runtime. */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
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
      if (maxBytes === undefined) return new Uint8Array(readFileSync(path));
      // Only the prefix: the checker reads an .npy header without loading the data.
      const fd = openSync(path, 'r');
      try {
        const buf = Buffer.alloc(maxBytes);
        const n = readSync(fd, buf, 0, maxBytes, 0);
        return new Uint8Array(buf.buffer, buf.byteOffset, n);
      } finally {
        closeSync(fd);
      }
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
