import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import App from '../App.svelte';
import { goError, installBackend, setupUser, unlockedState } from './backend';
import { dashboard } from './adminBackend';
import type { DashboardView } from '../lib/types';

async function openDashboard(d?: DashboardView | Error) {
  const be = installBackend(unlockedState('clerk'));
  if (d instanceof Error) be.app.Dashboard.mockRejectedValueOnce(d.message);
  else if (d) be.app.Dashboard.mockResolvedValue(d);
  const u = setupUser();
  render(App);
  const nav = await screen.findByRole('navigation', { name: 'Main' });
  await u.click(within(nav).getByRole('button', { name: 'Dashboard' }));
  return { be, u };
}

function figure(name: string): HTMLElement {
  return screen.getByRole('figure', { name });
}

describe('dashboard', () => {
  it('shows the key figures', async () => {
    await openDashboard();
    const tiles = await screen.findByRole('list', { name: 'Key figures' });
    expect(tiles).toHaveTextContent('66invoices');
    expect(tiles).toHaveTextContent('9open');
    expect(tiles).toHaveTextContent('26 h');
    expect(tiles).toHaveTextContent('3.3 days');
  });

  it('draws each chart as SVG with the same numbers in a table', async () => {
    await openDashboard();
    await screen.findByRole('list', { name: 'Key figures' });
    const volume = figure('Invoices received per week');
    const svg = within(volume).getByRole('img');
    expect(svg.getAttribute('aria-label')).toContain('Nov 23: 11 invoices (week 2026-W48, 1,100.00 EUR)');
    const bars = svg.querySelectorAll('rect.bar');
    expect(bars).toHaveLength(12);
    // Bar heights follow the counts: week 11 is the tallest, week 0 empty.
    const h = [...bars].map((b) => Number(b.getAttribute('height')));
    expect(h[0]).toBe(0);
    expect(Math.max(...h)).toBe(h[11]);
    expect(h[5]! * 2).toBeCloseTo(h[10]!, 5);
    const table = within(volume).getByRole('table', { hidden: true });
    expect(within(table).getAllByRole('row', { hidden: true })).toHaveLength(13);

    const ageing = figure('Open invoices by days overdue');
    expect(within(ageing).getByRole('img').getAttribute('aria-label')).toContain('Over 90 days overdue: 1 invoice, 5,000.00 EUR');
    const vendors = figure('Approved spend by vendor');
    expect(within(vendors).getByRole('img').getAttribute('aria-label')).toContain('Beta Ltd: 1,300.00 EUR');
    const cycle = figure('Cycle time: import to final approval (median per week)');
    expect(within(cycle).getByRole('img').getAttribute('aria-label')).toContain('none approved');
  });

  it('switches a chart to a visible table and back', async () => {
    const { u } = await openDashboard();
    await screen.findByRole('list', { name: 'Key figures' });
    const vendors = figure('Approved spend by vendor');
    const toggle = within(vendors).getByRole('button', { name: 'Show as table' });
    await u.click(toggle);
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    expect(within(vendors).queryByRole('img')).toBeNull();
    expect(within(vendors).getByRole('table')).toBeVisible();
    await u.click(within(vendors).getByRole('button', { name: 'Show as chart' }));
    expect(within(vendors).getByRole('img')).toBeInTheDocument();
  });

  it('says when amounts leave out other currencies, and when there is nothing', async () => {
    await openDashboard(dashboard({ other_currency: 2, vendors: [], weeks: [] }));
    expect(await screen.findByText(/2 invoices in other currencies are counted but not in the amounts/)).toBeInTheDocument();
    expect(within(figure('Approved spend by vendor')).getByText('Nothing approved yet.')).toBeInTheDocument();
    expect(within(figure('Invoices received per week')).getByText('No data yet.')).toBeInTheDocument();
  });

  it('renders vendor names as text', async () => {
    await openDashboard(dashboard({ vendors: [{ vendor: '<img src=x onerror="window.__xss=1">', count: 1, amount: '10.00' }] }));
    await screen.findByRole('list', { name: 'Key figures' });
    const vendors = figure('Approved spend by vendor');
    expect(within(vendors).getAllByText('<img src=x onerror="window.__xss=1">').length).toBeGreaterThan(0);
    expect(vendors.querySelector('img')).toBeNull();
    expect((window as { __xss?: unknown }).__xss).toBeUndefined();
  });

  it('shows a load error and retries', async () => {
    const { u } = await openDashboard(new Error(goError('internal', 'The store is busy.')));
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load the dashboard: The store is busy.');
    await u.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('list', { name: 'Key figures' })).toBeInTheDocument();
  });
});
