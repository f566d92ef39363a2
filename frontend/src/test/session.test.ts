import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import App from '../App.svelte';
import { installBackend, setupUser, unlockedState, vendor } from './backend';
import { trackActivity, TOUCH_INTERVAL_MS } from '../lib/activity';

afterEach(() => {
  vi.useRealTimers();
});

async function shellOnVendors(idleMinutes = 15) {
  const be = installBackend({ ...unlockedState('admin', 'Alice Admin'), idle_minutes: idleMinutes });
  be.app.ListVendors.mockResolvedValue([
    vendor({ name: 'Confidential Vendor AG', iban: 'DE89370400440532013000' }),
  ]);
  const u = setupUser();
  render(App);
  const nav = await screen.findByRole('navigation', { name: 'Main' });
  await u.click(within(nav).getByRole('button', { name: 'Vendors' }));
  await screen.findByText('Confidential Vendor AG');
  // Reveal the IBAN so that the test also sees revealed data go away.
  await u.click(screen.getByRole('button', { name: /Show IBAN/ }));
  expect(document.body.textContent).toContain('DE89 3704');
  return { be, u };
}

describe('session:locked', () => {
  it('returns to the unlock screen, clears the data and explains an idle lock', async () => {
    const { be, u } = await shellOnVendors(15);
    be.emit('session:locked', { reason: 'idle' });

    expect(await screen.findByRole('heading', { name: 'Unlock SmartAP' })).toBeInTheDocument();
    expect(screen.getByText('Locked after 15 minutes without activity.')).toBeInTheDocument();
    expect(screen.queryByRole('navigation')).toBeNull();
    expect(document.body.textContent).not.toContain('Confidential Vendor AG');
    expect(document.body.textContent).not.toContain('3704');
    expect(screen.getByLabelText(/User name/)).toHaveValue('Alice Admin');

    // Unlocking again loads fresh data instead of showing a kept copy, and
    // the IBAN is masked again.
    expect(be.app.ListVendors).toHaveBeenCalledTimes(1);
    await u.type(screen.getByLabelText(/^Password/), 'correct horse battery{Enter}');
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('button', { name: 'Invoices' })).toHaveAttribute('aria-current', 'page');
    await u.click(within(nav).getByRole('button', { name: 'Vendors' }));
    await screen.findByText('Confidential Vendor AG');
    expect(be.app.ListVendors).toHaveBeenCalledTimes(2);
    expect(document.body.textContent).not.toContain('3704');
    expect(screen.queryByText(/without activity/)).toBeNull();
  });

  it('uses the singular for one minute', async () => {
    const { be } = await shellOnVendors(1);
    be.emit('session:locked', { reason: 'idle' });
    expect(await screen.findByText('Locked after 1 minute without activity.')).toBeInTheDocument();
  });

  it('shows no idle note after a logout', async () => {
    const { be } = await shellOnVendors();
    be.emit('session:locked', { reason: 'logout' });
    expect(await screen.findByRole('heading', { name: 'Unlock SmartAP' })).toBeInTheDocument();
    expect(screen.queryByText(/without activity/)).toBeNull();
    expect(document.body.textContent).not.toContain('Confidential Vendor AG');
  });

  it('rechecks the state when a call answers "locked"', async () => {
    const be = installBackend(unlockedState('clerk'));
    render(App);
    await screen.findByRole('navigation', { name: 'Main' });
    be.app.State.mockResolvedValue({ ...unlockedState('clerk'), locked: true, session: null });
    be.app.ListVendors.mockRejectedValueOnce('{"code":"locked","message":"Session locked."}');
    await setupUser().click(screen.getByRole('button', { name: 'Vendors' }));
    expect(await screen.findByRole('heading', { name: 'Unlock SmartAP' })).toBeInTheDocument();
  });

  it('stops listening when the app is unmounted', async () => {
    const be = installBackend(unlockedState('clerk'));
    const { unmount } = render(App);
    await screen.findByRole('navigation', { name: 'Main' });
    expect(be.listenerCount('session:locked')).toBe(1);
    unmount();
    expect(be.listenerCount('session:locked')).toBe(0);
  });
});

describe('activity', () => {
  it('calls Touch at most once every 30 s while unlocked', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const be = installBackend(unlockedState('clerk'));
    render(App);
    await screen.findByRole('navigation', { name: 'Main' });

    await fireEvent.keyDown(window, { key: 'a' });
    await fireEvent.mouseDown(document.body);
    await fireEvent.wheel(document.body);
    expect(be.app.Touch).toHaveBeenCalledTimes(1);

    vi.setSystemTime(Date.now() + TOUCH_INTERVAL_MS - 1);
    await fireEvent.keyDown(window, { key: 'b' });
    expect(be.app.Touch).toHaveBeenCalledTimes(1);

    vi.setSystemTime(Date.now() + 1);
    await fireEvent.wheel(document.body);
    expect(be.app.Touch).toHaveBeenCalledTimes(2);
  });

  it('does not touch while locked', async () => {
    const be = installBackend(unlockedState('clerk'));
    render(App);
    await screen.findByRole('navigation', { name: 'Main' });
    be.emit('session:locked', { reason: 'idle' });
    await screen.findByRole('heading', { name: 'Unlock SmartAP' });
    await fireEvent.keyDown(window, { key: 'a' });
    await fireEvent.mouseDown(document.body);
    expect(be.app.Touch).not.toHaveBeenCalled();
  });

  it('trackActivity swallows a failing Touch and can be stopped', async () => {
    const touch = vi.fn().mockRejectedValue({ code: 'locked', message: 'x' });
    const target = new EventTarget();
    const stop = trackActivity(touch, 1000, target);
    target.dispatchEvent(new Event('keydown'));
    expect(touch).toHaveBeenCalledTimes(1);
    stop();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 5000);
    target.dispatchEvent(new Event('mousedown'));
    expect(touch).toHaveBeenCalledTimes(1);
  });
});
