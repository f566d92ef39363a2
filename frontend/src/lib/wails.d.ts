// The globals the Wails v2 runtime injects into the webview
// (/wails/ipc.js and /wails/runtime.js). Only what the UI uses is declared;
// everything goes through api.ts so that tests can mock window.go.
import type {
  AppState,
  ImportResult,
  InvoiceDetailView,
  InvoiceSummary,
  SessionInfo,
  SetupRequest,
  SetupResult,
  UserView,
  VendorInput,
  VendorView,
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
}

export interface WailsRuntime {
  /** Returns a function that removes the listener (Wails v2.2+). */
  EventsOn(name: string, cb: (...data: unknown[]) => void): (() => void) | void;
  EventsOff?(name: string, ...more: string[]): void;
  BrowserOpenURL(url: string): void;
  WindowSetTitle(title: string): void;
}

declare global {
  interface Window {
    go?: { app?: { App?: Partial<AppBindings> } };
    runtime?: Partial<WailsRuntime>;
  }
}
