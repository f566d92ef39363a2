package checks

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/smartap/desktop/backend/bankid"
	"github.com/smartap/desktop/backend/invoice"
)

// sepaCreditTransfer is UNTDID 4461 code 58: the account must be an IBAN.
const sepaCreditTransfer = "58"

// checkIBAN verifies the payee account (BT-84) when it is meant to be an
// IBAN: the means code says SEPA, or the value starts like one (country
// letters and check digits). BT-84 may also be a national account number,
// which has no check this package knows, so that is left alone.
func checkIBAN(inv *invoice.Invoice, _ *Context, _ *Config) []Finding {
	acct := compact(inv.Payment.IBAN)
	if acct == "" || (inv.Payment.MeansCode != sepaCreditTransfer && !looksLikeIBAN(acct)) {
		return nil
	}
	if _, err := bankid.NormalizeIBAN(acct); err != nil {
		// The masked form keeps bank data out of logs; the field path lets
		// the UI show the full value to a user allowed to see it.
		msg := fmt.Sprintf("payee account %s is not a valid IBAN: %s", bankid.MaskIBAN(acct), reason(err, bankid.ErrIBAN))
		return []Finding{finding(CodeIBANInvalid, SeverityError, msg, "payment.iban")}
	}
	return nil
}

// looksLikeIBAN: two letters then two digits.
func looksLikeIBAN(s string) bool {
	return len(s) >= 4 && isUpper(s[0]) && isUpper(s[1]) && isDigit(s[2]) && isDigit(s[3])
}

// checkVendor compares the seller with the vendor master: an unknown
// vendor, an invoice asking for payment to another account than the master
// holds (the classic invoice-redirection fraud, hence critical), and bank
// details changed shortly before (the other half of that fraud: the master
// itself was talked into a new account).
func checkVendor(inv *invoice.Invoice, ctx *Context, cfg *Config) []Finding {
	v := ctx.Vendor
	if v == nil {
		return []Finding{unknownVendor(inv, ctx.VendorCandidates)}
	}
	var out []Finding
	got, master := compact(inv.Payment.IBAN), compact(v.Bank.IBAN)
	if got != "" && master != "" && !sameAccount(got, master) {
		msg := fmt.Sprintf("the invoice asks for payment to %s, but the vendor master has %s for %s",
			bankid.MaskIBAN(got), bankid.MaskIBAN(master), v.Name)
		out = append(out, finding(CodeBankMismatch, SeverityCritical, msg, "payment.iban"))
	}
	if !cfg.Now.IsZero() && v.ChangedWithin(cfg.Now, cfg.BankChangeWindow) {
		msg := fmt.Sprintf("the bank details of %s changed on %s, less than %s before this check; confirm the change with the vendor by a known channel",
			v.Name, v.BankChangedAt.UTC().Format("2006-01-02 15:04 UTC"), days(cfg.BankChangeWindow))
		out = append(out, finding(CodeBankChangedRecently, SeverityWarning, msg, "payment.iban"))
	}
	return out
}

// sameAccount compares two payee accounts in electronic form. Besides
// equality it accepts a national account number (BT-84 need not be an
// IBAN) that the other side's IBAN ends with: the IBAN is country, check
// digits and that number (BBAN), so both name the same account and a
// critical finding would be a false alarm.
func sameAccount(a, b string) bool {
	if a == b {
		return true
	}
	if looksLikeIBAN(a) == looksLikeIBAN(b) {
		return false
	}
	if looksLikeIBAN(a) {
		a, b = b, a
	}
	national := strings.Map(func(r rune) rune {
		if r < 128 && (isDigit(byte(r)) || isUpper(byte(r))) { // #nosec G115 -- r < 128
			return r
		}
		return -1
	}, a)
	return len(national) >= 6 && strings.HasSuffix(b, national)
}

func unknownVendor(inv *invoice.Invoice, candidates int) Finding {
	name := strings.TrimSpace(inv.Seller.Name)
	if name == "" {
		name = "the seller"
	}
	msg := fmt.Sprintf("%s is not in the vendor master", name)
	if candidates > 1 {
		msg = fmt.Sprintf("%s matches %d vendors in the vendor master; choose the right one", name, candidates)
	}
	return finding(CodeVendorUnknown, SeverityWarning, msg, "seller.name", "seller.vat_id")
}

// days writes a window as whole days ("30 days"), how users think of it.
func days(d time.Duration) string {
	n := int(d.Hours() / 24)
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// compact upper-cases and drops whitespace: the electronic form of IBANs
// (written in groups of four on paper).
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
}

// reason is err's text without the sentinel prefix that the finding's code
// already says ("invalid IBAN: check digits do not match").
func reason(err, sentinel error) string {
	return strings.TrimPrefix(err.Error(), sentinel.Error()+": ")
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
