package checks

import (
	"errors"
	"fmt"
	"strings"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/vendor"
)

// checkVATIDs checks the seller's (BT-31) and the buyer's (BT-48) VAT ids.
// A wrong seller id can cost the input VAT deduction; a wrong buyer id
// often means the invoice was addressed to another company.
func checkVATIDs(inv *invoice.Invoice, _ *Context, _ *Config) []Finding {
	var out []Finding
	for _, p := range []struct {
		id, path, label string
	}{
		{inv.Seller.VATID, "seller.vat_id", "seller VAT id (BT-31)"},
		{inv.Buyer.VATID, "buyer.vat_id", "buyer VAT id (BT-48)"},
	} {
		v := vendor.NormalizeVATID(p.id)
		if v == "" {
			continue
		}
		if err := ValidateVATID(v); err != nil {
			msg := fmt.Sprintf("%s %s is not valid: %v", p.label, v, err)
			out = append(out, finding(CodeVATIDInvalid, SeverityError, msg, p.path))
		}
	}
	return out
}

// ValidateVATID checks a VAT id's shape and, for the countries whose check
// digit rule is public and simple (DE, NL, FR, AT, BE), its check digits.
// Other countries get the shape check only. It spots typos and misreads;
// whether the number is registered only VIES can say.
func ValidateVATID(id string) error {
	v := vendor.NormalizeVATID(id)
	if err := vendor.CheckVATID(v); err != nil {
		return errors.New("a VAT id is a two-letter country code followed by 2 to 13 letters or digits")
	}
	if check, ok := vatCheckers[v[:2]]; ok {
		return check(v[2:])
	}
	return nil
}

var vatCheckers = map[string]func(string) error{
	"DE": checkDE, "NL": checkNL, "FR": checkFR, "AT": checkAT, "BE": checkBE,
}

// checkDE: 9 digits, the last an ISO 7064 MOD 11,10 check digit.
func checkDE(n string) error {
	if len(n) != 9 || !allDigits(n) || n[0] == '0' {
		return errors.New("a German VAT id is DE and 9 digits, not starting with 0")
	}
	product := 10
	for i := 0; i < 8; i++ {
		s := (digit(n[i]) + product) % 10
		if s == 0 {
			s = 10
		}
		product = (2 * s) % 11
	}
	check := (11 - product) % 10
	return checkDigit(check == digit(n[8]), "German")
}

// checkNL: 9 digits, B, 2 digits. Companies' numbers pass the weighted
// mod-11 test; since 2020 sole traders get numbers that instead pass
// mod 97 over the whole id ("NL" included), like an IBAN.
func checkNL(n string) error {
	if len(n) != 12 || !allDigits(n[:9]) || n[9] != 'B' || !allDigits(n[10:]) {
		return errors.New("a Dutch VAT id is NL, 9 digits, B and 2 digits")
	}
	sum := 0
	for i := 0; i < 8; i++ {
		sum += digit(n[i]) * (9 - i)
	}
	mod11 := sum%11 == digit(n[8])
	return checkDigit(mod11 || mod97("NL"+n) == 1, "Dutch")
}

// checkFR: a 2-character key and the 9-digit SIREN. A numeric key is
// (12 + 3 × (SIREN mod 97)) mod 97; the newer alphanumeric keys have no
// public rule, so only their shape is checked.
func checkFR(n string) error {
	if len(n) != 11 || !allDigits(n[2:]) || !isAlnum(n[0]) || !isAlnum(n[1]) {
		return errors.New("a French VAT id is FR, a 2-character key and the 9-digit SIREN")
	}
	if !allDigits(n[:2]) {
		return nil
	}
	siren := 0
	for i := 2; i < 11; i++ {
		siren = siren*10 + digit(n[i])
	}
	key := digit(n[0])*10 + digit(n[1])
	return checkDigit(key == (12+3*(siren%97))%97, "French")
}

// checkAT: U and 8 digits; the last is a Luhn-style check digit over the
// 7 before it, offset by 4.
func checkAT(n string) error {
	if len(n) != 9 || n[0] != 'U' || !allDigits(n[1:]) {
		return errors.New("an Austrian VAT id is ATU and 8 digits")
	}
	sum := 0
	for i := 1; i < 8; i++ {
		d := digit(n[i])
		if i%2 == 0 { // 2nd, 4th and 6th digit are doubled, digits summed
			d = d*2/10 + d*2%10
		}
		sum += d
	}
	check := (10 - (sum+4)%10) % 10
	return checkDigit(check == digit(n[8]), "Austrian")
}

// checkBE: 10 digits starting 0 or 1 (old 9-digit numbers get a leading
// 0); the last two are 97 minus the first eight mod 97.
func checkBE(n string) error {
	if len(n) == 9 {
		n = "0" + n
	}
	if len(n) != 10 || !allDigits(n) || n[0] > '1' {
		return errors.New("a Belgian VAT id is BE and 10 digits starting with 0 or 1")
	}
	first := 0
	for i := 0; i < 8; i++ {
		first = first*10 + digit(n[i])
	}
	return checkDigit(97-first%97 == digit(n[8])*10+digit(n[9]), "Belgian")
}

func checkDigit(ok bool, country string) error {
	if ok {
		return nil
	}
	return fmt.Errorf("the %s check digits do not match (a typo or a misread digit)", country)
}

// mod97 is the ISO 7064 MOD 97-10 remainder with letters as 10..35.
func mod97(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUpper(c) {
			r = (r*100 + int(c-'A') + 10) % 97
		} else {
			r = (r*10 + digit(c)) % 97
		}
	}
	return r
}

func allDigits(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

func isAlnum(c byte) bool { return isUpper(c) || isDigit(c) }
func digit(c byte) int    { return int(c - '0') }
