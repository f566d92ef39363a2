// Package pagereader reads an invoice from its visible page: positioned
// words (from PDF text or OCR) are rebuilt into lines, segments and tables,
// header fields are found by labels in English, German, French and Dutch,
// and identifiers and amounts are checked by checksums (IBAN mod-97, VAT id
// check digits) and arithmetic (lines sum to net, net + tax = gross,
// gross − prepaid = payable). Every field found gets a confidence in
// invoice.Confidence under its JSON path; what could not be confirmed is
// explained in invoice.Warnings. ARCHITECTURE.md §3.3 and §3.5.
//
// The reader knows nothing of where the words come from and has no
// per-vendor templates: only labels, positions, formats and arithmetic.
//
// Confidence scale (see the constants): a value confirmed by a checksum or
// by arithmetic ≥ 0.9; found next to its label 0.6–0.8; inferred or guessed
// from position ≤ 0.5.
package pagereader

// Confidence levels used throughout the package.
const (
	// ConfConfirmed: a checksum or an arithmetic identity holds.
	ConfConfirmed = 0.95
	// ConfChecksum: the value's own check digits hold, its role is by position.
	ConfChecksum = 0.9
	// ConfLabel: the value stands next to a specific label.
	ConfLabel = 0.75
	// ConfWeakLabel: a generic label ("Date", "Name") or a layout rule.
	ConfWeakLabel = 0.6
	// ConfInferred: derived from other fields (payable = gross when no
	// prepayment is shown).
	ConfInferred = 0.5
	// ConfGuess: chosen by position or prominence only.
	ConfGuess = 0.3
	// ConfContradicted: arithmetic shows the value cannot be right.
	ConfContradicted = 0.2
)
