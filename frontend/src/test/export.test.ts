import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import App from '../App.svelte';
import { goError, installBackend, setupUser, unlockedState } from './backend';
import type { Role } from '../lib/types';

async function openExport(role: Role = 'clerk') {
  const be = installBackend(unlockedState(role));
  const u = setupUser();
  render(App);
  const nav = await screen.findByRole('navigation', { name: 'Main' });
  await u.click(within(nav).getByRole('button', { name: 'Export' }));
  const form = await screen.findByRole('form', { name: 'Export invoices' });
  return { be, u, form };
}

describe('export', () => {
  it('exports CSV of a status and reports the file', async () => {
    const { be, u, form } = await openExport();
    be.app.ChooseAndExport.mockResolvedValueOnce({ cancelled: false, format: 'csv', included: 12, exported: 3, files: ['invoices-2026-11-29.csv'], refused: [] });
    await u.selectOptions(within(form).getByLabelText('Invoices'), 'approved');
    await u.click(within(form).getByRole('button', { name: /Choose where to save/ }));
    expect(be.app.ChooseAndExport).toHaveBeenCalledWith({
      format: 'csv', status: 'approved', debtor_name: '', debtor_iban: '', debtor_bic: '', execution_date: '',
    });
    expect(await screen.findByText(/Exported 12 invoices as CSV to invoices-2026-11-29.csv\./)).toBeInTheDocument();
    expect(screen.getByText(/3 approved invoices are now marked exported\./)).toBeInTheDocument();
  });

  it('says when the dialog was cancelled', async () => {
    const { be, u, form } = await openExport();
    be.app.ChooseAndExport.mockResolvedValueOnce({ cancelled: true, format: 'json', included: 0, exported: 0, files: [], refused: [] });
    await u.click(within(form).getByLabelText(/JSON/));
    await u.click(within(form).getByRole('button', { name: /Choose where to save/ }));
    expect(be.app.ChooseAndExport.mock.calls[0]![0].format).toBe('json');
    expect(await screen.findByText('Export cancelled: nothing was written.')).toBeInTheDocument();
  });

  it('asks for the debtor account for SEPA and lists refused invoices', async () => {
    const { be, u, form } = await openExport();
    await u.click(within(form).getByLabelText(/SEPA credit transfer/));
    expect(within(form).queryByLabelText('Invoices')).toBeNull();
    await u.click(within(form).getByRole('button', { name: /Choose where to save/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent('needs the name and IBAN');
    expect(be.app.ChooseAndExport).not.toHaveBeenCalled();
    await u.type(within(form).getByLabelText('Account holder'), 'Buyer AG');
    await u.type(within(form).getByLabelText('IBAN'), 'de89 3704 0044 0532 0130 00');
    be.app.ChooseAndExport.mockResolvedValueOnce({
      cancelled: false, format: 'sepa', included: 1, exported: 1, files: ['sepa-payments-2026-11-29.xml'],
      refused: [{ invoice_id: 'inv-2', reason: 'the seller has no IBAN' }],
    });
    await u.click(within(form).getByRole('button', { name: /Choose where to save/ }));
    expect(be.app.ChooseAndExport).toHaveBeenCalledWith({
      format: 'sepa', status: 'approved', debtor_name: 'Buyer AG', debtor_iban: 'DE89370400440532013000', debtor_bic: '', execution_date: '',
    });
    expect(await screen.findByText(/1 invoice was left out/)).toBeInTheDocument();
    expect(screen.getByText(/the seller has no IBAN/)).toBeInTheDocument();
  });

  it('shows what Go refused', async () => {
    const { be, u, form } = await openExport();
    be.app.ChooseAndExport.mockRejectedValueOnce(goError('invalid_input', 'no invoices to export (status "")'));
    await u.click(within(form).getByRole('button', { name: /Choose where to save/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent('no invoices to export');
  });

  it('is not offered to approvers', async () => {
    installBackend(unlockedState('approver'));
    render(App);
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(nav).queryByRole('button', { name: 'Export' })).toBeNull();
  });
});
