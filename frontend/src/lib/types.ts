// Types that cross the Wails bridge. They mirror app/types.go field for
// field (JSON names); keep the two in step when either changes.

export type Role = 'clerk' | 'approver' | 'admin' | 'auditor';

export const ROLES: readonly Role[] = ['clerk', 'approver', 'admin', 'auditor'];

/** AppState tells the window which screen to show. */
export interface AppState {
  initialized: boolean;
  locked: boolean;
  session: SessionInfo | null;
  last_user: string;
  data_dir: string;
  idle_minutes: number;
}

/** SessionInfo describes the unlocked user. */
export interface SessionInfo {
  user_id: string;
  name: string;
  role: Role;
}

export interface SetupRequest {
  admin_name: string;
  password: string;
}

/** SetupResult carries the recovery key, shown once and never again. */
export interface SetupResult {
  recovery_key: string;
  session: SessionInfo;
}

export interface UserView {
  id: string;
  name: string;
  role: Role;
  created_at: string;
}

export interface VendorInput {
  name: string;
  vat_id: string;
  iban: string;
  bic: string;
  country: string;
}

export interface VendorView {
  id: string;
  name: string;
  vat_id: string;
  iban: string;
  bic: string;
  country: string;
  /** RFC 3339 time of the last bank-detail change, or "". */
  bank_changed: string;
  created_at: string;
}

export interface InvoiceSummary {
  id: string;
  status: string;
  invoice_number: string;
  seller: string;
  currency: string;
  /** Decimal string, e.g. "1234.50": never converted to a float. */
  payable: string;
  issue_date: string;
  due_date: string;
}

export type ApiErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'forbidden'
  | 'locked'
  | 'duplicate'
  | 'conflict'
  | 'integrity'
  | 'unavailable'
  | 'internal'
  | (string & {});

/** What every rejected backend call turns into (see api.ts). */
export interface ApiError {
  code: ApiErrorCode;
  message: string;
  /** Seconds to wait, with code "locked". */
  retry_after?: number;
}

/** Payload of the "session:locked" event. */
export interface SessionLockedEvent {
  reason: 'idle' | 'logout' | (string & {});
}
