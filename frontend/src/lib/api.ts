// Typed wrapper over the Go methods that Wails binds to window.go.app.App.
//
// Every call goes through call(): a missing binding and every kind of
// rejection (an ApiError object, its JSON text, or a plain string, which is
// how Wails v2 passes a Go error's Error() text) come out as one ApiError.
// Lists that Go sends as null (a nil slice) come out as [].

import type { AppBindings } from './wails';
import { ROLES } from './types';
import type {
  ApiError,
  AppState,
  DropResult,
  ImportProgress,
  ImportResult,
  InvoiceDetailView,
  InvoiceSummary,
  MatchView,
  PageView,
  QueueView,
  ReviewView,
  Role,
  SearchView,
  SessionInfo,
  SessionLockedEvent,
  SetupRequest,
  SetupResult,
  UserView,
  VendorInput,
  VendorView,
} from './types';

// admin and sync (UI-B)
import type {
  AuditPage,
  AuditQuery,
  AuditVerifyView,
  DashboardView,
  ExportInput,
  ExportView,
  LegalHoldView,
  LLMSettingsInput,
  LLMSettingsView,
  POAction,
  PODetailView,
  POInput,
  POSummary,
  PolicyView,
  ReceiptInput,
  RetentionView,
  SecurityAlertView,
  SyncExceptionView,
  SyncRejectionView,
  SyncStatusView,
} from './types';

const MAX_MESSAGE = 500;

const DEFAULT_MESSAGES: Record<string, string> = {
  invalid_input: 'The input is not valid.',
  not_found: 'Not found.',
  forbidden: 'You are not allowed to do this.',
  locked: 'Locked. Try again later.',
  duplicate: 'This already exists.',
  conflict: 'Someone else changed this. Reload and try again.',
  integrity: 'The stored data failed an integrity check.',
  unavailable: 'The application backend is not available.',
  internal: 'Something went wrong.',
};

function defaultMessage(code: string): string {
  return DEFAULT_MESSAGES[code] ?? DEFAULT_MESSAGES.internal!;
}

function clip(s: string): string {
  const t = s.trim();
  return t.length > MAX_MESSAGE ? t.slice(0, MAX_MESSAGE - 1) + '…' : t;
}

function retryAfter(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return undefined;
  return Math.ceil(n);
}

function fromObject(o: Record<string, unknown>): ApiError | null {
  if (typeof o.code !== 'string' || o.code.trim() === '') return null;
  const code = o.code.trim();
  const message =
    typeof o.message === 'string' && o.message.trim() !== '' ? clip(o.message) : defaultMessage(code);
  const err: ApiError = { code, message };
  const ra = retryAfter(o.retry_after);
  if (ra !== undefined) err.retry_after = ra;
  return err;
}

function fromString(s: string): ApiError {
  const t = s.trim();
  if (t.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(t);
      if (parsed && typeof parsed === 'object') {
        const e = fromObject(parsed as Record<string, unknown>);
        if (e) return e;
      }
    } catch {
      // not JSON: fall through to a plain message
    }
  }
  return { code: 'internal', message: t === '' ? defaultMessage('internal') : clip(t) };
}

/** Turns anything a rejected backend promise may carry into an ApiError. */
export function toApiError(e: unknown): ApiError {
  if (typeof e === 'string') return fromString(e);
  if (e instanceof Error) return fromString(e.message);
  if (e && typeof e === 'object') {
    const fromObj = fromObject(e as Record<string, unknown>);
    if (fromObj) return fromObj;
    const msg = (e as { message?: unknown }).message;
    if (typeof msg === 'string') return fromString(msg);
  }
  return { code: 'internal', message: defaultMessage('internal') };
}

/** True for values shaped like an ApiError (as thrown by this module). */
export function isApiError(e: unknown): e is ApiError {
  return (
    !!e &&
    typeof e === 'object' &&
    typeof (e as ApiError).code === 'string' &&
    typeof (e as ApiError).message === 'string'
  );
}

