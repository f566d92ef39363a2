// A small web-first `expect` for playwright-core (the full one ships with the @playwright/test
// runner, which this suite does not use): each matcher waits until its condition holds or the
// timeout passes, so no test sleeps to synchronise.
import { TIMEOUT } from './harness.mjs';

async function poll(describe, check, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last.ok) return;
    } catch (e) {
      last = { ok: false, got: `error: ${e.message.split('\n')[0]}` };
    }
    if (Date.now() > deadline) {
      throw new Error(`expect ${describe}: still not so after ${timeout} ms (last seen: ${JSON.stringify(last.got)})`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const match = (want, got) => (want instanceof RegExp ? want.test(got) : got === want);
const contains = (want, got) => (want instanceof RegExp ? want.test(got) : got.includes(want));

export function expect(locator, { timeout = TIMEOUT } = {}) {
  const name = String(locator);
  return {
    toBeVisible: () => locator.first().waitFor({ state: 'visible', timeout }),
    toBeHidden: () => locator.first().waitFor({ state: 'hidden', timeout }),
    toHaveCount: (n) => poll(`${name} to have count ${n}`, async () => {
      const c = await locator.count();
      return { ok: c === n, got: c };
    }, timeout),
    toHaveText: (want) => poll(`${name} to have text ${want}`, async () => {
      const t = (await locator.innerText({ timeout: 1000 })).trim();
      return { ok: match(want, t), got: t };
    }, timeout),
    toContainText: (want) => poll(`${name} to contain ${want}`, async () => {
      const t = await locator.innerText({ timeout: 1000 });
      return { ok: contains(want, t), got: t };
    }, timeout),
    toHaveValue: (want) => poll(`${name} to have value ${want}`, async () => {
      const v = await locator.inputValue({ timeout: 1000 });
      return { ok: match(want, v), got: v };
    }, timeout),
    toBeDisabled: () => poll(`${name} to be disabled`, async () => {
      const d = await locator.isDisabled({ timeout: 1000 });
      return { ok: d, got: d };
    }, timeout),
    toBeEnabled: () => poll(`${name} to be enabled`, async () => {
      const d = await locator.isEnabled({ timeout: 1000 });
      return { ok: d, got: d };
    }, timeout),
    toBeFocused: () => poll(`${name} to be focused`, async () => {
      const f = await locator.evaluate((el) => el === document.activeElement, undefined, { timeout: 1000 });
      return { ok: f, got: f };
    }, timeout),
  };
}

/** Waits until fn() (run in the page) returns a truthy value; returns it. */
export async function until(page, fn, arg, timeout = TIMEOUT) {
  const h = await page.waitForFunction(fn, arg, { timeout });
  return h.jsonValue();
}
