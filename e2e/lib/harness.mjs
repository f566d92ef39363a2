// The browser side of the suite: one headless Chromium (Debian's binary, never a downloaded one)
// per test file, a fresh page per test, and the checks every page gets for free: no JavaScript
// dialog, no uncaught page error, no CSP violation. scripts/e2e.sh starts the app and sets the
// E2E_* variables read here.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the suite through scripts/e2e.sh (make e2e)`);
  return v;
}

export const cfg = {
  url: need('E2E_URL'),
  importDir: need('E2E_IMPORT_DIR'),
  corpus: need('E2E_CORPUS'),
  screenshots: need('E2E_SCREENSHOTS'),
  artifacts: need('E2E_ARTIFACTS'),
  chromium: process.env.E2E_CHROMIUM || '/usr/bin/chromium',
};

// Long enough for a cold WebKit/SQLite start on a busy 2-core machine; every wait is for a
// condition, these only bound how long a broken build hangs.
export const TIMEOUT = 30_000;

export async function launch() {
  return chromium.launch({
    executablePath: cfg.chromium,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--font-render-hinting=none',
    ],
  });
}

/**
 * Opens the app in a fresh browser context. The returned page records JavaScript dialogs,
 * uncaught errors and CSP violations in page.problems; assertClean(page) fails on any.
 */
export async function openApp(browser) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, deviceScaleFactor: 1 });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  const problems = { dialogs: [], errors: [], csp: [], wailsDevErrors: [] };
  page.problems = problems;
  page.on('dialog', async (d) => {
    problems.dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => {
    const where = (e.stack ?? '').split('\n').slice(1, 3).join(' ').trim();
    // Wails' browser-only dev IPC script bundles its own Svelte (for its "disconnected" overlay),
    // which throws in a page that runs Svelte 5 too. It is not part of the app and never loads
    // in the app's window: counted apart, not held against the app.
    if (/\/wails\/ipc\.js:/.test(where.split(' at ')[0] || where)) problems.wailsDevErrors.push(String(e));
    else problems.errors.push(`${e}${where ? ` ${where}` : ''}`);
  });
  // Runs before the app's own scripts (injected by the browser, so the app's CSP does not apply).
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample || ''}`);
    });
  });
  await page.goto(cfg.url);
  // The UI is up when it titles the window after the backend's State() answer (as the smoke test does).
  await page.waitForFunction(() => document.title !== '' && document.title !== 'SmartAP' || !!document.querySelector('.shell'));
  return page;
}

export async function assertClean(page, assert) {
  const csp = await page.evaluate(() => window.__csp ?? []);
  assert.deepEqual(page.problems.dialogs, [], 'no JavaScript dialog may open');
  assert.deepEqual(page.problems.errors, [], 'no uncaught error in the page');
  assert.deepEqual(csp, [], 'no Content-Security-Policy violation');
}

/** Saves a screenshot of a main screen to docs/screenshots/NAME.png (the product's documentation). */
export async function screenshot(page, name) {
  mkdirSync(cfg.screenshots, { recursive: true });
  // Let no caret or focus ring animation make the picture differ between runs.
  await page.screenshot({ path: path.join(cfg.screenshots, `${name}.png`), animations: 'disabled', caret: 'hide' });
}

/**
 * Wraps a test body in a fresh page of getBrowser() (a function: the browser is launched in a
 * before hook). On failure, a screenshot of the page goes to build/e2e/ for the log reader.
 */
export function withPage(getBrowser, name, fn) {
  return async (t) => {
    const page = await openApp(getBrowser());
    try {
      await fn(page, t);
    } catch (e) {
      mkdirSync(cfg.artifacts, { recursive: true });
      const file = path.join(cfg.artifacts, `${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => {});
      throw e;
    } finally {
      await page.context().close();
    }
  };
}
