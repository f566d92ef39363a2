import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../App.svelte';
import { detail, goError, installBackend, invoice, setupUser, unlockedState } from './backend';
import type { InvoiceDetailView, ReviewView, Role } from '../lib/types';

const pdfSource = {
  reader: 'pdf-text',
  kind: 'pdf',
  file_name: 'scan.pdf',
  size: 999,
  imported_by: 'carl',
  imported_at: '2025-03-02T09:00:00Z',
};

async function openReview(
  role: Role,
  over: Partial<InvoiceDetailView> = {},
  review: Partial<ReviewView> = {},
  list = [invoice({ id: 'a', invoice_number: 'A-1' }), invoice({ id: 'b', invoice_number: 'B-2' })],
) {
  const be = installBackend(unlockedState(role));
  be.app.ListInvoices.mockResolvedValue(list);
  be.app.GetInvoice.mockImplementation(async (id: string) =>
    detail({ id, invoice_number: id === 'b' ? 'B-2' : 'A-1', source: pdfSource, ...over }),
  );
  be.app.GetReview.mockImplementation(async (id: string) => ({
    id,
    confidence: {},
    low_confidence: 0.6,
    regions_known: false,
    match: null,
    ...review,
  }));
  render(App);
  const u = setupUser();
  const table = await screen.findByRole('table', { name: 'Invoices' });
  await u.click(within(table).getByText('A-1'));
  await screen.findByRole('heading', { level: 1, name: /A-1/ });
  return { be, u };
}

describe('review screen', () => {
  it('shows the page rendered by Go beside the fields, and says regions are unknown', async () => {
    const { be } = await openReview('clerk');
    const img = await screen.findByRole('img', { name: 'Page 1 of 2 of the original invoice' });
    expect(img).toHaveAttribute('src', 'data:image/png;base64,iVBORw0KGgo=');
    expect(be.app.RenderPage).toHaveBeenCalledWith('a', 1);
    expect(screen.getByText(/not recorded by the reader/)).toBeInTheDocument();
    const u = setupUser();
    await u.click(screen.getByRole('button', { name: 'Page ›' }));
    expect(be.app.RenderPage).toHaveBeenLastCalledWith('a', 2);
  });

  it('says an XML invoice has no page, without asking Go to render', async () => {
    const { be } = await openReview('clerk', { source: { ...pdfSource, kind: 'xml' } });
    expect(screen.getByText(/received as XML data: it has no page/)).toBeInTheDocument();
    expect(be.app.RenderPage).not.toHaveBeenCalled();
  });

  it('shows a render failure in plain words', async () => {
    const be = installBackend(unlockedState('clerk'));
    be.app.RenderPage.mockRejectedValue(goError('broken', 'The PDF is damaged and cannot be shown.'));
    be.app.ListInvoices.mockResolvedValue([invoice({ id: 'a', invoice_number: 'A-1' })]);
    be.app.GetInvoice.mockResolvedValue(detail({ id: 'a', invoice_number: 'A-1', source: pdfSource }));
    render(App);
    await setupUser().click(within(await screen.findByRole('table', { name: 'Invoices' })).getByText('A-1'));
    expect(await screen.findByText(/Could not show the page: The PDF is damaged/)).toBeInTheDocument();
  });

  it('highlights fields read with low confidence', async () => {
    await openReview('clerk', {}, { confidence: { 'totals.payable': 0.42, 'payment.iban': 0.95, 'seller.name': 0.3 } });
    const payable = (await screen.findByRole('textbox', { name: /^Payable amount/ })).closest('.field-row')!;
    await waitFor(() => expect(payable).toHaveClass('unsure'));
    expect(payable).toHaveTextContent('0.42');
    expect(screen.getByRole('textbox', { name: /^IBAN/ }).closest('.field-row')).not.toHaveClass('unsure');
    expect(screen.getByRole('note')).toHaveTextContent('seller.name (0.30), totals.payable (0.42)');
  });

  it('checks a correction as you type and saves it', async () => {
    const { be, u } = await openReview('clerk');
    await u.click(screen.getByRole('button', { name: 'Edit IBAN' }));
    const input = screen.getByLabelText('IBAN');
    await u.clear(input);
    await u.type(input, 'DE89370400440532013001');
    expect(input).toHaveAccessibleDescription('The IBAN check digits do not match: a character is wrong.');
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
    await u.type(input, '{Backspace}0');
    expect(input).toHaveAccessibleDescription('');
    await u.keyboard('{Enter}');
    expect(be.app.SetInvoiceFields).toHaveBeenCalledWith('a', { 'payment.iban': 'DE89370400440532013000' });
    expect(await screen.findByText(/IBAN corrected\. The invoice is now extracted\./)).toBeInTheDocument();
  });

  it('shows the server refusal next to the field', async () => {
    const { be, u } = await openReview('clerk');
    be.app.SetInvoiceFields.mockRejectedValueOnce(goError('invalid_input', 'due_date = "2025-02-01" is before the issue date'));
    await u.click(screen.getByRole('button', { name: 'Edit Due date' }));
    const input = screen.getByLabelText('Due date');
    await u.clear(input);
    await u.type(input, '2025-02-01{Enter}');
    await waitFor(() => expect(input).toHaveAccessibleDescription('due_date = "2025-02-01" is before the issue date'));
    expect(input).toHaveAttribute('aria-invalid', 'true');
    // Escape cancels the edit and stays on the invoice.
    await u.keyboard('{Escape}');
    expect(screen.queryByRole('form', { name: 'Correct Due date' })).toBeNull();
    expect(screen.getByRole('heading', { level: 1, name: /A-1/ })).toBeInTheDocument();
  });

  it('shows the match, approvals, decisions and corrections', async () => {
    await openReview(
      'approver',
      {
        approvals: [{ by: 'anna', on_behalf_of: '', at: '2025-03-03T10:00:00Z', level: 1, rule: 'amount below 10,000', override: '' }],
        decisions: [{ action: 'hold', by: 'carl', at: '2025-03-02T10:00:00Z', reason: 'Waiting for the delivery note' }],
        corrections: [{ field: 'totals.payable', old: '1000.00', new: '1190.00', by: 'carl', at: '2025-03-02T11:00:00Z' }],
      },
      {
        match: {
          status: 'price_variance',
          pos: ['PO-77'],
          summary: '1 line over the price tolerance',
          findings: [{ code: 'price_variance', severity: 'warning', message: 'Line 1 costs 5.00 more per unit than ordered.', fields: [] }],
          lines: [
            {
              invoice_line: '1', po_number: 'PO-77', po_line: 10, how: 'line_ref', invoiced_qty: '10', ordered_qty: '10',
              received_qty: '8', previously_billed: '0', invoice_price: '105.00', po_price: '100.00', price_variance: '5.00',
              qty_variance: '2', status: 'price_variance', explanation: 'Unit price above the order.',
            },
          ],
        },
      },
    );
    const lines = await screen.findByRole('table', { name: 'Matched lines' });
    expect(within(lines).getAllByRole('row')[1]).toHaveTextContent('PO-77/10');
    expect(within(lines).getAllByRole('row')[1]).toHaveTextContent('105.00');
    expect(screen.getByText('1 line over the price tolerance')).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Match findings' })).toHaveTextContent('5.00 more per unit');
    const steps = screen.getByRole('list', { name: 'Approvals and decisions' });
    expect(steps).toHaveTextContent('approved by anna');
    expect(steps).toHaveTextContent('Waiting for the delivery note');
    expect(steps).toHaveTextContent('totals.payable: “1000.00” → “1190.00” by carl');
  });
});

