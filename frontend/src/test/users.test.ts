import { describe, expect, it } from 'vitest';
import { act, render, screen, within } from '@testing-library/svelte';
import App from '../App.svelte';
import { goError, installBackend, setupUser, unlockedState, user } from './backend';

const carl = user({ id: 'u2', name: 'carl', role: 'clerk', created_at: '2025-02-03T10:00:00Z' });

async function openUsers(users = [user({ name: 'alice' }), carl]) {
  const be = installBackend(unlockedState('admin', 'alice'));
  be.app.ListUsers.mockResolvedValue(users);
  const u = setupUser();
  render(App);
  const nav = await screen.findByRole('navigation', { name: 'Main' });
  await u.click(within(nav).getByRole('button', { name: 'Users' }));
  const table = await screen.findByRole('table', { name: 'Users' });
  return { be, u, table };
}

describe('user roles and accounts (admin)', () => {
  it('changes another user\u2019s role at once and shows the stored role', async () => {
    const { be, u, table } = await openUsers();
    be.app.SetUserRole.mockResolvedValueOnce({ ...carl, role: 'approver' });
    await u.selectOptions(within(table).getByLabelText('Role of carl'), 'approver');
    expect(be.app.SetUserRole).toHaveBeenCalledWith('carl', 'approver');
    expect(await screen.findByText('carl is now Approver.')).toBeInTheDocument();
    expect(within(table).getByLabelText('Role of carl')).toHaveValue('approver');
  });

  it('shows a refusal in plain words and keeps the old role', async () => {
    const { be, u, table } = await openUsers([user({ name: 'alice' }), user({ id: 'u3', name: 'otto', role: 'admin' })]);
    be.app.SetUserRole.mockRejectedValueOnce(
      goError('conflict', 'this is the last enabled administrator: make another user an administrator first'),
    );
    await u.selectOptions(within(table).getByLabelText('Role of otto'), 'clerk');
    expect(await screen.findByRole('alert')).toHaveTextContent('this is the last enabled administrator');
    expect(within(table).getByLabelText('Role of otto')).toHaveValue('admin');
  });

  it('asks before changing your own role', async () => {
    const { be, u, table } = await openUsers();
    expect(within(table).getByText('(you)')).toBeInTheDocument();
    await u.selectOptions(within(table).getByLabelText('Role of alice'), 'clerk');
    expect(be.app.SetUserRole).not.toHaveBeenCalled();
    expect(screen.getByText(/Change your own role to Clerk\? The window locks at once/)).toBeInTheDocument();
    expect(within(table).getByLabelText('Role of alice')).toHaveValue('admin');
    await u.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(be.app.SetUserRole).not.toHaveBeenCalled();
    await u.selectOptions(within(table).getByLabelText('Role of alice'), 'clerk');
    await u.click(screen.getByRole('button', { name: 'Change my role' }));
    expect(be.app.SetUserRole).toHaveBeenCalledWith('alice', 'clerk');
  });

  it('disables only after confirmation, and enables again', async () => {
    const { be, u, table } = await openUsers();
    expect(within(table).queryByRole('button', { name: 'Disable alice' })).toBeNull(); // not yourself
    await u.click(within(table).getByRole('button', { name: 'Disable carl' }));
    expect(be.app.SetUserDisabled).not.toHaveBeenCalled();
    const dialog = screen.getByRole('group', { name: /Disable carl\? They can no longer unlock/ });
    const confirm = within(dialog).getByRole('button', { name: 'Disable carl' });
    expect(confirm).toHaveFocus();
    be.app.SetUserDisabled.mockResolvedValueOnce({ ...carl, disabled: true });
    await u.click(confirm);
    expect(be.app.SetUserDisabled).toHaveBeenCalledWith('carl', true);
    expect(await screen.findByText('carl is disabled and can no longer unlock.')).toBeInTheDocument();
    const row = within(table).getByText('carl').closest('tr')!;
    expect(within(row).getByText('Disabled')).toBeInTheDocument();

    be.app.SetUserDisabled.mockResolvedValueOnce({ ...carl, disabled: false });
    await u.click(within(row).getByRole('button', { name: 'Enable carl' }));
    expect(be.app.SetUserDisabled).toHaveBeenLastCalledWith('carl', false);
    expect(await screen.findByText('carl can unlock again.')).toBeInTheDocument();
    expect(within(table).getByText('carl').closest('tr')).toHaveTextContent('Active');
  });

  it('shows a disabled user as such from the list', async () => {
    const { table } = await openUsers([user({ name: 'alice' }), { ...carl, disabled: true }]);
    const row = within(table).getByText('carl').closest('tr')!;
    expect(within(row).getByText('Disabled')).toBeInTheDocument();
    expect(within(row).getByRole('button', { name: 'Enable carl' })).toBeInTheDocument();
  });

  it('shows the unlock screen with a note when Go locks after your own role change', async () => {
    const be = installBackend(unlockedState('admin', 'alice'));
    render(App);
    await screen.findByRole('navigation', { name: 'Main' });
    const on = be.runtime.EventsOn.mock.calls.find((c) => c[0] === 'session:locked');
    expect(on).toBeDefined();
    await act(() => be.emit('session:locked', { reason: 'role_changed' }));
    expect(await screen.findByText('Your role changed. Unlock again to go on with the new role.')).toBeInTheDocument();
  });
});
