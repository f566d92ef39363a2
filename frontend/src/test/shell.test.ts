import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../App.svelte';
import { goError, installBackend, invoice, setupUser, unlockedState, user } from './backend';
import type { Role } from '../lib/types';

async function renderShell(role: Role, name = 'Pat Example') {
  const be = installBackend(unlockedState(role, name));
  render(App);
  const nav = await screen.findByRole('navigation', { name: 'Main' });
  return { be, nav };
}

describe('shell', () => {
  it('shows the product, the user and the role in the header', async () => {
    await renderShell('approver', 'Pat Example');
    const header = screen.getByRole('banner');
    expect(header).toHaveTextContent('SmartAP');
    expect(header).toHaveTextContent('Pat Example');
    expect(header).toHaveTextContent('Approver');
  });

  it.each<[Role, boolean]>([
    ['admin', true],
    ['clerk', false],
    ['approver', false],
    ['auditor', false],
  ])('shows Users in the navigation for %s: %s', async (role, shown) => {
    const { nav } = await renderShell(role);
    const labels = within(nav)
      .getAllByRole('button')
      .map((b) => b.textContent?.trim());
    // The full list per role is in sync.test.ts (UI-B).
    expect(labels).toEqual(expect.arrayContaining(['Invoices', 'Vendors']));
    expect(labels.includes('Users')).toBe(shown);
  });

  it('names the window after the section, the invoice list once it is drawn', async () => {
    const be = installBackend(unlockedState('clerk'));
    be.app.ListInvoices.mockResolvedValue([invoice()]);
    render(App);
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    await screen.findByRole('table', { name: 'Invoices' });
    await waitFor(() => expect(be.runtime.WindowSetTitle).toHaveBeenLastCalledWith('SmartAP — Invoices'));
    await setupUser().click(within(nav).getByRole('button', { name: 'Vendors' }));
    expect(document.title).toBe('SmartAP — Vendors');
    expect(be.runtime.WindowSetTitle).toHaveBeenLastCalledWith('SmartAP — Vendors');
  });

  it('treats an unknown role as no admin', async () => {
    const be = installBackend(unlockedState('admin'));
    be.app.State.mockResolvedValueOnce({
      ...unlockedState('admin'),
      session: { user_id: 'x', name: 'X', role: 'superuser' as Role },
    });
    render(App);
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(nav).queryByRole('button', { name: 'Users' })).toBeNull();
  });

  it('marks the current section and moves focus to its heading', async () => {
    const { nav } = await renderShell('clerk');
    const u = setupUser();
    const invoices = within(nav).getByRole('button', { name: 'Invoices' });
    expect(invoices).toHaveAttribute('aria-current', 'page');
    await u.click(within(nav).getByRole('button', { name: 'Vendors' }));
    expect(within(nav).getByRole('button', { name: 'Vendors' })).toHaveAttribute('aria-current', 'page');
    expect(invoices).not.toHaveAttribute('aria-current');
    expect(screen.getByRole('heading', { level: 1, name: 'Vendors' })).toHaveFocus();
  });

  it('Lock calls the backend and shows the unlock screen', async () => {
    const { be } = await renderShell('clerk', 'Pat Example');
    const u = setupUser();
    await u.click(screen.getByRole('button', { name: 'Lock' }));
    expect(be.app.Lock).toHaveBeenCalledTimes(1);
    expect(await screen.findByRole('heading', { name: 'Unlock SmartAP' })).toBeInTheDocument();
    expect(screen.getByLabelText(/User name/)).toHaveValue('Pat Example');
    expect(screen.queryByRole('navigation')).toBeNull();
  });
});

