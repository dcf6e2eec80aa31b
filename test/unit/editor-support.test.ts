/**
 * editors/vscode: the TextMate grammar's regexes compile under oniguruma (the engine VS Code uses) and
 * tokenize keywords, comments, numbers and strings of a real example as such; the language server,
 * started over stdio as VS Code starts it, publishes the compiler's diagnostics at their spans (it runs
 * the built compiler: dist/, as the CLI tests).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

const ROOT = join(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

async function grammar(): Promise<vsctm.IGrammar> {
  const wasm = readFileSync(join(require.resolve('vscode-oniguruma'), '../onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async () => vsctm.parseRawGrammar(readFileSync(join(ROOT, 'editors/vscode/syntaxes/gd.tmLanguage.json'), 'utf8'), 'gd.tmLanguage.json'),
  });
  const g = await registry.loadGrammar('source.gd');
  if (!g) throw new Error('grammar not loaded');
  return g;
}

/** Every (text, innermost scope) pair of a source text. */
function tokens(g: vsctm.IGrammar, text: string): { text: string; scope: string }[] {
  let stack = vsctm.INITIAL;
  const out: { text: string; scope: string }[] = [];
  for (const line of text.split('\n')) {
    const r = g.tokenizeLine(line, stack);
    for (const t of r.tokens) out.push({ text: line.slice(t.startIndex, t.endIndex), scope: t.scopes[t.scopes.length - 1]! });
    stack = r.ruleStack;
  }
  return out;
}

describe('TextMate grammar', () => {
  it('tokenizes keywords, comments, numbers and strings of an example', async () => {
    const g = await grammar();
    const src = readFileSync(join(ROOT, 'examples/ifgsm.gd'), 'utf8') + 'data s: [2] = load("a\\"b.csv") # done\nlet q = log(x) + max(y, axis: 0)\n';
    const ts = tokens(g, src);
    const scopeOf = (text: string) => ts.filter((t) => t.text === text).map((t) => t.scope);
    expect(scopeOf('maximize')[0]).toMatch(/^keyword\.control/);
    for (const k of ['over', 'by', 'for', 'in']) expect(scopeOf(k)[0]).toMatch(/^keyword\.control/);
    expect(scopeOf('steps')[0]).toMatch(/^keyword\.control/);
    for (const k of ['data', 'param']) expect(scopeOf(k)[0]).toMatch(/^storage\.type/);
    expect(ts.find((t) => t.text.startsWith(' examples/ifgsm.gd'))?.scope).toBe('comment.line.number-sign.gd');
    expect(ts.find((t) => t.text === ' done')?.scope).toBe('comment.line.number-sign.gd');
    for (const n of ['784', '0.1', '0.01', '20']) expect(scopeOf(n)).toContain('constant.numeric.gd');
    expect(scopeOf('\\"')).toContain('constant.character.escape.gd');
    expect(scopeOf('digit.json')).toContain('string.quoted.double.gd');
    // Soft keywords are functions when called.
    expect(scopeOf('log')).toContain('support.function.builtin.gd');
    expect(scopeOf('max')).toContain('support.function.builtin.gd');
    expect(scopeOf('x0')[0]).toBe('variable.other.definition.gd');
  });

  it('language configuration declares # comments and the brackets', () => {
    const cfg = JSON.parse(readFileSync(join(ROOT, 'editors/vscode/language-configuration.json'), 'utf8'));
    expect(cfg.comments.lineComment).toBe('#');
    expect(cfg.brackets).toEqual([['{', '}'], ['[', ']'], ['(', ')']]);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'editors/vscode/package.json'), 'utf8'));
    expect(pkg.contributes.languages[0].extensions).toEqual(['.gd']);
    expect(pkg.contributes.grammars[0].scopeName).toBe('source.gd');
  });
});

/** A minimal LSP client over stdio: Content-Length framed JSON-RPC. */
function lspSession() {
  const proc = spawn(process.execPath, [join(ROOT, 'editors/vscode/server/server.mjs'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let buf = Buffer.alloc(0);
  const waiting: ((m: { method?: string; params?: unknown; id?: number }) => boolean)[] = [];
  proc.stdout.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      const head = buf.indexOf('\r\n\r\n');
      if (head < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, head).toString())![1]);
      if (buf.length < head + 4 + len) return;
      const msg = JSON.parse(buf.subarray(head + 4, head + 4 + len).toString('utf8'));
      buf = buf.subarray(head + 4 + len);
      const i = waiting.findIndex((w) => w(msg));
      if (i >= 0) waiting.splice(i, 1);
    }
  });
  const send = (m: object) => {
    const body = JSON.stringify({ jsonrpc: '2.0', ...m });
    proc.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  // A server that dies (a bad import, a crash) fails the waiting step at once instead of at the test timeout.
  let exited: string | null = null;
  const failures: ((e: Error) => void)[] = [];
  let stderr = '';
  proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  proc.on('exit', (code, signal) => {
    exited = `language server exited (code ${code}, signal ${signal})\n${stderr}`;
    for (const f of failures.splice(0)) f(new Error(exited));
  });
  const next = <T>(pred: (m: { method?: string; params?: unknown; id?: number }) => boolean) =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(new Error(exited));
      failures.push(reject);
      waiting.push((m) => (pred(m) ? (resolve(m as T), true) : false));
    });
  return { proc, send, next };
}

describe('language server', () => {
  it('publishes the compiler diagnostics at their spans, and clears them when fixed', async () => {
    const s = lspSession();
    try {
      s.send({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
      await s.next((m) => m.id === 1);
      s.send({ method: 'initialized', params: {} });
      const uri = pathToFileURL(join(ROOT, 'examples/scratch-lsp.gd')).href;
      const text = 'param w: [3] = zeros\nlet r = w @ zeros_like\nminimize l = sum(w^2) over w by gd(lr: 0.1) for 5 steps\n';
      type Pub = { params: { uri: string; diagnostics: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; code: string; severity: number; message: string }[] } };
      const first = s.next<Pub>((m) => m.method === 'textDocument/publishDiagnostics');
      s.send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'gd', version: 1, text } } });
      const pub = await first;
      expect(pub.params.uri).toBe(uri);
      expect(pub.params.diagnostics.length).toBe(1);
      const d = pub.params.diagnostics[0]!;
      expect(d.code).toMatch(/^GD\d{4}$/);
      expect(d.severity).toBe(1);
      expect(d.message).toMatch(/zeros_like/);
      // `zeros_like` is on line 1 (0-based), columns 12..22.
      expect(d.range).toEqual({ start: { line: 1, character: 12 }, end: { line: 1, character: 22 } });

      const second = s.next<Pub>((m) => m.method === 'textDocument/publishDiagnostics');
      const fixed = text.replace('w @ zeros_like', 'w*2');
      s.send({ method: 'textDocument/didChange', params: { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] } });
      expect((await second).params.diagnostics).toEqual([]);

      // Format Document: one edit, the gd fmt text.
      s.send({ id: 2, method: 'textDocument/formatting', params: { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } } });
      const edits = await s.next<{ result: { newText: string }[] }>((m) => m.id === 2);
      expect(edits.result.length).toBe(1);
      expect(edits.result[0]!.newText).toBe(
        'param w: [3] = zeros\nlet r = w * 2\nminimize l = sum(w^2) over w by gd(lr: 0.1) for 5 steps\n',
      );
    } finally {
      s.proc.kill();
    }
  });
});
