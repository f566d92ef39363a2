import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import App from '../App.svelte';
import { appState, goError, installBackend, setupUser } from './backend';

afterEach(() => {
  vi.useRealTimers();
});

function renderUnlock(lastUser = 'alice') {
  const be = installBackend(appState({ last_user: lastUser }));
  render(App);
  return be;
}

describe('unlock', () => {
  it('prefills the last user and focuses the password', async () => {
    renderUnlock('alice');
    const name = await screen.findByLabelText(/User name/);
    expect(name).toHaveValue('alice');
    expect(screen.getByLabelText(/^Password/)).toHaveFocus();
  });

  it('gives one identical message for an unknown user and a wrong password', async () => {
    const be = renderUnlock('');
    const user = setupUser();
    const name = await screen.findByLabelText(/User name/);
    const pw = screen.getByLabelText(/^Password/);

    // The backend's messages differ: the screen must not show the difference.
    be.app.Unlock.mockRejectedValueOnce(goError('forbidden', 'no such user "mallory"'));
    await user.type(name, 'mallory');
    await user.type(pw, 'whatever-123{Enter}');
    const first = (await screen.findByRole('alert')).textContent;
    expect(first).toBe('Wrong user name or password.');
    expect(pw).toHaveValue('');
    expect(pw).toHaveFocus();

    be.app.Unlock.mockRejectedValueOnce(goError('forbidden', 'password mismatch'));
    await user.clear(name);
    await user.type(name, 'alice');
    await user.type(pw, 'wrong-password{Enter}');
    await vi.waitFor(() => expect(be.app.Unlock).toHaveBeenCalledTimes(2));
    expect(screen.getByRole('alert').textContent).toBe(first);

    be.app.Unlock.mockRejectedValueOnce({ code: 'not_found', message: 'user not found' });
    await user.type(pw, 'again-wrong{Enter}');
    await vi.waitFor(() => expect(be.app.Unlock).toHaveBeenCalledTimes(3));
    expect(screen.getByRole('alert').textContent).toBe(first);
    expect(document.body.textContent).not.toMatch(/mallory"|mismatch|not found/);
  });

  it('asks for both fields before calling the backend', async () => {
    const be = renderUnlock('');
    const user = setupUser();
    await user.click(await screen.findByRole('button', { name: 'Unlock' }));
    expect(screen.getByText('Enter your user name.')).toBeInTheDocument();
    expect(screen.getByText('Enter your password.')).toBeInTheDocument();
    expect(be.app.Unlock).not.toHaveBeenCalled();
  });

  it('counts down a lockout and keeps the button disabled until 0', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const be = renderUnlock('alice');
    be.app.Unlock.mockRejectedValue(goError('locked', 'too many attempts', 3));
    const pw = await screen.findByLabelText(/^Password/);
    const button = screen.getByRole('button', { name: 'Unlock' });

    await fireEvent.input(pw, { target: { value: 'wrong-password' } });
    await fireEvent.submit(button.closest('form')!);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Too many failed attempts. Try again in 3 s.');
    expect(button).toBeDisabled();

    // Submitting (Enter) while locked out does not reach the backend.
    await fireEvent.input(pw, { target: { value: 'another-try' } });
    await fireEvent.submit(button.closest('form')!);
    expect(be.app.Unlock).toHaveBeenCalledTimes(1);

    await vi.advanceTimersByTimeAsync(1000);
    expect(screen.getByRole('alert')).toHaveTextContent('Try again in 2 s.');
    expect(button).toBeDisabled();
    await vi.advanceTimersByTimeAsync(1000);
    expect(screen.getByRole('alert')).toHaveTextContent('Try again in 1 s.');
    expect(button).toBeDisabled();
    await vi.advanceTimersByTimeAsync(1000);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(button).toBeEnabled();
  });

  it('says "try again later" for a lockout without retry_after', async () => {
    const be = renderUnlock('alice');
    const user = setupUser();
    be.app.Unlock.mockRejectedValueOnce(goError('locked', 'locked'));
    await user.type(await screen.findByLabelText(/^Password/), 'wrong-password{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Too many failed attempts. Try again later.',
    );
  });

  it('shows other failures with their message', async () => {
    const be = renderUnlock('alice');
    const user = setupUser();
    be.app.Unlock.mockRejectedValueOnce(goError('integrity', 'The data folder was modified.'));
    await user.type(await screen.findByLabelText(/^Password/), 'right-password{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not unlock: The data folder was modified.',
    );
  });

  it('opens the shell on success', async () => {
    const be = renderUnlock('alice');
    const user = setupUser();
    await user.type(await screen.findByLabelText(/^Password/), 'right-password{Enter}');
    expect(be.app.Unlock).toHaveBeenCalledWith('alice', 'right-password');
    expect(await screen.findByRole('navigation', { name: 'Main' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Lock' })).toBeInTheDocument();
  });

  it('shows a start-up failure with a way to retry', async () => {
    const be = installBackend();
    be.app.State.mockRejectedValueOnce(goError('unavailable', 'The data folder is in use.'));
    const user = setupUser();
    render(App);
    expect(await screen.findByRole('alert')).toHaveTextContent('The data folder is in use.');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Unlock SmartAP' })).toBeInTheDocument();
  });
});
