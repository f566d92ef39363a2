// A fake Wails backend for component tests: window.go.app.App with vi.fn()
// methods and a window.runtime whose events the test can emit.
import { vi, type Mock } from 'vitest';
import userEvent from '@testing-library/user-event';
import type { AppBindings } from '../lib/wails';
import { adminMocks } from './adminBackend';
import type {
  AppState,
  ImportResult,
  InvoiceDetailView,
  InvoiceSummary,
  Role,
  SessionInfo,
  UserView,
  VendorView,
} from '../lib/types';

type Fns = { [K in keyof AppBindings]: Mock<AppBindings[K]> };

export function session(role: Role = 'admin', name = 'Alice Admin'): SessionInfo {
  return { user_id: 'u-' + role, name, role };
}

export function appState(over: Partial<AppState> = {}): AppState {
  return {
    initialized: true,
    locked: true,
    session: null,
    last_user: '',
    data_dir: '/home/test/.local/share/smartap',
    idle_minutes: 15,
    ...over,
  };
}

export function unlockedState(role: Role = 'admin', name?: string): AppState {
  return appState({ locked: false, session: session(role, name), last_user: name ?? 'Alice Admin' });
}

export function vendor(over: Partial<VendorView> = {}): VendorView {
  return {
    id: 'v1',
    name: 'Acme Supplies GmbH',
    vat_id: 'DE123456789',
    iban: 'DE89370400440532013000',
    bic: 'COBADEFFXXX',
    country: 'DE',
    bank_changed: '',
    created_at: '2025-01-10T09:00:00Z',
    ...over,
  };
}

export function invoice(over: Partial<InvoiceSummary> = {}): InvoiceSummary {
  return {
    id: 'i1',
    status: 'awaiting_review',
    invoice_number: 'INV-2025-0001',
    seller: 'Acme Supplies GmbH',
    currency: 'EUR',
    payable: '1234567.50',
    issue_date: '2025-03-01',
    due_date: '2025-03-31',
    ...over,
  };
}

export function importResult(over: Partial<ImportResult> = {}): ImportResult {
  return { file: 'invoice.xml', id: 'i1', invoice_number: 'INV-2025-0001', source: 'cii', error: null, ...over };
}

export function detail(over: Partial<InvoiceDetailView> = {}): InvoiceDetailView {
  const party = { name: '', vat_id: '', tax_id: '', street: '', city: '', postcode: '', country: '' };
  return {
    id: 'i1',
    status: 'extracted',
    allowed: ['submit', 'hold', 'void'],
    invoice_number: 'INV-2025-0001',
    type_code: '380',
    credit_note: false,
    currency: 'EUR',
    issue_date: '2025-03-01',
    due_date: '2025-03-31',
    buyer_reference: '',
    purchase_order: 'PO-77',
    payment_terms: 'Net 30',
    notes: [],
    warnings: [],
    seller: { ...party, name: 'Acme Supplies GmbH', vat_id: 'DE123456789', city: 'Berlin', country: 'DE' },
    buyer: { ...party, name: 'Buyer AG' },
    payment: { means_code: '58', iban: 'DE89370400440532013000', account_name: '', bic: '' },
    totals: {
      line_net: '1000.00',
      allowances: '',
      charges: '',
      tax_exclusive: '1000.00',
      tax: '190.00',
      tax_inclusive: '1190.00',
      prepaid: '',
      rounding: '',
      payable: '1190.00',
    },
    tax_breakdown: [{ category: 'S', rate: '19', taxable: '1000.00', tax: '190.00' }],
    lines: [
      {
        id: '1',
        name: 'Widget large',
        quantity: '10',
        unit: 'C62',
        unit_price: '100.00',
        net_amount: '1000.00',
        tax_category: 'S',
        tax_rate: '19',
      },
    ],
    source: {
      reader: 'cii',
      kind: 'xml',
      file_name: 'invoice.xml',
      size: 1234,
      imported_by: 'carl',
      imported_at: '2025-03-02T09:00:00Z',
    },
    findings: [
      { code: 'due_date_past', severity: 'warning', message: 'The due date has passed.', fields: ['due_date'] },
    ],
    approvals: [],
    corrections: [],
    decisions: [],
    history: [
      { time: '2025-03-02T09:00:00Z', actor: 'carl', action: 'invoice.import', decision: 'allow', reason: 'imported xml read as cii' },
    ],
    ...over,
  };
}

