import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import App from '../App.svelte';
import { goError, installBackend, setupUser, unlockedState, vendor } from './backend';
import { bankChangedRecently, formatAmount, maskIban } from '../lib/format';
import type { VendorView } from '../lib/types';

const DAY = 24 * 60 * 60 * 1000;
const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();

afterEach(() => {
  vi.useRealTimers();
});

async function openVendors(list: VendorView[]) {
  const be = installBackend(unlockedState('clerk'));
  be.app.ListVendors.mockResolvedValue(list);
  const u = setupUser();
  render(App);
  const nav = await screen.findByRole('navigation', { name: 'Main' });
  await u.click(within(nav).getByRole('button', { name: 'Vendors' }));
  const table = list.length ? await screen.findByRole('table', { name: 'Vendors' }) : null;
  return { be, u, table };
}

function rowOf(table: HTMLElement, name: string): HTMLElement {
  return within(table).getByText(name).closest('tr')!;
}

describe('vendor list', () => {
  it('renders the columns and masks the IBAN but for its last 4', async () => {
    const { table } = await openVendors([vendor()]);
    const headers = within(table!)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual(['Name', 'VAT ID', 'IBAN', 'BIC', 'Country']);
    const row = rowOf(table!, 'Acme Supplies GmbH');
    expect(row).toHaveTextContent('DE123456789');
    expect(row).toHaveTextContent('COBADEFFXXX');
    expect(row).toHaveTextContent('DE');
    expect(within(row).getByTestId('iban')).toHaveTextContent('•••• 3000');
    // No other part of the IBAN is anywhere in the document.
    expect(document.body.textContent).not.toContain('DE89');
    expect(document.body.textContent).not.toContain('0532');
  });

  it('reveals and hides one IBAN with a toggle', async () => {
    const { u, table } = await openVendors([
      vendor(),
      vendor({ id: 'v2', name: 'Beta Ltd', iban: 'GB29NWBK60161331926819' }),
    ]);
    const acme = rowOf(table!, 'Acme Supplies GmbH');
    const toggle = within(acme).getByRole('button', { name: /Show IBAN ending 3000 of Acme/ });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await u.click(toggle);
    expect(within(acme).getByTestId('iban')).toHaveTextContent('DE89 3704 0044 0532 0130 00');
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    expect(toggle).toHaveAccessibleName(/Hide IBAN/);
    // The other row stays masked.
    expect(within(rowOf(table!, 'Beta Ltd')).getByTestId('iban')).toHaveTextContent('•••• 6819');
    await u.click(toggle);
    expect(within(acme).getByTestId('iban')).toHaveTextContent('•••• 3000');
  });

  it('flags bank details changed within 30 days only', async () => {
    const { table } = await openVendors([
      vendor({ id: 'a', name: 'Recent Co', bank_changed: iso(5 * DAY) }),
      vendor({ id: 'b', name: 'Old Co', bank_changed: iso(40 * DAY) }),
      vendor({ id: 'c', name: 'Never Co', bank_changed: '' }),
    ]);
    expect(within(rowOf(table!, 'Recent Co')).getByText('bank details changed')).toBeInTheDocument();
    expect(within(rowOf(table!, 'Old Co')).queryByText('bank details changed')).toBeNull();
    expect(within(rowOf(table!, 'Never Co')).queryByText('bank details changed')).toBeNull();
  });

  it('has an empty state', async () => {
    await openVendors([]);
    expect(await screen.findByText(/No vendors yet/)).toBeInTheDocument();
  });
});

describe('add vendor', () => {
  it('requires a name before calling the backend', async () => {
    const { be, u } = await openVendors([vendor()]);
    await u.click(screen.getByRole('button', { name: 'Add vendor' }));
    const name = screen.getByLabelText(/^Name/);
    expect(name).toHaveFocus();
    await u.click(screen.getByRole('button', { name: 'Save vendor' }));
    expect(name).toHaveAccessibleDescription('Enter the vendor name.');
    expect(be.app.AddVendor).not.toHaveBeenCalled();
  });

  it('shows the backend invalid_input message next to the form', async () => {
    const { be, u } = await openVendors([vendor()]);
    be.app.AddVendor.mockRejectedValueOnce(goError('invalid_input', 'The IBAN check digits are wrong.'));
    await u.click(screen.getByRole('button', { name: 'Add vendor' }));
    await u.type(screen.getByLabelText(/^Name/), 'Gamma SA');
    await u.type(screen.getByLabelText('IBAN'), 'FR00 1234{Enter}');
    const form = screen.getByRole('form', { name: 'Add vendor' });
    expect(await within(form).findByRole('alert')).toHaveTextContent('The IBAN check digits are wrong.');
    // The form keeps what was typed.
    expect(screen.getByLabelText(/^Name/)).toHaveValue('Gamma SA');
  });

  it('sends the trimmed input and lists the new vendor', async () => {
    const { be, u, table } = await openVendors([vendor()]);
    await u.click(screen.getByRole('button', { name: 'Add vendor' }));
    await u.type(screen.getByLabelText(/^Name/), '  Gamma SA ');
    await u.type(screen.getByLabelText('VAT ID'), 'FR40303265045');
    await u.type(screen.getByLabelText('IBAN'), 'fr14 2004 1010 0505 0001 3m02 606');
    await u.type(screen.getByLabelText('BIC'), 'psstfrppxxx');
    await u.type(screen.getByLabelText(/^Country/), 'fr');
    await u.click(screen.getByRole('button', { name: 'Save vendor' }));
    expect(be.app.AddVendor).toHaveBeenCalledWith({
      name: 'Gamma SA',
      vat_id: 'FR40303265045',
      iban: 'FR1420041010050500013M02606',
      bic: 'PSSTFRPPXXX',
      country: 'FR',
    });
    expect(await within(table!).findByText('Gamma SA')).toBeInTheDocument();
    expect(screen.getByText('Vendor Gamma SA added.')).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Add vendor' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Add vendor' })).toHaveFocus();
  });
});

describe('format helpers', () => {
  it('masks with a fixed width', () => {
    expect(maskIban('DE89 3704 0044 0532 0130 00')).toBe('•••• 3000');
    expect(maskIban('NO9386011117947')).toBe('•••• 7947');
    expect(maskIban('')).toBe('');
  });

  it('decides the 30-day window', () => {
    const now = Date.parse('2025-06-30T12:00:00Z');
    expect(bankChangedRecently('2025-06-01T12:00:00Z', now)).toBe(true);
    expect(bankChangedRecently('2025-05-31T12:00:00Z', now)).toBe(true);
    expect(bankChangedRecently('2025-05-31T11:59:59Z', now)).toBe(false);
    expect(bankChangedRecently('not a date', now)).toBe(false);
    expect(bankChangedRecently('', now)).toBe(false);
  });

  it('groups amounts without floating point', () => {
    expect(formatAmount('12345678901234567.89', 'EUR')).toBe('12,345,678,901,234,567.89 EUR');
    expect(formatAmount('-1000', 'USD')).toBe('-1,000 USD');
    expect(formatAmount('0.10', 'EUR')).toBe('0.10 EUR');
    expect(formatAmount('n/a', 'EUR')).toBe('n/a EUR');
  });
});
