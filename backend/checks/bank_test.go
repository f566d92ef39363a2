package checks

import (
	"strings"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/vendor"
)

// cleanCII asks for payment to NL57RABO0107307510 (valid); its matching
// vendor holds the same IBAN.
func TestBankVariants(t *testing.T) {
	const other = "DE89370400440532013000" // valid, and not the seller's
	tests := []struct {
		name   string
		change func(*invoice.Invoice, *Context, *Config)
		want   []string
		msgs   []string
	}{
		{"IBAN check digits corrupted, master still right",
			func(i *invoice.Invoice, _ *Context, _ *Config) { i.Payment.IBAN = "NL57RABO0107307511" },
			[]string{CodeBankMismatch, CodeIBANInvalid},
			[]string{"payee account NL••••••••••••7511 is not a valid IBAN: check digits do not match"}},
		{"IBAN corrupted in invoice and master alike",
			func(i *invoice.Invoice, c *Context, _ *Config) {
				i.Payment.IBAN, c.Vendor.Bank.IBAN = "NL57RABO0107307511", "NL57RABO0107307511"
			},
			[]string{CodeIBANInvalid}, nil},
		{"IBAN one character short",
			func(i *invoice.Invoice, c *Context, _ *Config) {
				i.Payment.IBAN, c.Vendor.Bank.IBAN = "NL57RABO010730751", ""
			},
			[]string{CodeIBANInvalid}, []string{"NL IBANs have 18 characters, not 17"}},
		{"IBAN on paper: groups and lower case",
			func(i *invoice.Invoice, _ *Context, _ *Config) { i.Payment.IBAN = "nl57 rabo 0107 3075 10" },
			nil, nil},
		{"national account number with means code 30 is not an IBAN",
			func(i *invoice.Invoice, c *Context, _ *Config) {
				i.Payment.IBAN, c.Vendor.Bank.IBAN = "1234.56.78901", ""
			},
			nil, nil},
		{"SEPA credit transfer (58) needs an IBAN",
			func(i *invoice.Invoice, c *Context, _ *Config) {
				i.Payment.MeansCode, i.Payment.IBAN, c.Vendor.Bank.IBAN = "58", "1234.56.78901", ""
			},
			[]string{CodeIBANInvalid}, []string{"not a valid IBAN"}},
		{"vendor master has another IBAN",
			func(_ *invoice.Invoice, c *Context, _ *Config) { c.Vendor.Bank.IBAN = other },
			[]string{CodeBankMismatch},
			[]string{"the invoice asks for payment to NL••••••••••••7510, but the vendor master has DE••••••••••••••••3000 for De Koksmaat"}},
		{"invoice gives the national number inside the master's IBAN",
			func(i *invoice.Invoice, c *Context, _ *Config) {
				i.Payment.IBAN, c.Vendor.Bank.IBAN = "3704 0044 0532-0130-00", other
			},
			nil, nil},
		{"invoice gives another national number",
			func(i *invoice.Invoice, c *Context, _ *Config) {
				i.Payment.IBAN, c.Vendor.Bank.IBAN = "0532013001", other
			},
			[]string{CodeBankMismatch}, nil},
		{"vendor master has no IBAN: nothing to compare",
			func(_ *invoice.Invoice, c *Context, _ *Config) { c.Vendor.Bank.IBAN = "" },
			nil, nil},
		{"invoice names no account: paid to the master's",
			func(i *invoice.Invoice, c *Context, _ *Config) { i.Payment.IBAN, c.Vendor.Bank.IBAN = "", other },
			nil, nil},
		{"bank details changed 3 days ago",
			func(_ *invoice.Invoice, c *Context, cfg *Config) {
				c.Vendor.BankChangedAt = cfg.Now.Add(-72 * time.Hour)
			},
			[]string{CodeBankChangedRecently},
			[]string{"the bank details of De Koksmaat changed on 2015-01-07 12:00 UTC, less than 30 days before this check"}},
		{"changed 3 days ago and the invoice has the old account",
			func(_ *invoice.Invoice, c *Context, cfg *Config) {
				c.Vendor.Bank.IBAN, c.Vendor.BankChangedAt = other, cfg.Now.Add(-72*time.Hour)
			},
			[]string{CodeBankMismatch, CodeBankChangedRecently}, nil},
		{"bank details changed 31 days ago",
			func(_ *invoice.Invoice, c *Context, cfg *Config) { c.Vendor.BankChangedAt = cfg.Now.AddDate(0, 0, -31) },
			nil, nil},
		{"change window is configurable",
			func(_ *invoice.Invoice, c *Context, cfg *Config) {
				c.Vendor.BankChangedAt, cfg.BankChangeWindow = cfg.Now.AddDate(0, 0, -31), 90*24*time.Hour
			},
			[]string{CodeBankChangedRecently}, []string{"less than 90 days"}},
		{"unknown vendor",
			func(_ *invoice.Invoice, c *Context, _ *Config) { c.Vendor = nil },
			[]string{CodeVendorUnknown}, []string{"De Koksmaat is not in the vendor master"}},
		{"several vendor candidates",
			func(_ *invoice.Invoice, c *Context, _ *Config) { c.Vendor, c.VendorCandidates = nil, 3 },
			[]string{CodeVendorUnknown}, []string{"De Koksmaat matches 3 vendors in the vendor master; choose the right one"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv, ctx, cfg := base(t, cleanCII)
			v := *ctx.Vendor
			ctx.Vendor = &v
			tc.change(&inv, &ctx, &cfg)
			fs := Run(inv, ctx, cfg)
			expect(t, fs, tc.want, tc.msgs...)
			for _, f := range fs {
				if want := bankSeverity[f.Code]; f.Severity != want {
					t.Errorf("%s: severity %s, want %s", f.Code, f.Severity, want)
				}
				// Findings are shown and may be logged: never a full IBAN.
				for _, iban := range []string{inv.Payment.IBAN, v.Bank.IBAN, other} {
					if len(iban) > 8 && strings.Contains(f.Message, compact(iban)) {
						t.Errorf("%s shows a full IBAN: %q", f.Code, f.Message)
					}
				}
			}
			if got, want := HasBlocking(fs), tc.want != nil && tc.want[0] == CodeBankMismatch; got != want {
				t.Errorf("HasBlocking = %v, want %v", got, want)
			}
		})
	}
}

var bankSeverity = map[string]Severity{
	CodeBankMismatch:        SeverityCritical,
	CodeIBANInvalid:         SeverityError,
	CodeBankChangedRecently: SeverityWarning,
	CodeVendorUnknown:       SeverityWarning,
}

// A vendor whose bank details never changed has a zero BankChangedAt;
// that is not "changed in year 1", and a zero Now checks nothing.
func TestBankChangeZeroTimes(t *testing.T) {
	inv, ctx, cfg := base(t, cleanCII)
	ctx.Vendor = &vendor.Vendor{Name: "x", Bank: vendor.BankDetails{IBAN: inv.Payment.IBAN}}
	expect(t, Run(inv, ctx, cfg), nil)
	ctx.Vendor.BankChangedAt = cfg.Now.Add(-time.Hour)
	cfg.Now = time.Time{}
	expect(t, Run(inv, ctx, cfg), nil)
}
