import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import App from '../App.svelte';
import { appState, goError, installBackend, setupUser } from './backend';

const KEY = 'ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789'; // gitleaks:allow -- a made-up test key

async function startSetup() {
  const be = installBackend(appState({ initialized: false, locked: true }));
  const user = setupUser();
  render(App);
  expect(await screen.findByRole('heading', { name: 'Welcome to SmartAP' })).toBeInTheDocument();
  await user.click(screen.getByRole('button', { name: 'Create administrator' }));
  expect(screen.getByRole('heading', { name: 'Create the administrator' })).toBeInTheDocument();
  return { be, user };
}

describe('first run', () => {
  it('names the screen in the window title', async () => {
    const { be } = await startSetup();
    expect(document.title).toBe('SmartAP — Set up');
    expect(be.runtime.WindowSetTitle).toHaveBeenLastCalledWith('SmartAP — Set up');
  });

  it('explains each invalid field as the user types and does not submit', async () => {
    const { be, user } = await startSetup();
    const name = screen.getByLabelText(/User name/);
    const pw = screen.getByLabelText(/^Password/);
    const confirm = screen.getByLabelText(/Repeat password/);

    // Nothing is flagged before the user has typed.
    expect(pw).not.toHaveAttribute('aria-invalid');
    expect(screen.queryByText(/at least 10 characters \(/)).toBeNull();

    await user.type(pw, 'short');
    expect(pw).toHaveAttribute('aria-invalid', 'true');
    expect(pw).toHaveAccessibleDescription(/Use at least 10 characters \(5 more\)\./);
    await user.type(pw, '-but-now-long');
    expect(pw).not.toHaveAttribute('aria-invalid');

    await user.type(confirm, 'short-but-now-lon');
    expect(confirm).toHaveAccessibleDescription('The passwords do not match.');
    await user.type(confirm, 'g');
    expect(confirm).not.toHaveAttribute('aria-invalid');

    await user.type(name, '   ');
    expect(name).toHaveAccessibleDescription('Enter a user name.');

    // Enter submits; an invalid form does not reach the backend.
    await user.type(confirm, '{Enter}');
    expect(be.app.Setup).not.toHaveBeenCalled();
    expect(name).toHaveFocus();
  });

  it('shows all problems on submit of an empty form', async () => {
    const { be, user } = await startSetup();
    await user.click(screen.getByRole('button', { name: 'Create administrator' }));
    expect(screen.getByText('Enter a user name.')).toBeInTheDocument();
    expect(screen.getByText('Enter a password.')).toBeInTheDocument();
    expect(screen.getByText('Repeat the password.')).toBeInTheDocument();
    expect(be.app.Setup).not.toHaveBeenCalled();
  });

  it('refuses a 9-character password and mismatched confirmation', async () => {
    const { be, user } = await startSetup();
    await user.type(screen.getByLabelText(/User name/), 'Alice');
    const pw = screen.getByLabelText(/^Password/);
    await user.type(pw, '123456789');
    expect(pw).toHaveAccessibleDescription(/Use at least 10 characters \(1 more\)\./);
    await user.type(screen.getByLabelText(/Repeat password/), '123456789{Enter}');
    expect(be.app.Setup).not.toHaveBeenCalled();
    expect(pw).toHaveFocus();

    await user.type(pw, '0');
    expect(pw).not.toHaveAttribute('aria-invalid');
    await user.type(screen.getByLabelText(/Repeat password/), '1{Enter}');
    expect(screen.getByText('The passwords do not match.')).toBeInTheDocument();
    expect(be.app.Setup).not.toHaveBeenCalled();
    expect(screen.getByLabelText(/Repeat password/)).toHaveFocus();
  });

  it('shows a backend error as an alert', async () => {
    const { be, user } = await startSetup();
    be.app.Setup.mockRejectedValueOnce(goError('invalid_input', 'That user name is reserved.'));
    await user.type(screen.getByLabelText(/User name/), 'root');
    await user.type(screen.getByLabelText(/^Password/), 'correct horse battery');
    await user.type(screen.getByLabelText(/Repeat password/), 'correct horse battery{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('That user name is reserved.');
  });

  it('creates the admin, shows the recovery key once behind a required checkbox', async () => {
    const { be, user } = await startSetup();
    await user.type(screen.getByLabelText(/User name/), '  Alice Admin ');
    await user.type(screen.getByLabelText(/^Password/), 'correct horse battery');
    await user.type(screen.getByLabelText(/Repeat password/), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Create administrator' }));

    expect(be.app.Setup).toHaveBeenCalledWith({
      admin_name: 'Alice Admin',
      password: 'correct horse battery',
    });

    // The key, in groups, with the warning that it will not be shown again.
    const keyBox = await screen.findByRole('group', { name: 'Recovery key' });
    const groups = within(keyBox)
      .getAllByText(/^[A-Z0-9]{4}$/)
      .map((el) => el.textContent);
    expect(groups).toEqual(KEY.split('-'));
    expect(screen.getByText(/only way back in/)).toBeInTheDocument();
    expect(screen.getByText(/will not be shown again/)).toBeInTheDocument();

    // Copy puts the whole key on the clipboard (userEvent installs a
    // clipboard stub; spy on it after set-up).
    const writeText = vi.spyOn(navigator.clipboard, 'writeText');
    await user.click(screen.getByRole('button', { name: 'Copy' }));
    expect(writeText).toHaveBeenCalledWith(KEY);
    expect(screen.getByRole('status')).toHaveTextContent('Copied to the clipboard.');

    // Continue stays disabled until the checkbox is ticked.
    const cont = screen.getByRole('button', { name: 'Continue' });
    expect(cont).toBeDisabled();
    await user.click(cont);
    // Not even a submitted form (Enter in the checkbox) gets past it.
    await fireEvent.submit(cont.closest('form')!);
    expect(screen.getByRole('group', { name: 'Recovery key' })).toBeInTheDocument();
    await user.click(
      screen.getByRole('checkbox', { name: 'I have stored the recovery key somewhere safe' }),
    );
    expect(cont).toBeEnabled();
    await user.click(cont);

    // The shell, and the key is gone from the document for good.
    expect(await screen.findByRole('navigation', { name: 'Main' })).toBeInTheDocument();
    expect(screen.getByText('Alice Admin')).toBeInTheDocument();
    expect(document.body.textContent).not.toContain('ABCD');
    expect(document.body.textContent).not.toContain('2345');
  });

  it('says so when the clipboard is unavailable', async () => {
    const { user } = await startSetup();
    await user.type(screen.getByLabelText(/User name/), 'Alice');
    await user.type(screen.getByLabelText(/^Password/), 'correct horse battery');
    await user.type(screen.getByLabelText(/Repeat password/), 'correct horse battery{Enter}');
    await screen.findByRole('group', { name: 'Recovery key' });
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValueOnce(new Error('denied'));
    await user.click(screen.getByRole('button', { name: 'Copy' }));
    expect(screen.getByRole('status')).toHaveTextContent(/Could not copy/);
  });
});
