// Keyboard-only review (issue 6, "Keyboard first"), as the screens implement it now: ? shows the
// shortcuts, Tab reaches
// the invoice list, j/k move between invoices, Enter opens one, Tab and Enter run its actions, a
// reason is typed and confirmed with Enter, Escape goes back to the list with the same invoice
// focused. Not a mouse click after signing in.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expect } from '../lib/expect.mjs';
import { assertClean, launch, withPage } from '../lib/harness.mjs';
import { ADMIN, go, heading, importFiles, signIn, stageCorpus, statusBadge } from '../lib/screens.mjs';

const FILES = [
  'zugferd-corpus/XML-Rechnung/CII/EN16931_Rabatte.cii.xml',
  'zugferd-corpus/XML-Rechnung/UBL/EN16931_Miete.ubl.xml',
];

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Presses Tab until fn(activeElement) holds; at most max presses. */
async function tabTo(page, describe, fn, max = 40) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate(fn)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${describe} in ${max} presses`);
}

const focusedText = (page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

test('review an invoice with the keyboard only', withPage(() => browser, 'keyboard', async (page) => {
  await signIn(page, ADMIN);
  await importFiles(page, FILES.map(stageCorpus));
  // Start from the top of the page, as after unlocking.
  await go(page, 'Invoices');
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());

  // ? lists the shortcuts; Escape closes the list.
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());

  await tabTo(page, 'the invoice list', () => document.activeElement?.closest('tbody') != null);
  const first = await focusedText(page);
  await page.keyboard.press('j');
  const second = await focusedText(page);
  assert.notEqual(second, first, 'j moves to the next invoice');
  await page.keyboard.press('k');
  assert.equal(await focusedText(page), first, 'k moves back');
  await page.keyboard.press('j');

  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const title = (await page.getByRole('heading', { level: 1 }).innerText()).trim();
  assert.ok(title.startsWith('Invoice') || title.startsWith('Credit note'), `opened "${title}"`);
  assert.ok(second.includes(title.replace(/^(Invoice|Credit note)\s+/, '')), `Enter opened the focused invoice (${title})`);

  // Hold it with a reason: Tab to the action, Enter, type, Enter.
  await tabTo(page, 'the Hold button', () => document.activeElement?.textContent?.trim() === 'Hold…');
  await page.keyboard.press('Enter');
  await expect(page.getByLabel(/^Reason/)).toBeFocused();
  await page.keyboard.type('waiting for the delivery note');
  await page.keyboard.press('Enter');
  await expect(statusBadge(page)).toHaveText('On hold');

  // Escape goes back to the list, to the same invoice.
  await page.keyboard.press('Escape');
  await expect(heading(page, 'Invoices')).toBeVisible();
  await expect(page.locator(':focus')).toContainText('On hold');
  assert.ok((await focusedText(page)).startsWith(second.slice(0, 12)), 'the held invoice has the focus');
  await assertClean(page, assert);
}));
