// Package checks turns one invoice, plus what the caller knows about its
// vendor and earlier invoices, into findings (docs/ARCHITECTURE.md §5,
// CLI.md "Findings"): required fields, arithmetic, dates, IBAN and VAT id
// checksums, duplicates, vendor master, round amounts, price spikes and low
// read confidence.
//
// It is pure domain code: it looks nothing up. The caller finds the vendor,
// the candidate duplicates (by blind index or vendor) and the history, and
// passes them in a Context; the clock comes in through Config.Now. The same
// inputs always give the same findings in the same order.
//
// Other modules (XML vs page comparison, PO matching, intake's content scan)
// produce findings of the same shape; Sort and HasBlocking work on all of
// them together.
package checks

import (
	"slices"
	"time"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/vendor"
)

// Severity says how much a finding matters. The values are stored and
// shown in `show --json`; never rename one.
type Severity string

// The severities, from least to most serious.
const (
	SeverityInfo     Severity = "info"     // worth knowing, no action needed
	SeverityWarning  Severity = "warning"  // look before approving
	SeverityError    Severity = "error"    // the data is wrong or incomplete
	SeverityCritical Severity = "critical" // must not be paid as it stands
)

// rank orders severities for Sort; unknown values rank below info so a
// typo never pushes a finding above real ones.
func (s Severity) rank() int {
	switch s {
	case SeverityCritical:
		return 4
	case SeverityError:
		return 3
	case SeverityWarning:
		return 2
	case SeverityInfo:
		return 1
	}
	return 0
}

// The finding codes this package produces (CLI.md). They are stable.
const (
	CodeMissingField        = "missing_field"
	CodeArithmetic          = "arithmetic"
	CodeDateInvalid         = "date_invalid"
	CodeIBANInvalid         = "iban_invalid"
	CodeVATIDInvalid        = "vat_id_invalid"
	CodeDuplicateExact      = "duplicate_exact"
	CodeDuplicateNumber     = "duplicate_number"
	CodeDuplicateNear       = "duplicate_near"
	CodeVendorUnknown       = "vendor_unknown"
	CodeBankMismatch        = "bank_details_mismatch"
	CodeBankChangedRecently = "bank_details_changed_recently"
	CodeRoundAmount         = "round_amount"
	CodePriceSpike          = "price_spike"
	CodeLowConfidence       = "low_confidence"
)

// Finding is one check result. The JSON shape is the store's and CLI's:
// fields is always an array, never null.
type Finding struct {
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	// Fields are JSON paths into the invoice model ("totals.payable",
	// "lines[2].unit_price") so the UI can point at them.
	Fields []string `json:"fields"`
}

// Config holds every threshold. Percentages are in percent (1 means 1 %).
type Config struct {
	// Now is the moment the checks run, for the date window and for
	// "changed recently". A zero Now skips the checks that need it rather
	// than comparing with year 1.
	Now        time.Time
	FutureDays int // issue dates up to this many days ahead of Now are accepted
	MaxAgeDays int // issue dates further back than this are flagged

	NearAmountPct decimal.Decimal // duplicate_near: payable within this percent …
	NearDays      int             // … and issue date within this many days

	BankChangeWindow time.Duration // a bank change younger than this is flagged
	LowConfidence    float64       // read fields scored below this are flagged

	RoundAmountMin      decimal.Decimal // round_amount only from this payable up
	PriceSpikePct       decimal.Decimal // a unit price this percent above the median is a spike
	ArithmeticTolerance decimal.Decimal // allowed difference in every sum
}

// DefaultConfig returns the defaults, with Now read from the clock. This is
// the one place the package reads the clock; tests and replays set Now.
func DefaultConfig() Config {
	return Config{
		Now:                 time.Now(),
		FutureDays:          7,
		MaxAgeDays:          365,
		NearAmountPct:       decimal.NewFromInt(1),
		NearDays:            7,
		BankChangeWindow:    30 * 24 * time.Hour,
		LowConfidence:       0.6,
		RoundAmountMin:      decimal.NewFromInt(1000),
		PriceSpikePct:       decimal.NewFromInt(50),
		ArithmeticTolerance: decimal.New(1, 2),
	}
}

// Prior is an invoice already stored that may be a duplicate of the one
// being checked: the caller picks the candidates, the checks compare.
type Prior struct {
	ID      string
	Invoice invoice.Invoice
	SHA256  string // hex of the stored source bytes
}

// Context is what the caller knows around the invoice.
type Context struct {
	// Vendor is the vendor master entry matched to the seller; nil means
	// no match (or no unique one, see VendorCandidates).
	Vendor *vendor.Vendor
	// VendorCandidates is how many vendors matched the seller; with Vendor
	// nil and more than one, the message asks the user to choose.
	VendorCandidates int
	// Priors are stored invoices of the same seller, to compare with.
	Priors []Prior
	// SHA256 is the hex digest of this invoice's source bytes.
	SHA256 string
	// ExactDuplicateOf is the id of a stored invoice with the same bytes,
	// when the caller's index already found one.
	ExactDuplicateOf string
	// History holds the vendor's earlier invoices, for price spikes.
	History []invoice.Invoice
	// Self is the checked invoice's own id when a stored invoice is checked
	// again (after a correction); a prior with this id is itself, not a
	// duplicate. Empty for new invoices.
	Self string
}

// Run applies every check to inv and returns the findings sorted by Sort.
// It never modifies inv or ctx. The result is never nil, so it encodes as
// a JSON array.
func Run(inv invoice.Invoice, ctx Context, cfg Config) []Finding {
	fs := []Finding{}
	for _, check := range []func(*invoice.Invoice, *Context, *Config) []Finding{
		checkRequired,
		checkArithmetic,
		checkDates,
		checkIBAN,
		checkVATIDs,
		checkDuplicates,
		checkVendor,
		checkRoundAmount,
		checkPriceSpikes,
		checkConfidence,
	} {
		fs = append(fs, check(&inv, &ctx, &cfg)...)
	}
	Sort(fs)
	return fs
}

// Sort orders findings most serious first, then by code. It is stable, so
// findings of one code keep the order they were produced in (line order).
func Sort(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if ra, rb := a.Severity.rank(), b.Severity.rank(); ra != rb {
			return rb - ra
		}
		switch {
		case a.Code < b.Code:
			return -1
		case a.Code > b.Code:
			return 1
		}
		return 0
	})
}

// HasBlocking reports whether any finding is critical: such an invoice
// must not move on to approval or payment until someone resolves it.
func HasBlocking(fs []Finding) bool {
	return slices.ContainsFunc(fs, func(f Finding) bool { return f.Severity == SeverityCritical })
}

// finding builds a Finding; fields is never nil in the result.
func finding(code string, sev Severity, msg string, fields ...string) Finding {
	if fields == nil {
		fields = []string{}
	}
	return Finding{Code: code, Severity: sev, Message: msg, Fields: fields}
}
