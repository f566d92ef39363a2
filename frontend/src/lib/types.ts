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
  /** A disabled user cannot unlock until an admin enables them again. */
  disabled: boolean;
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

// review (UI-A)

/** One page of an invoice's original, as a data: URL image. */
export interface PageView {
  image: string;
  width: number;
  height: number;
  page: number;
  pages: number;
  /** Render resolution of a PDF page; 0 for a scan shown as imported. */
  dpi: number;
}

/** Per-field read confidence and the 3-way match of one invoice. */
export interface ReviewView {
  id: string;
  confidence: Record<string, number> | null;
  low_confidence: number;
  /** False: the readers do not record where on the page a field was found. */
  regions_known: boolean;
  match: MatchView | null;
}

export interface MatchView {
  status: string;
  pos: string[];
  summary: string;
  lines: MatchLineView[];
  findings: FindingView[];
}

export interface MatchLineView {
  invoice_line: string;
  po_number: string;
  po_line: number;
  how: string;
  invoiced_qty: string;
  ordered_qty: string;
  received_qty: string;
  previously_billed: string;
  invoice_price: string;
  po_price: string;
  price_variance: string;
  qty_variance: string;
  status: string;
  explanation: string;
}

/** One page of the filtered invoice list. */
export interface SearchView {
  total: number;
  rows: InvoiceSummary[];
}

export interface QueueView {
  mine: InvoiceSummary[];
  delegated: InvoiceSummary[];
  overdue: OverdueView[];
}

export interface OverdueView {
  invoice: InvoiceSummary;
  waited: string;
  notify: string[];
}

/** Payload of "import:dropped": files dropped on the window, imported in Go. */
export interface DropResult {
  results: ImportResult[];
  error: ApiError | null;
}

// admin and sync (UI-B)
// Mirrors app/types_admin.go and app/types_sync.go (checked by
// app/types_admin_test.go). Amounts and quantities are decimal strings.

export interface POLineInput {
  line_no: number;
  item_code: string;
  description: string;
  quantity: string;
  unit: string;
  unit_price: string;
  tax_rate: string;
}

export interface POInput {
  number: string;
  vendor_id: string;
  currency: string;
  cost_centre: string;
  /** YYYY-MM-DD or "". */
  order_date: string;
  lines: POLineInput[];
}

export interface POSummary {
  id: string;
  number: string;
  vendor_id: string;
  vendor_name: string;
  currency: string;
  cost_centre: string;
  order_date: string;
  status: string;
  line_count: number;
  total: string;
}

export interface POLineView {
  line_no: number;
  item_code: string;
  description: string;
  quantity: string;
  unit: string;
  unit_price: string;
  tax_rate: string;
  received: string;
}

export interface ReceiptView {
  id: string;
  line_no: number;
  quantity: string;
  received_at: string;
  note: string;
}

export type POAction = 'close' | 'cancel' | 'reopen';

export interface PODetailView {
  id: string;
  number: string;
  vendor_id: string;
  vendor_name: string;
  currency: string;
  cost_centre: string;
  order_date: string;
  status: string;
  total: string;
  allowed: POAction[];
  lines: POLineView[];
  receipts: ReceiptView[];
}

export interface ReceiptInput {
  po_number: string;
  line_no: number;
  quantity: string;
  /** YYYY-MM-DD or "" for today. */
  received_at: string;
  note: string;
}

export interface AuditQuery {
  offset: number;
  limit: number;
  text: string;
  denied: boolean;
  /** When not 0, only entries with a lower seq (pins the first page's snapshot). */
  before: number;
}

export interface AuditPage {
  total: number;
  all: number;
  offset: number;
  entries: AuditEntryView[];
}

export interface AuditEntryView {
  seq: number;
  time: string;
  actor: string;
  action: string;
  target: string;
  decision: string;
  reason: string;
  rule: string;
}

export interface AuditVerifyView {
  ok: boolean;
  checked: number;
  /** Seq of the first bad entry; 0 with ok false: the signed head. */
  bad_index: number;
  reason: string;
}

export interface DashboardView {
  as_of: string;
  currency: string;
  other_currency: number;
  invoices: number;
  open: number;
  weeks: WeekVolumeView[];
  cycle: CycleTimeView;
  ageing: AgeingView[];
  vendors: VendorSpendView[];
}

export interface WeekVolumeView {
  week: string;
  start: string;
  count: number;
  amount: string;
}

export interface CycleTimeView {
  count: number;
  median_hours: number;
  p90_hours: number;
  weeks: CycleWeekView[];
}

export interface CycleWeekView {
  week: string;
  start: string;
  count: number;
  median_hours: number;
}

export interface AgeingView {
  bucket: string;
  label: string;
  count: number;
  amount: string;
}

export interface VendorSpendView {
  vendor: string;
  count: number;
  amount: string;
}

/** The model helper's settings; the API key itself never reaches JavaScript. */
export interface LLMSettingsView {
  enabled: boolean;
  consent: boolean;
  provider: string;
  base_url: string;
  model: string;
  has_key: boolean;
  tokens_used: number;
}

export interface LLMSettingsInput {
  enabled: boolean;
  consent: boolean;
  provider: string;
  base_url: string;
  model: string;
  /** Write-only: "" keeps the stored key. */
  api_key: string;
}

export interface PolicyView {
  default_levels: number;
  second_approver_above: string;
  currency: string;
  escalate_after_hours: number;
  rules: RuleView[];
  scopes: Record<string, string[]>;
  delegations: DelegationView[];
}

export interface RuleView {
  id: string;
  name: string;
  min_amount: string;
  max_amount: string;
  vendors: string[];
  cost_centres: string[];
  min_risk: number;
  levels: number;
  approver_roles: string[];
  approvers: string[];
}

export interface DelegationView {
  from: string;
  to: string;
  start: string;
  end: string;
}

export interface RetentionView {
  purged: string[];
  held: string[];
  dry_run: boolean;
}

export interface LegalHoldView {
  target: string;
  /** invoice, vendor, or '' when the target no longer exists. */
  kind: string;
  label: string;
  reason: string;
  created_at: string;
}

export type ExportFormat = 'csv' | 'json' | 'ubl' | 'sepa';

export interface ExportInput {
  format: ExportFormat;
  status: string;
  debtor_name: string;
  debtor_iban: string;
  debtor_bic: string;
  execution_date: string;
}

export interface ExportView {
  cancelled: boolean;
  format: string;
  included: number;
  exported: number;
  /** Base names only, never folders. */
  files: string[];
  refused: ExportRefusal[];
}

export interface ExportRefusal {
  invoice_id: string;
  reason: string;
}

/** The top-bar sync indicator; also the "sync:status" event payload. */
export interface SyncStatusView {
  configured: boolean;
  server: string;
  user: string;
  online: boolean;
  pending: number;
  /** RFC 3339 or "". */
  last_sync: string;
  last_error: string;
  exceptions: number;
  rejections: number;
}

/** A conflict the server resolved; also the "sync:exception" event payload. */
export interface SyncExceptionView {
  id: string;
  invoice_id: string;
  kind: string;
  message: string;
  winner: string;
  loser: string;
  seq: number;
  at: string;
}

/** A local change the server refused; also the "sync:rejection" event payload. */
export interface SyncRejectionView {
  op: string;
  invoice_id: string;
  code: string;
  message: string;
  rule: string;
  at: string;
}

/** Payload of "security:alert" (sent to admins only). */
export interface SecurityAlertView {
  kind: string;
  user: string;
  device: string;
  detail: string;
  at: string;
}
