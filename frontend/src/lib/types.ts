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

/** One file of an import; error is null when the file was imported. */
export interface ImportResult {
  /** The file's base name, never its folder. */
  file: string;
  id: string;
  invoice_number: string;
  /** How it was read: ubl, cii, facturx, pdf-text, ocr, llm… */
  source: string;
  error: ApiError | null;
}

/** Payload of the "import:progress" event. */
export interface ImportProgress {
  done: number;
  total: number;
  file: string;
}

/** Workflow commands the status allows (from Go's invoice.Allowed). */
export type WorkflowCommand = 'submit' | 'approve' | 'reject' | 'hold' | 'release' | 'void' | (string & {});

/**
 * One invoice for the detail view. Amounts are decimal strings ("" when the
 * document does not state them); dates YYYY-MM-DD; times RFC 3339.
 */
export interface InvoiceDetailView {
  id: string;
  status: string;
  allowed: WorkflowCommand[];
  invoice_number: string;
  type_code: string;
  credit_note: boolean;
  currency: string;
  issue_date: string;
  due_date: string;
  buyer_reference: string;
  purchase_order: string;
  payment_terms: string;
  notes: string[];
  warnings: string[];
  seller: PartyView;
  buyer: PartyView;
  payment: PaymentView;
  totals: TotalsView;
  tax_breakdown: TaxView[];
  lines: LineView[];
  source: SourceView;
  findings: FindingView[];
  approvals: ApprovalView[];
  corrections: CorrectionView[];
  decisions: DecisionView[];
  history: HistoryView[];
}

export interface PartyView {
  name: string;
  vat_id: string;
  tax_id: string;
  street: string;
  city: string;
  postcode: string;
  country: string;
}

export interface PaymentView {
  means_code: string;
  iban: string;
  account_name: string;
  bic: string;
}

export interface TotalsView {
  line_net: string;
  allowances: string;
  charges: string;
  tax_exclusive: string;
  tax: string;
  tax_inclusive: string;
  prepaid: string;
  rounding: string;
  payable: string;
}

export interface TaxView {
  category: string;
  rate: string;
  taxable: string;
  tax: string;
}

export interface LineView {
  id: string;
  name: string;
  quantity: string;
  unit: string;
  unit_price: string;
  net_amount: string;
  tax_category: string;
  tax_rate: string;
}

export interface SourceView {
  reader: string;
  kind: string;
  file_name: string;
  size: number;
  imported_by: string;
  imported_at: string;
}

export interface FindingView {
  code: string;
  /** info, warning or critical. */
  severity: string;
  message: string;
  fields: string[];
}

export interface ApprovalView {
  by: string;
  on_behalf_of: string;
  at: string;
  level: number;
  rule: string;
  override: string;
}

export interface CorrectionView {
  field: string;
  old: string;
  new: string;
  by: string;
  at: string;
}

export interface DecisionView {
  action: string;
  by: string;
  at: string;
  reason: string;
}

export interface HistoryView {
  time: string;
  actor: string;
  action: string;
  decision: string;
  reason: string;
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
