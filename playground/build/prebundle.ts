/**
 * Build-time plugin: ships a large CommonJS package (ts-morph, which carries the TypeScript compiler)
 * as one esbuild-made ES module beside the page instead of running it through Rollup. Rollup's
 * CommonJS conversion of those ~11 MB took about 30 CPU seconds, two thirds of the whole build; esbuild
 * needs about two. Dev serving is untouched (Vite's dependency optimizer already uses esbuild).
 */
import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { build as esbuild, type Plugin as EsbuildPlugin } from 'esbuild';
import type { Plugin } from 'vite';

/** Node built-ins become empty modules: ts-morph only touches them for real file systems, and the emitter uses an in-memory one. */
const emptyBuiltins: EsbuildPlugin = {
  name: 'empty-node-builtins',
  setup(b) {
    const names = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    b.onResolve({ filter: /.*/ }, (args) => (names.has(args.path) ? { path: args.path, namespace: 'empty' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/** Externalizes `pkg` in the production build and emits it, prebundled, as `assets/<pkg>.js`. */
export function prebundle(pkg: string, root: string): Plugin {
  const file = `${pkg.replace(/[^A-Za-z0-9-]/g, '-')}.js`;
  return {
    name: `gd-prebundle-${pkg}`,
    apply: 'build',
    enforce: 'pre',
    config: () => ({ build: { rollupOptions: { external: [pkg], output: { paths: { [pkg]: `./${file}` } } } } }),
    async generateBundle() {
      // Every export, named (CommonJS has no static export list for esbuild to carry over from `export *`).
      const names = Object.keys(createRequire(`${root}/`)(pkg) as object).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k));
      const out = await esbuild({
        stdin: { contents: `export { ${names.join(', ')} } from '${pkg}';`, resolveDir: root, loader: 'js' },
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        minify: true,
        write: false,
        logLevel: 'error',
        plugins: [emptyBuiltins],
      });
      this.emitFile({ type: 'asset', fileName: `assets/${file}`, source: out.outputFiles[0]!.contents });
    },
  };
}

/**
 * Externalizes `pkg`, a self-contained ES module file (binaryen: 15 MB, imported lazily by the WASM
 * kernels), and ships that file as is, as `assets/<pkg>.js`: Rollup need not parse it nor esbuild
 * minify it again.
 */
export function shipAsIs(pkg: string, file: string, root: string): Plugin {
  const out = `${pkg.replace(/[^A-Za-z0-9-]/g, '-')}.js`;
  return {
    name: `gd-ship-${pkg}`,
    apply: 'build',
    enforce: 'pre',
    config: () => ({ build: { rollupOptions: { external: [pkg], output: { paths: { [pkg]: `./${out}` } } } } }),
    generateBundle() {
      const path = createRequire(`${root}/`).resolve(`${pkg}/${file}`);
      this.emitFile({ type: 'asset', fileName: `assets/${out}`, source: readFileSync(path) });
    },
  };
}
