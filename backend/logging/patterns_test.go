package logging

import (
	"strings"
	"testing"
)

const (
	iban       = "DE89370400440532013000"
	ibanSpaced = "DE89 3704 0044 0532 0130 00"
	jwt        = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U" // gitleaks:allow -- a public example token the redactor must hide
	recovery   = "7K3M-9QXR-2VHD-A8TN-K4ZP-W6GE-1BCF-5RJS-0MYD-3QWX-8HNT-2KVA-9PZE-4GBR"
)

// security checklist #6: secrets and bank data in free text are replaced in
// place, and the text around them survives.
func TestRedactStringPatterns(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"iban compact", "pay to " + iban + " today", "pay to [redacted] today"},
		{"iban spaced", "IBAN: " + ibanSpaced + ".", "IBAN: [redacted]."},
		{"iban lowercase", "iban=de89370400440532013000", "iban=[redacted]"},
		{"iban glued to label", "iban" + iban, "iban[redacted]"},
		{"iban shortest (NO)", "NO9386011117947", "[redacted]"},
		{"iban longest (LC)", "LC55HEMM000100010012001200023015", "[redacted]"},
		{"iban GB spaced", "GB29 NWBK 6016 1331 9268 19", "[redacted]"},
		{"iban FR spaced", "FR14 2004 1010 0505 0001 3M02 606", "[redacted]"},
		{"jwt", "token " + jwt + " expired", "token [redacted] expired"},
		{"jwt alg none", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.", "[redacted]"},
		{"bearer", "Authorization: Bearer abc.DEF-123_x~", "Authorization: Bearer [redacted]"},
		{"bearer lowercase", "header bearer   mF_9.B5f-4.1JqM", "header bearer   [redacted]"},
		{"sha256 hex", "digest " + strings.Repeat("9f86d081884c7d65", 4), "digest [redacted]"},
		{"128-bit hex", "sid=0123456789abcdef0123456789ABCDEF;", "sid=[redacted];"},
		{"base64 padded", "k=dGhpcyBpcyBhIHNlY3JldCBrZXkgZm9yIHRlc3Rpbmc= end", "k=[redacted] end"},
		{"base64url", "Xk3_9fQ2-pL8zR1vT6wY0bN4mC7hJ5gD2sA9eK1uI0o", "[redacted]"},
		{"recovery key", "key is " + recovery, "key is [redacted]"},
		{"recovery key lowercase", strings.ToLower(recovery), "[redacted]"},
		{"recovery key retyped with spaces", strings.ReplaceAll(recovery, "-", " "), "[redacted]"},
		{"rfc base32 six groups", "ABCD-EFGH-IJKL-MNOP-QRST-UV23", "[redacted]"},
		{"two secrets", iban + " and " + jwt, "[redacted] and [redacted]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RedactString(tt.in); got != tt.want {
				t.Fatalf("RedactString(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// Keeping false positives low: everyday log content must pass untouched.
func TestRedactStringLeavesOrdinaryText(t *testing.T) {
	for _, in := range []string{
		"",
		"1234.56",
		"EUR 1,234.56 due 2024-04-30",
		"15.03.2024 10:04",
		"2024-03-15T10:04:05.123Z",
		"3f2a9c4e-1b2d-4c3e-8f9a-0b1c2d3e4f5a",
		"3F2A9C4E-1B2D-4C3E-8F9A-0B1C2D3E4F5A",
		"invoice 3f2a9c4e-1b2d-4c3e-8f9a-0b1c2d3e4f5a approved by alice",
		"INV-2024-000123",
		"VAT id DE123456789",
		"+49 30 12345678",
		"commit 3cefd9a, short hash deadbeef",
		"/Users/Alice/Documents/Invoices/2024/March/scan.pdf",
		"/home/alice/smartap/data/inbox/2024-03-invoices/Rechnung_2024_03_Lieferant_Acme_GmbH_Nord_final.pdf",
		"C:/Users/Administrator/AppData/Roaming/SmartAP/logs/2024",
		"ProcessInvoiceBatchReportFinalVersionForAcmeGmbH",
		"this will make sure that each user gets mail from them soon",
		"key_id=k-2024-01 kid=abc",
		"line one\nline two\r\n\x1b[31mred\x1b[0m",
		"vendor.add denied: role:clerk lacks user.add",
	} {
		if got := RedactString(in); got != in {
			t.Errorf("RedactString(%q) = %q, want unchanged", in, got)
		}
	}
}

func TestSensitiveKey(t *testing.T) {
	sensitive := []string{"password", "Password", "user_password", "passwd", "passphrase",
		"client_secret", "access_token", "refreshToken", "apikey", "api_key", "X-Api-Key",
		"Authorization", "cookie", "Set-Cookie", "recovery", "recovery_key", "vendor_iban",
		"IBAN", "bic", "vendorBIC", "key", "privateKey", "public_key", "credentials"}
	for _, k := range sensitive {
		if !sensitiveKey(k) {
			t.Errorf("sensitiveKey(%q) = false", k)
		}
	}
	plain := []string{"key_id", "keyId", "KEY-ID", "kid", "public_id", "republic", "user",
		"amount", "invoice_id", "device", "msg", "action", "digest"}
	for _, k := range plain {
		if sensitiveKey(k) {
			t.Errorf("sensitiveKey(%q) = true", k)
		}
	}
}

func TestLooksRandom(t *testing.T) {
	tests := map[string]bool{
		"Xk3_9fQ2-pL8zR1vT6wY0bN4mC7hJ5gD2sA9eK1uI0o":      true,
		"/Users/Alice/Documents/Invoices/2024/March":       false,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP":       false,
		strings.Repeat("A", 44):                            false,
		"/var/folders/xy/abc123def456ghi789/T/smartap-tmp": true, // random temp dir: fine to hide
	}
	for in, want := range tests {
		if got := looksRandom(in); got != want {
			t.Errorf("looksRandom(%q) = %v, want %v", in, got, want)
		}
	}
}
