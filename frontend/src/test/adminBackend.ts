// Fixtures and default mocks for the admin and sync bindings (UI-B),
// spread into the fake backend of backend.ts.
import { vi, type Mock } from 'vitest';
import type { AppBindings } from '../lib/wails';
import type {
  AuditEntryView,
  DashboardView,
  LLMSettingsView,
  PODetailView,
  PolicyView,
  SyncStatusView,
} from '../lib/types';

type AdminKeys =
  | 'ListPOs' | 'GetPO' | 'AddPO' | 'AddReceipt' | 'SetPOStatus' | 'ListAudit' | 'VerifyAudit' | 'Dashboard'
  | 'GetLLMSettings' | 'SetLLMSettings' | 'GetApprovalPolicy' | 'SetApprovalPolicy' | 'RunRetention' | 'SetLegalHold'
  | 'ChooseAndExport' | 'SyncStatus' | 'SyncLogin' | 'SyncLogout' | 'ListSyncExceptions' | 'ListSyncRejections'
  | 'ListLegalHolds' | 'DeleteLLMKey';

export type AdminFns = { [K in AdminKeys]: Mock<AppBindings[K]> };

export function poDetail(over: Partial<PODetailView> = {}): PODetailView {
  return {
    id: 'po1',
    number: 'PO-100',
    vendor_id: 'v1',
    vendor_name: 'Acme Supplies GmbH',
    currency: 'EUR',
    cost_centre: 'CC-1',
    order_date: '2026-11-02',
    status: 'open',
    total: '160.00',
    allowed: ['close', 'cancel'],
    lines: [
      { line_no: 10, item_code: 'W-1', description: 'Widget', quantity: '10', unit: 'C62', unit_price: '12.50', tax_rate: '19', received: '0' },
      { line_no: 20, item_code: '', description: 'Bolt', quantity: '100', unit: 'C62', unit_price: '0.35', tax_rate: '19', received: '0' },
    ],
    receipts: [],
    ...over,
  };
}

export function auditEntry(seq: number, over: Partial<AuditEntryView> = {}): AuditEntryView {
  return {
    seq,
    time: '2026-11-28T09:00:00Z',
    actor: 'alice',
    action: 'vendor.add',
    target: 'v' + seq,
    decision: 'allowed',
    reason: 'entry ' + seq,
    rule: 'role:admin allows vendor.add',
    ...over,
  };
}

/** A fake trail of n entries that answers ListAudit like Go does. */
export function auditTrail(n: number) {
  return vi.fn(async (q: { offset: number; limit: number; text: string; denied: boolean; before: number }) => {
    let seqs = Array.from({ length: n }, (_, i) => n - i).filter((s) => !q.before || s < q.before);
    const all = seqs.length;
    if (q.denied) seqs = seqs.filter((s) => s % 10 === 0);
    if (q.text) seqs = seqs.filter((s) => ('entry ' + s).includes(q.text));
    const entries = seqs
      .slice(q.offset, q.offset + (q.limit || 200))
      .map((s) => auditEntry(s, s % 10 === 0 ? { decision: 'denied' } : {}));
    return { total: seqs.length, all, offset: q.offset, entries };
  });
}

export function dashboard(over: Partial<DashboardView> = {}): DashboardView {
  const weeks = Array.from({ length: 12 }, (_, i) => {
    const d = new Date(Date.UTC(2026, 8, 7 + 7 * i));
    return { week: `2026-W${37 + i}`, start: d.toISOString().slice(0, 10), count: i, amount: `${i * 100}.00` };
  });
  return {
    as_of: '2026-11-29T11:00:00Z',
    currency: 'EUR',
    other_currency: 0,
    invoices: 66,
    open: 9,
    weeks,
    cycle: {
      count: 5,
      median_hours: 26,
      p90_hours: 80,
      weeks: weeks.map((w, i) => ({ week: w.week, start: w.start, count: i % 3, median_hours: i % 3 ? 10 + i : 0 })),
    },
    ageing: [
      { bucket: 'not_due', label: 'Not yet due', count: 4, amount: '1200.00' },
      { bucket: '1_30', label: '1–30 days overdue', count: 3, amount: '300.00' },
      { bucket: '31_60', label: '31–60 days overdue', count: 1, amount: '50.00' },
      { bucket: '61_90', label: '61–90 days overdue', count: 0, amount: '0' },
      { bucket: 'over_90', label: 'Over 90 days overdue', count: 1, amount: '5000.00' },
      { bucket: 'no_due_date', label: 'No due date', count: 0, amount: '0' },
    ],
    vendors: [
      { vendor: 'Beta Ltd', count: 2, amount: '1300.00' },
      { vendor: 'Acme Supplies GmbH', count: 1, amount: '250.33' },
    ],
    ...over,
  };
}

export function llmSettings(over: Partial<LLMSettingsView> = {}): LLMSettingsView {
  return { enabled: false, consent: false, provider: 'openai', base_url: '', model: 'gpt-4o-mini', has_key: false, tokens_used: 0, ...over };
}

export function policy(over: Partial<PolicyView> = {}): PolicyView {
  return {
    default_levels: 1,
    second_approver_above: '10000',
    currency: 'EUR',
    escalate_after_hours: 72,
    rules: [],
    scopes: {},
    delegations: [],
    ...over,
  };
}

export function syncStatus(over: Partial<SyncStatusView> = {}): SyncStatusView {
  return {
    configured: true,
    server: 'https://sync.example.test',
    user: 'alice',
    online: true,
    pending: 0,
    last_sync: '2026-11-29T10:59:00Z',
    last_error: '',
    exceptions: 0,
    rejections: 0,
    ...over,
  };
}

export function adminMocks(): AdminFns {
  return {
    ListPOs: vi.fn(async () => []),
    GetPO: vi.fn(async (number: string) => poDetail({ number })),
    AddPO: vi.fn(async (po) => poDetail({ number: po.number })),
    AddReceipt: vi.fn(async () => poDetail()),
    SetPOStatus: vi.fn(async () => poDetail()),
    ListAudit: auditTrail(0),
    VerifyAudit: vi.fn(async () => ({ ok: true, checked: 0, bad_index: 0, reason: '' })),
    Dashboard: vi.fn(async () => dashboard()),
    GetLLMSettings: vi.fn(async () => llmSettings()),
    SetLLMSettings: vi.fn(async (s) => llmSettings({ ...s, has_key: s.api_key !== '' })),
    GetApprovalPolicy: vi.fn(async () => policy()),
    SetApprovalPolicy: vi.fn(async (p) => p),
    RunRetention: vi.fn(async (_y: number, dry: boolean) => ({ purged: [], held: [], dry_run: dry })),
    SetLegalHold: vi.fn(async () => {}),
    ChooseAndExport: vi.fn(async (e) => ({ cancelled: false, format: e.format, included: 0, exported: 0, files: [], refused: [] })),
    SyncStatus: vi.fn(async () => syncStatus({ configured: false, server: '', user: '', online: false, last_sync: '' })),
    SyncLogin: vi.fn(async (server: string) => syncStatus({ server })),
    SyncLogout: vi.fn(async () => {}),
    ListSyncExceptions: vi.fn(async () => []),
    ListSyncRejections: vi.fn(async () => []),
    ListLegalHolds: vi.fn(async () => []),
    DeleteLLMKey: vi.fn(async () => llmSettings({ has_key: false })),
  };
}
