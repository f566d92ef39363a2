import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../App.svelte';
import { goError, installBackend, setupUser, unlockedState } from './backend';
import { auditTrail } from './adminBackend';
import type { Role } from '../lib/types';

async function openAudit(n: number, role: Role = 'auditor') {
  const be = installBackend(unlockedState(role));
  be.app.ListAudit = auditTrail(n);
  window.go!.app!.App!.ListAudit = be.app.ListAudit;
  const u = setupUser();
  render(App);
  const nav = await screen.findByRole('navigation', { name: 'Main' });
  await u.click(within(nav).getByRole('button', { name: 'Audit trail' }));
  return { be, u };
}

describe('audit viewer', () => {
  it('shows thousands of entries without rendering them all', async () => {
    const { be } = await openAudit(5000);
    expect(await screen.findByText('5,000 of 5,000 entries, newest first')).toBeInTheDocument();
    const list = screen.getByRole('list', { name: 'Audit entries' });
    const rows = within(list).getAllByRole('listitem');
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(100);
    expect(rows[0]).toHaveTextContent('5000');
    expect(be.app.ListAudit).toHaveBeenCalledTimes(1);
    expect(be.app.ListAudit).toHaveBeenCalledWith({ offset: 0, limit: 200, text: '', denied: false, before: 0 });
  });

  it('fetches the page it scrolls to, pinned to the first snapshot', async () => {
    const { be } = await openAudit(5000);
    await screen.findByText('5,000 of 5,000 entries, newest first');
    const viewport = screen.getByRole('region', { name: 'Audit entries, scrollable' });
    viewport.scrollTop = 34 * 2500;
    await fireEvent.scroll(viewport);
    await waitFor(() =>
      expect(be.app.ListAudit).toHaveBeenCalledWith({ offset: 2400, limit: 200, text: '', denied: false, before: 5001 }),
    );
    const list = screen.getByRole('list', { name: 'Audit entries' });
    // Entry index 2500 of a newest-first trail of 5000 is seq 2500.
    await waitFor(() => expect(list.querySelector('[data-seq="2500"]')).not.toBeNull());
    expect(within(list).getAllByRole('listitem').length).toBeLessThan(100);
  });

  it('filters in Go', async () => {
    const { be, u } = await openAudit(300);
    await screen.findByText('300 of 300 entries, newest first');
    await u.type(screen.getByLabelText('Filter'), 'entry 12{Enter}');
    expect(be.app.ListAudit).toHaveBeenLastCalledWith({ offset: 0, limit: 200, text: 'entry 12', denied: false, before: 0 });
    // entry 12 and entry 120…129
    expect(await screen.findByText('11 of 300 entries, newest first')).toBeInTheDocument();
    await u.click(screen.getByLabelText('Denied only'));
    expect(be.app.ListAudit).toHaveBeenLastCalledWith({ offset: 0, limit: 200, text: 'entry 12', denied: true, before: 0 });
  });

  it('verifies and says so', async () => {
    const { be, u } = await openAudit(20);
    be.app.VerifyAudit.mockResolvedValueOnce({ ok: true, checked: 1234, bad_index: 0, reason: '' });
    await u.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByText(/Verified: the trail of 1,234 entries is intact/)).toBeInTheDocument();
  });

  it('names the first bad entry and scrolls to it', async () => {
    const { be, u } = await openAudit(50);
    await screen.findByText('50 of 50 entries, newest first');
    be.app.VerifyAudit.mockResolvedValueOnce({ ok: false, checked: 50, bad_index: 4, reason: 'hash does not match its content' });
    await u.click(screen.getByRole('button', { name: 'Verify' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Verification failed at entry #4: hash does not match its content');
    await u.click(within(alert).getByRole('button', { name: 'Show entry #4' }));
    await waitFor(() => expect(document.activeElement).toHaveAttribute('data-seq', '4'));
  });

  it('reports a broken signed head', async () => {
    const { be, u } = await openAudit(5);
    be.app.VerifyAudit.mockResolvedValueOnce({ ok: false, checked: 5, bad_index: 0, reason: 'signature invalid' });
    await u.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('the signed head does not match (signature invalid)');
  });

  it('shows a refusal from Go', async () => {
    const be = installBackend(unlockedState('admin'));
    be.app.ListAudit.mockRejectedValueOnce(goError('forbidden', 'your role may not do this (audit.list)'));
    const u = setupUser();
    render(App);
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    await u.click(within(nav).getByRole('button', { name: 'Audit trail' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('your role may not do this (audit.list)');
  });

  it('is not offered to clerks and approvers', async () => {
    for (const role of ['clerk', 'approver'] as Role[]) {
      installBackend(unlockedState(role));
      const { unmount } = render(App);
      const nav = await screen.findByRole('navigation', { name: 'Main' });
      expect(within(nav).queryByRole('button', { name: 'Audit trail' })).toBeNull();
      unmount();
    }
  });
});
