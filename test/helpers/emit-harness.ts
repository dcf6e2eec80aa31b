/**
 * Compiles .gd programs to TypeScript modules in a scratch folder under the repo, type-checks them with
 * `tsc --strict`, and runs them standalone on a tfjs backend, next to `gd run` on the same program and seed.
 * `gdlang/runtime` resolves through a node_modules/gdlang symlink to the repo root that the scratch
 * folder holds (the built dist/ must exist: `npx tsc -p .`).
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { emitTs, front } from '../../compiler/pipeline.js';
import { nodeFiles } from '../../runtime/node-files.js';
import { ROOT } from './cli.js';
// The standard-library modules (`use std.*`) register their sources, methods and geometries on import.
import '../../runtime/std/index.js';

/** Emits the module for a program (path relative to the repo root, as `gd run` is given it). */
export async function emitFor(file: string): Promise<string> {
  const text = nodeFiles.readText(join(ROOT, file));
  if (text === undefined) throw new Error(`no ${file}`);
  const host = { ...nodeFiles, readText: (p: string) => nodeFiles.readText(p.startsWith('/') ? p : join(ROOT, p)), readBytes: (p: string, m?: number) => nodeFiles.readBytes(p.startsWith('/') ? p : join(ROOT, p), m), size: (p: string) => nodeFiles.size(p.startsWith('/') ? p : join(ROOT, p)) };
  const fr = front(file, text, host);
  if (!fr.checked) throw new Error(`${file} does not check: ${fr.diagnostics.map((d) => d.message).join('; ')}`);
  return emitTs(fr);
}

/** A scratch folder with a package.json (ESM), a strict tsconfig and the gdlang symlink. */
export class Scratch {
  readonly dir: string;
  constructor(name: string) {
    this.dir = join(ROOT, 'test', `.scratch-${name}-${process.pid}`);
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(join(this.dir, 'src'), { recursive: true });
    mkdirSync(join(this.dir, 'node_modules'), { recursive: true });
    symlinkSync(ROOT, join(this.dir, 'node_modules', 'gdlang'), 'dir');
    writeFileSync(join(this.dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    writeFileSync(
      join(this.dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', outDir: 'out', rootDir: 'src', skipLibCheck: true, types: [] },
        include: ['src/**/*.ts'],
      }),
    );
  }

  write(name: string, text: string): void {
    writeFileSync(join(this.dir, 'src', name), text);
  }

  /** Runs tsc --strict over src/ into out/; returns its output ('' when clean). */
  tsc(): { code: number; output: string } {
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', this.dir], { encoding: 'utf8', timeout: 120_000 });
    return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
  }

  /** Runs out/<module>.js on a tfjs backend: createProgram(options).run(), printed as JSON. */
  runModule(module: string, backend: 'cpu' | 'wasm', options: string): { code: number; stdout: string; stderr: string } {
    const driver = `
      import * as tf from '@tensorflow/tfjs-core';
      import { selectBackend } from ${JSON.stringify(join(ROOT, 'dist/runtime/backend.js'))};
      import { createProgram } from './${module}.js';
      await selectBackend(${JSON.stringify(backend)});
      const p = await createProgram(${options});
      const r = await p.run();
      p.dispose();
      const params = Object.fromEntries(Object.entries(r.params).map(([k, v]) => [k, Array.from(v)]));
      process.stdout.write(JSON.stringify({ objective: r.objective, params, log: r.log, tensors: tf.memory().numTensors }));
    `;
    const d = join(this.dir, 'out', `run-${module}.mjs`);
    writeFileSync(d, driver);
    const r = spawnSync(process.execPath, [d], { encoding: 'utf8', timeout: 300_000, cwd: ROOT });
    return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
