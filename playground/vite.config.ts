/** Vite config of the playground: a static site with a relative base, so dist-playground/ works from any folder or file server. */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { prebundle } from './build/prebundle.js';

const at = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));

/**
 * Modules of runtime/ that the page replaces with its own (the "browser" field pattern): the page
 * reuses runtime/run.ts as is, and run.ts imports these for Node-only work.
 */
const SUBSTITUTES: Record<string, string> = {
  [at('../runtime/backend.ts')]: at('./substitutes/backend.ts'),
};

function substitutes(): Plugin {
  return {
    name: 'gd-browser-substitutes',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!importer || !importer.startsWith(at('../runtime/'))) return null;
      const r = await this.resolve(source, importer, { skipSelf: true });
      return r ? (SUBSTITUTES[r.id] ?? null) : null;
    },
  };
}

export default defineConfig({
  root: at('.'),
  base: './',
  plugins: [substitutes(), prebundle('ts-morph', at('..'))],
  resolve: {
    // runtime/run.ts, outputs.ts and checkpoint.ts import a few Node built-ins for run folders and
    // checkpoints, which the page never writes (node-stubs.ts says why).
    alias: [{ find: /^node:(fs|fs\/promises|path|module)$/, replacement: at('./node-stubs.ts') }],
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
