/**
 * The page's stand-in for runtime/backend.ts (vite.config.ts swaps it in): that module loads Node's
 * backends (wasm binaries from node_modules, Dawn, tfjs-node) and imports Node built-ins. The page
 * activates its own backend (playground/backends.ts) through RunOptions.activateBackend, so this is
 * never called.
 */
export async function selectBackend(name: string): Promise<never> {
  throw new Error(`the playground activates its backend itself (asked for '${name}' through runtime/backend.ts)`);
}