export function user(over: Partial<UserView> = {}): UserView {
  return { id: 'u1', name: 'Alice Admin', role: 'admin', created_at: '2025-01-01T08:00:00Z', disabled: false, ...over };
}

/** The JSON text of an ApiError, the way Wails delivers a Go error. */
export function goError(code: string, message: string, retry_after?: number): string {
  return JSON.stringify(retry_after === undefined ? { code, message } : { code, message, retry_after });
}

export interface FakeBackend {
  app: Fns;
  runtime: {
    EventsOn: Mock;
    EventsOff: Mock;
    BrowserOpenURL: Mock;
    WindowSetTitle: Mock;
  };
  emit(name: string, ...data: unknown[]): void;
  listenerCount(name: string): number;
}

export function installBackend(state: AppState = appState()): FakeBackend {
  const listeners = new Map<string, Set<(...d: unknown[]) => void>>();
  const app: Fns = {
    State: vi.fn(async () => state),
    Setup: vi.fn(async (req) => ({
      recovery_key: 'ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789', // gitleaks:allow -- a made-up test key
      session: session('admin', req.admin_name),
    })),
    Unlock: vi.fn(async (name: string) => session('admin', name)),
    Lock: vi.fn(async () => {}),
    Touch: vi.fn(async () => {}),
    ListUsers: vi.fn(async () => [user()]),
    AddUser: vi.fn(async (name: string, role: string) =>
      user({ id: 'u-new', name, role: role as Role }),
    ),
    SetUserRole: vi.fn(async (name: string, role: string) => user({ id: 'u-' + name, name, role: role as Role })),
    SetUserDisabled: vi.fn(async (name: string, disabled: boolean) => user({ id: 'u-' + name, name, role: 'clerk', disabled })),
    ListVendors: vi.fn(async () => [vendor()]),
    AddVendor: vi.fn(async (v) => vendor({ ...v, id: 'v-new' })),
    ListInvoices: vi.fn(async () => []),
    ChooseAndImport: vi.fn(async () => []),
    GetInvoice: vi.fn(async (id: string) => detail({ id })),
    SubmitInvoice: vi.fn(async () => 'ready_for_approval'),
    ApproveInvoice: vi.fn(async () => 'approved'),
    RejectInvoice: vi.fn(async () => 'rejected'),
    HoldInvoice: vi.fn(async () => 'on_hold'),
    SetInvoiceFields: vi.fn(async () => 'extracted'),
    // review (UI-A): SearchInvoices filters what ListInvoices returns, so
    // tests that set ListInvoices drive the virtualised list too.
    RenderPage: vi.fn(async (_id: string, page: number) => ({
      image: 'data:image/png;base64,iVBORw0KGgo=',
      width: 1034,
      height: 1462,
      page,
      pages: 2,
      dpi: 125,
    })),
    GetReview: vi.fn(async (id: string) => ({
      id,
      confidence: {},
      low_confidence: 0.6,
      regions_known: false,
      match: null,
    })),
    SearchInvoices: vi.fn(async (query: string, status: string, offset: number, limit: number) => {
      const all = (await app.ListInvoices(status)) ?? [];
      const words = query.toLowerCase().split(/\s+/).filter(Boolean);
      const hit = all.filter((i) =>
        words.every((w) =>
          [i.invoice_number, i.seller, i.payable, i.status].some((f) => f.toLowerCase().includes(w)),
        ),
      );
      return { total: hit.length, rows: hit.slice(offset, offset + limit) };
    }),
    ApprovalQueue: vi.fn(async () => ({ mine: [], delegated: [], overdue: [] })),
    // admin and sync (UI-B)
    ...adminMocks(),
  };
  const runtime = {
    EventsOn: vi.fn((name: string, cb: (...d: unknown[]) => void) => {
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name)!.add(cb);
      return () => listeners.get(name)?.delete(cb);
    }),
    EventsOff: vi.fn((name: string) => listeners.delete(name)),
    BrowserOpenURL: vi.fn(),
    WindowSetTitle: vi.fn(),
  };
  window.go = { app: { App: app } };
  window.runtime = runtime;
  return {
    app,
    runtime,
    emit(name, ...data) {
      for (const cb of [...(listeners.get(name) ?? [])]) cb(...data);
    },
    listenerCount(name) {
      return listeners.get(name)?.size ?? 0;
    },
  };
}

/** userEvent without the artificial pause between keystrokes. */
export function setupUser() {
  return userEvent.setup({ delay: null });
}
