// Pure display helpers. None of them builds markup: callers render the
// returned strings as text.

import type { Role } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long after a bank-detail change a vendor carries the warning badge. */
export const BANK_CHANGE_WINDOW_DAYS = 30;

/** "DE89 3704 0044 0532 0130 00" from any spacing. */
export function formatIban(iban: string): string {
  const compact = iban.replace(/\s+/g, '').toUpperCase();
  return compact.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * The IBAN with everything but its last four characters hidden. The mask has
 * a fixed width so that it does not give away the length either.
 */
export function maskIban(iban: string): string {
  const compact = iban.replace(/\s+/g, '').toUpperCase();
  if (compact === '') return '';
  return '•••• ' + compact.slice(-4);
}

/** Last four characters of the IBAN, for labels. */
export function ibanTail(iban: string): string {
  return iban.replace(/\s+/g, '').toUpperCase().slice(-4);
}

/** True when the RFC 3339 time lies within the last 30 days (or later). */
export function bankChangedRecently(bankChanged: string, now: number = Date.now()): boolean {
  if (!bankChanged) return false;
  const t = Date.parse(bankChanged);
  if (Number.isNaN(t)) return false;
  return t >= now - BANK_CHANGE_WINDOW_DAYS * DAY_MS;
}

/**
 * Formats a decimal string with thousands separators without ever turning it
 * into a float: "1234567.5" + "EUR" gives "1,234,567.5 EUR". Anything that is
 * not a plain decimal is shown as it came.
 */
export function formatAmount(payable: string, currency: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(payable.trim());
  const cur = currency.trim();
  if (!m) return cur ? `${payable} ${cur}` : payable;
  const [, sign, int, frac = ''] = m;
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const num = `${sign}${grouped}${frac}`;
  return cur ? `${num} ${cur}` : num;
}

/** The date part of an RFC 3339 time ("2025-03-01T10:00:00Z" → "2025-03-01"). */
export function formatDate(value: string): string {
  if (!value) return '';
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(value);
  return m ? m[1]! : value;
}

const ROLE_LABELS: Record<Role, string> = {
  clerk: 'Clerk',
  approver: 'Approver',
  admin: 'Administrator',
  auditor: 'Auditor',
};

export function roleLabel(role: string): string {
  return ROLE_LABELS[role as Role] ?? role;
}

/** "awaiting_approval" → "Awaiting approval". */
export function statusLabel(status: string): string {
  const s = status.replace(/[_-]+/g, ' ').trim();
  return s ? s[0]!.toUpperCase() + s.slice(1) : '';
}

/** Colour family of a status badge: ok, warning, danger or neutral. */
export function statusTone(status: string): 'ok' | 'warning' | 'danger' | 'neutral' {
  switch (status) {
    case 'approved':
    case 'exported':
    case 'paid':
      return 'ok';
    case 'needs_review':
    case 'on_hold':
    case 'ready_for_approval':
      return 'warning';
    case 'rejected':
    case 'void':
      return 'danger';
    default:
      return 'neutral';
  }
}

/** Plain-words meaning of a finding's severity. */
export function severityExplanation(severity: string): string {
  switch (severity) {
    case 'critical':
      return 'Blocks approval until it is corrected or an administrator overrides it.';
    case 'warning':
      return 'Check this before the invoice is approved.';
    default:
      return 'For information.';
  }
}

/** Password rule shared by set-up and the users screen. */
export const MIN_PASSWORD_LENGTH = 10;

/** Why a new password is not acceptable, or "" when it is. */
export function passwordProblem(pw: string): string {
  const n = [...pw].length;
  if (n === 0) return 'Enter a password.';
  if (n < MIN_PASSWORD_LENGTH) {
    const more = MIN_PASSWORD_LENGTH - n;
    return `Use at least ${MIN_PASSWORD_LENGTH} characters (${more} more).`;
  }
  return '';
}

/** Why a user name is not acceptable, or "" when it is. */
export function userNameProblem(name: string): string {
  const t = name.trim();
  if (t === '') return 'Enter a user name.';
  if ([...t].length > 64) return 'Use at most 64 characters.';
  return '';
}