describe('keyboard review', () => {
  it('approves with a, rejects with r and a reason, holds with h', async () => {
    const { be, u } = await openReview('approver', { status: 'ready_for_approval', allowed: ['approve', 'reject', 'hold'] });
    await u.keyboard('a');
    expect(be.app.ApproveInvoice).toHaveBeenCalledWith('a');
    await screen.findByText(/Approved\./);
    await u.keyboard('r');
    const reason = screen.getByLabelText(/Reason/);
    expect(reason).toHaveFocus();
    // Letters typed in the reason box are text, not shortcuts.
    await u.keyboard('wrong amount{Enter}');
    expect(be.app.RejectInvoice).toHaveBeenCalledWith('a', 'wrong amount');
    expect(be.app.HoldInvoice).not.toHaveBeenCalled();
    expect(be.app.ApproveInvoice).toHaveBeenCalledTimes(1);
    await screen.findByText(/Rejected\./);
    await u.keyboard('h');
    expect(screen.getByRole('form', { name: 'Put the invoice on hold' })).toBeInTheDocument();
  });

  it('ignores a for a clerk, who cannot approve', async () => {
    const { be, u } = await openReview('clerk', { status: 'ready_for_approval', allowed: ['approve', 'reject', 'hold'] });
    await u.keyboard('a');
    expect(be.app.ApproveInvoice).not.toHaveBeenCalled();
  });

  it('jumps to fields with f, unsure ones first, and edits the focused one with e', async () => {
    const { u } = await openReview('clerk', {}, { confidence: { 'totals.payable': 0.2 } });
    await waitFor(() => expect(screen.getByRole('textbox', { name: /^Payable amount/ }).closest('.field-row')).toHaveClass('unsure'));
    await u.keyboard('f');
    expect(screen.getByRole('textbox', { name: /^Payable amount/ })).toHaveFocus();
    await u.keyboard('f');
    expect(screen.getByLabelText('Invoice number')).toHaveFocus();
    await u.keyboard('e');
    const input = screen.getByRole('textbox', { name: 'Invoice number' });
    expect(input).toHaveFocus();
    expect(input).not.toHaveAttribute('readonly');
    await u.keyboard('{Escape}');
    expect(screen.getByLabelText('Invoice number')).toHaveAttribute('readonly');
  });

  it('moves to the next and previous invoice with j and k', async () => {
    const { be, u } = await openReview('clerk');
    expect(screen.getByText('1 of 2')).toBeInTheDocument();
    await u.keyboard('j');
    expect(await screen.findByRole('heading', { level: 1, name: /B-2/ })).toBeInTheDocument();
    expect(be.app.GetInvoice).toHaveBeenLastCalledWith('b');
    await u.keyboard('j'); // the last one: stays
    expect(screen.getByRole('heading', { level: 1, name: /B-2/ })).toBeInTheDocument();
    await u.keyboard('k');
    expect(await screen.findByRole('heading', { level: 1, name: /A-1/ })).toBeInTheDocument();
  });

  it('toggles the help overlay with ?, listing every shortcut', async () => {
    const { u } = await openReview('clerk');
    await u.keyboard('?');
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(dialog).toHaveTextContent('Reject (asks for a reason)');
    expect(dialog).toHaveTextContent('Edit the focused field');
    await u.keyboard('?');
    expect(screen.queryByRole('dialog')).toBeNull();
    await u.keyboard('?');
    await u.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    // Escape closed the help, not the invoice.
    expect(screen.getByRole('heading', { level: 1, name: /A-1/ })).toBeInTheDocument();
  });
});