async function call<K extends keyof AppBindings>(
  method: K,
  ...args: Parameters<AppBindings[K]>
): Promise<Awaited<ReturnType<AppBindings[K]>>> {
  const fn = window.go?.app?.App?.[method] as
    | ((...a: Parameters<AppBindings[K]>) => ReturnType<AppBindings[K]>)
    | undefined;
  if (typeof fn !== 'function') {
    throw { code: 'unavailable', message: defaultMessage('unavailable') } satisfies ApiError;
  }
  try {
    return await fn(...args);
  } catch (e) {
    throw toApiError(e);
  }
}

function list<T>(v: T[] | null | undefined): T[] {
  return Array.isArray(v) ? v : [];
}

/** Any role the UI does not know gets the least privilege: it is never admin. */
export function isRole(r: unknown): r is Role {
  return typeof r === 'string' && (ROLES as readonly string[]).includes(r);
}

export const api = {
  state: (): Promise<AppState> => call('State'),
  setup: (req: SetupRequest): Promise<SetupResult> => call('Setup', req),
  unlock: (name: string, password: string): Promise<SessionInfo> => call('Unlock', name, password),
  lock: (): Promise<void> => call('Lock'),
  touch: (): Promise<void> => call('Touch'),
  listUsers: async (): Promise<UserView[]> => list(await call('ListUsers')),
  addUser: (name: string, role: Role, password: string): Promise<UserView> =>
    call('AddUser', name, role, password),
  setUserRole: (name: string, role: Role): Promise<UserView> => call('SetUserRole', name, role),
  setUserDisabled: (name: string, disabled: boolean): Promise<UserView> =>
    call('SetUserDisabled', name, disabled),
  listVendors: async (): Promise<VendorView[]> => list(await call('ListVendors')),
  addVendor: (v: VendorInput): Promise<VendorView> => call('AddVendor', v),
  /** status "" lists all invoices. */
  listInvoices: async (status = ''): Promise<InvoiceSummary[]> =>
    list(await call('ListInvoices', status)),
  /** Opens the file dialog (in Go) and imports; [] when cancelled. */
  chooseAndImport: async (): Promise<ImportResult[]> => list(await call('ChooseAndImport')),
  getInvoice: async (id: string): Promise<InvoiceDetailView> => normalizeDetail(await call('GetInvoice', id)),
  submitInvoice: (id: string): Promise<string> => call('SubmitInvoice', id),
  approveInvoice: (id: string): Promise<string> => call('ApproveInvoice', id),
  rejectInvoice: (id: string, reason: string): Promise<string> => call('RejectInvoice', id, reason),
  holdInvoice: (id: string, reason: string): Promise<string> => call('HoldInvoice', id, reason),
  setInvoiceFields: (id: string, fields: Record<string, string>): Promise<string> =>
    call('SetInvoiceFields', id, fields),
  // review (UI-A)
  renderPage: (id: string, page: number): Promise<PageView> => call('RenderPage', id, page),
  getReview: async (id: string): Promise<ReviewView> => {
    const r = await call('GetReview', id);
    return { ...r, confidence: r.confidence ?? {}, match: r.match ? normalizeMatch(r.match) : null };
  },
  searchInvoices: async (query: string, status: string, offset: number, limit: number): Promise<SearchView> => {
    const r = await call('SearchInvoices', query, status, offset, limit);
    return { total: num(r?.total), rows: list(r?.rows) };
  },
  approvalQueue: async (): Promise<QueueView> => {
    const q = await call('ApprovalQueue');
    return {
      mine: list(q?.mine),
      delegated: list(q?.delegated),
      overdue: list(q?.overdue).map((o) => ({ ...o, notify: list(o.notify) })),
    };
  },
} satisfies Record<string, (...a: never[]) => Promise<unknown>>;

export type Api = typeof api;

/** Lists Go may send as null come out as []. */
function normalizeDetail(d: InvoiceDetailView): InvoiceDetailView {
  return {
    ...d,
    allowed: list(d.allowed),
    notes: list(d.notes),
    warnings: list(d.warnings),
    tax_breakdown: list(d.tax_breakdown),
    lines: list(d.lines),
    findings: list(d.findings).map((f) => ({ ...f, fields: list(f.fields) })),
    approvals: list(d.approvals),
    corrections: list(d.corrections),
    decisions: list(d.decisions),
    history: list(d.history),
  };
}

