/** Vite config of the playground: a static site with a relative base, so dist-playground/ works from any folder or file server. */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { STUBBED_BUILTINS, SUBSTITUTES } from './build/browser-map.js';
import { prebundle, shipAsIs } from './build/prebundle.js';

const at = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));

/**
 * Modules of runtime/ that the page replaces with its own (the "browser" field pattern): the page
 * reuses runtime/run.ts as is, and run.ts imports these for Node-only work.
 */
function substitutes(): Plugin {
  const swaps = new Map(Object.entries(SUBSTITUTES).map(([from, to]) => [at(`../${from}`), at(`../${to}`)]));
  return {
    name: 'gd-browser-substitutes',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!importer || !importer.startsWith(at('../runtime/'))) return null;
      const r = await this.resolve(source, importer, { skipSelf: true });
      return r ? (swaps.get(r.id) ?? null) : null;
    },
  };
}

export default defineConfig({
  root: at('.'),
  base: './',
  plugins: [substitutes(), prebundle('ts-morph', at('..')), shipAsIs('binaryen', 'index.js', at('..'))],
  resolve: {
    // runtime/run.ts, outputs.ts and checkpoint.ts import a few Node built-ins for run folders and
    // checkpoints, which the page never writes (node-stubs.ts says why).
    // (Exact matches: a string alias 'node:fs' would also rewrite 'node:fs/promises'.)
    alias: STUBBED_BUILTINS.map((m) => ({ find: new RegExp(`^node:${m}$`), replacement: at('./node-stubs.ts') })),
  },
  build: {
    outDir: at('../dist-playground'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4_000,
    reportCompressedSize: false,
  },
  server: { fs: { allow: [at('..')] } },
});
