// @vitest-environment node
//
// Security checklist #35, checked on the files themselves: the source has
// no HTML sinks or code-from-strings, and a fresh production build carries
// the strict CSP, no inline script or style, and no HTML sinks either.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
  "form-action 'none'; frame-ancestors 'none'";

// This file names what it looks for, so it is the one file not scanned.
const SELF = import.meta.filename;
const BANNED_IN_SOURCE = [
  '{@html',
  'innerHTML',
  'outerHTML',
  'insertAdjacentHTML',
  'document.write',
  'eval(',
  'new Function',
  'srcdoc',
];

function walk(dir: string, exts: string[]): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p, exts));
    else if (exts.some((e) => name.endsWith(e))) out.push(p);
  }
  return out;
}

function cspOf(html: string): string | undefined {
  const m = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
  return m?.[1];
}

/** Checks an index.html: returns the problems found. */
function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  if (cspOf(html) !== CSP) problems.push(`CSP is ${JSON.stringify(cspOf(html))}`);
  if ((html.match(/http-equiv="Content-Security-Policy"/gi) ?? []).length !== 1) {
    problems.push('not exactly one CSP meta');
  }
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (!/\bsrc="\/[^/"][^"]*"/.test(m[1]!)) problems.push(`script without a same-origin src: ${m[0]}`);
    if (m[2]!.trim() !== '') problems.push(`inline script: ${m[0]}`);
  }
  if (/<style\b/i.test(html)) problems.push('inline <style>');
  if (/\sstyle\s*=/i.test(html)) problems.push('style attribute');
  if (/\son[a-z]+\s*=/i.test(html)) problems.push('inline event handler');
  if (/\b(src|href)\s*=\s*["']?(https?:)?\/\//i.test(html)) problems.push('remote resource');
  return problems;
}

/** Markup of a .svelte file without its <script> and <style> blocks. */
function markupOf(svelte: string): string {
  return svelte
    .replace(/<script\b[\s\S]*?<\/script>/g, '')
    .replace(/<style\b[\s\S]*?<\/style>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '');
}

describe('source files', () => {
  const files = [
    ...walk(join(ROOT, 'src'), ['.ts', '.svelte', '.css', '.js']),
    join(ROOT, 'index.html'),
    join(ROOT, 'vite.config.ts'),
    join(ROOT, 'svelte.config.js'),
  ].filter((f) => f !== SELF);

  it('finds the files to scan', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.some((f) => f.endsWith('VendorsView.svelte'))).toBe(true);
  });

  it('use no HTML sinks, no eval and no new Function', () => {
    const hits: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const bad of BANNED_IN_SOURCE) {
        if (text.includes(bad)) hits.push(`${relative(ROOT, f)}: ${bad}`);
      }
    }
    expect(hits).toEqual([]);
  });

  it('put no style attributes or inline handlers in component markup', () => {
    const hits: string[] = [];
    for (const f of files.filter((f) => f.endsWith('.svelte'))) {
      const markup = markupOf(readFileSync(f, 'utf8'));
      if (/\sstyle\s*=/.test(markup)) hits.push(`${relative(ROOT, f)}: style=`);
      if (/\son[a-z]+\s*=\s*["']/.test(markup)) hits.push(`${relative(ROOT, f)}: string event handler`);
      if (/\b(src|href)\s*=\s*["']?(https?:)?\/\//.test(markup)) hits.push(`${relative(ROOT, f)}: remote URL`);
    }
    expect(hits).toEqual([]);
  });

  it('load no remote fonts or styles', () => {
    for (const f of files.filter((f) => f.endsWith('.css') || f.endsWith('.svelte'))) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).not.toMatch(/@import|@font-face|url\(\s*['"]?(https?:)?\/\//);
    }
  });

  it('index.html carries the strict CSP and nothing inline', () => {
    const html = readFileSync(join(ROOT, 'index.html'), 'utf8');
    expect(htmlProblems(html)).toEqual([]);
  });

  it('the HTML check catches what it should', () => {
    const good = `<meta http-equiv="Content-Security-Policy" content="${CSP}"><script type="module" src="/a.js"></script>`;
    expect(htmlProblems(good)).toEqual([]);
    expect(htmlProblems(good.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"))).not.toEqual([]);
    expect(htmlProblems(good + '<script>alert(1)</script>')).not.toEqual([]);
    expect(htmlProblems(good + '<div style="color:red"></div>')).not.toEqual([]);
    expect(htmlProblems(good + '<img src=x onerror="x()">')).not.toEqual([]);
    expect(htmlProblems(good + '<link rel="stylesheet" href="https://cdn.example/x.css">')).not.toEqual([]);
  });
});

describe('production build', () => {
  let out = '';
  let html = '';
  let js: string[] = [];
  let css: string[] = [];

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'smartap-dist-'));
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
    for (const k of Object.keys(env)) if (k.startsWith('VITEST') || k === 'TEST') delete env[k];
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'error'],
      { cwd: ROOT, env, stdio: 'pipe' },
    );
    html = readFileSync(join(out, 'index.html'), 'utf8');
    const files = walk(out, ['.js', '.css']);
    js = files.filter((f) => f.endsWith('.js')).map((f) => readFileSync(f, 'utf8'));
    css = files.filter((f) => f.endsWith('.css')).map((f) => readFileSync(f, 'utf8'));
  }, 120_000);

  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('emits index.html with its script and stylesheet as files', () => {
    expect(js.length).toBeGreaterThan(0);
    expect(css.length).toBeGreaterThan(0);
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/[^"]+\.js"><\/script>/);
    expect(html).toMatch(/<link rel="stylesheet" crossorigin href="\/assets\/[^"]+\.css">/);
  });

  it('keeps the strict CSP and nothing inline in index.html', () => {
    expect(htmlProblems(html)).toEqual([]);
  });

  it('has no HTML sinks or code-from-strings in the bundle', () => {
    // The Svelte runtime names innerHTML once, in a comparison that keeps it
    // out of the properties it sets; what must not be there is a write to it.
    // Components are compiled with fragments: 'tree', so no template HTML is
    // parsed through innerHTML.
    const sinks: [string, RegExp][] = [
      ['innerHTML/outerHTML write', /\.(inner|outer)HTML\s*\+?=(?!=)/],
      ['insertAdjacentHTML', /insertAdjacentHTML/],
      ['document.write', /document\.write/],
      ['eval', /\beval\s*\(/],
      ['new Function', /new\s+Function\b/],
      ['Function(...) call', /[^.\w$]Function\s*\(/],
      ['srcdoc', /srcdoc/],
      ['style attribute', /setAttribute\(\s*["'`]style["'`]/],
      ['string timer', /set(Timeout|Interval)\(\s*["'`]/],
    ];
    const found = js.flatMap((src) => sinks.filter(([, re]) => re.test(src)).map(([n]) => n));
    expect(found).toEqual([]);
  });

  it('loads no fonts or remote styles', () => {
    for (const c of css) expect(c).not.toMatch(/@import|@font-face|url\(\s*['"]?(https?:)?\/\//);
  });
});
