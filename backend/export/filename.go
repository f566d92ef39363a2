package export

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/smartap/desktop/backend/invoice"
)

// maxNumberInName bounds the invoice number part of a file name, so the
// whole name stays far below the 255-byte limit of common file systems.
const maxNumberInName = 60

// UBLFileName is a file name for UBL(inv): "<number>_<issue date>_<hash>.xml",
// made only of [A-Za-z0-9._-]. Invoice numbers are chosen by sellers and
// can hold anything, path separators and ".." included, so every other
// character becomes "_". The short hash of seller, type, number and date
// keeps two sellers' invoice "1" of the same day, or an invoice and its
// credit note, from overwriting each other; it is a name, not a checksum.
// The name never starts with a dot or a dash (hidden files, command-line
// options) and is the same for the same invoice.
func UBLFileName(inv invoice.Invoice) string {
	number := safeName(inv.InvoiceNumber, maxNumberInName)
	if number == "" {
		number = "invoice"
	}
	parts := []string{number}
	if !inv.IssueDate.IsZero() {
		parts = append(parts, inv.IssueDate.String())
	}
	parts = append(parts, nameHash(&inv))
	return strings.Join(parts, "_") + ".xml"
}

// safeName keeps [A-Za-z0-9.-], turns runs of anything else into one "_",
// trims leading and trailing "._-" and cuts at max bytes.
func safeName(s string, max int) string {
	var b strings.Builder
	lastUnderscore := false
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-'
		switch {
		case ok:
			b.WriteRune(r)
			lastUnderscore = false
		case !lastUnderscore:
			b.WriteByte('_')
			lastUnderscore = true
		}
		if b.Len() >= max {
			break
		}
	}
	out := b.String()
	if len(out) > max {
		out = out[:max]
	}
	return strings.Trim(out, "._-")
}

// nameHash is 8 hex digits over what identifies the document. A NUL
// after each field keeps ("ab","c") and ("a","bc") apart.
func nameHash(inv *invoice.Invoice) string {
	h := sha256.New()
	for _, s := range []string{
		inv.Seller.VATID, inv.Seller.Name, string(inv.TypeCode), inv.InvoiceNumber, inv.IssueDate.String(),
	} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:8]
}
