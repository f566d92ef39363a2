import { afterEach, describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import App from '../App.svelte';
import { goError, installBackend, setupUser, unlockedState } from './backend';
import { resetNavigation, takePendingInvoice } from '../lib/navigate';
import type { SyncExceptionView, SyncRejectionView } from '../lib/types';

afterEach(() => resetNavigation());

const exception: SyncExceptionView = {
  id: 'x1',
  invoice_id: 'inv-7',
  kind: 'concurrent_edit',
  message: 'Both devices changed the due date; the server kept the first.',
  winner: 'laptop-2 (anna)',
  loser: 'this device (carl)',
  seq: 41,
  at: '2026-11-29T10:15:00Z',
};
const rejection: SyncRejectionView = {
  op: 'invoice.approve',
  invoice_id: 'inv-9',
  code: 'forbidden',
  message: 'Anna may not approve her own import.',
  rule: 'four-eyes',
  at: '2026-11-29T10:20:00Z',
};

async function openExceptions() {
  const be = installBackend(unlockedState('clerk'));
  be.app.ListSyncExceptions.mockResolvedValue([exception]);
  be.app.ListSyncRejections.mockResolvedValue([rejection]);
  const u = setupUser();
  render(App);
  const nav = await screen.findByRole('navigation', { name: 'Main' });
  await u.click(within(nav).getByRole('button', { name: 'Sync exceptions' }));
  await screen.findByRole('table', { name: 'Conflicts' });
  return { be, u, nav };
}

describe('sync exceptions screen', () => {
  it('lists conflicts and refused changes', async () => {
    await openExceptions();
    const conflicts = screen.getByRole('table', { name: 'Conflicts' });
    expect(conflicts).toHaveTextContent('2026-11-29 10:15');
    expect(conflicts).toHaveTextContent('concurrent edit');
    expect(conflicts).toHaveTextContent('Both devices changed the due date');
    expect(conflicts).toHaveTextContent('laptop-2 (anna)');
    const refused = screen.getByRole('table', { name: 'Refused changes' });
    expect(refused).toHaveTextContent('invoice approve');
    expect(refused).toHaveTextContent('Anna may not approve her own import. (forbidden)');
    expect(refused).toHaveTextContent('four-eyes');
  });

  it('leads to the invoice', async () => {
    const { u, nav } = await openExceptions();
    await u.click(screen.getByRole('button', { name: 'Open invoice inv-9' }));
    expect(within(nav).getByRole('button', { name: 'Invoices' })).toHaveAttribute('aria-current', 'page');
    // The invoice screen may take the request when it mounts.
    expect(['inv-9', null]).toContain(takePendingInvoice());
  });

  it('adds new ones as they arrive', async () => {
    const { be } = await openExceptions();
    be.emit('sync:exception', { ...exception, id: 'x2', invoice_id: 'inv-8', message: 'A second conflict.' });
    be.emit('sync:rejection', JSON.stringify({ ...rejection, invoice_id: 'inv-10', message: 'Refused again.' }));
    expect(await within(screen.getByRole('table', { name: 'Conflicts' })).findByText('A second conflict.')).toBeInTheDocument();
    expect(within(screen.getByRole('table', { name: 'Refused changes' })).getByText(/Refused again\./)).toBeInTheDocument();
    // The same exception twice is listed once.
    be.emit('sync:exception', { ...exception, id: 'x2', invoice_id: 'inv-8', message: 'A second conflict.' });
    expect(within(screen.getByRole('table', { name: 'Conflicts' })).getAllByText('A second conflict.')).toHaveLength(1);
  });

  it('has empty states and an error with retry', async () => {
    const be = installBackend(unlockedState('clerk'));
    be.app.ListSyncExceptions.mockRejectedValueOnce(goError('unavailable', 'Sync is not set up.'));
    const u = setupUser();
    render(App);
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    await u.click(within(nav).getByRole('button', { name: 'Sync exceptions' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load the sync exceptions: Sync is not set up.');
    await u.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('No conflicts.')).toBeInTheDocument();
    expect(screen.getByText('No refused changes.')).toBeInTheDocument();
  });
});
