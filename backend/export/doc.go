// Package export writes invoices out of SmartAP: CSV and JSON for
// spreadsheets and ERPs, EN 16931 UBL for other e-invoicing systems, and
// ISO 20022 pain.001.001.09 SEPA credit transfers for the bank.
//
// The writers are pure: they take already loaded invoices (Item) and an
// io.Writer or return bytes, and touch no storage, UI or network. Choosing
// which invoices to export, checking permissions, moving them to
// "exported" and writing the file crash-safely (atomicfile) is the
// caller's job. Every writer is deterministic: the same input gives the
// same bytes, so exports can be golden-tested and diffed.
//
// # CSV
//
// RFC 4180: comma separated, CRLF line ends, fields quoted only when they
// must be. The first row is the header; the columns, in order:
//
//	id              the invoice's id in SmartAP
//	status          its AP status (received … paid)
//	invoice_number  BT-1
//	type_code       BT-3 (380 invoice, 381 credit note, …)
//	issue_date      BT-2, YYYY-MM-DD
//	due_date        BT-9, YYYY-MM-DD
//	currency        BT-5
//	seller_name     BT-27
//	seller_vat_id   BT-31
//	buyer_name      BT-44
//	purchase_order  BT-13
//	line_net        BT-106
//	tax_exclusive   BT-109
//	tax             BT-110
//	tax_inclusive   BT-112
//	payable         BT-115
//	iban            the vendor master's IBAN (empty when the vendor is unknown)
//	bic             the vendor master's BIC
//
// Amounts are written exactly as the invoice states them, with a dot as
// decimal separator and the sign they carry ("-10.00"); an absent amount
// is an empty cell, not 0. iban and bic come from the vendor master, not
// from the invoice, for the same reason as in SEPA below: a CSV file is
// often what an ERP pays from. The invoice's own account is in the JSON
// export.
//
// Formula injection: spreadsheets run a cell that starts with = + - @ as
// a formula, and a leading TAB or CR can hide such a start. Every text
// cell (all columns except the amounts and dates) that starts with one of
// these characters is prefixed with a single quote ('), which spreadsheets
// show as text. Amount cells are never prefixed: "-10.00" must stay a
// number, and they are produced by the decimal type, so they can hold
// nothing but a sign, digits and a dot.
//
// # JSON
//
// An array of {"id", "status", "invoice"} where invoice is the EN 16931
// JSON model of docs/ARCHITECTURE.md §2, indented, in input order.
//
// # UBL
//
// UBL builds one UBL 2.1 Invoice, or CreditNote for credit note type
// codes, with CustomizationID urn:cen.eu:en16931:2017 and every field of
// the model; einvoice.ReadUBL reads it back to the same invoice. What
// cannot round-trip is listed on UBL. UBLFileName gives a safe file name
// for one invoice, as many invoices are written one file each.
//
// # SEPA
//
// SEPA writes one pain.001.001.09 customer credit transfer initiation
// with one payment information block. Amounts come from the invoice
// (BT-115); the creditor's IBAN, BIC and name come from the vendor master,
// never from the invoice: an invoice that names a new account is a fraud
// signal, not a payment instruction. An invoice that cannot be paid safely
// is refused with a reason (SEPAError) rather than guessed at; besides the
// obvious (no vendor, no or invalid IBAN/BIC, not EUR, not a positive
// amount in whole cents, credit note) that includes an invoice whose
// status is not approved, one listed twice, and a vendor account outside
// the SEPA countries. Names and texts are transliterated into the EPC
// basic Latin set (ä → ae, ß → ss, & → +) and cut to the SEPA lengths.
package export
