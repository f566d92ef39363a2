// The globals the Wails v2 runtime injects into the webview
// (/wails/ipc.js and /wails/runtime.js). Only what the UI uses is declared;
// everything goes through api.ts so that tests can mock window.go.
import type {
  AppState,
  ImportResult,
  InvoiceDetailView,
  InvoiceSummary,
  PageView,
  QueueView,
  ReviewView,
  SearchView,
  SessionInfo,
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
  PODetailView,
  POInput,
  POSummary,
  PolicyView,
  ReceiptInput,
  RetentionView,
  SyncExceptionView,
  SyncRejectionView,
  SyncStatusView,
} from './types';

/** Methods bound from the Go type app.App. Each returns a Promise. */
export interface AppBindings {
  State(): Promise<AppState>;
  Setup(req: SetupRequest): Promise<SetupResult>;
  Unlock(name: string, password: string): Promise<SessionInfo>;
  Lock(): Promise<void>;
  Touch(): Promise<void>;
  ListUsers(): Promise<UserView[] | null>;
  AddUser(name: string, role: string, password: string): Promise<UserView>;
  /** Changing your own role locks the session (reason "role_changed"). */
  SetUserRole(name: string, role: string): Promise<UserView>;
  SetUserDisabled(name: string, disabled: boolean): Promise<UserView>;
  ListVendors(): Promise<VendorView[] | null>;
  AddVendor(v: VendorInput): Promise<VendorView>;
  ListInvoices(status: string): Promise<InvoiceSummary[] | null>;
  /** Opens the native file dialog in Go and imports the chosen files. */
  ChooseAndImport(): Promise<ImportResult[] | null>;
  GetInvoice(id: string): Promise<InvoiceDetailView>;
  /** The workflow calls resolve to the invoice's new status. */
  SubmitInvoice(id: string): Promise<string>;
  ApproveInvoice(id: string): Promise<string>;
  RejectInvoice(id: string, reason: string): Promise<string>;
  HoldInvoice(id: string, reason: string): Promise<string>;
  SetInvoiceFields(id: string, fields: Record<string, string>): Promise<string>;
  // review (UI-A)
  /** Page (1-based) of the sealed original, rendered in Go. */
  RenderPage(id: string, page: number): Promise<PageView>;
  GetReview(id: string): Promise<ReviewView>;
  /** Filters the in-memory invoice list in Go; status "" is every status. */
  SearchInvoices(query: string, status: string, offset: number, limit: number): Promise<SearchView>;
  ApprovalQueue(): Promise<QueueView>;
  // admin and sync (UI-B)
  ListPOs(vendorID: string): Promise<POSummary[] | null>;
  GetPO(number: string): Promise<PODetailView>;
  AddPO(po: POInput): Promise<PODetailView>;
  AddReceipt(r: ReceiptInput): Promise<PODetailView>;
  /** action: close, cancel or reopen. */
  SetPOStatus(number: string, action: string, reason: string): Promise<PODetailView>;
  ListAudit(q: AuditQuery): Promise<AuditPage>;
  VerifyAudit(): Promise<AuditVerifyView>;
  Dashboard(): Promise<DashboardView>;
  GetLLMSettings(): Promise<LLMSettingsView>;
  /** The API key goes to the OS keychain in Go; only has_key comes back. */
  SetLLMSettings(s: LLMSettingsInput): Promise<LLMSettingsView>;
  GetApprovalPolicy(): Promise<PolicyView>;
  SetApprovalPolicy(p: PolicyView): Promise<PolicyView>;
  RunRetention(keepYears: number, dryRun: boolean): Promise<RetentionView>;
  SetLegalHold(target: string, reason: string, on: boolean): Promise<void>;
  ListLegalHolds(): Promise<LegalHoldView[] | null>;
  /** Removes the API key from the OS keychain; the other settings stay. */
  DeleteLLMKey(): Promise<LLMSettingsView>;
  /** Opens the native save dialog in Go; cancelled: true when dismissed. */
  ChooseAndExport(e: ExportInput): Promise<ExportView>;
  SyncStatus(): Promise<SyncStatusView>;
  SyncLogin(server: string, password: string): Promise<SyncStatusView>;
  SyncLogout(): Promise<void>;
  ListSyncExceptions(): Promise<SyncExceptionView[] | null>;
  ListSyncRejections(): Promise<SyncRejectionView[] | null>;
}

export interface WailsRuntime {
  /** Returns a function that removes the listener (Wails v2.2+). */
  EventsOn(name: string, cb: (...data: unknown[]) => void): (() => void) | void;
  EventsOff?(name: string, ...more: string[]): void;
  BrowserOpenURL(url: string): void;
  WindowSetTitle(title: string): void;
  // review (UI-A): on Windows (WebView2) the runtime's drop listeners must be
  // installed from JS for a drop to reach Go; GTK and macOS drop natively.
  OnFileDrop(cb: (x: number, y: number, paths: string[]) => void, useDropTarget: boolean): void;
  OnFileDropOff(): void;
}

declare global {
  interface Window {
    go?: { app?: { App?: Partial<AppBindings> } };
    runtime?: Partial<WailsRuntime>;
  }
}
