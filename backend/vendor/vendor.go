// Package vendor is the vendor master: suppliers, their bank details and the
// history of changes to those details (a changed IBAN is the classic
// payment-fraud signal). Domain code: no storage, UI or network.
package vendor

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/smartap/desktop/backend/bankid"
)

// ErrInvalid is wrapped by every validation failure.
var ErrInvalid = errors.New("invalid vendor")

// BankDetails is where a vendor is paid.
type BankDetails struct {
	IBAN        string `json:"iban,omitempty"`
	BIC         string `json:"bic,omitempty"`
	AccountName string `json:"account_name,omitempty"`
}

// IsZero reports whether no bank details are set.
func (b BankDetails) IsZero() bool { return b == BankDetails{} }

// Normalize validates and returns the canonical form; empty fields stay empty.
func (b BankDetails) Normalize() (BankDetails, error) {
	out := BankDetails{AccountName: strings.TrimSpace(b.AccountName)}
	var err error
	if strings.TrimSpace(b.IBAN) != "" {
		if out.IBAN, err = bankid.NormalizeIBAN(b.IBAN); err != nil {
			return BankDetails{}, fmt.Errorf("%w: %w", ErrInvalid, err)
		}
	}
	if strings.TrimSpace(b.BIC) != "" {
		if out.BIC, err = bankid.NormalizeBIC(b.BIC); err != nil {
			return BankDetails{}, fmt.Errorf("%w: %w", ErrInvalid, err)
		}
	}
	if len(out.AccountName) > 140 {
		return BankDetails{}, fmt.Errorf("%w: account name longer than 140 characters", ErrInvalid)
	}
	return out, nil
}

// Vendor is a supplier in the vendor master.
type Vendor struct {
	ID            string      `json:"id"`
	Name          string      `json:"name"`
	VATID         string      `json:"vat_id,omitempty"`
	Country       string      `json:"country,omitempty"`
	Bank          BankDetails `json:"bank"`
	CreatedAt     time.Time   `json:"created_at"`
	UpdatedAt     time.Time   `json:"updated_at"`
	BankChangedAt time.Time   `json:"bank_changed_at,omitzero"`
}

// Input is what a user gives to create a vendor.
type Input struct {
	Name    string
	VATID   string
	Country string
	Bank    BankDetails
}

// Normalize validates the input and returns its canonical form.
func (in Input) Normalize() (Input, error) {
	out := Input{
		Name:    strings.Join(strings.Fields(in.Name), " "),
		VATID:   NormalizeVATID(in.VATID),
		Country: strings.ToUpper(strings.TrimSpace(in.Country)),
	}
	switch {
	case out.Name == "":
		return Input{}, fmt.Errorf("%w: name is required", ErrInvalid)
	case len([]rune(out.Name)) > 200:
		return Input{}, fmt.Errorf("%w: name longer than 200 characters", ErrInvalid)
	case strings.ContainsFunc(out.Name, unicode.IsControl):
		return Input{}, fmt.Errorf("%w: name contains control characters", ErrInvalid)
	case out.Country != "" && !isCountry(out.Country):
		return Input{}, fmt.Errorf("%w: country must be a two-letter ISO code", ErrInvalid)
	}
	if out.VATID != "" {
		if err := CheckVATID(out.VATID); err != nil {
			return Input{}, err
		}
	}
	bank, err := in.Bank.Normalize()
	if err != nil {
		return Input{}, err
	}
	out.Bank = bank
	if out.Country == "" && len(out.VATID) > 2 && isCountry(out.VATID[:2]) {
		out.Country = out.VATID[:2]
	}
	return out, nil
}

func isCountry(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

// NormalizeVATID removes spaces, dots and dashes and upper-cases.
func NormalizeVATID(s string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '.' || r == '-' {
			return -1
		}
		return r
	}, s))
}

// CheckVATID checks the shape of a normalised VAT id: a two-letter prefix
// and 2–13 letters or digits. Country-specific checksums come with reading.
func CheckVATID(v string) error {
	if len(v) < 4 || len(v) > 15 || !isCountry(v[:2]) {
		return fmt.Errorf("%w: VAT id %q must start with a country code", ErrInvalid, v)
	}
	for _, r := range v[2:] {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return fmt.Errorf("%w: VAT id %q has %q", ErrInvalid, v, r)
		}
	}
	return nil
}

// MatchName normalises a name for equality look-ups: case, punctuation,
// spacing and common legal-form suffixes do not matter.
func MatchName(name string) string {
	f := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for len(f) > 1 && legalForms[f[len(f)-1]] {
		f = f[:len(f)-1]
	}
	return strings.Join(f, " ")
}

var legalForms = map[string]bool{
	"gmbh": true, "ag": true, "kg": true, "ltd": true, "limited": true, "inc": true,
	"llc": true, "plc": true, "sa": true, "sas": true, "sarl": true, "bv": true,
	"nv": true, "srl": true, "spa": true, "co": true, "corp": true, "ug": true,
}

// BankChange records one change of a vendor's bank details.
type BankChange struct {
	ID       string      `json:"id"`
	VendorID string      `json:"vendor_id"`
	At       time.Time   `json:"at"`
	By       string      `json:"by"`
	Old      BankDetails `json:"old"`
	New      BankDetails `json:"new"`
}

// ChangedWithin reports whether the bank details changed in the window
// before now: a fresh change deserves a second look before paying.
func (v Vendor) ChangedWithin(now time.Time, window time.Duration) bool {
	return !v.BankChangedAt.IsZero() && now.Sub(v.BankChangedAt) < window
}

// Contact is a person at a vendor: personal data of a data subject
// (GDPR), sealed under a key of its own so it can be erased alone.
type Contact struct {
	ID       string `json:"id"`
	VendorID string `json:"vendor_id"`
	Name     string `json:"name,omitempty"`
	Email    string `json:"email,omitempty"`
	Phone    string `json:"phone,omitempty"`
	Role     string `json:"role,omitempty"`
	Erased   bool   `json:"erased,omitempty"`
}

// Normalize checks a contact: a name is required; e-mail and phone are
// free text within bounds (people write them in many ways).
func (c Contact) Normalize() (Contact, error) {
	c.Name = strings.Join(strings.Fields(c.Name), " ")
	c.Email, c.Phone, c.Role = strings.TrimSpace(c.Email), strings.TrimSpace(c.Phone), strings.TrimSpace(c.Role)
	switch {
	case c.Name == "":
		return c, fmt.Errorf("%w: a contact needs a name", ErrInvalid)
	case len(c.Name) > 200 || len(c.Email) > 254 || len(c.Phone) > 50 || len(c.Role) > 100:
		return c, fmt.Errorf("%w: contact field too long", ErrInvalid)
	case c.Email != "" && !strings.Contains(c.Email, "@"):
		return c, fmt.Errorf("%w: %q is not an e-mail address", ErrInvalid, c.Email)
	}
	return c, nil
}
