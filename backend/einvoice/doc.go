// Package einvoice reads structured e-invoices exactly into the canonical
// model of package invoice (docs/ARCHITECTURE.md §2, §3 step 2).
//
// Three syntaxes, told apart by the root element and its namespace
// (Detect): UBL 2.x (Invoice, CreditNote, SelfBilledInvoice,
// SelfBilledCreditNote; a UBL 2.0 Invoice shares the namespace and maps),
// UN/CEFACT CII D16B CrossIndustryInvoice (Factur-X / ZUGFeRD 2.x in every
// profile, XRechnung CII) and ZUGFeRD 1.0 CrossIndustryDocument.
//
// # Exactness
//
// Amounts and quantities are decoded straight into decimal.Decimal
// (UnmarshalText), so "100.00" stays "100.00" and a credit note keeps the
// signs it was written with. Nothing is computed or corrected here; checks
// belong to the validation step. The result is Normalize()d, and
// Confidence stays empty: structured data is exact. Warnings say what the
// model has no place for or what was assumed.
//
// # Mapping decisions
//
//   - BT-146 unit price is the net price as written (UBL Price/PriceAmount,
//     CII NetPriceProductTradePrice/ChargeAmount). The base quantity BT-149
//     is not divided out: the model's unit_price is BT-146, and quantity ×
//     BT-146 / BT-149 = BT-131 is for the checks to verify.
//   - BT-110 is the VAT total whose currencyID is the invoice currency (or
//     has none); BT-111 the one in the tax currency BT-6. With BT-6 = BT-5
//     one total is both. The VAT breakdown comes from the invoice currency.
//   - BT-27/BT-44 (UBL) is PartyLegalEntity/RegistrationName, else the
//     first PartyName. BT-31 is the PartyTaxScheme whose scheme is VAT (or,
//     UBL 2.0, whose TaxTypeCode is VAT); another scheme is BT-32 for the
//     seller. In CII the schemeID says it: VA is BT-31, FC is BT-32.
//   - Payment: the model holds one means (BG-16). The first means that
//     names a payee account wins (BT-81, BT-84 IBAN or proprietary id,
//     BT-85, BT-86), else the first means code. More payee accounts are
//     listed in a warning. A direct-debit mandate's account (BT-91) is the
//     buyer's and is not BT-84.
//   - BT-9 due date: UBL DueDate, else PaymentMeans/PaymentDueDate (where
//     a CreditNote carries it); CII the first DueDateDateTime.
//   - BT-20 joins every payment-terms text with line breaks; BT-22 notes
//     with a subject code (CII) are written "#CODE#text", as the UBL
//     binding writes them, so both syntaxes give the same note.
//   - Lines: top-level lines only. XRechnung's UBL SubInvoiceLine and CII
//     lines with a ParentLineID break down a parent line whose amount
//     already includes them; they are reported in a warning, not kept.
//     A ZUGFeRD 1.0 EXTENDED text-only line is kept as written.
//   - Missing type code (UBL 2.0, OASIS samples): assumed from the root
//     element (380, 381, 389, 261), with a warning. Missing currency (UBL
//     2.0): taken from the payable amount's currencyID, with a warning.
//   - Dates: UBL xsd:date "YYYY-MM-DD" (a time zone suffix is dropped);
//     CII format 102 "YYYYMMDD" only, other format codes are an error.
//
// # Safety
//
// Input above MaxSize is refused before parsing. encoding/xml expands no
// entities beyond the five predefined ones and reads no external ones;
// a document type declaration before an invoice root is refused outright,
// since no e-invoice syntax uses one. Declared encodings are decoded with
// golang.org/x/text; vendor spellings of UTF-8 ("UTF-8-W/O-BOM") are UTF-8.
package einvoice
