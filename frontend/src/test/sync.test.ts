import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/svelte';
import App from '../App.svelte';
import { installBackend, setupUser, unlockedState } from './backend';
import { syncStatus } from './adminBackend';
import { onNavigate, openInvoice, resetNavigation, takePendingInvoice } from '../lib/navigate';
import { MAX_TOASTS, clearToasts, pushToast, toasts } from '../lib/notify';
import { get } from 'svelte/store';
import type { Role } from '../lib/types';

afterEach(() => {
  resetNavigation();
  clearToasts();
});

async function shell(role: Role = 'clerk', status = syncStatus({ pending: 3 })) {
  const be = installBackend(unlockedState(role));
  be.app.SyncStatus.mockResolvedValue(status);
  const u = setupUser();
  render(App);
  const nav = await screen.findByRole('navigation', { name: 'Main' });
  return { be, u, nav };
}

describe('navigation per role', () => {
  // The screens of UI-B (and Users); UI-A's screens may sit between them.
  const OURS = ['Users', 'Purchase orders', 'Sync exceptions', 'Export', 'Dashboard', 'Audit trail', 'Settings'];
  it.each<[Role, string[]]>([
    ['admin', ['Users', 'Purchase orders', 'Sync exceptions', 'Export', 'Dashboard', 'Audit trail', 'Settings']],
    ['clerk', ['Purchase orders', 'Sync exceptions', 'Export', 'Dashboard', 'Settings']],
    ['approver', ['Purchase orders', 'Sync exceptions', 'Dashboard', 'Settings']],
    ['auditor', ['Purchase orders', 'Sync exceptions', 'Dashboard', 'Audit trail', 'Settings']],
  ])('%s sees the screens of the role', async (role, want) => {
    const { nav } = await shell(role);
    const labels = within(nav).getAllByRole('button').map((b) => b.textContent?.trim() ?? '');
    expect(labels.filter((l) => OURS.includes(l))).toEqual(want);
  });
});

describe('sync indicator', () => {
  it('shows online and pending changes, details on focus', async () => {
    await shell();
    const ind = await screen.findByTestId('sync-indicator');
    expect(await within(ind).findByText('Online')).toBeInTheDocument();
    expect(ind).toHaveTextContent('3 pending');
    expect(ind).toHaveAccessibleDescription(/Connected to https:\/\/sync.example.test as alice\. 3 changes waiting to sync\. Last sync: 2026-11-29 10:59 UTC\./);
  });

  it('follows sync:status events and shows the last error', async () => {
    const { be } = await shell();
    const ind = await screen.findByTestId('sync-indicator');
    await within(ind).findByText('Online');
    be.emit('sync:status', syncStatus({ online: false, pending: 7, last_error: 'The server did not answer.', exceptions: 1, rejections: 2 }));
    expect(await within(ind).findByText('Sync error')).toBeInTheDocument();
    expect(ind).toHaveTextContent('7 pending');
    expect(ind).toHaveTextContent('3 to review');
    expect(ind).toHaveAccessibleDescription(/Last error: The server did not answer\./);
    be.emit('sync:status', JSON.stringify(syncStatus({ online: false, pending: 7 })));
    expect(await within(ind).findByText('Offline')).toBeInTheDocument();
  });

  it('says sync is off and leads to settings when not set up', async () => {
    const { u, nav } = await shell('clerk', syncStatus({ configured: false, online: false, server: '', user: '' }));
    const ind = await screen.findByTestId('sync-indicator');
    expect(await within(ind).findByText('Sync off')).toBeInTheDocument();
    expect(ind).not.toHaveTextContent('pending');
    await u.click(ind);
    expect(within(nav).getByRole('button', { name: 'Settings' })).toHaveAttribute('aria-current', 'page');
  });

  it('leads to the exceptions screen when set up', async () => {
    const { u, nav } = await shell();
    const ind = await screen.findByTestId('sync-indicator');
    await within(ind).findByText('Online');
    await u.click(ind);
    expect(within(nav).getByRole('button', { name: 'Sync exceptions' })).toHaveAttribute('aria-current', 'page');
  });

  it('stays quiet when the sync binding is missing', async () => {
    const be = installBackend(unlockedState('clerk'));
    delete (window.go!.app!.App as Record<string, unknown>).SyncStatus;
    render(App);
    const ind = await screen.findByTestId('sync-indicator');
    expect(ind).toHaveTextContent('Sync off');
    expect(ind).toHaveAccessibleDescription(/not available/);
    expect(be.app.ListUsers).not.toHaveBeenCalled(); // nothing else was asked instead
  });
});

