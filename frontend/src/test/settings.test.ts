import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import App from '../App.svelte';
import { goError, installBackend, setupUser, unlockedState } from './backend';
import { llmSettings, policy, syncStatus } from './adminBackend';
import type { Role } from '../lib/types';

const KEY = 'sk-test-0123456789abcdef0123456789abcdef'; // gitleaks:allow -- made up for the tests

async function openSettings(role: Role = 'admin') {
  const be = installBackend(unlockedState(role, role === 'admin' ? 'Alice Admin' : 'Carl Clerk'));
  const u = setupUser();
  render(App);
  const nav = await screen.findByRole('navigation', { name: 'Main' });
  await u.click(within(nav).getByRole('button', { name: 'Settings' }));
  await screen.findByRole('heading', { name: 'Settings', level: 1 });
  return { be, u };
}

describe('settings for non-admins', () => {
  it('shows only the sync login and asks Go for nothing else', async () => {
    const { be } = await openSettings('clerk');
    expect(screen.getByRole('heading', { name: 'Sync server' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'AI provider (optional)' })).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Approval thresholds and routing' })).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Retention' })).toBeNull();
    expect(be.app.GetLLMSettings).not.toHaveBeenCalled();
    expect(be.app.GetApprovalPolicy).not.toHaveBeenCalled();
  });
});

describe('sync login', () => {
  it('checks the address, sends it with the password, and forgets the password', async () => {
    const { be, u } = await openSettings('clerk');
    const form = await screen.findByRole('form', { name: 'Sync login' });
    expect(within(form).getByLabelText('User')).toHaveValue('Carl Clerk');
    await u.type(within(form).getByLabelText('Server address'), 'sync.example.com');
    await u.type(within(form).getByLabelText('Password on the server'), 'server password 1');
    await u.click(within(form).getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Enter the server address, such as https://sync.example.com.');
    expect(be.app.SyncLogin).not.toHaveBeenCalled();
    await u.clear(within(form).getByLabelText('Server address'));
    await u.type(within(form).getByLabelText('Server address'), 'https://sync.example.com');
    be.app.SyncLogin.mockResolvedValueOnce(syncStatus({ server: 'https://sync.example.com', user: 'carl' }));
    await u.click(within(form).getByRole('button', { name: 'Log in' }));
    expect(be.app.SyncLogin).toHaveBeenCalledWith('https://sync.example.com', 'server password 1');
    expect(await screen.findByText('Logged in to https://sync.example.com as carl.')).toBeInTheDocument();
    expect(within(form).getByLabelText('Password on the server')).toHaveValue('');
  });

  it('shows a refused login and logs out', async () => {
    const { be, u } = await openSettings('clerk');
    be.app.SyncLogin.mockRejectedValueOnce(goError('forbidden', 'The server refused the user name or password.'));
    const form = await screen.findByRole('form', { name: 'Sync login' });
    await u.type(within(form).getByLabelText('Server address'), 'https://s.example');
    await u.type(within(form).getByLabelText('Password on the server'), 'wrong{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('The server refused the user name or password.');
    be.app.SyncLogin.mockResolvedValueOnce(syncStatus());
    await u.type(within(form).getByLabelText('Password on the server'), 'right{Enter}');
    await u.click(await screen.findByRole('button', { name: 'Log out of the sync server' }));
    expect(be.app.SyncLogout).toHaveBeenCalled();
    expect(await screen.findByText(/Logged out of the sync server/)).toBeInTheDocument();
  });
});

describe('AI provider', () => {
  it('never shows the key, only that one is stored', async () => {
    const { be, u } = await openSettings();
    be.app.GetLLMSettings.mockResolvedValue(llmSettings({ has_key: true }));
    await u.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('button', { name: 'Dashboard' }));
    await u.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('button', { name: 'Settings' }));
    const form = await screen.findByRole('form', { name: 'AI provider settings' });
    const key = within(form).getByLabelText('API key');
    expect(key).toHaveValue('');
    expect(key).toHaveAttribute('type', 'password');
    expect(key).toHaveAccessibleDescription(/A key is stored in the keychain/);
  });

  it('needs consent to turn on, then sends the key once and clears the field', async () => {
    const { be, u } = await openSettings();
    const form = await screen.findByRole('form', { name: 'AI provider settings' });
    await u.type(within(form).getByLabelText('API key'), KEY);
    await u.click(within(form).getByLabelText('Use the AI helper'));
    await u.click(within(form).getByRole('button', { name: 'Save AI settings' }));
    expect(await within(form.parentElement!).findByRole('alert')).toHaveTextContent('needs your consent');
    expect(be.app.SetLLMSettings).not.toHaveBeenCalled();
    await u.click(within(form).getByLabelText(/I agree that page text/));
    await u.click(within(form).getByRole('button', { name: 'Save AI settings' }));
    expect(be.app.SetLLMSettings).toHaveBeenCalledWith({
      enabled: true, consent: true, provider: 'openai', base_url: '', model: 'gpt-4o-mini', api_key: KEY,
    });
    expect(await screen.findByText(/The API key is stored in the keychain\./)).toBeInTheDocument();
    expect(within(form).getByLabelText('API key')).toHaveValue('');
    expect(document.body.textContent).not.toContain(KEY);
  });
});

