package matching

import (
	"fmt"
	"strings"
)

// blocking reports whether a finding needs someone to act; info does not.
func blocking(f Finding) bool { return f.Severity != SeverityInfo }

func anyBlocking(fs []Finding) bool {
	for _, f := range fs {
		if blocking(f) {
			return true
		}
	}
	return false
}

// headerStatus: an invoice without lines is matched unless a finding says
// otherwise; its order was found, so it is never unmatched.
func headerStatus(fs []Finding) string {
	if anyBlocking(fs) {
		return StatusPartial
	}
	return StatusMatched
}

// linesStatus: unmatched when no line is on an order, matched when every
// line agrees and nothing else needs a look, partial in between.
func linesStatus(lines []LineMatch, fs []Finding) string {
	matched, ok := 0, 0
	for _, l := range lines {
		if l.Status != LineUnmatched {
			matched++
		}
		if l.Status == LineOK {
			ok++
		}
	}
	switch {
	case matched == 0:
		return StatusUnmatched
	case ok == len(lines) && !anyBlocking(fs):
		return StatusMatched
	}
	return StatusPartial
}

// shortStatus is a line status in a few words, for the summary.
var shortStatus = map[string]string{
	LineOverBilled:       "over-billed",
	LinePriceVariance:    "price differs",
	LineQuantityVariance: "quantity differs from the order",
	LineNotReceived:      "not yet received",
	LineUnmatched:        "on no order",
}

// linesSummary is one sentence on the whole invoice.
func linesSummary(status string, lines []LineMatch, pos []string) string {
	n := len(lines)
	switch status {
	case StatusMatched:
		if n == 1 {
			return fmt.Sprintf("Matched: the line agrees with %s.", joinPOs(pos))
		}
		return fmt.Sprintf("Matched: all %d lines agree with %s.", n, joinPOs(pos))
	case StatusUnmatched:
		return fmt.Sprintf("Not matched: none of the %d lines is on %s.", n, joinPOs(pos))
	}
	ok := 0
	var problems []string
	for _, l := range lines {
		if l.Status == LineOK {
			ok++
			continue
		}
		problems = append(problems, fmt.Sprintf("line %s %s", l.InvoiceLine, shortStatus[l.Status]))
	}
	s := fmt.Sprintf("Partly matched with %s: %d of %d lines agree", joinPOs(pos), ok, n)
	if len(problems) > 0 {
		s += "; " + strings.Join(problems, ", ")
	}
	return s + "."
}

// noPOSummary explains why nothing was matched.
func noPOSummary(fs []Finding) string {
	return "No purchase order to match against." + headerNotes(fs)
}

// headerNotes appends the document-level problems (an order not found,
// another currency) to a summary, since they concern the whole invoice.
func headerNotes(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		if blocking(f) {
			b.WriteString(" ")
			b.WriteString(f.Message)
		}
	}
	return b.String()
}
