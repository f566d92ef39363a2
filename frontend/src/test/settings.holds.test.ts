import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import App from '../App.svelte';
import { goError, installBackend, setupUser, unlockedState } from './backend';
import { llmSettings } from './adminBackend';
import type { LegalHoldView } from '../lib/types';

function hold(over: Partial<LegalHoldView> = {}): LegalHoldView {
  return { target: 'ven_1', kind: 'vendor', label: 'Acme Supplies GmbH', reason: 'tax audit 2026', created_at: '2026-11-28T09:00:00Z', ...over };
}

async function openSettings(setup: (be: ReturnType<typeof installBackend>) => void = () => {}) {
  const be = installBackend(unlockedState('admin', 'alice'));
  setup(be);
  const u = setupUser();
  render(App);
  const nav = await screen.findByRole('navigation', { name: 'Main' });
  await u.click(within(nav).getByRole('button', { name: 'Settings' }));
  await screen.findByRole('heading', { name: 'Settings', level: 1 });
  return { be, u };
}

describe('current legal holds', () => {
  it('says when there are none', async () => {
    const { be } = await openSettings();
    expect(await screen.findByText('No legal holds are in place.')).toBeInTheDocument();
    expect(be.app.ListLegalHolds).toHaveBeenCalled();
  });

  it('lists the holds and lifts one', async () => {
    const { be, u } = await openSettings((be) =>
      be.app.ListLegalHolds.mockResolvedValue([
        hold(),
        hold({ target: 'inv_9', kind: 'invoice', label: 'INV-9 (Beta Ltd)', reason: 'court order' }),
        hold({ target: 'gone_1', kind: '', label: '', reason: 'old case' }),
      ]),
    );
    const table = await screen.findByRole('table', { name: 'Current legal holds' });
    expect(within(table).getByText('Vendor (all its invoices)')).toBeInTheDocument();
    expect(within(table).getByText('INV-9 (Beta Ltd)')).toBeInTheDocument();
    expect(within(table).getByText('court order')).toBeInTheDocument();
    expect(within(table).getByText('No longer stored')).toBeInTheDocument();
    be.app.ListLegalHolds.mockResolvedValue([hold()]);
    await u.click(within(table).getByRole('button', { name: 'Lift legal hold on INV-9 (Beta Ltd)' }));
    expect(be.app.SetLegalHold).toHaveBeenCalledWith('inv_9', '', false);
    expect(await screen.findByText('Legal hold on INV-9 (Beta Ltd) lifted.')).toBeInTheDocument();
    expect(within(table).queryByText('INV-9 (Beta Ltd)')).toBeNull();
    expect(within(table).getByText('Acme Supplies GmbH')).toBeInTheDocument();
  });

  it('shows a refused lift in plain words', async () => {
    const { be, u } = await openSettings((be) => be.app.ListLegalHolds.mockResolvedValue([hold()]));
    be.app.SetLegalHold.mockRejectedValueOnce(goError('not_found', 'no legal hold on ven_1'));
    await u.click(await screen.findByRole('button', { name: 'Lift legal hold on Acme Supplies GmbH' }));
    expect(await screen.findByText('no legal hold on ven_1')).toBeInTheDocument();
  });

  it('refreshes the list after a hold is placed by id', async () => {
    const { be, u } = await openSettings();
    await screen.findByText('No legal holds are in place.');
    be.app.ListLegalHolds.mockResolvedValue([hold()]);
    await u.type(screen.getByLabelText('Invoice or vendor id'), 'ven_1');
    await u.type(screen.getByLabelText('Reason'), 'tax audit 2026');
    await u.click(screen.getByRole('button', { name: 'Place legal hold' }));
    const table = await screen.findByRole('table', { name: 'Current legal holds' });
    expect(within(table).getByText('tax audit 2026')).toBeInTheDocument();
  });
});

describe('removing the stored AI key', () => {
  it('is offered only when a key is stored, and says it is gone', async () => {
    const { be, u } = await openSettings((be) => be.app.GetLLMSettings.mockResolvedValue(llmSettings({ has_key: true })));
    const form = await screen.findByRole('form', { name: 'AI provider settings' });
    await u.click(within(form).getByRole('button', { name: 'Remove stored key' }));
    expect(be.app.DeleteLLMKey).toHaveBeenCalledTimes(1);
    expect(await screen.findByText('The API key was removed from the keychain.')).toBeInTheDocument();
    expect(within(form).getByLabelText('API key')).toHaveAccessibleDescription(/No key is stored/);
    expect(within(form).queryByRole('button', { name: 'Remove stored key' })).toBeNull();
  });

  it('shows a keychain failure in plain words', async () => {
    const { be, u } = await openSettings((be) => be.app.GetLLMSettings.mockResolvedValue(llmSettings({ has_key: true })));
    be.app.DeleteLLMKey.mockRejectedValueOnce(goError('unavailable', 'Could not remove the API key from the Secret Service keychain.'));
    const form = await screen.findByRole('form', { name: 'AI provider settings' });
    await u.click(within(form).getByRole('button', { name: 'Remove stored key' }));
    expect(await screen.findByText('Could not remove the API key from the Secret Service keychain.')).toBeInTheDocument();
    expect(within(form).getByLabelText('API key')).toHaveAccessibleDescription(/A key is stored/);
  });

  it('is not offered without a stored key', async () => {
    await openSettings();
    const form = await screen.findByRole('form', { name: 'AI provider settings' });
    expect(within(form).queryByRole('button', { name: 'Remove stored key' })).toBeNull();
  });
});
