// The main path, as a clerk's day starts on a new computer: set up the data folder, add an
// approver, import a real Factur-X invoice from the corpus, correct a field, submit it, approve it
// as the approver, export it as the admin. Screenshots of each main screen go to docs/screenshots/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { expect } from '../lib/expect.mjs';
import { assertClean, cfg, launch, openApp, screenshot } from '../lib/harness.mjs';
import {
  ADMIN,
  APPROVER,
  appState,
  ensureUser,
  go,
  heading,
  importFiles,
  invoiceRow,
  openInvoice,
  setUp,
  signIn,
  stageCorpus,
  statusBadge,
  tryUnlock,
} from '../lib/screens.mjs';

// EN16931_Einfach: the EN 16931 reference invoice as a Factur-X PDF (its XML is the ground truth).
const FACTURX = 'zugferd-corpus/XML-Rechnung/FX/EN16931_Einfach.pdf';
const FACTURX_NUMBER = '471102';
// A UBL invoice too, so the list has more than one row and both readers run.
const UBL = 'en16931-cen-examples/ubl/examples/ubl-tc434-example2.xml';

let browser;
let page;
before(async () => {
  browser = await launch();
  page = await openApp(browser);
});
after(async () => {
  await page?.context().close();
  await browser?.close();
});

test('set-up creates the administrator and shows the recovery key once', async () => {
  const st = await appState(page);
  assert.equal(st.initialized, false, 'the suite needs a fresh data folder');
  await setUp(page, (name) => screenshot(page, name));
  await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeVisible();
  assert.equal((await appState(page)).session.name, ADMIN.name);
});

test('the admin adds an approver in the Users screen', async () => {
  await ensureUser(page, APPROVER);
  await screenshot(page, 'users');
});

test('the admin adds the seller to the vendor master', async () => {
  await go(page, 'Vendors');
  await page.getByRole('button', { name: 'Add vendor' }).click();
  await page.getByLabel(/^Name/).fill('Lieferant GmbH');
  await page.getByLabel(/^VAT ID/).fill('DE123456789');
  await page.getByLabel(/^IBAN/).fill('DE75512108001245126199');
  await page.getByLabel(/^Country/).fill('DE');
  await page.getByRole('button', { name: 'Save vendor' }).click();
  await expect(page.getByRole('table', { name: 'Vendors' }).getByText('Lieferant GmbH', { exact: true })).toBeVisible();
  await screenshot(page, 'vendors');
});

test('importing a Factur-X and a UBL invoice lists them', async () => {
  const names = [stageCorpus(FACTURX), stageCorpus(UBL)];
  const results = await importFiles(page, names);
  await expect(results).toContainText(`Imported as invoice ${FACTURX_NUMBER}`);
  await expect(page.getByRole('status').filter({ hasText: /2 of 2 files imported/ })).toBeVisible();
  await expect(invoiceRow(page, FACTURX_NUMBER)).toHaveCount(1);
  await screenshot(page, 'invoices');
});

test('the invoice opens with the fields read from its XML', async () => {
  await openInvoice(page, FACTURX_NUMBER);
  await expect(statusBadge(page)).toBeVisible();
  // The seller of EN16931_Einfach, as its embedded factur-x.xml states it.
  await expect(page.getByRole('heading', { name: 'Seller' }).locator('..')).toContainText('Lieferant GmbH');
  await screenshot(page, 'invoice-detail');
});

test('a field is corrected in the review screen', async (t) => {
  // The review screen lists the read fields read-only, each with an "Edit <field>" button; the
  // edit form ("Correct <field>") saves through SetInvoiceFields. Skipped while the screen has none.
  const edit = page.getByRole('button', { name: 'Edit Buyer reference', exact: true });
  if ((await edit.count()) === 0) {
    t.skip('no "Edit Buyer reference" in the review screen yet');
    return;
  }
  await edit.click();
  const form = page.getByRole('form', { name: 'Correct Buyer reference' });
  await form.getByRole('textbox').fill('E2E-REF-1');
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form).toBeHidden();
  await expect(page.getByRole('textbox', { name: /^Buyer reference/ })).toHaveValue('E2E-REF-1');
  await screenshot(page, 'invoice-corrected');
});

test('the clerk submits the invoice for approval', async () => {
  await page.getByRole('button', { name: 'Submit for approval' }).click();
  await expect(statusBadge(page)).toHaveText('Ready for approval');
  // The importer may not approve their own invoice (segregation of duties): no Approve button
  // for the admin who imported it, or the backend refuses.
  const approve = page.getByRole('button', { name: 'Approve', exact: true });
  if ((await approve.count()) > 0) {
    await approve.click();
    await expect(page.getByRole('alert')).toBeVisible();
    await expect(statusBadge(page)).toHaveText('Ready for approval');
  }
});

test('the approver unlocks and approves it', async () => {
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(heading(page, 'Unlock SmartAP')).toBeVisible();
  await screenshot(page, 'unlock');
  await tryUnlock(page, APPROVER.name, APPROVER.password);
  await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeVisible();
  const st = await appState(page);
  assert.equal(st.session?.role, 'approver', JSON.stringify(st));
  // An approver has no Users screen.
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Users', exact: true })).toHaveCount(0);
  await go(page, 'Approvals');
  await screenshot(page, 'approvals');
  await openInvoice(page, FACTURX_NUMBER);
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(statusBadge(page)).toHaveText('Approved');
  await expect(page.getByRole('list', { name: 'History' })).toContainText(APPROVER.name);
});

test('the admin exports the approved invoice as CSV', async () => {
  await signIn(page, ADMIN);
  await go(page, 'Export');
  await page.getByRole('radio', { name: /^CSV/ }).check();
  await page.getByLabel('Invoices', { exact: true }).selectOption('approved');
  await screenshot(page, 'export');
  // The save dialog is native: the dev-only binding answers it with a file in the test folder.
  await page.evaluate(() => window.go.app.App.DevQueueExport('e2e-export.csv'));
  await page.getByRole('button', { name: /^Choose where to save and export/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Exported 1 invoice as CSV to e2e-export.csv' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'now marked exported' })).toBeVisible();
  const csv = readFileSync(path.join(cfg.importDir, 'e2e-export.csv'), 'utf8');
  assert.match(csv, new RegExp(`^.*${FACTURX_NUMBER}.*$`, 'm'), 'the CSV has the invoice');
  await openInvoice(page, FACTURX_NUMBER);
  await expect(statusBadge(page)).toHaveText('Exported');
});

test('the other main screens open (screenshots)', async () => {
  const nav = page.getByRole('navigation', { name: 'Main' });
  const shots = {
    Dashboard: 'dashboard',
    'Purchase orders': 'purchase-orders',
    'Audit trail': 'audit-trail',
    Settings: 'settings',
    'Sync exceptions': 'sync-exceptions',
  };
  for (const [section, file] of Object.entries(shots)) {
    if ((await nav.getByRole('button', { name: section, exact: true }).count()) === 0) continue;
    await go(page, section);
    await screenshot(page, file);
  }
});

test('no dialog, page error or CSP violation along the way', async () => {
  await assertClean(page, assert);
});
