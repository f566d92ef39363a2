// Checks for corrected fields as the user types. They mirror what the Go
// side accepts (backend/core fieldpath, backend/decimal, invoice.Date) so
// most mistakes are caught before saving; the server still decides, and
// its refusal is shown beside the field.

export type FieldKind = 'text' | 'date' | 'decimal' | 'iban' | 'currency';

export interface EditableField {
  path: string;
  label: string;
  kind: FieldKind;
}

/** The fields the review screen lets a clerk correct, in screen order. */
export const EDITABLE_FIELDS: EditableField[] = [
  { path: 'invoice_number', label: 'Invoice number', kind: 'text' },
  { path: 'issue_date', label: 'Issue date', kind: 'date' },
  { path: 'due_date', label: 'Due date', kind: 'date' },
  { path: 'currency', label: 'Currency', kind: 'currency' },
  { path: 'seller.name', label: 'Seller name', kind: 'text' },
  { path: 'seller.vat_id', label: 'Seller VAT ID', kind: 'text' },
  { path: 'payment.iban', label: 'IBAN', kind: 'iban' },
  { path: 'purchase_order', label: 'Purchase order', kind: 'text' },
  { path: 'buyer_reference', label: 'Buyer reference', kind: 'text' },
  { path: 'totals.tax_exclusive', label: 'Total without VAT', kind: 'decimal' },
  { path: 'totals.tax', label: 'VAT', kind: 'decimal' },
  { path: 'totals.payable', label: 'Payable amount', kind: 'decimal' },
];

// ISO 4217 active codes.
const CURRENCIES = new Set(
  ('AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF ' +
    'CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG ' +
    'HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA ' +
    'MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD ' +
    'RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX ' +
    'USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG').split(' '),
);

const MAX_TEXT = 500;

export function dateProblem(v: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return 'Write the date as YYYY-MM-DD.';
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return 'There is no such date.';
  if (y < 1900 || y > 2199) return 'The year looks wrong.';
  return '';
}

export function decimalProblem(v: string): string {
  if (/,/.test(v)) return 'Use a point for decimals and no thousands separators (1234.50).';
  if (!/^-?\d+(\.\d+)?$/.test(v)) return 'Write an amount like 1234.50.';
  const [int = '', frac = ''] = v.replace('-', '').split('.');
  if (int.length > 15) return 'The amount is too large.';
  if (frac.length > 4) return 'At most 4 decimals.';
  return '';
}

/** ISO 13616 check: letters become 10..35 and the number mod 97 is 1. */
export function ibanProblem(v: string): string {
  const s = v.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return 'An IBAN is 2 letters, 2 check digits and up to 30 letters or digits.';
  const moved = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const n = ch >= 'A' ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48;
    rem = n >= 10 ? (rem * 100 + n) % 97 : (rem * 10 + n) % 97;
  }
  return rem === 1 ? '' : 'The IBAN check digits do not match: a character is wrong.';
}

export function currencyProblem(v: string): string {
  if (!/^[A-Z]{3}$/.test(v)) return 'Use the 3-letter currency code in capitals (EUR).';
  return CURRENCIES.has(v) ? '' : `${v} is not an ISO 4217 currency code.`;
}

/** What is wrong with value for a field of kind, or "" when it is fine. */
export function fieldProblem(kind: FieldKind, value: string): string {
  const v = value.trim();
  if (v === '') return kind === 'text' ? '' : 'Enter a value.';
  if (v.length > MAX_TEXT) return `At most ${MAX_TEXT} characters.`;
  switch (kind) {
    case 'date':
      return dateProblem(v);
    case 'decimal':
      return decimalProblem(v);
    case 'iban':
      return ibanProblem(v);
    case 'currency':
      return currencyProblem(v);
  }
  return '';
}
