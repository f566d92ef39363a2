// Security checklist #35: invoice and vendor text is untrusted. It must show
// as text, create no elements and run no code; links never navigate the
// webview.
import { afterEach, describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import App from '../App.svelte';
import {
  detail,
  goError,
  importResult,
  installBackend,
  invoice,
  setupUser,
  unlockedState,
  user,
  vendor,
} from './backend';
import { interceptExternalLinks } from '../lib/links';

const IMG = '<img src=x onerror="window.__xss=1">';
const SCRIPT = '<script>window.__xss=1</script>';

declare global {
  interface Window {
    __xss?: unknown;
  }
}

/**
 * window.__xss as seen by code running inside the page. Vitest's jsdom
 * environment runs inline handlers and scripts in jsdom's own window, which
 * it exposes as globalThis.jsdom.window; the test's `window` is another
 * object, so both are checked.
 */
function xssFlag(): unknown {
  const inner = (globalThis as { jsdom?: { window?: Window } }).jsdom?.window;
  return inner?.__xss ?? window.__xss;
}

/** No element the payloads could have created, and no inline handler anywhere. */
function expectNoInjectedMarkup() {
  // Give any inline handler that did slip in a chance to run (jsdom loads no
  // images, so an onerror would otherwise never fire).
  for (const el of document.querySelectorAll('*')) el.dispatchEvent(new Event('error'));
  expect(document.querySelectorAll('img, script, iframe, object, embed')).toHaveLength(0);
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.getAttributeNames()) {
      expect(attr.startsWith('on'), `${el.tagName} has ${attr}`).toBe(false);
    }
  }
  expect(xssFlag()).toBeUndefined();
}

