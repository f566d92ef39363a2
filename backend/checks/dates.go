package checks

import (
	"fmt"

	"github.com/smartap/desktop/backend/invoice"
)

// checkDates flags dates that cannot be right or deserve a look: a due date
// before the issue date (usually a misread or a swapped field), an issue
// date in the future (pre-dated, or a day/month mix-up such as 2025-12-03
// for 12 March), and a very old issue date (an old invoice sent again is a
// duplicate-payment pattern). All are warnings: the document may still be
// genuine, but someone should look before it is paid.
func checkDates(inv *invoice.Invoice, _ *Context, cfg *Config) []Finding {
	var out []Finding
	issue, due := inv.IssueDate, inv.DueDate
	if !issue.IsZero() && !due.IsZero() && due.Before(issue) {
		msg := fmt.Sprintf("due date %s is before the issue date %s", due, issue)
		out = append(out, finding(CodeDateInvalid, SeverityWarning, msg, "due_date", "issue_date"))
	}
	if issue.IsZero() || cfg.Now.IsZero() {
		return out // missing_field covers a missing issue date
	}
	// The checks run on the user's calendar day, in Now's location, since
	// invoice dates are days and not instants.
	today := invoice.DateOf(cfg.Now)
	if latest := today.AddDays(cfg.FutureDays); issue.After(latest) {
		msg := fmt.Sprintf("issue date %s is in the future (today is %s; up to %d days ahead are accepted)",
			issue, today, cfg.FutureDays)
		out = append(out, finding(CodeDateInvalid, SeverityWarning, msg, "issue_date"))
	}
	if cfg.MaxAgeDays > 0 {
		if oldest := today.AddDays(-cfg.MaxAgeDays); issue.Before(oldest) {
			msg := fmt.Sprintf("issue date %s is more than %d days ago (today is %s)", issue, cfg.MaxAgeDays, today)
			out = append(out, finding(CodeDateInvalid, SeverityWarning, msg, "issue_date"))
		}
	}
	return out
}