function normalizeMatch(m: MatchView): MatchView {
  return {
    ...m,
    pos: list(m.pos),
    lines: list(m.lines),
    findings: list(m.findings).map((f) => ({ ...f, fields: list(f.fields) })),
  };
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/**
 * Listens for "import:progress". Returns a function that stops listening.
 * Without the Wails runtime it does nothing.
 */
export function onImportProgress(cb: (p: ImportProgress) => void): () => void {
  return onEvent(
    'import:progress',
    (p) => {
      const o = p as Record<string, unknown>;
      return { done: num(o.done), total: num(o.total), file: typeof o.file === 'string' ? o.file : '' };
    },
    cb,
  );
}

// review (UI-A)
/**
 * Listens for "import:dropped": files dropped on the window were imported
 * in Go (the webview never sees their paths or contents). Returns a
 * function that stops listening.
 */
export function onImportDropped(cb: (d: DropResult) => void): () => void {
  return onEvent(
    'import:dropped',
    (p) => {
      const o = p as Partial<DropResult>;
      return { results: list(o.results), error: o.error ? toApiError(o.error) : null };
    },
    cb,
  );
}

/**
 * Listens for "session:locked". Returns a function that stops listening.
 * Without the Wails runtime (plain browser) it does nothing.
 */
export function onSessionLocked(cb: (ev: SessionLockedEvent) => void): () => void {
  const on = window.runtime?.EventsOn;
  if (typeof on !== 'function') return () => {};
  const off = on('session:locked', (payload: unknown) => {
    let p = payload;
    if (typeof p === 'string') {
      try {
        p = JSON.parse(p);
      } catch {
        p = { reason: p };
      }
    }
    const reason =
      p && typeof p === 'object' && typeof (p as { reason?: unknown }).reason === 'string'
        ? (p as { reason: string }).reason
        : 'logout';
    cb({ reason });
  });
  return typeof off === 'function' ? off : () => window.runtime?.EventsOff?.('session:locked');
}

/** Opens a URL in the system browser; the webview itself never navigates away. */
export function openExternal(url: string): void {
  window.runtime?.BrowserOpenURL?.(url);
}

// admin and sync (UI-B)

function strList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function normalizePO(d: PODetailView): PODetailView {
  return { ...d, allowed: list(d.allowed), lines: list(d.lines), receipts: list(d.receipts) };
}

function normalizePolicy(p: PolicyView): PolicyView {
  return {
    ...p,
    rules: list(p.rules).map((r) => ({
      ...r,
      vendors: strList(r.vendors),
      cost_centres: strList(r.cost_centres),
      approver_roles: strList(r.approver_roles),
      approvers: strList(r.approvers),
    })),
    scopes: p.scopes && typeof p.scopes === 'object' ? p.scopes : {},
    delegations: list(p.delegations),
  };
}

function normalizeDashboard(d: DashboardView): DashboardView {
  return {
    ...d,
    weeks: list(d.weeks),
    cycle: { ...d.cycle, weeks: list(d.cycle?.weeks) },
    ageing: list(d.ageing),
    vendors: list(d.vendors),
  };
}

/** The screens beyond invoice review: POs, audit, dashboard, settings, export, sync. */
export const adminApi = {
  listPOs: async (vendorID = ''): Promise<POSummary[]> => list(await call('ListPOs', vendorID)),
  getPO: async (number: string): Promise<PODetailView> => normalizePO(await call('GetPO', number)),
  addPO: async (po: POInput): Promise<PODetailView> => normalizePO(await call('AddPO', po)),
  addReceipt: async (r: ReceiptInput): Promise<PODetailView> => normalizePO(await call('AddReceipt', r)),
  setPOStatus: async (number: string, action: POAction, reason: string): Promise<PODetailView> =>
    normalizePO(await call('SetPOStatus', number, action, reason)),
  listAudit: async (q: AuditQuery): Promise<AuditPage> => {
    const p = await call('ListAudit', q);
    return { total: num(p?.total), all: num(p?.all), offset: num(p?.offset), entries: list(p?.entries) };
  },
  verifyAudit: (): Promise<AuditVerifyView> => call('VerifyAudit'),
  dashboard: async (): Promise<DashboardView> => normalizeDashboard(await call('Dashboard')),
  getLLMSettings: (): Promise<LLMSettingsView> => call('GetLLMSettings'),
  setLLMSettings: (s: LLMSettingsInput): Promise<LLMSettingsView> => call('SetLLMSettings', s),
  getApprovalPolicy: async (): Promise<PolicyView> => normalizePolicy(await call('GetApprovalPolicy')),
  setApprovalPolicy: async (p: PolicyView): Promise<PolicyView> =>
    normalizePolicy(await call('SetApprovalPolicy', p)),
  runRetention: async (keepYears: number, dryRun: boolean): Promise<RetentionView> => {
    const r = await call('RunRetention', keepYears, dryRun);
    return { purged: strList(r?.purged), held: strList(r?.held), dry_run: !!r?.dry_run };
  },
  setLegalHold: (target: string, reason: string, on: boolean): Promise<void> =>
    call('SetLegalHold', target, reason, on),
  listLegalHolds: async (): Promise<LegalHoldView[]> => list(await call('ListLegalHolds')),
  deleteLLMKey: (): Promise<LLMSettingsView> => call('DeleteLLMKey'),
  chooseAndExport: async (e: ExportInput): Promise<ExportView> => {
    const r = await call('ChooseAndExport', e);
    return { ...r, files: strList(r?.files), refused: list(r?.refused) };
  },
  syncStatus: async (): Promise<SyncStatusView> => syncStatusOf(await call('SyncStatus')),
  syncLogin: async (server: string, password: string): Promise<SyncStatusView> =>
    syncStatusOf(await call('SyncLogin', server, password)),
  syncLogout: (): Promise<void> => call('SyncLogout'),
  listSyncExceptions: async (): Promise<SyncExceptionView[]> => list(await call('ListSyncExceptions')),
  listSyncRejections: async (): Promise<SyncRejectionView[]> => list(await call('ListSyncRejections')),
} satisfies Record<string, (...a: never[]) => Promise<unknown>>;

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** A sync status from Go or an event payload, with every field defined. */
export function syncStatusOf(v: unknown): SyncStatusView {
  const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  return {
    configured: o.configured === true,
    server: str(o.server),
    user: str(o.user),
    online: o.online === true,
    pending: num(o.pending),
    last_sync: str(o.last_sync),
    last_error: str(o.last_error),
    exceptions: num(o.exceptions),
    rejections: num(o.rejections),
  };
}

export function syncExceptionOf(v: unknown): SyncExceptionView {
  const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  return {
    id: str(o.id),
    invoice_id: str(o.invoice_id),
    kind: str(o.kind),
    message: str(o.message),
    winner: str(o.winner),
    loser: str(o.loser),
    seq: num(o.seq),
    at: str(o.at),
  };
}

export function syncRejectionOf(v: unknown): SyncRejectionView {
  const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  return {
    op: str(o.op),
    invoice_id: str(o.invoice_id),
    code: str(o.code),
    message: str(o.message),
    rule: str(o.rule),
    at: str(o.at),
  };
}

export function securityAlertOf(v: unknown): SecurityAlertView {
  const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  return { kind: str(o.kind), user: str(o.user), device: str(o.device), detail: str(o.detail), at: str(o.at) };
}

/**
 * Listens for a backend event whose payload is an object (or its JSON
 * text) and hands it to cb after shaping it with of(). Returns a function
 * that stops listening; without the Wails runtime it does nothing.
 */
export function onEvent<T>(name: string, of: (v: unknown) => T, cb: (v: T) => void): () => void {
  const on = window.runtime?.EventsOn;
  if (typeof on !== 'function') return () => {};
  const off = on(name, (payload: unknown) => {
    let p = payload;
    if (typeof p === 'string') {
      try {
        p = JSON.parse(p);
      } catch {
        return;
      }
    }
    if (!p || typeof p !== 'object') return;
    cb(of(p));
  });
  return typeof off === 'function' ? off : () => window.runtime?.EventsOff?.(name);
}
