package approval

import (
	"fmt"
	"strings"
)

// Risk is how suspicious an invoice looks, derived from its findings.
// The values are stored in rules; never renumber them.
type Risk int

// The risk levels, lowest first.
const (
	RiskNone   Risk = 0
	RiskLow    Risk = 1
	RiskMedium Risk = 2
	RiskHigh   Risk = 3
)

var riskNames = [...]string{"none", "low", "medium", "high"}

// Valid reports whether r is one of the defined levels.
func (r Risk) Valid() bool { return r >= RiskNone && r <= RiskHigh }

func (r Risk) String() string {
	if !r.Valid() {
		return fmt.Sprintf("risk(%d)", int(r))
	}
	return riskNames[r]
}

// Finding severities as the intake and check packages write them.
const (
	SeverityCritical = "critical"
	SeverityError    = "error"
	SeverityWarning  = "warning"
	SeverityInfo     = "info"
)

// HighRiskCodes are finding codes that mean high risk whatever severity
// they were raised with: each is a known fraud signal (payment redirected,
// a document that says two things, active content). Keep the names in
// step with the packages that raise them.
var HighRiskCodes = map[string]bool{
	"active_content":                true, // backend/intake
	"bank_details_mismatch":         true, // backend/checks: invoice IBAN differs from the vendor master
	"bank_details_changed_recently": true, // backend/checks: vendor master bank details changed recently
	"xml_page_mismatch":             true, // embedded XML vs visible page
}

// RiskOf derives an invoice's risk from its findings, given as parallel
// lists of codes and severities. It is the highest risk of any finding.
// An unknown or missing severity counts as medium, not none: a finding the
// code does not understand must not make an invoice look clean.
func RiskOf(codes []string, severities []string) Risk {
	risk := RiskNone
	for i := range max(len(codes), len(severities)) {
		code, sev := at(codes, i), at(severities, i)
		r := severityRisk(sev)
		if HighRiskCodes[strings.ToLower(strings.TrimSpace(code))] {
			r = RiskHigh
		}
		risk = max(risk, r)
	}
	return risk
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}

func severityRisk(sev string) Risk {
	switch strings.ToLower(strings.TrimSpace(sev)) {
	case SeverityCritical:
		return RiskHigh
	case SeverityError:
		return RiskMedium
	case SeverityWarning:
		return RiskLow
	case SeverityInfo:
		return RiskNone
	}
	return RiskMedium
}