describe('untrusted text', () => {
  it('shows hostile vendor, invoice and user names as text', async () => {
    const be = installBackend(unlockedState('admin', SCRIPT));
    be.app.ListVendors.mockResolvedValue([
      vendor({ id: 'a', name: IMG, vat_id: IMG, bic: SCRIPT, country: SCRIPT, iban: 'DE00' + IMG }),
      vendor({ id: 'b', name: SCRIPT, bank_changed: new Date().toISOString() }),
    ]);
    be.app.ListInvoices.mockResolvedValue([
      invoice({ id: 'x', seller: IMG, invoice_number: SCRIPT, status: IMG, currency: SCRIPT, payable: IMG }),
    ]);
    be.app.ListUsers.mockResolvedValue([user({ name: IMG }), user({ id: 'u2', name: SCRIPT })]);
    const u = setupUser();
    render(App);

    // Invoices (the first section) and the header.
    const invoices = await screen.findByRole('table', { name: 'Invoices' });
    expect(within(invoices).getByText(IMG)).toBeInTheDocument();
    expect(within(invoices).getByText(SCRIPT)).toBeInTheDocument();
    expect(within(screen.getByRole('banner')).getByText(SCRIPT)).toBeInTheDocument();
    expectNoInjectedMarkup();

    // Vendors, with an IBAN revealed.
    await u.click(screen.getByRole('button', { name: 'Vendors' }));
    const vendors = await screen.findByRole('table', { name: 'Vendors' });
    expect(within(vendors).getAllByText(IMG).length).toBeGreaterThanOrEqual(2);
    expect(within(vendors).getAllByText(SCRIPT).length).toBeGreaterThanOrEqual(2);
    for (const b of within(vendors).getAllByRole('button', { name: /Show IBAN/ })) await u.click(b);
    expectNoInjectedMarkup();

    // A hostile backend error message.
    be.app.AddVendor.mockRejectedValueOnce(goError('invalid_input', IMG));
    await u.click(screen.getByRole('button', { name: 'Add vendor' }));
    await u.type(screen.getByLabelText(/^Name/), 'x{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent(IMG);
    expectNoInjectedMarkup();

    // Users.
    await u.click(screen.getByRole('button', { name: 'Users' }));
    const users = await screen.findByRole('table', { name: 'Users' });
    expect(within(users).getByText(IMG)).toBeInTheDocument();
    expect(within(users).getByText(SCRIPT)).toBeInTheDocument();
    expectNoInjectedMarkup();
  });

  it('shows hostile invoice detail and import text as text', async () => {
    const be = installBackend(unlockedState('clerk'));
    be.app.ListInvoices.mockResolvedValue([invoice({ seller: IMG })]);
    be.app.ChooseAndImport.mockResolvedValue([
      importResult({ file: IMG, invoice_number: SCRIPT, source: IMG }),
      importResult({ file: SCRIPT, error: { code: 'invalid_input', message: IMG } }),
    ]);
    be.app.GetInvoice.mockResolvedValue(
      detail({
        invoice_number: SCRIPT,
        seller: { name: IMG, vat_id: SCRIPT, tax_id: '', street: IMG, city: SCRIPT, postcode: '', country: '' },
        payment_terms: IMG,
        notes: [SCRIPT],
        lines: [{ id: IMG, name: SCRIPT, quantity: IMG, unit: '', unit_price: IMG, net_amount: SCRIPT, tax_category: '', tax_rate: '' }],
        findings: [{ code: IMG, severity: IMG, message: SCRIPT, fields: [IMG] }],
        history: [{ time: IMG, actor: SCRIPT, action: IMG, decision: '', reason: SCRIPT }],
      }),
    );
    const u = setupUser();
    render(App);
    await u.click(await screen.findByRole('button', { name: 'Import invoices…' }));
    const results = await screen.findByRole('list', { name: 'Import results' });
    expect(within(results).getByText(IMG)).toBeInTheDocument();
    expect(within(results).getByText(`Not imported: ${IMG}`)).toBeInTheDocument();
    expectNoInjectedMarkup();

    const table = screen.getByRole('table', { name: 'Invoices' });
    await u.click(within(table).getByText(IMG));
    const heading = await screen.findByRole('heading', { level: 1 });
    expect(heading).toHaveTextContent(SCRIPT);
    expect(screen.getByText(IMG, { selector: '.party-name' })).toBeInTheDocument();
    const findings = screen.getByRole('list', { name: 'Findings' });
    expect(within(findings).getByText(SCRIPT)).toBeInTheDocument();
    expect(within(screen.getByRole('table', { name: 'Invoice lines' })).getByText(SCRIPT)).toBeInTheDocument();
    expectNoInjectedMarkup();
  });

  it('detects markup when it is there (the check itself works)', () => {
    const div = document.createElement('div');
    const img = document.createElement('img');
    img.setAttribute('onerror', 'window.__xss=1');
    div.append(img);
    document.body.append(div);
    try {
      expect(() => expectNoInjectedMarkup()).toThrow();
      expect(xssFlag()).toBe(1);
    } finally {
      div.remove();
    }
  });
});

describe('links', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

  function link(href: string): HTMLAnchorElement {
    const a = document.createElement('a');
    a.setAttribute('href', href);
    a.textContent = 'link';
    document.body.append(a);
    return a;
  }

  /**
   * Clicks el and tells whether the interceptor (a capturing listener on the
   * document, so it runs first) prevented the navigation. The test then
   * prevents it anyway: jsdom cannot navigate.
   */
  function click(el: Element): boolean {
    let prevented = false;
    const a = el.closest('a')!;
    const probe = (ev: Event) => {
      prevented = ev.defaultPrevented;
      ev.preventDefault();
    };
    a.addEventListener('click', probe);
    el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
    a.removeEventListener('click', probe);
    return prevented;
  }

  it('opens web links in the system browser and never in the webview', () => {
    const be = installBackend();
    const stop = interceptExternalLinks(document);
    try {
      const a = link('https://example.com/help?q=1');
      expect(click(a)).toBe(true);
      expect(be.runtime.BrowserOpenURL).toHaveBeenCalledWith('https://example.com/help?q=1');

      // A click on a child of the link counts too.
      const span = document.createElement('span');
      a.append(span);
      expect(click(span)).toBe(true);
      expect(be.runtime.BrowserOpenURL).toHaveBeenCalledTimes(2);
    } finally {
      stop();
    }
  });

  it('blocks other schemes and same-origin paths, and lets #anchors be', () => {
    const be = installBackend();
    const stop = interceptExternalLinks(document);
    try {
      for (const href of ['javascript:window.__xss=1', 'file:///etc/passwd', 'data:text/html,x', '/elsewhere']) {
        expect(click(link(href)), href).toBe(true);
      }
      expect(be.runtime.BrowserOpenURL).not.toHaveBeenCalled();
      expect(xssFlag()).toBeUndefined();
      expect(click(link('#section'))).toBe(false);
    } finally {
      stop();
    }
    // Once removed, the interceptor no longer acts.
    expect(click(link('https://example.com/'))).toBe(false);
    expect(be.runtime.BrowserOpenURL).not.toHaveBeenCalled();
  });
});
