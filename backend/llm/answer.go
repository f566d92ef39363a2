package llm

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/smartap/desktop/backend/bankid"
	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/vendor"
)

// ErrBadAnswer is wrapped (errors.Is) by the error of an answer that does
// not follow the schema; nothing of such an answer is used.
var ErrBadAnswer = errors.New("llm: answer does not follow the schema")

// answer mirrors schema.json. Every leaf is a *string: a JSON number, bool
// or object where a string is wanted fails decoding, so "amounts are
// strings" is enforced, not hoped for. nil is JSON null (or absent).
type answer struct {
	InvoiceNumber *string        `json:"invoice_number"`
	IssueDate     *string        `json:"issue_date"`
	DueDate       *string        `json:"due_date"`
	Currency      *string        `json:"currency"`
	Seller        *answerSeller  `json:"seller"`
	Buyer         *answerBuyer   `json:"buyer"`
	Payment       *answerPayment `json:"payment"`
	Totals        *answerTotals  `json:"totals"`
	Lines         []*answerLine  `json:"lines"`
}

type answerSeller struct {
	Name  *string `json:"name"`
	VATID *string `json:"vat_id"`
}

type answerBuyer struct {
	Name *string `json:"name"`
}

type answerPayment struct {
	IBAN *string `json:"iban"`
	BIC  *string `json:"bic"`
}

type answerTotals struct {
	LineNet      *string `json:"line_net"`
	TaxExclusive *string `json:"tax_exclusive"`
	Tax          *string `json:"tax"`
	TaxInclusive *string `json:"tax_inclusive"`
	Payable      *string `json:"payable"`
}

type answerLine struct {
	Name      *string `json:"name"`
	Quantity  *string `json:"quantity"`
	UnitPrice *string `json:"unit_price"`
	NetAmount *string `json:"net_amount"`
	TaxRate   *string `json:"tax_rate"`
}

// Bounds on what an answer may hold.
const (
	maxLines      = 1000
	maxIDLen      = 100 // invoice number
	maxNameLen    = 300 // party and item names
	minYear       = 1900
	maxYear       = 2199
	warningPrefix = "AI answer: "
)

// candidate is an answer after validation: only values that passed, in the
// invoice model, the paths a checksum confirmed, and why others were dropped.
type candidate struct {
	inv       invoice.Invoice
	confirmed map[string]bool
	warnings  []string
}

