/**
 * The browser playground end to end: builds it with Vite, serves the static files, and drives Debian's
 * Chromium (playwright-core, no browser download) through what a visitor does: pick an example, break a
 * line, run, stop, reload a link. Numbers are compared with `gd run --json` on the cpu backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { execFile } from 'node:child_process';
import { ROOT } from '../helpers/cli.js';
import { colorStats, readPng } from './png.js';

const CHROMIUM = process.env.GD_CHROMIUM ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = Boolean(process.env.CI);

if (!HAVE_CHROMIUM) {
  if (IN_CI) {
    describe('playground e2e', () => {
      it('finds Chromium', () => {
        throw new Error(`${CHROMIUM} not found: CI must install Debian's chromium (see .ci/run) for the playground e2e test`);
      });
    });
  } else {
    console.warn(`playground e2e skipped: ${CHROMIUM} not found (install Debian's chromium, or set GD_CHROMIUM)`);
  }
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml' };

/** A static file server over `dir` (what any web host does with dist-playground/). */
function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let p = resolve(dir, `.${rel}`);
    if (p.startsWith(dir) && existsSync(p) && statSync(p).isDirectory()) p = join(p, 'index.html');
    if (!p.startsWith(dir) || !existsSync(p)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(p)] ?? 'application/octet-stream' }).end(readFileSync(p));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` })));
}

/** The URL hash the page uses for a program, made independently here (deflate-raw + base64url). */
function hashOf(name: string, text: string): string {
  return `${encodeURIComponent(name)}:${deflateRawSync(Buffer.from(text)).toString('base64url')}`;
}

/** `gd ...` (the built CLI, as test/helpers/cli.ts runs it) without blocking: it runs beside the Vite build. */
function gdAsync(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    execFile(process.execPath, [join(ROOT, 'bin/run.js'), ...args], { cwd: ROOT, maxBuffer: 1 << 26, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) =>
      ok({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const editorText = (page: Page) => page.$$eval('.cm-content .cm-line', (ls) => ls.map((l) => l.textContent ?? '').join('\n'));

async function runToEnd(page: Page): Promise<string> {
  await page.click('#run');
  await page.waitForSelector('#status:is([data-state="done"], [data-state="error"], [data-state="stopped"])', { timeout: 60_000 });
  return (await page.getAttribute('#status', 'data-state'))!;
}

// Each test drives a real browser; under a loaded CI machine (other test files run beside it) give them room.
describe.skipIf(!HAVE_CHROMIUM)('playground in headless Chromium', { timeout: 120_000 }, () => {
  let dir: string;
  let server: Server;
  let url: string;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const leastSquares = readFileSync(join(ROOT, 'examples/least-squares.gd'), 'utf8');
  const diverging = leastSquares.replace('gd(lr: 0.1)', 'gd(lr: 100)');
  /** The CLI's answers for the same programs, computed beside the build. */
  let cli: Record<'run' | 'wasm' | 'emit' | 'diverging', Awaited<ReturnType<typeof gdAsync>>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gd-playground-'));
    writeFileSync(join(dir, 'diverging.gd'), diverging);
    const references = Promise.all([
      gdAsync(['run', 'examples/least-squares.gd', '--json', '--backend', 'cpu', '--out', join(dir, 'cli-run')]),
      gdAsync(['run', 'examples/least-squares.gd', '--json', '--backend', 'wasm', '--out', join(dir, 'cli-wasm')]),
      gdAsync(['compile', 'examples/least-squares.gd', '--emit', 'ts']),
      gdAsync(['run', join(dir, 'diverging.gd'), '--json', '--backend', 'cpu', '--out', join(dir, 'cli-diverging')]),
    ]);
    const { build } = await import('vite');
    await build({ configFile: join(ROOT, 'playground/vite.config.ts'), logLevel: 'error', build: { outDir: join(dir, 'site'), emptyOutDir: true } });
    ({ server, url } = await serve(join(dir, 'site')));
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => errors.push(e.message));
    const [run, wasm, emit, div] = await references;
    cli = { run, wasm, emit, diverging: div };
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh load (through about:blank: a URL that differs only in its hash would not reload the page). */
  async function open(query = '?backend=cpu', hash = ''): Promise<void> {
    await page.goto('about:blank');
    await page.goto(`${url}${query}${hash ? `#${hash}` : ''}`);
    await page.waitForSelector('#status[data-state="idle"]', { timeout: 30_000 });
  }

  it('builds a static site whose wasm binaries are served from the site itself', () => {
    const assets = readdirSync(join(dir, 'site/assets'));
    expect(assets.filter((f) => f.endsWith('.wasm')).length).toBe(3);
    const html = readFileSync(join(dir, 'site/index.html'), 'utf8');
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('loads with the quick-start example, every example in the picker, and no problems', async () => {
    await open();
    expect(await editorText(page)).toBe(leastSquares);
    const options = await page.$$eval('#example option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.gd')).map((f) => f.slice(0, -3)).sort();
    expect(options).toEqual(examples);
    await expect.poll(() => page.textContent('#problem-count')).toBe('✓');
    expect(errors).toEqual([]);
  });

  it('picks each example and checks it without errors (data files and std modules are in the page)', async () => {
    // ifgsm and wasserstein-gaussian load .json data, most others `use std.*`: a missing file or module is an error.
    for (const f of readdirSync(join(ROOT, 'examples')).filter((x) => x.endsWith('.gd'))) {
      await page.selectOption('#example', f.slice(0, -3));
      await expect.poll(() => editorText(page)).toBe(readFileSync(join(ROOT, 'examples', f), 'utf8'));
      await page.waitForSelector(`#problems[data-file="examples/${f}"]`, { state: 'attached' });
      await expect.poll(() => page.textContent('#problem-count'), { message: f }).toMatch(/^(✓|0 error\(s\).*)$/);
      expect(await page.locator('#problems li.error').allTextContents(), f).toEqual([]);
    }
    await page.selectOption('#example', 'least-squares');
    await expect.poll(() => editorText(page)).toBe(leastSquares);
  });

  it('underlines a broken line with a diagnostic on that line, and the URL keeps the edit across a reload', async () => {
    // Line 4 is `data y: [200] = X @ w_true`; typing at its end makes an unknown name.
    const line4 = page.locator('.cm-content .cm-line').nth(3);
    expect(await line4.textContent()).toBe('data y: [200] = X @ w_true');
    await line4.click();
    await page.keyboard.press('End');
    await page.keyboard.type('_typo');
    const problem = page.locator('#problems li.error').first();
    await expect.poll(() => problem.getAttribute('data-line'), { timeout: 10_000 }).toBe('4');
    expect(await problem.textContent()).toMatch(/GD\d{4}: .*w_true_typo/);
    // The underline sits on line 4 of the editor.
    await expect.poll(() => line4.locator('.cm-lintRange-error').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator('.cm-lintRange-error').count()).toBe(await line4.locator('.cm-lintRange-error').count());
    expect(await page.isDisabled('#run')).toBe(true);

    const broken = leastSquares.replace('X @ w_true\n', 'X @ w_true_typo\n');
    // The hash holds the edited program (decoded here with zlib, independently of the page).
    await expect.poll(async () => {
      const h = new URL(page.url()).hash.slice(1);
      const colon = h.indexOf(':');
      return colon < 0 ? '' : inflateRawSync(Buffer.from(h.slice(colon + 1), 'base64url')).toString('utf8');
    }).toBe(broken);
    await page.reload();
    await page.waitForSelector('#status[data-state="idle"]');
    expect(await editorText(page)).toBe(broken);
    await expect.poll(() => page.locator('#problems li.error').first().getAttribute('data-line')).toBe('4');
  });

  it('runs least-squares on cpu to the loss `gd run --json --backend cpu` reports', async () => {
    expect(cli.run.code, cli.run.stderr).toBe(0);
    const ref = JSON.parse(cli.run.stdout) as { objective: { value: number }; log: { step: number; loss: number }[]; params: { w: { data: number[] } } };

    await open('?backend=cpu', hashOf('least-squares', leastSquares));
    expect(await runToEnd(page)).toBe('done');
    expect(await page.textContent('#backend-used')).toBe('cpu');
    const loss = Number(await page.getAttribute('#objective', 'data-value'));
    expect(Math.abs(loss - ref.objective.value)).toBeLessThanOrEqual(1e-5);
    // The same float32 arithmetic on the same tfjs cpu kernels: the log and the params agree closely too.
    const latest = await page.textContent('#latest');
    expect(latest).toBe(`step 300: loss = ${ref.log[ref.log.length - 1]!.loss}`);
    await page.click('#tabs button[data-tab="params"]');
    const w = (await page.textContent('#params tr[data-param="w"] td.values'))!.split(', ').map(Number);
    expect(w).toHaveLength(10);
    w.forEach((v, i) => expect(Math.abs(v - ref.params.w.data[i]!)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(ref.params.w.data[i]!))));
    await page.click('#tabs button[data-tab="plot"]');
    // The plot has the logged loss: one point per log row (steps 0, 50, ..., 300).
    const d = (await page.getAttribute('#plot path.series[data-name="loss"]', 'd'))!;
    expect(d.match(/[ML]/g)).toHaveLength(ref.log.length);
  });

  it('runs on the wasm backend from the site\'s own .wasm files, as `gd run --backend wasm` does', async () => {
    expect(cli.wasm.code, cli.wasm.stderr).toBe(0);
    const ref = JSON.parse(cli.wasm.stdout) as { objective: { value: number }; log: { step: number; loss: number }[] };
    const elsewhere: string[] = [];
    const onRequest = (r: { url(): string }) => {
      if (!r.url().startsWith(url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:') && r.url() !== 'about:blank') elsewhere.push(r.url());
    };
    page.on('request', onRequest);
    try {
      await open('?backend=wasm', hashOf('least-squares', leastSquares));
      expect(await runToEnd(page)).toBe('done');
    } finally {
      page.off('request', onRequest);
    }
    expect(await page.textContent('#backend-used')).toBe('wasm');
    expect(elsewhere).toEqual([]);
    expect(Math.abs(Number(await page.getAttribute('#objective', 'data-value')) - ref.objective.value)).toBeLessThanOrEqual(1e-5);
    expect(await page.textContent('#latest')).toBe(`step 300: loss = ${ref.log[ref.log.length - 1]!.loss}`);
  });

  it('shows the TypeScript `gd compile --emit ts` writes', async () => {
    expect(cli.emit.code, cli.emit.stderr).toBe(0);
    await page.click('#tabs button[data-tab="ts"]');
    await expect.poll(() => page.textContent('#ts'), { timeout: 30_000 }).not.toMatch(/^\/\/ emitting/);
    expect(((await page.textContent('#ts')) ?? '').trim()).toBe(cli.emit.stdout.trim());
    await page.click('#tabs button[data-tab="plot"]');
  });

  it('runs with the default backend choice (webgpu, else webgl, else wasm, else cpu)', async () => {
    await open('', hashOf('least-squares', leastSquares));
    expect(await runToEnd(page)).toBe('done');
    const used = await page.textContent('#backend-used');
    expect(['webgpu', 'webgl', 'wasm', 'cpu']).toContain(used);
    console.log(`playground default backend in headless Chromium: ${used}`);
    // Other backends round differently; the loss still reaches the noise floor.
    expect(Number(await page.getAttribute('#objective', 'data-value'))).toBeLessThan(1e-6);
  });

  it('reports a diverging run as gd run does (non-finite value, at the solve)', async () => {
    const code = (JSON.parse(cli.diverging.stdout) as { diagnostics: { code: string }[] }).diagnostics[0]!.code;
    await open('?backend=cpu', hashOf('least-squares', diverging));
    expect(await runToEnd(page)).toBe('error');
    const item = page.locator(`#problems li.error[data-code="${code}"]`);
    expect(await item.getAttribute('data-line')).toBe('6');
    expect(await page.textContent('#status')).toContain(code);
  });

  it('stays responsive during a long run, and Stop stops it', async () => {
    const long = leastSquares.replace('for 300 steps', 'for 100000000 steps');
    await open('?backend=cpu', hashOf('least-squares', long));
    await page.evaluate(() => {
      const w = window as unknown as { frames_: number };
      w.frames_ = 0;
      const tick = () => {
        w.frames_++;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.click('#run');
    await page.waitForSelector('#status[data-state="running"]');
    const frames0 = await page.evaluate(() => (window as unknown as { frames_: number }).frames_);
    const step0 = Number(await page.textContent('#step'));
    const t0 = Date.now();
    await page.waitForTimeout(1500);
    // Input is handled mid-run: switching tabs takes effect.
    await page.click('#tabs button[data-tab="params"]', { timeout: 2000 });
    expect(await page.getAttribute('#tab-params', 'class')).toContain('active');
    const frames1 = await page.evaluate(() => (window as unknown as { frames_: number }).frames_);
    const step1 = Number(await page.textContent('#step'));
    const secs = (Date.now() - t0) / 1000;
    console.log(`during a run: ${((frames1 - frames0) / secs).toFixed(1)} frames/s, ${((step1 - step0) / secs).toFixed(0)} steps/s`);
    expect(step1).toBeGreaterThan(step0);
    expect((frames1 - frames0) / secs).toBeGreaterThan(10);
    await page.click('#tabs button[data-tab="plot"]');
    await page.click('#stop');
    await page.waitForSelector('#status[data-state="stopped"]', { timeout: 5000 });
    const stoppedAt = Number(await page.textContent('#step'));
    await page.waitForTimeout(300);
    expect(Number(await page.textContent('#step'))).toBe(stoppedAt);
    expect(stoppedAt).toBeLessThan(100000000);
    expect(await page.isEnabled('#run')).toBe(true);
    expect(errors).toEqual([]);
  });

  it('renders a page that is not blank (screenshot)', async () => {
    await open('?backend=cpu', hashOf('least-squares', leastSquares));
    expect(await runToEnd(page)).toBe('done');
    const shot = join(dir, 'playground.png');
    writeFileSync(shot, await page.screenshot());
    // Kept where a person can look at it after a local run.
    if (!IN_CI) writeFileSync(join(tmpdir(), 'gd-playground-screenshot.png'), readFileSync(shot));
    const img = readPng(readFileSync(shot));
    const whole = colorStats(img);
    // A blank page is one color; the playground has text, syntax colors, a plot and anti-aliasing.
    expect(whole.distinct).toBeGreaterThan(100);
    expect(whole.dominantShare).toBeLessThan(0.9);
    // The plot area (right half, below the tabs) holds the line, not just background.
    const box = (await page.locator('#plot').boundingBox())!;
    const plot = colorStats(img, { x: Math.round(box.x), y: Math.round(box.y), w: Math.round(box.width), h: Math.round(Math.min(box.height, img.height - box.y)) });
    expect(plot.distinct).toBeGreaterThan(20);
    // The same reader on a blank page sees one color, so the thresholds above mean something.
    const blank = await browser.newPage({ viewport: { width: 320, height: 200 } });
    await blank.setContent('<html><body style="background:#fff"></body></html>');
    expect(colorStats(readPng(await blank.screenshot())).distinct).toBe(1);
    await blank.close();
  });
});
