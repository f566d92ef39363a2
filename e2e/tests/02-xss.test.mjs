// Invoice text is never injected as HTML (issue 6, "Safe webview"): markup in a vendor's name,
// an invoice's seller name and its notes is shown as text. The checks are that the exact text
// is on screen, that no element was made from it, that window.__xss stays undefined, and that no
// dialog fired and no CSP violation happened (the CSP would block an inline handler: a violation
// would mean markup reached the DOM and only the CSP saved the day).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expect } from '../lib/expect.mjs';
import { assertClean, launch, withPage } from '../lib/harness.mjs';
import { ADMIN, go, importFiles, openInvoice, readCorpus, signIn, stageFile } from '../lib/screens.mjs';

const IMG = '<img src=x onerror=window.__xss=1>';
const SCRIPT = '<script>window.__xss=1</script>';
const CII = 'zugferd-corpus/XML-Rechnung/CII/EN16931_Einfach.cii.xml';
const NUMBER = 'XSS-E2E-1';

const xmlEscape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A corpus CII invoice with markup in the seller's name and a note, under its own number. */
function hostileInvoice() {
  let xml = readCorpus(CII);
  const withNumber = xml.replace('<ram:ID>471102</ram:ID>', `<ram:ID>${NUMBER}</ram:ID>`);
  const withSeller = withNumber.replace('<ram:Name>Lieferant GmbH</ram:Name>', `<ram:Name>${xmlEscape(`Lieferant ${IMG}`)}</ram:Name>`);
  const withNote = withSeller.replace(
    '<ram:IncludedNote>',
    `<ram:IncludedNote><ram:Content>${xmlEscape(`Note ${SCRIPT}`)}</ram:Content></ram:IncludedNote><ram:IncludedNote>`,
  );
  assert.ok(withNumber !== xml && withSeller !== withNumber && withNote !== withSeller, 'the corpus file changed shape');
  xml = withNote;
  return stageFile('xss-invoice.cii.xml', xml);
}

async function assertNothingRan(page) {
  assert.equal(await page.evaluate(() => typeof window.__xss), 'undefined', 'window.__xss was set: markup ran');
  assert.equal(await page.locator('img[src="x"]').count(), 0, 'an <img> was made from text');
  assert.equal(await page.locator('script:not([src])').filter({ hasText: '__xss' }).count(), 0, 'a <script> was made from text');
  await assertClean(page, assert);
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a vendor named with markup is shown as text', withPage(() => browser, 'xss-vendor', async (page) => {
  await signIn(page, ADMIN);
  for (const [i, payload] of [IMG, SCRIPT].entries()) {
    await go(page, 'Vendors');
    await page.getByRole('button', { name: 'Add vendor' }).click();
    const name = `Vendor ${i} ${payload}`;
    await page.getByLabel(/^Name/).fill(name);
    await page.getByRole('button', { name: 'Save vendor' }).click();
    await expect(page.getByRole('table', { name: 'Vendors' }).getByText(name, { exact: true })).toBeVisible();
  }
  await assertNothingRan(page);
}));

test('an invoice whose seller and notes carry markup is shown as text', withPage(() => browser, 'xss-invoice', async (page) => {
  await signIn(page, ADMIN);
  const results = await importFiles(page, [hostileInvoice()]);
  await expect(results).toContainText(`Imported as invoice ${NUMBER}`);
  // In the list …
  await expect(page.getByRole('table', { name: 'Invoices' }).getByText(`Lieferant ${IMG}`, { exact: true })).toBeVisible();
  await assertNothingRan(page);
  // … and in the review screen.
  await openInvoice(page, NUMBER);
  await expect(page.getByText(`Lieferant ${IMG}`, { exact: true }).first()).toBeVisible();
  await expect(page.getByText(`Note ${SCRIPT}`, { exact: true })).toBeVisible();
  await assertNothingRan(page);
}));
