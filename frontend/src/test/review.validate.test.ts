import { describe, expect, it } from 'vitest';
import { currencyProblem, dateProblem, decimalProblem, fieldProblem, ibanProblem } from '../views/review/validate';

describe('field checks as you type', () => {
  it.each([
    ['2025-03-01', ''],
    ['2024-02-29', ''],
    ['2025-02-29', 'There is no such date.'],
    ['2025-13-01', 'There is no such date.'],
    ['01.03.2025', 'Write the date as YYYY-MM-DD.'],
    ['1850-01-01', 'The year looks wrong.'],
  ])('date %s', (v, want) => expect(dateProblem(v)).toBe(want));

  it.each([
    ['1190.00', ''],
    ['-5', ''],
    ['0.1234', ''],
    ['1,190.00', 'Use a point for decimals and no thousands separators (1234.50).'],
    ['1.2.3', 'Write an amount like 1234.50.'],
    ['12e3', 'Write an amount like 1234.50.'],
    ['1.23456', 'At most 4 decimals.'],
    ['1234567890123456', 'The amount is too large.'],
  ])('decimal %s', (v, want) => expect(decimalProblem(v)).toBe(want));

  it.each([
    ['DE89370400440532013000', ''],
    ['de89 3704 0044 0532 0130 00', ''],
    ['GB82WEST12345698765432', ''],
    ['DE89370400440532013001', 'The IBAN check digits do not match: a character is wrong.'],
    ['DE8937040044', 'An IBAN is 2 letters, 2 check digits and up to 30 letters or digits.'],
  ])('IBAN %s', (v, want) => expect(ibanProblem(v)).toBe(want));

  it.each([
    ['EUR', ''],
    ['CHF', ''],
    ['eur', 'Use the 3-letter currency code in capitals (EUR).'],
    ['EURO', 'Use the 3-letter currency code in capitals (EUR).'],
    ['XYZ', 'XYZ is not an ISO 4217 currency code.'],
  ])('currency %s', (v, want) => expect(currencyProblem(v)).toBe(want));

  it('lets text be empty but not a date or an amount', () => {
    expect(fieldProblem('text', '')).toBe('');
    expect(fieldProblem('date', ' ')).toBe('Enter a value.');
    expect(fieldProblem('text', 'x'.repeat(501))).toBe('At most 500 characters.');
  });
});
