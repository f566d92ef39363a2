// Lockout (issue 6, "first-run set-up and unlock (lockout …)"): after repeated wrong passwords the
// unlock screen says so with a countdown, the Unlock button stays disabled while it runs, and the
// right password is refused until it ends. The backend's policy (backend/core/unlock.go): 5
// failures lock the name for 30 s. Run on a clerk of its own so the other tests' users stay usable.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expect } from '../lib/expect.mjs';
import { assertClean, launch, screenshot, withPage } from '../lib/harness.mjs';
import { ADMIN, CLERK, ensureUser, heading, signIn, tryUnlock } from '../lib/screens.mjs';

const MAX_FAILURES = 5;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('repeated wrong passwords lock the name with a countdown', withPage(() => browser, 'lockout', async (page) => {
  await signIn(page, ADMIN);
  await ensureUser(page, CLERK);
  await page.getByRole('button', { name: 'Lock', exact: true }).click();

  const alert = page.getByRole('alert');
  for (let i = 1; i < MAX_FAILURES; i++) {
    await tryUnlock(page, CLERK.name, `wrong password ${i}`);
    await expect(alert).toHaveText('Wrong user name or password.');
    await expect(page.getByRole('button', { name: 'Unlock', exact: true })).toBeEnabled();
  }
  await tryUnlock(page, CLERK.name, `wrong password ${MAX_FAILURES}`);
  await expect(alert).toHaveText(/^Too many failed attempts\. Try again in \d+ s\.$/);
  await expect(page.getByRole('button', { name: 'Unlock', exact: true })).toBeDisabled();
  await screenshot(page, 'unlock-locked-out');

  // The countdown counts down.
  const secs = async () => Number((await alert.innerText()).match(/in (\d+) s/)[1]);
  const start = await secs();
  assert.ok(start > 0 && start <= 30, `countdown starts at ${start} s`);
  await page.waitForFunction((s) => {
    const m = document.querySelector('[role=alert]')?.textContent?.match(/in (\d+) s/);
    return m && Number(m[1]) < s;
  }, start);

  // The right password is refused by the backend too while the lock lasts (the disabled button
  // is only the UI's side): a reload gives a fresh form.
  await page.reload();
  await tryUnlock(page, CLERK.name, CLERK.password);
  await expect(alert).toHaveText(/^Too many failed attempts\. Try again in \d+ s\.$/);
  await expect(heading(page, 'Unlock SmartAP')).toBeVisible();
  await assertClean(page, assert);
}));
