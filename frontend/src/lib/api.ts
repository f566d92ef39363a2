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
  ImportProgress,
  ImportResult,
  InvoiceDetailView,
  InvoiceSummary,
  Role,
  SessionInfo,
  SessionLockedEvent,
  SetupRequest,
  SetupResult,
  UserView,
  VendorInput,
  VendorView,
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

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/**
 * Listens for "import:progress". Returns a function that stops listening.
 * Without the Wails runtime it does nothing.
 */
export function onImportProgress(cb: (p: ImportProgress) => void): () => void {
  const on = window.runtime?.EventsOn;
  if (typeof on !== 'function') return () => {};
  const off = on('import:progress', (payload: unknown) => {
    let p = payload;
    if (typeof p === 'string') {
      try {
        p = JSON.parse(p);
      } catch {
        return;
      }
    }
    if (!p || typeof p !== 'object') return;
    const o = p as Record<string, unknown>;
    cb({ done: num(o.done), total: num(o.total), file: typeof o.file === 'string' ? o.file : '' });
  });
  return typeof off === 'function' ? off : () => window.runtime?.EventsOff?.('import:progress');
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
