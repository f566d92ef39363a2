import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../App.svelte';
import { detail, goError, importResult, installBackend, invoice, setupUser, unlockedState } from './backend';
import type { ImportResult, Role } from '../lib/types';

async function renderList(role: Role = 'clerk', list = [invoice()]) {
  const be = installBackend(unlockedState(role));
  be.app.ListInvoices.mockResolvedValue(list);
  render(App);
  if (list.length === 0) await screen.findByText(/No invoices yet/);
  const table = list.length ? await screen.findByRole('table', { name: 'Invoices' }) : document.body;
  return { be, table, u: setupUser() };
}

async function openDetail(role: Role, over: Parameters<typeof detail>[0] = {}) {
  const r = await renderList(role);
  r.be.app.GetInvoice.mockImplementation(async (id: string) => detail({ id, ...over }));
  await r.u.click(within(r.table).getByText('INV-2025-0001'));
  await screen.findByRole('heading', { level: 1, name: /INV-2025-0001/ });
  return r;
}

describe('import', () => {
  it('shows progress and a plain-words result per file', async () => {
    const { be, u } = await renderList('clerk', []);
    let finish!: (r: ImportResult[]) => void;
    be.app.ChooseAndImport.mockImplementation(() => new Promise((res) => (finish = res)));
    await u.click(screen.getByRole('button', { name: 'Import invoices…' }));
    expect(screen.getByRole('button', { name: 'Importing…' })).toBeDisabled();
    be.emit('import:progress', { done: 1, total: 2, file: 'a.xml' });
    expect(await screen.findByText(/Read 1 of 2/)).toHaveTextContent('Read 1 of 2: a.xml');
    be.app.ListInvoices.mockResolvedValue([invoice()]);
    finish([
      importResult({ file: 'a.xml', invoice_number: 'INV-2025-0001', source: 'cii' }),
      importResult({
        file: 'notes.txt',
        id: '',
        invoice_number: '',
        source: '',
        error: { code: 'unsupported_format', message: 'This file type cannot be read.' },
      }),
    ]);
    const results = await screen.findByRole('list', { name: 'Import results' });
    const items = within(results).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('a.xml');
    expect(items[0]).toHaveTextContent('Imported as invoice INV-2025-0001 (read from cii).');
    expect(items[1]).toHaveTextContent('notes.txt');
    expect(items[1]).toHaveTextContent('Not imported: This file type cannot be read.');
    expect(await screen.findByText('1 of 2 files imported, 1 not imported.')).toBeInTheDocument();
    // The list is reloaded with the new invoice.
    expect(await screen.findByRole('table', { name: 'Invoices' })).toHaveTextContent('INV-2025-0001');
    expect(be.app.ListInvoices).toHaveBeenCalledTimes(2);
    expect(screen.getByRole('button', { name: 'Import invoices…' })).toBeEnabled();
  });

  it('says so when the dialog was cancelled', async () => {
    const { be, u } = await renderList('clerk');
    await u.click(screen.getByRole('button', { name: 'Import invoices…' }));
    expect(await screen.findByText('No files were chosen.')).toBeInTheDocument();
    expect(be.app.ListInvoices).toHaveBeenCalledTimes(1);
  });

  it('shows a failed import as an alert', async () => {
    const { be, u } = await renderList('clerk');
    be.app.ChooseAndImport.mockRejectedValueOnce(goError('unavailable', 'The file dialog could not be opened.'));
    await u.click(screen.getByRole('button', { name: 'Import invoices…' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The file dialog could not be opened.');
  });
});

describe('invoice detail', () => {
  it('shows header, totals, lines, findings and history', async () => {
    const { be } = await openDetail('clerk', {
      findings: [
        { code: 'bank_details_mismatch', severity: 'critical', message: 'The IBAN differs from the vendor master.', fields: ['payment.iban'] },
        { code: 'due_date_past', severity: 'warning', message: 'The due date has passed.', fields: [] },
      ],
    });
    expect(be.app.GetInvoice).toHaveBeenCalledWith('i1');
    expect(screen.getByTestId('status')).toHaveTextContent('Extracted');
    expect(screen.getByText('Acme Supplies GmbH')).toBeInTheDocument();
    expect(screen.getByText('PO-77')).toBeInTheDocument();
    expect(screen.getByText('Amount due').nextElementSibling).toHaveTextContent('1,190.00 EUR');

    const lines = screen.getByRole('table', { name: 'Invoice lines' });
    const cells = within(within(lines).getAllByRole('row')[1]!)
      .getAllByRole('cell')
      .map((c) => c.textContent?.trim());
    expect(cells).toEqual(['1', 'Widget large', '10 C62', '100.00', '19', '1,000.00 EUR']);

    const findings = within(screen.getByRole('list', { name: 'Findings' })).getAllByRole('listitem');
    expect(findings).toHaveLength(2);
    expect(findings[0]).toHaveClass('sev-critical');
    expect(findings[0]).toHaveTextContent('The IBAN differs from the vendor master.');
    expect(findings[0]).toHaveTextContent('Blocks approval');
    expect(findings[0]).toHaveTextContent('payment.iban');
    expect(findings[1]).toHaveClass('sev-warning');

    const history = within(screen.getByRole('list', { name: 'History' })).getAllByRole('listitem');
    expect(history[0]).toHaveTextContent('carl invoice.import — imported xml read as cii');
  });

  it('shows a load error as an alert', async () => {
    const r = await renderList('clerk');
    r.be.app.GetInvoice.mockRejectedValueOnce(goError('not_found', 'invoice not found'));
    await r.u.click(within(r.table).getByText('INV-2025-0001'));
    expect(await screen.findByRole('alert')).toHaveTextContent('invoice not found');
  });
});

describe('workflow actions', () => {
  it('offers a clerk Submit and Hold, and submits', async () => {
    const { be, u } = await openDetail('clerk');
    const actions = screen.getByRole('group', { name: 'Actions' });
    expect(within(actions).getAllByRole('button').map((b) => b.textContent?.trim())).toEqual([
      'Submit for approval',
      'Hold…',
    ]);
    be.app.GetInvoice.mockResolvedValueOnce(detail({ status: 'ready_for_approval', allowed: ['approve', 'reject', 'hold'] }));
    await u.click(within(actions).getByRole('button', { name: 'Submit for approval' }));
    expect(be.app.SubmitInvoice).toHaveBeenCalledWith('i1');
    expect(await screen.findByText(/Submitted for approval\. The invoice is now ready for approval\./)).toBeInTheDocument();
    expect(be.app.GetInvoice).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent('Ready for approval'));
    // A clerk cannot approve, so no action is left but Hold.
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Hold…' })).toBeInTheDocument();
  });

  it('lets an approver approve', async () => {
    const { be, u } = await openDetail('approver', { status: 'ready_for_approval', allowed: ['approve', 'reject', 'hold'] });
    expect(screen.queryByRole('button', { name: 'Submit for approval' })).toBeNull();
    await u.click(screen.getByRole('button', { name: 'Approve' }));
    expect(be.app.ApproveInvoice).toHaveBeenCalledWith('i1');
    expect(await screen.findByText(/Approved\. The invoice is now approved\./)).toBeInTheDocument();
  });

  it('asks for a reason inline before rejecting', async () => {
    const { be, u } = await openDetail('approver', { status: 'ready_for_approval', allowed: ['approve', 'reject', 'hold'] });
    await u.click(screen.getByRole('button', { name: 'Reject…' }));
    const form = screen.getByRole('form', { name: 'Reject the invoice' });
    expect(within(form).getByLabelText(/Reason/)).toHaveFocus();
    await u.click(within(form).getByRole('button', { name: 'Reject invoice' }));
    expect(within(form).getByLabelText(/Reason/)).toHaveAccessibleDescription('Give a reason.');
    expect(be.app.RejectInvoice).not.toHaveBeenCalled();
    await u.type(within(form).getByLabelText(/Reason/), '  Price does not match the order ');
    await u.click(within(form).getByRole('button', { name: 'Reject invoice' }));
    expect(be.app.RejectInvoice).toHaveBeenCalledWith('i1', 'Price does not match the order');
    expect(await screen.findByText(/Rejected\./)).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Reject the invoice' })).toBeNull();
  });

  it('holds with a reason and shows a refusal from the backend', async () => {
    const { be, u } = await openDetail('clerk');
    be.app.HoldInvoice.mockRejectedValueOnce(goError('conflict', 'cannot hold an invoice that is paid'));
    await u.click(screen.getByRole('button', { name: 'Hold…' }));
    await u.type(screen.getByLabelText(/Reason/), 'Waiting for the delivery note{Enter}');
    expect(be.app.HoldInvoice).toHaveBeenCalledWith('i1', 'Waiting for the delivery note');
    expect(await screen.findByRole('alert')).toHaveTextContent('cannot hold an invoice that is paid');
    // The form keeps the reason for another try.
    expect(screen.getByLabelText(/Reason/)).toHaveValue('Waiting for the delivery note');
  });

  it('offers an auditor no actions', async () => {
    await openDetail('auditor');
    expect(screen.queryByRole('group', { name: 'Actions' })).toBeNull();
  });
});

describe('keyboard', () => {
  it('moves with j/k and arrows, opens with Enter and returns with Escape', async () => {
    const list = [
      invoice({ id: 'a', invoice_number: 'A-1' }),
      invoice({ id: 'b', invoice_number: 'B-2' }),
      invoice({ id: 'c', invoice_number: 'C-3' }),
    ];
    const { be, table, u } = await renderList('clerk', list);
    const rows = () => within(table.isConnected ? table : screen.getByRole('table', { name: 'Invoices' }))
      .getAllByRole('row')
      .slice(1);
    rows()[0]!.focus();
    await u.keyboard('j');
    expect(rows()[1]).toHaveFocus();
    await u.keyboard('{ArrowDown}');
    expect(rows()[2]).toHaveFocus();
    await u.keyboard('j'); // stays on the last row
    expect(rows()[2]).toHaveFocus();
    await u.keyboard('k');
    expect(rows()[1]).toHaveFocus();
    expect(rows()[1]).toHaveAttribute('tabindex', '0');
    expect(rows()[0]).toHaveAttribute('tabindex', '-1');
    await u.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { level: 1, name: /INV-2025-0001/ })).toBeInTheDocument();
    expect(be.app.GetInvoice).toHaveBeenCalledWith('b');
    await u.keyboard('{Escape}');
    const back = await screen.findByRole('table', { name: 'Invoices' });
    await waitFor(() => expect(within(back).getAllByRole('row')[2]).toHaveFocus());
  });

  it('Escape closes the reason form before leaving the invoice', async () => {
    const { u } = await openDetail('clerk');
    await u.click(screen.getByRole('button', { name: 'Hold…' }));
    await u.keyboard('{Escape}');
    expect(screen.queryByRole('form')).toBeNull();
    expect(screen.getByRole('heading', { level: 1, name: /INV-2025-0001/ })).toBeInTheDocument();
    await u.keyboard('{Escape}');
    expect(await screen.findByRole('table', { name: 'Invoices' })).toBeInTheDocument();
  });
});

describe('opening an invoice from elsewhere (toasts, exceptions)', () => {
  it('opens an invoice asked for while the list is shown', async () => {
    const { be } = await renderList('clerk');
    be.app.GetInvoice.mockImplementation(async (id: string) => detail({ id }));
    const { openInvoice } = await import('../lib/navigate');
    openInvoice('inv-from-toast');
    await screen.findByRole('heading', { level: 1, name: /INV-2025-0001/ });
    expect(be.app.GetInvoice).toHaveBeenCalledWith('inv-from-toast');
  });
});
