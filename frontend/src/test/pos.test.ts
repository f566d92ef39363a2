import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import App from '../App.svelte';
import { goError, installBackend, setupUser, unlockedState, vendor } from './backend';
import { poDetail } from './adminBackend';
import type { Role } from '../lib/types';

async function openPOs(role: Role = 'clerk') {
  const be = installBackend(unlockedState(role));
  be.app.ListPOs.mockResolvedValue([
    { id: 'po1', number: 'PO-100', vendor_id: 'v1', vendor_name: 'Acme Supplies GmbH', currency: 'EUR', cost_centre: 'CC-1',
      order_date: '2026-11-02', status: 'open', line_count: 2, total: '160.00' },
    { id: 'po2', number: 'PO-200', vendor_id: '', vendor_name: '', currency: 'EUR', cost_centre: 'IT',
      order_date: '', status: 'partially_received', line_count: 1, total: '1234.5' },
  ]);
  const u = setupUser();
  render(App);
  const nav = await screen.findByRole('navigation', { name: 'Main' });
  await u.click(within(nav).getByRole('button', { name: 'Purchase orders' }));
  const table = await screen.findByRole('table', { name: 'Purchase orders' });
  return { be, u, table };
}

describe('purchase orders', () => {
  it('lists orders and filters as you type', async () => {
    const { u, table } = await openPOs();
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(within(table).getByText('1,234.5 EUR')).toBeInTheDocument();
    await u.type(screen.getByLabelText('Filter purchase orders'), 'acme');
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    expect(within(table).queryByText('PO-200')).toBeNull();
  });

  it('opens an order with its lines and receipts', async () => {
    const { be, u } = await openPOs();
    be.app.GetPO.mockResolvedValueOnce(
      poDetail({ receipts: [{ id: 'r1', line_no: 10, quantity: '4', received_at: '2026-11-20T12:00:00Z', note: 'pallet 1' }] }),
    );
    await u.click(screen.getByRole('button', { name: 'PO-100' }));
    expect(be.app.GetPO).toHaveBeenCalledWith('PO-100');
    const detail = await screen.findByRole('article', { name: 'Purchase order PO-100' });
    const lines = within(detail).getByRole('table', { name: 'Lines' });
    expect(within(lines).getAllByRole('row')).toHaveLength(3);
    const receipt = detail.querySelector('ul.receipts li');
    expect(receipt).toHaveTextContent('2026-11-20: 4 of line 10 — pallet 1');
    expect(screen.getByRole('heading', { name: 'Purchase order PO-100' })).toHaveFocus();
  });

  it('checks a new order in the form before Go, then sends it', async () => {
    const { be, u } = await openPOs();
    be.app.ListVendors.mockResolvedValue([vendor()]);
    await u.click(screen.getByRole('button', { name: 'Add purchase order' }));
    const form = screen.getByRole('form', { name: 'Add purchase order' });
    await u.click(within(form).getByRole('button', { name: 'Save purchase order' }));
    const alert = within(form).getByRole('alert');
    expect(alert).toHaveTextContent('Enter the purchase order number.');
    expect(alert).toHaveTextContent('Line 1: enter a description.');
    expect(alert).toHaveTextContent('Line 1: the quantity must be a number above 0.');
    expect(be.app.AddPO).not.toHaveBeenCalled();

    await u.type(within(form).getByLabelText(/^Number/), 'PO-300');
    await u.type(within(form).getByLabelText('Line 1 description'), 'Widget');
    await u.type(within(form).getByLabelText('Line 1 quantity'), '10');
    await u.type(within(form).getByLabelText('Line 1 unit price'), '12.50');
    await u.click(within(form).getByRole('button', { name: 'Add line' }));
    expect(within(form).getByLabelText('Line 2 description')).toHaveFocus();
    await u.type(within(form).getByLabelText('Line 2 description'), 'Bolt');
    await u.type(within(form).getByLabelText('Line 2 quantity'), '1,5');
    await u.type(within(form).getByLabelText('Line 2 unit price'), '0.35');
    await u.click(within(form).getByRole('button', { name: 'Save purchase order' }));
    expect(within(form).getByRole('alert')).toHaveTextContent('Line 2: the quantity must be a number above 0.');
    await u.clear(within(form).getByLabelText('Line 2 quantity'));
    await u.type(within(form).getByLabelText('Line 2 quantity'), '1.5');
    await u.click(within(form).getByRole('button', { name: 'Save purchase order' }));
    expect(be.app.AddPO).toHaveBeenCalledWith({
      number: 'PO-300',
      vendor_id: '',
      currency: 'EUR',
      cost_centre: '',
      order_date: '',
      lines: [
        { line_no: 10, item_code: '', description: 'Widget', quantity: '10', unit: 'C62', unit_price: '12.50', tax_rate: '19' },
        { line_no: 20, item_code: '', description: 'Bolt', quantity: '1.5', unit: 'C62', unit_price: '0.35', tax_rate: '19' },
      ],
    });
    expect(await screen.findByText('Purchase order PO-300 added.')).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Add purchase order' })).toBeNull();
  });

  it('shows what Go refused in the form', async () => {
    const { be, u } = await openPOs();
    be.app.AddPO.mockRejectedValueOnce(goError('duplicate', 'Purchase order PO-100 already exists.'));
    await u.click(screen.getByRole('button', { name: 'Add purchase order' }));
    const form = screen.getByRole('form', { name: 'Add purchase order' });
    await u.type(within(form).getByLabelText(/^Number/), 'PO-100');
    await u.type(within(form).getByLabelText('Line 1 description'), 'Widget');
    await u.type(within(form).getByLabelText('Line 1 quantity'), '1');
    await u.type(within(form).getByLabelText('Line 1 unit price'), '1{Enter}');
    expect(await within(form).findByRole('alert')).toHaveTextContent('Purchase order PO-100 already exists.');
  });

  it('records a goods receipt', async () => {
    const { be, u } = await openPOs();
    await u.click(screen.getByRole('button', { name: 'PO-100' }));
    const form = await screen.findByRole('form', { name: 'Record a goods receipt' });
    await u.type(within(form).getByLabelText('Quantity received'), 'four');
    await u.click(within(form).getByRole('button', { name: 'Record receipt' }));
    expect(within(form).getByRole('alert')).toHaveTextContent('Enter the quantity received');
    expect(be.app.AddReceipt).not.toHaveBeenCalled();
    be.app.AddReceipt.mockResolvedValueOnce(poDetail({ status: 'partially_received' }));
    await u.selectOptions(within(form).getByLabelText('Line'), '20');
    await u.clear(within(form).getByLabelText('Quantity received'));
    await u.type(within(form).getByLabelText('Quantity received'), '40');
    await u.type(within(form).getByLabelText('Note'), ' box 2 ');
    await u.click(within(form).getByRole('button', { name: 'Record receipt' }));
    expect(be.app.AddReceipt).toHaveBeenCalledWith({ po_number: 'PO-100', line_no: 20, quantity: '40', received_at: '', note: 'box 2' });
    expect(await screen.findByText('Receipt recorded: 40 of line 20. Status: Partially received.')).toBeInTheDocument();
  });

  it('closes an order only with a reason', async () => {
    const { be, u } = await openPOs();
    await u.click(screen.getByRole('button', { name: 'PO-100' }));
    const group = await screen.findByRole('group', { name: 'Order status' });
    expect(within(group).getAllByRole('button').map((b) => b.textContent)).toEqual(['Close', 'Cancel order']);
    await u.click(within(group).getByRole('button', { name: 'Close' }));
    expect(screen.getByLabelText('Reason')).toHaveFocus();
    await u.click(screen.getByRole('button', { name: 'Confirm: close' }));
    expect(await screen.findByText('Give a reason; it goes into the audit trail.')).toBeInTheDocument();
    be.app.SetPOStatus.mockResolvedValueOnce(poDetail({ status: 'closed', allowed: ['reopen', 'cancel'] }));
    await u.type(screen.getByLabelText('Reason'), 'short shipped{Enter}');
    expect(be.app.SetPOStatus).toHaveBeenCalledWith('PO-100', 'close', 'short shipped');
    expect(await screen.findByText('Purchase order PO-100 is now closed.')).toBeInTheDocument();
  });

  it('is read-only for approvers', async () => {
    const { u } = await openPOs('approver');
    expect(screen.queryByRole('button', { name: 'Add purchase order' })).toBeNull();
    await u.click(screen.getByRole('button', { name: 'PO-100' }));
    await screen.findByRole('article', { name: 'Purchase order PO-100' });
    expect(screen.queryByRole('form', { name: 'Record a goods receipt' })).toBeNull();
    expect(screen.queryByRole('group', { name: 'Order status' })).toBeNull();
  });

  it('shows a load error with retry', async () => {
    const be = installBackend(unlockedState('clerk'));
    be.app.ListPOs.mockRejectedValueOnce(goError('internal', 'Something went wrong.'));
    const u = setupUser();
    render(App);
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    await u.click(within(nav).getByRole('button', { name: 'Purchase orders' }));
    expect(await screen.findByText(/Could not load the purchase orders: Something went wrong./)).toBeInTheDocument();
    await u.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('No purchase orders yet.')).toBeInTheDocument();
  });
});
