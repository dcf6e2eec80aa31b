/**
 * What the playground build puts in place of node:fs, node:fs/promises, node:path and node:module
 * (vite.config.ts aliases them here). The page calls runProgram with no run folder, its own file host
 * and its own backend loader, so the Node-only paths of runtime/ (run folders, checkpoints, the Node
 * file host, Node's backend loaders) are never taken; if one ever is, it fails loudly with this message
 * instead of silently doing nothing. A new named Node import in those modules fails the build (and the
 * e2e test) until it is listed here.
 */

function unavailable(name: string): never {
  throw new Error(`${name} is not available in the browser playground`);
}

const stub =
  (name: string) =>
  (..._args: unknown[]): never =>
    unavailable(name);

// node:fs, node:fs/promises
export const appendFileSync = stub('fs.appendFileSync');
export const closeSync = stub('fs.closeSync');
export const existsSync = stub('fs.existsSync');
export const mkdirSync = stub('fs.mkdirSync');
export const openSync = stub('fs.openSync');
export const readFileSync = stub('fs.readFileSync');
export const readSync = stub('fs.readSync');
export const renameSync = stub('fs.renameSync');
export const statSync = stub('fs.statSync');
export const writeFileSync = stub('fs.writeFileSync');
export const readFile = stub('fs.readFile');

// node:path
export const basename = stub('path.basename');
export const dirname = stub('path.dirname');
export const isAbsolute = stub('path.isAbsolute');
export const join = stub('path.join');
export const relative = stub('path.relative');
export const resolve = stub('path.resolve');

// node:module: runtime/backend.ts makes its `require` at load time; only calling it is an error.
export const createRequire = (_from: unknown): ((id: string) => never) & { resolve: (id: string) => never } =>
  Object.assign(stub('require'), { resolve: stub('require.resolve') });

export default {};
