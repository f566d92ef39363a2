// How the suite finds its way around the UI: by roles, labels and headings, as a person (or a
// screen reader) would, never by CSS classes. When a screen changes, this is the one file to adapt.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from './expect.mjs';
import { cfg } from './harness.mjs';

export const ADMIN = { name: 'alice', password: 'admin password 123' };
export const APPROVER = { name: 'anna', role: 'approver', password: 'approver password 123' };
export const CLERK = { name: 'lena', role: 'clerk', password: 'clerk password 1234' };

export const heading = (page, name) => page.getByRole('heading', { level: 1, name });
const nav = (page) => page.getByRole('navigation', { name: 'Main' });

/** The backend's own view of the session (State needs no session). */
export const appState = (page) => page.evaluate(() => window.go.app.App.State());

/** First run: creates the administrator. shot(name) is called on the screens worth a picture. */
export async function setUp(page, shot = async () => {}) {
  await expect(heading(page, 'Welcome to SmartAP')).toBeVisible();
  await shot('setup-welcome');
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(heading(page, 'Create the administrator')).toBeVisible();
  await page.getByLabel(/^User name/).fill(ADMIN.name);
  await page.getByLabel(/^Password/).fill(ADMIN.password);
  await page.getByLabel(/^Repeat password/).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(heading(page, 'Store your recovery key')).toBeVisible();
  await shot('setup-recovery-key');
  await page.getByLabel('I have stored the recovery key somewhere safe').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page, 'Invoices')).toBeVisible();
}

/** Fills the unlock form and presses Unlock; the caller checks the outcome. */
export async function tryUnlock(page, name, password) {
  await expect(heading(page, 'Unlock SmartAP')).toBeVisible();
  await page.getByLabel(/^User name/).fill(name);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
}

/** Signs in as user, from whatever screen the app shows: set-up (first run), unlock or the shell. */
export async function signIn(page, user) {
  const st = await appState(page);
  if (!st.initialized) {
    if (user.name !== ADMIN.name) throw new Error(`no data folder yet: sign in as ${ADMIN.name} first`);
    await setUp(page);
    return;
  }
  if (!st.locked && st.session?.name === user.name) {
    await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeVisible();
    return;
  }
  if (!st.locked) {
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
  }
  await tryUnlock(page, user.name, user.password);
  await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeVisible();
}

export async function go(page, section) {
  await nav(page).getByRole('button', { name: section, exact: true }).click();
  await expect(heading(page, section)).toBeVisible();
}

/** As an admin: adds a user in the Users screen unless one of that name is listed. */
export async function ensureUser(page, user) {
  await go(page, 'Users');
  const table = page.getByRole('table', { name: 'Users' });
  await expect(table).toBeVisible();
  if ((await table.getByRole('cell', { name: user.name, exact: true }).count()) > 0) return;
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.getByLabel(/^User name/).fill(user.name);
  await page.getByLabel('Role', { exact: true }).selectOption(user.role);
  await page.getByLabel(/^Initial password/).fill(user.password);
  await page.getByRole('button', { name: 'Save user' }).click();
  await expect(table.getByRole('cell', { name: user.name, exact: true })).toBeVisible();
}

/** Places a file for DevQueueImport: the app reads only from its E2E import folder. */
export function stageFile(name, content) {
  writeFileSync(path.join(cfg.importDir, name), content);
  return name;
}

/** Copies a corpus file (never kept in the project) into the import folder. */
export function stageCorpus(rel) {
  const name = path.basename(rel);
  copyFileSync(path.join(cfg.corpus, rel), path.join(cfg.importDir, name));
  return name;
}

export const readCorpus = (rel) => readFileSync(path.join(cfg.corpus, rel), 'utf8');

/**
 * Imports files through the Invoices screen's "Import invoices…" button. The browser cannot
 * drive the native dialog, so the dev-only binding queues the dialog's answer first.
 */
export async function importFiles(page, names) {
  await go(page, 'Invoices');
  await page.evaluate((n) => window.go.app.App.DevQueueImport(n), names);
  await page.getByRole('button', { name: /^Import invoices/ }).click();
  const results = page.getByRole('list', { name: 'Import results' });
  await expect(results.getByRole('listitem')).toHaveCount(names.length);
  return results;
}

/** The invoice list's row for an invoice number. */
export const invoiceRow = (page, number) =>
  page.getByRole('table', { name: 'Invoices' }).getByRole('row').filter({ hasText: number });

export async function openInvoice(page, number) {
  await go(page, 'Invoices');
  await invoiceRow(page, number).click();
  await expect(heading(page, new RegExp(escapeRe(number)))).toBeVisible();
}

export const statusBadge = (page) => page.getByTestId('status');

export function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