describe('notifications', () => {
  it('toasts a conflict and opens its invoice', async () => {
    const { be, u, nav } = await shell();
    be.emit('sync:exception', { id: 'x1', invoice_id: 'inv-7', kind: 'concurrent_edit', message: 'Both changed the total.', winner: '', loser: '', seq: 1, at: '' });
    const region = screen.getByRole('region', { name: 'Notifications' });
    const toast = await within(region).findByRole('status');
    expect(toast).toHaveTextContent('Sync conflict');
    expect(toast).toHaveTextContent('Both changed the total.');
    await u.click(within(nav).getByRole('button', { name: 'Vendors' }));
    const heard: string[] = [];
    onNavigate((r) => r.kind === 'invoice' && heard.push(r.id));
    await u.click(within(toast).getByRole('button', { name: 'Open invoice' }));
    expect(heard).toEqual(['inv-7']);
    expect(within(nav).getByRole('button', { name: 'Invoices' })).toHaveAttribute('aria-current', 'page');
    expect(within(region).queryByRole('status')).toBeNull();
  });

  it('toasts a refused change as an alert; text stays text', async () => {
    const { be } = await shell();
    be.emit('sync:rejection', { op: 'invoice.approve', invoice_id: 'inv-9', code: 'forbidden', message: '<img src=x onerror="window.__xss=1">', rule: 'r', at: '' });
    const region = screen.getByRole('region', { name: 'Notifications' });
    const toast = await within(region).findByRole('alert');
    expect(toast).toHaveTextContent('Change refused by the server');
    expect(toast).toHaveTextContent('<img src=x onerror="window.__xss=1">');
    expect(toast.querySelector('img')).toBeNull();
    expect((window as { __xss?: unknown }).__xss).toBeUndefined();
    await setupUser().click(within(toast).getByRole('button', { name: /Dismiss/ }));
    expect(within(region).queryByRole('alert')).toBeNull();
  });

  it('shows security alerts to admins only', async () => {
    const alert = { kind: 'failed_logins', user: 'mallory', device: 'dev-3', detail: '12 failed logins in 5 minutes', at: '' };
    const clerk = await shell('clerk');
    clerk.be.emit('security:alert', alert);
    expect(within(screen.getByRole('region', { name: 'Notifications' })).queryByRole('alert')).toBeNull();
    expect(clerk.be.listenerCount('security:alert')).toBe(0);
    cleanup();
    clearToasts();

    const admin = await shell('admin');
    admin.be.emit('security:alert', alert);
    const toast = await within(screen.getByRole('region', { name: 'Notifications' })).findByRole('alert');
    expect(toast).toHaveTextContent('Security alert: failed logins');
    expect(toast).toHaveTextContent('12 failed logins in 5 minutes — user mallory, device dev-3');
    expect(within(toast).queryByRole('button', { name: 'Open invoice' })).toBeNull();
  });

  it('keeps at most a few toasts', () => {
    for (let i = 0; i < MAX_TOASTS + 3; i++) pushToast({ tone: 'info', title: `t${i}`, message: '' });
    const list = get(toasts);
    expect(list).toHaveLength(MAX_TOASTS);
    expect(list[0]!.title).toBe('t3');
  });

  it('stops listening when the shell goes (lock)', async () => {
    const { be, u } = await shell();
    expect(be.listenerCount('sync:exception')).toBeGreaterThan(0);
    await u.click(screen.getByRole('button', { name: 'Lock' }));
    await screen.findByRole('heading', { name: /Unlock/i });
    expect(be.listenerCount('sync:exception')).toBe(0);
    expect(be.listenerCount('sync:status')).toBe(0);
  });
});

describe('navigate helper', () => {
  it('leaves the last invoice pending for a screen that mounts later, once', () => {
    openInvoice('  inv-1 ');
    openInvoice('');
    expect(takePendingInvoice()).toBe('inv-1');
    expect(takePendingInvoice()).toBeNull();
  });
});
