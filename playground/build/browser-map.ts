/**
 * What the playground build swaps for the browser, in one place: vite.config.ts applies it, and
 * test/unit/platform-neutral.test.ts checks that every Node built-in the page's modules reach is covered.
 */

/** runtime/ modules replaced by the page's own (repository-relative paths). */
export const SUBSTITUTES: Readonly<Record<string, string>> = {
  'runtime/backend.ts': 'playground/substitutes/backend.ts',
};

/** Node built-ins (without `node:`) mapped to playground/node-stubs.ts; their named imports must be exported there. */
export const STUBBED_BUILTINS: readonly string[] = ['fs', 'fs/promises', 'path', 'module'];
