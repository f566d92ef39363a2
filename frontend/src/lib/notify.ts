// Notifications: a small store of toasts, and the wiring that turns sync
// events into toasts leading to the invoice concerned. Toast text is shown
// as text only (never HTML): it comes from the server and other devices.

import { writable, type Readable } from 'svelte/store';
import { onEvent, securityAlertOf, syncExceptionOf, syncRejectionOf } from './api';
import type { SecurityAlertView, SyncExceptionView, SyncRejectionView } from './types';

export type ToastTone = 'info' | 'warning' | 'danger';

export interface Toast {
  id: number;
  tone: ToastTone;
  title: string;
  message: string;
  /** When set, the toast offers to open this invoice. */
  invoiceId: string;
}

/** At most this many toasts stay on screen; the oldest go first. */
export const MAX_TOASTS = 5;

const store = writable<Toast[]>([]);
let nextId = 1;

export const toasts: Readable<Toast[]> = { subscribe: store.subscribe };

export function pushToast(t: Omit<Toast, 'id' | 'invoiceId'> & { invoiceId?: string }): number {
  const id = nextId++;
  store.update((list) => [...list, { invoiceId: '', ...t, id }].slice(-MAX_TOASTS));
  return id;
}

export function dismissToast(id: number): void {
  store.update((list) => list.filter((t) => t.id !== id));
}

export function clearToasts(): void {
  store.set([]);
}

/** What happened to an invoice through sync; the review screen can hook it to reload. */
export type SyncInvoiceEvent =
  | { kind: 'exception'; invoiceId: string; exception: SyncExceptionView }
  | { kind: 'rejection'; invoiceId: string; rejection: SyncRejectionView };

const invoiceListeners = new Set<(e: SyncInvoiceEvent) => void>();

/** Calls cb for each sync exception or rejection naming an invoice. Returns an unsubscribe. */
export function onSyncInvoiceEvent(cb: (e: SyncInvoiceEvent) => void): () => void {
  invoiceListeners.add(cb);
  return () => invoiceListeners.delete(cb);
}

function tell(e: SyncInvoiceEvent): void {
  for (const l of [...invoiceListeners]) {
    try {
      l(e);
    } catch {
      // a broken listener must not stop the toasts
    }
  }
}

export function exceptionToast(x: SyncExceptionView): Omit<Toast, 'id'> {
  return {
    tone: 'warning',
    title: 'Sync conflict',
    message: x.message || `Two changes to the same invoice met (${x.kind || 'conflict'}).`,
    invoiceId: x.invoice_id,
  };
}

export function rejectionToast(r: SyncRejectionView): Omit<Toast, 'id'> {
  return {
    tone: 'danger',
    title: 'Change refused by the server',
    message: r.message || `The server refused ${r.op || 'a change'}${r.code ? ` (${r.code})` : ''}.`,
    invoiceId: r.invoice_id,
  };
}

export function alertToast(a: SecurityAlertView): Omit<Toast, 'id'> {
  const who = [a.user && `user ${a.user}`, a.device && `device ${a.device}`].filter(Boolean).join(', ');
  return {
    tone: 'danger',
    title: 'Security alert' + (a.kind ? `: ${a.kind.replace(/[_-]+/g, ' ')}` : ''),
    message: [a.detail, who].filter(Boolean).join(' — ') || 'See the audit trail.',
    invoiceId: '',
  };
}

/**
 * Turns sync events into toasts (security alerts only for admins: the
 * backend sends them to admins only, this is a second fence). Returns a
 * function that stops listening.
 */
export function startSyncNotifications(isAdmin: boolean): () => void {
  const offs = [
    onEvent('sync:exception', syncExceptionOf, (x) => {
      pushToast(exceptionToast(x));
      if (x.invoice_id) tell({ kind: 'exception', invoiceId: x.invoice_id, exception: x });
    }),
    onEvent('sync:rejection', syncRejectionOf, (r) => {
      pushToast(rejectionToast(r));
      if (r.invoice_id) tell({ kind: 'rejection', invoiceId: r.invoice_id, rejection: r });
    }),
  ];
  if (isAdmin) offs.push(onEvent('security:alert', securityAlertOf, (a) => pushToast(alertToast(a))));
  return () => offs.forEach((off) => off());
}