describe('invoices', () => {
  it('has a real empty state and an import button for clerks', async () => {
    await renderShell('clerk');
    expect(
      await screen.findByText('No invoices yet. Import supplier invoices to start.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Import invoices…' })).toBeEnabled();
  });

  it.each<Role>(['approver', 'auditor'])('offers no import to %s', async (role) => {
    await renderShell(role);
    await screen.findByText(/No invoices yet/);
    expect(screen.queryByRole('button', { name: /import/i })).toBeNull();
  });

  it('lists invoices with amount and currency', async () => {
    const be = installBackend(unlockedState('clerk'));
    be.app.ListInvoices.mockResolvedValue([
      invoice(),
      invoice({ id: 'i2', invoice_number: 'B-7', seller: 'Beta Ltd', currency: 'GBP', payable: '99.9', status: 'paid' }),
    ]);
    render(App);
    const table = await screen.findByRole('table', { name: 'Invoices' });
    const rows = within(table).getAllByRole('row');
    expect(rows.map((r) => within(r).queryAllByRole('columnheader').map((c) => c.textContent))[0]).toEqual([
      'Number',
      'Seller',
      'Issue date',
      'Due date',
      'Amount',
      'Status',
    ]);
    const cells = within(rows[1]!)
      .getAllByRole('cell')
      .map((c) => c.textContent?.trim());
    expect(cells).toEqual([
      'INV-2025-0001',
      'Acme Supplies GmbH',
      '2025-03-01',
      '2025-03-31',
      '1,234,567.50 EUR',
      'Awaiting review',
    ]);
    expect(within(rows[2]!).getByText('99.9 GBP')).toBeInTheDocument();
    expect(be.app.ListInvoices).toHaveBeenCalledWith('');
  });

  it('shows a load failure with Retry', async () => {
    const be = installBackend(unlockedState('clerk'));
    be.app.ListInvoices.mockRejectedValueOnce(goError('unavailable', 'Storage is busy.'));
    render(App);
    expect(await screen.findByRole('alert')).toHaveTextContent('Storage is busy.');
    await setupUser().click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText(/No invoices yet/)).toBeInTheDocument();
  });
});

describe('users (admin)', () => {
  it('lists users and adds one with name, role and password', async () => {
    const { be, nav } = await renderShell('admin');
    const u = setupUser();
    be.app.ListUsers.mockResolvedValue([
      user(),
      user({ id: 'u2', name: 'Carl Clerk', role: 'clerk', created_at: '2025-02-03T10:00:00Z' }),
    ]);
    await u.click(within(nav).getByRole('button', { name: 'Users' }));
    const table = await screen.findByRole('table', { name: 'Users' });
    expect(within(table).getByText('Carl Clerk')).toBeInTheDocument();
    expect(within(table).getByText('2025-02-03')).toBeInTheDocument();

    await u.click(screen.getByRole('button', { name: 'Add user' }));
    const name = screen.getByLabelText(/User name/);
    expect(name).toHaveFocus();
    await u.type(name, 'Anna Approver');
    await u.selectOptions(screen.getByLabelText('Role'), 'approver');
    const pw = screen.getByLabelText(/Initial password/);
    await u.type(pw, 'short{Enter}');
    expect(pw).toHaveAccessibleDescription(/Use at least 10 characters \(5 more\)\./);
    expect(be.app.AddUser).not.toHaveBeenCalled();

    await u.type(pw, '-enough{Enter}');
    expect(be.app.AddUser).toHaveBeenCalledWith('Anna Approver', 'approver', 'short-enough');
    expect(await within(table).findByText('Anna Approver')).toBeInTheDocument();
    expect(screen.getByText('User Anna Approver added as Approver.')).toBeInTheDocument();
  });

  it('shows the backend refusal next to the form', async () => {
    const { be, nav } = await renderShell('admin');
    const u = setupUser();
    be.app.AddUser.mockRejectedValueOnce(goError('duplicate', 'A user with this name exists.'));
    await u.click(within(nav).getByRole('button', { name: 'Users' }));
    await u.click(await screen.findByRole('button', { name: 'Add user' }));
    await u.type(screen.getByLabelText(/User name/), 'Alice Admin');
    await u.type(screen.getByLabelText(/Initial password/), 'long-enough-pw{Enter}');
    const form = screen.getByRole('form', { name: 'Add user' });
    expect(await within(form).findByRole('alert')).toHaveTextContent('A user with this name exists.');
  });
});