// decodeAnswer parses the model's message content strictly: one JSON
// object, no unknown fields at any depth, strings where the schema says so,
// nothing after it. The error never quotes the content.
func decodeAnswer(content string) (answer, error) {
	var a answer
	trimmed := strings.TrimSpace(content)
	if !strings.HasPrefix(trimmed, "{") {
		return a, fmt.Errorf("%w: not a JSON object", ErrBadAnswer)
	}
	dec := json.NewDecoder(strings.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return answer{}, fmt.Errorf("%w: %s", ErrBadAnswer, describeJSONError(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return answer{}, fmt.Errorf("%w: data after the JSON object", ErrBadAnswer)
	}
	return a, nil
}

// describeJSONError names the problem and where, without the content.
func describeJSONError(err error) string {
	var typeErr *json.UnmarshalTypeError
	var synErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		return fmt.Sprintf("%s is a JSON %s, want %s", truncateRunes(typeErr.Field, 80), typeErr.Value, typeErr.Type)
	case errors.As(err, &synErr):
		return fmt.Sprintf("invalid JSON at byte %d", synErr.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "the JSON ends early"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + truncateRunes(strings.TrimPrefix(err.Error(), "json: unknown field "), 60)
	}
	return "invalid JSON"
}

// validateAnswer decodes content and checks every value; pageText is the
// text the model was given, where identifiers must be found.
func validateAnswer(content, pageText string) (candidate, error) {
	a, err := decodeAnswer(content)
	if err != nil {
		return candidate{}, err
	}
	v := validator{page: alnumUpper(pageText), c: candidate{confirmed: map[string]bool{}}}
	inv := &v.c.inv
	inv.InvoiceNumber = v.identifier("invoice_number", a.InvoiceNumber, maxIDLen)
	inv.IssueDate = v.date("issue_date", a.IssueDate)
	inv.DueDate = v.date("due_date", a.DueDate)
	if !inv.IssueDate.IsZero() && !inv.DueDate.IsZero() && inv.DueDate.Before(inv.IssueDate) {
		v.warn("due_date is before issue_date; check both")
	}
	inv.Currency = v.currency("currency", a.Currency)
	if s := a.Seller; s != nil {
		inv.Seller.Name = v.text("seller.name", s.Name, maxNameLen)
		inv.Seller.VATID = v.vatID("seller.vat_id", s.VATID)
	}
	if b := a.Buyer; b != nil {
		inv.Buyer.Name = v.text("buyer.name", b.Name, maxNameLen)
	}
	if p := a.Payment; p != nil {
		inv.Payment.IBAN = v.iban("payment.iban", p.IBAN)
		inv.Payment.BIC = v.bic("payment.bic", p.BIC)
		if inv.Payment.IBAN != "" && inv.Payment.BIC != "" && inv.Payment.BIC[4:6] == inv.Payment.IBAN[:2] {
			v.c.confirmed["payment.bic"] = true // the BIC's country is the IBAN's
		}
	}
	if t := a.Totals; t != nil {
		inv.Totals.LineNet = v.amount("totals.line_net", t.LineNet)
		inv.Totals.TaxExclusive = v.amount("totals.tax_exclusive", t.TaxExclusive)
		inv.Totals.Tax = v.amount("totals.tax", t.Tax)
		inv.Totals.TaxInclusive = v.amount("totals.tax_inclusive", t.TaxInclusive)
		inv.Totals.Payable = v.amount("totals.payable", t.Payable)
	}
	v.lines(a.Lines)
	return v.c, nil
}

type validator struct {
	page string // the page text, letters and digits only, upper case
	c    candidate
}

func (v *validator) warn(msg string) { v.c.warnings = append(v.c.warnings, warningPrefix+msg) }

func (v *validator) drop(path, why string) {
	v.warn(path + " not taken: " + why)
}

func (v *validator) lines(in []*answerLine) {
	if len(in) > maxLines {
		v.drop("lines", fmt.Sprintf("%d lines, more than %d", len(in), maxLines))
		return
	}
	for _, l := range in {
		if l == nil {
			continue
		}
		i := len(v.c.inv.Lines)
		p := func(f string) string { return fmt.Sprintf("lines[%d].%s", i, f) }
		line := invoice.Line{
			ID:        fmt.Sprint(i + 1),
			Name:      v.text(p("name"), l.Name, maxNameLen),
			Quantity:  v.amount(p("quantity"), l.Quantity),
			UnitPrice: v.amount(p("unit_price"), l.UnitPrice),
			NetAmount: v.amount(p("net_amount"), l.NetAmount),
			TaxRate:   v.rate(p("tax_rate"), l.TaxRate),
		}
		if line.Name == "" && line.Quantity == nil && line.UnitPrice == nil && line.NetAmount == nil && line.TaxRate == nil {
			continue // nothing left of it
		}
		v.c.inv.Lines = append(v.c.inv.Lines, line)
	}
}

// text accepts a name: no control or invisible formatting characters
// (bidi overrides could make a name display as another), inner whitespace
// collapsed, at most max characters.
func (v *validator) text(path string, s *string, max int) string {
	if s == nil {
		return ""
	}
	t := strings.Join(strings.Fields(*s), " ")
	if t == "" {
		return ""
	}
	for _, r := range t {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\uFFFD' {
			v.drop(path, "it contains control or invisible characters")
			return ""
		}
	}
	if len([]rune(t)) > max {
		v.drop(path, fmt.Sprintf("longer than %d characters", max))
		return ""
	}
	return t
}

// identifier is text that must also appear on the page (ignoring case,
// spaces and punctuation), so a made-up number is not taken.
func (v *validator) identifier(path string, s *string, max int) string {
	t := v.text(path, s, max)
	if t != "" && !v.onPage(t) {
		v.drop(path, "not found in the page text")
		return ""
	}
	return t
}

func (v *validator) onPage(s string) bool {
	a := alnumUpper(s)
	return a != "" && strings.Contains(v.page, a)
}

func (v *validator) date(path string, s *string) invoice.Date {
	if s == nil || strings.TrimSpace(*s) == "" {
		return invoice.Date{}
	}
	d, err := invoice.ParseDate(strings.TrimSpace(*s))
	if err != nil {
		v.drop(path, "not a calendar date in the form YYYY-MM-DD")
		return invoice.Date{}
	}
	if d.Year < minYear || d.Year > maxYear {
		v.drop(path, fmt.Sprintf("year outside %d–%d", minYear, maxYear))
		return invoice.Date{}
	}
	return d
}

func (v *validator) currency(path string, s *string) string {
	if s == nil || strings.TrimSpace(*s) == "" {
		return ""
	}
	c := strings.ToUpper(strings.TrimSpace(*s))
	if len(c) != 3 || !isToken(c, 3, "") || strings.ContainsAny(c, "0123456789") {
		v.drop(path, "not an ISO 4217 code of three letters")
		return ""
	}
	return c
}

func (v *validator) vatID(path string, s *string) string {
	if s == nil || strings.TrimSpace(*s) == "" {
		return ""
	}
	id := vendor.NormalizeVATID(*s)
	if vendor.CheckVATID(id) != nil {
		v.drop(path, "not a VAT identifier (country prefix and 2 to 13 letters or digits)")
		return ""
	}
	if !v.onPage(id) {
		v.drop(path, "not found in the page text")
		return ""
	}
	return id
}

func (v *validator) iban(path string, s *string) string {
	if s == nil || strings.TrimSpace(*s) == "" {
		return ""
	}
	n, err := bankid.NormalizeIBAN(*s)
	if err != nil {
		v.drop(path, ibanReason(err))
		return ""
	}
	if !v.onPage(n) {
		v.drop(path, "not found in the page text")
		return ""
	}
	v.c.confirmed[path] = true // mod-97 holds
	return n
}

// ibanReason is bankid's explanation without its "invalid IBAN: " prefix;
// bankid never quotes the value.
func ibanReason(err error) string {
	return "not a valid IBAN (" + strings.TrimPrefix(err.Error(), bankid.ErrIBAN.Error()+": ") + ")"
}

func (v *validator) bic(path string, s *string) string {
	if s == nil || strings.TrimSpace(*s) == "" {
		return ""
	}
	n, err := bankid.NormalizeBIC(strings.Join(strings.Fields(*s), ""))
	if err != nil {
		v.drop(path, "not a BIC (8 or 11 letters and digits)")
		return ""
	}
	if !v.onPage(n) {
		v.drop(path, "not found in the page text")
		return ""
	}
	return n
}

// amount parses a decimal written as a string with backend/decimal: no
// exponents, no thousands separators, no decimal commas.
func (v *validator) amount(path string, s *string) *decimal.Decimal {
	if s == nil || strings.TrimSpace(*s) == "" {
		return nil
	}
	d, err := decimal.Parse(*s)
	if err != nil {
		v.drop(path, "not a plain decimal number")
		return nil
	}
	return &d
}

var hundred = decimal.NewFromInt(100)

// rate is a VAT rate in percent, 0 to 100.
func (v *validator) rate(path string, s *string) *decimal.Decimal {
	d := v.amount(path, s)
	if d != nil && (d.Sign() < 0 || d.Cmp(hundred) > 0) {
		v.drop(path, "a VAT rate must be between 0 and 100 percent")
		return nil
	}
	return d
}

// alnumUpper keeps letters and digits, upper-cased: the form in which an
// identifier is looked for on the page, whatever the spacing and punctuation.
func alnumUpper(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}
