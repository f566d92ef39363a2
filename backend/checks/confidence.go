package checks

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/smartap/desktop/backend/invoice"
)

// checkConfidence lists the fields a reader (page text, OCR, a model) was
// unsure about, in one finding, so the clerk checks them against the page
// before anything else relies on them. Structured XML has no scores and
// never fires.
func checkConfidence(inv *invoice.Invoice, _ *Context, cfg *Config) []Finding {
	var low []string
	for path, score := range inv.Confidence {
		// A NaN score (not clamped by Normalize yet) is no confidence at all.
		if score < cfg.LowConfidence || math.IsNaN(score) {
			low = append(low, path)
		}
	}
	if len(low) == 0 {
		return nil
	}
	slices.Sort(low) // map order is random; findings must be deterministic
	parts := make([]string, len(low))
	for i, p := range low {
		parts[i] = fmt.Sprintf("%s (%.2f)", p, inv.Confidence[p])
	}
	msg := fmt.Sprintf("%d %s read with low confidence (below %.2f): %s",
		len(low), plural(len(low), "field", "fields"), cfg.LowConfidence, strings.Join(parts, ", "))
	return []Finding{finding(CodeLowConfidence, SeverityWarning, msg, low...)}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
