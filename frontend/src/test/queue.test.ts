import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import App from '../App.svelte';
import { detail, installBackend, invoice, setupUser, unlockedState } from './backend';
import type { Role } from '../lib/types';

async function openQueue(role: Role = 'approver') {
  const be = installBackend(unlockedState(role));
  be.app.ApprovalQueue.mockResolvedValue({
    mine: [invoice({ id: 'm1', invoice_number: 'MINE-1', status: 'ready_for_approval' })],
    delegated: [invoice({ id: 'd1', invoice_number: 'DEL-1', status: 'ready_for_approval' })],
    overdue: [
      { invoice: invoice({ id: 'm1', invoice_number: 'MINE-1', status: 'ready_for_approval' }), waited: '52h0m0s', notify: ['alice'] },
    ],
  });
  be.app.GetInvoice.mockImplementation(async (id: string) =>
    detail({ id, invoice_number: id === 'm1' ? 'MINE-1' : 'DEL-1', status: 'ready_for_approval', allowed: ['approve', 'reject', 'hold'] }),
  );
  render(App);
  const u = setupUser();
  await u.click(await screen.findByRole('button', { name: 'Approvals' }));
  await screen.findByRole('heading', { level: 1, name: 'Approvals' });
  return { be, u };
}

describe('approvals queue', () => {
  it('lists mine, delegated and overdue with whom it escalates to', async () => {
    await openQueue();
    expect(await screen.findByRole('list', { name: 'Mine' })).toHaveTextContent('MINE-1');
    expect(screen.getByRole('list', { name: 'Delegated to me' })).toHaveTextContent('DEL-1');
    const overdue = screen.getByRole('list', { name: 'Overdue' });
    expect(overdue).toHaveTextContent('waiting 52h0m0s');
    expect(overdue).toHaveTextContent('escalates to alice');
  });

  it('opens an invoice, approves it with a, and j goes to the next in the queue', async () => {
    const { be, u } = await openQueue();
    await u.click(within(await screen.findByRole('list', { name: 'Mine' })).getByRole('button'));
    expect(await screen.findByRole('heading', { level: 1, name: /MINE-1/ })).toBeInTheDocument();
    expect(screen.getByText('1 of 2 in the queue')).toBeInTheDocument();
    await u.keyboard('a');
    expect(be.app.ApproveInvoice).toHaveBeenCalledWith('m1');
    await screen.findByText(/Approved\./);
    await u.keyboard('j');
    expect(await screen.findByRole('heading', { level: 1, name: /DEL-1/ })).toBeInTheDocument();
    await u.keyboard('{Escape}');
    expect(await screen.findByRole('heading', { level: 1, name: 'Approvals' })).toBeInTheDocument();
    expect(be.app.ApprovalQueue).toHaveBeenCalledTimes(2);
  });

  it('shows the keyboard help with ?', async () => {
    const { u } = await openQueue();
    await u.keyboard('?');
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveTextContent('Approve');
    await u.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('says when nothing waits', async () => {
    const be = installBackend(unlockedState('admin'));
    render(App);
    await setupUser().click(await screen.findByRole('button', { name: 'Approvals' }));
    expect(await screen.findByText('Nothing waits for your approval.')).toBeInTheDocument();
    expect(be.app.ApprovalQueue).toHaveBeenCalled();
  });

  it('is not offered to a clerk', async () => {
    installBackend(unlockedState('clerk'));
    render(App);
    await screen.findByRole('navigation', { name: 'Main' });
    expect(screen.queryByRole('button', { name: 'Approvals' })).toBeNull();
  });
});