describe('approval policy', () => {
  it('edits thresholds and rules and shows what Go refused', async () => {
    const { be, u } = await openSettings();
    const form = await screen.findByRole('form', { name: 'Approval policy' });
    await u.clear(within(form).getByLabelText('Second approver above'));
    await u.type(within(form).getByLabelText('Second approver above'), '5000');
    await u.click(within(form).getByRole('button', { name: 'Add rule' }));
    await u.type(within(form).getByLabelText('Name'), 'IT purchases');
    await u.type(within(form).getByLabelText('From amount'), '1000');
    await u.type(within(form).getByLabelText('Cost centres (comma-separated)'), 'IT, OPS');
    await u.tab();
    await u.clear(within(form).getByLabelText('Approvals'));
    await u.type(within(form).getByLabelText('Approvals'), '2');
    be.app.SetApprovalPolicy.mockRejectedValueOnce(goError('invalid_input', 'rule 1 "rule-1": overlaps the default'));
    await u.click(within(form).getByRole('button', { name: 'Save approval policy' }));
    expect(await screen.findByText('rule 1 "rule-1": overlaps the default')).toBeInTheDocument();
    await u.click(within(form).getByRole('button', { name: 'Save approval policy' }));
    expect(be.app.SetApprovalPolicy).toHaveBeenLastCalledWith(
      policy({
        second_approver_above: '5000',
        rules: [{ id: 'rule-1', name: 'IT purchases', min_amount: '1000', max_amount: '', vendors: [], cost_centres: ['IT', 'OPS'],
          min_risk: 0, levels: 2, approver_roles: [], approvers: [] }],
      }),
    );
    expect(await screen.findByText('Approval policy saved.')).toBeInTheDocument();
  });
});

describe('retention and legal hold', () => {
  it('runs a dry run, and a real run only after confirmation', async () => {
    const { be, u } = await openSettings();
    const form = await screen.findByRole('form', { name: 'Retention run' });
    be.app.RunRetention.mockResolvedValueOnce({ purged: ['a', 'b'], held: ['c'], dry_run: true });
    await u.click(within(form).getByRole('button', { name: 'Run dry run' }));
    expect(be.app.RunRetention).toHaveBeenCalledWith(10, true);
    expect(await screen.findByText(/Dry run: 2 invoices would be purged, 1 kept under a legal hold\./)).toBeInTheDocument();
    await u.click(within(form).getByLabelText(/Dry run/));
    await u.click(within(form).getByRole('button', { name: 'Purge now' }));
    expect(within(form).getByRole('alert')).toHaveTextContent('This purges invoices for good.');
    expect(be.app.RunRetention).toHaveBeenCalledTimes(1);
    await u.click(within(form).getByRole('button', { name: 'Purge now' }));
    expect(be.app.RunRetention).toHaveBeenLastCalledWith(10, false);
  });

  it('places and lifts a legal hold', async () => {
    const { be, u } = await openSettings();
    await screen.findByRole('form', { name: 'Retention run' });
    await u.click(screen.getByRole('button', { name: 'Place legal hold' }));
    expect(await screen.findByText('Enter the invoice or vendor id.')).toBeInTheDocument();
    await u.type(screen.getByLabelText('Invoice or vendor id'), 'ven_1');
    await u.click(screen.getByRole('button', { name: 'Place legal hold' }));
    expect(await screen.findByText('A legal hold needs a reason.')).toBeInTheDocument();
    await u.type(screen.getByLabelText('Reason'), 'tax audit');
    await u.click(screen.getByRole('button', { name: 'Place legal hold' }));
    expect(be.app.SetLegalHold).toHaveBeenCalledWith('ven_1', 'tax audit', true);
    expect(await screen.findByText('Legal hold placed on ven_1.')).toBeInTheDocument();
    be.app.SetLegalHold.mockRejectedValueOnce(goError('not_found', 'no invoice or vendor ven_1'));
    await u.click(screen.getByRole('button', { name: 'Lift legal hold' }));
    expect(await screen.findByText('no invoice or vendor ven_1')).toBeInTheDocument();
  });
});
