import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../App.svelte';
import { installBackend, invoice, setupUser, unlockedState, importResult } from './backend';
import { FALLBACK_ROWS, scrollFor, virtualWindow } from '../components/virtual';
import type { InvoiceSummary } from '../lib/types';

const N = 100_000;

function row(i: number): InvoiceSummary {
  return invoice({ id: `id-${i}`, invoice_number: `R-${String(i).padStart(6, '0')}`, seller: `Seller ${i % 500}` });
}

/** A backend with 100,000 invoices, answering pages like the Go side. */
function bigBackend() {
  const be = installBackend(unlockedState('clerk'));
  be.app.SearchInvoices.mockImplementation(async (q: string, _s: string, offset: number, limit: number) => {
    const total = q ? 1 : N;
    const rows = [];
    for (let i = offset; i < Math.min(total, offset + limit); i++) rows.push(q ? row(4242) : row(i));
    return { total, rows };
  });
  return be;
}

describe('virtual window', () => {
  it('renders the rows in view plus the overscan, and pads for the rest', () => {
    expect(virtualWindow(0, 360, 36, N, 8)).toEqual({ start: 0, end: 18, top: 0, bottom: (N - 18) * 36 });
    const w = virtualWindow(36 * 5000, 360, 36, N, 8);
    expect(w).toEqual({ start: 4992, end: 5018, top: 4992 * 36, bottom: (N - 5018) * 36 });
    expect(virtualWindow(36 * N * 2, 360, 36, N, 8).end).toBe(N); // scrolled past the end
    expect(virtualWindow(0, 0, 36, N, 8).end).toBe(FALLBACK_ROWS + 8); // not measured yet
    expect(virtualWindow(0, 360, 36, 0, 8)).toEqual({ start: 0, end: 0, top: 0, bottom: 0 });
  });

  it('scrolls only as far as needed to show a row', () => {
    expect(scrollFor(3, 0, 360, 36)).toBeNull();
    expect(scrollFor(20, 0, 360, 36)).toBe(21 * 36 - 360);
    expect(scrollFor(2, 360, 360, 36)).toBe(72);
  });
});

describe('invoice list of 100,000', () => {
  it('puts only a window of rows in the DOM and fetches one page', async () => {
    const be = bigBackend();
    render(App);
    const table = await screen.findByRole('table', { name: 'Invoices' });
    expect(screen.getByText('100,000 invoices')).toBeInTheDocument();
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.length).toBeLessThanOrEqual(FALLBACK_ROWS + 8);
    expect(rows[0]).toHaveTextContent('R-000000');
    expect(table).toHaveAttribute('aria-rowcount', String(N + 1));
    expect(be.app.SearchInvoices).toHaveBeenCalledTimes(1);
    expect(be.app.SearchInvoices).toHaveBeenCalledWith('', '', 0, 200);
  });

  it('filters as you type, in Go', async () => {
    const be = bigBackend();
    render(App);
    await screen.findByRole('table', { name: 'Invoices' });
    const u = setupUser();
    await u.type(screen.getByRole('searchbox', { name: 'Filter invoices' }), 'R-004242');
    await waitFor(() => expect(be.app.SearchInvoices).toHaveBeenLastCalledWith('R-004242', '', 0, 200));
    expect(await screen.findByText('1 invoice')).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Invoices' });
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    expect(table).toHaveTextContent('R-004242');
    // Typing fast asks once for the whole word, not per letter.
    expect(be.app.SearchInvoices.mock.calls.filter((c) => c[0] !== '' && c[0] !== 'R-004242')).toHaveLength(0);
    await u.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'paid');
    await waitFor(() => expect(be.app.SearchInvoices).toHaveBeenLastCalledWith('R-004242', 'paid', 0, 200));
  });

  it('says when nothing matches the filter', async () => {
    const be = installBackend(unlockedState('clerk'));
    be.app.ListInvoices.mockResolvedValue([invoice()]);
    render(App);
    await screen.findByRole('table', { name: 'Invoices' });
    await setupUser().type(screen.getByRole('searchbox', { name: 'Filter invoices' }), 'nothing-like-this');
    expect(await screen.findByText('No invoices match the filter.')).toBeInTheDocument();
  });

  it('moves with the keys past the first page, fetching the next', async () => {
    const be = bigBackend();
    render(App);
    const table = await screen.findByRole('table', { name: 'Invoices' });
    const u = setupUser();
    within(table).getAllByRole('row')[1]!.focus();
    await u.keyboard('{End}');
    await waitFor(() => expect(be.app.SearchInvoices).toHaveBeenCalledWith('', '', (N / 200 - 1) * 200, 200));
    await waitFor(() => expect(document.activeElement).toHaveTextContent('R-099999'));
  });

  it('/ focuses the filter, and typing there moves nothing', async () => {
    bigBackend();
    render(App);
    await screen.findByRole('table', { name: 'Invoices' });
    const u = setupUser();
    await u.keyboard('/');
    const filter = screen.getByRole('searchbox', { name: 'Filter invoices' });
    expect(filter).toHaveFocus();
    await u.keyboard('jk');
    expect(filter).toHaveValue('jk');
  });
});

describe('filter errors', () => {
  it('shows a filter Go refuses beside the filter and keeps the list', async () => {
    const be = installBackend(unlockedState('clerk'));
    be.app.ListInvoices.mockResolvedValue([invoice()]);
    render(App);
    await screen.findByRole('table', { name: 'Invoices' });
    be.app.SearchInvoices.mockRejectedValue(JSON.stringify({ code: 'invalid_input', message: '">abc": after > comes an amount, like >1000' }));
    const filter = screen.getByRole('searchbox', { name: 'Filter invoices' });
    await setupUser().type(filter, '>abc');
    await waitFor(() => expect(filter).toHaveAccessibleDescription('">abc": after > comes an amount, like >1000'));
    expect(filter).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('dropped files', () => {
  it('shows the per-file results Go reports for a drop, in plain words', async () => {
    const be = installBackend(unlockedState('clerk'));
    render(App);
    await screen.findByText(/No invoices yet/);
    be.app.ListInvoices.mockResolvedValue([invoice()]);
    be.emit('import:dropped', {
      results: [
        importResult({ file: 'a.pdf' }),
        importResult({ file: 'b.pdf', id: '', invoice_number: '', error: { code: 'duplicate', message: 'this file was imported already' } }),
      ],
      error: null,
    });
    const list = await screen.findByRole('list', { name: 'Import results' });
    expect(within(list).getAllByRole('listitem')[1]).toHaveTextContent('Not imported: this file was imported already');
    expect(await screen.findByRole('table', { name: 'Invoices' })).toBeInTheDocument();
  });

  it('shows a refused drop as an alert', async () => {
    const be = installBackend(unlockedState('clerk'));
    render(App);
    await screen.findByText(/No invoices yet/);
    be.emit('import:dropped', { results: [], error: { code: 'invalid_input', message: 'only PDF, XML, PNG, JPEG and TIFF files can be imported' } });
    expect(await screen.findByRole('alert')).toHaveTextContent('only PDF, XML, PNG, JPEG and TIFF files can be imported');
  });
});
