package approval

import (
	"errors"
	"fmt"
	"slices"

	"github.com/smartap/desktop/backend/identity"
)

// ErrInvalidPolicy wraps every problem Validate finds.
var ErrInvalidPolicy = errors.New("approval: invalid policy")

// Validate reports every problem in the policy at once, each naming the
// rule, so an admin can fix the whole policy in one pass. A policy that
// fails must not be saved or used.
func (p Policy) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidPolicy}, args...)...))
	}
	if p.DefaultLevels < 1 {
		bad("default levels %d: need at least 1", p.DefaultLevels)
	}
	if p.SecondApproverAbove.Sign() < 0 {
		bad("second-approver threshold %s is negative", p.SecondApproverAbove)
	}
	if p.EscalateAfter < 0 {
		bad("escalate-after %s is negative", p.EscalateAfter)
	}
	seen := map[string]bool{}
	for i, r := range p.Rules {
		name := fmt.Sprintf("rule %d %q", i+1, r.ID)
		if r.ID == "" {
			bad("rule %d: id is empty", i+1)
		} else if seen[r.ID] {
			bad("%s: id used twice", name)
		}
		seen[r.ID] = true
		for _, msg := range r.problems() {
			bad("%s: %s", name, msg)
		}
	}
	for _, msg := range p.overlaps() {
		bad("%s", msg)
	}
	return errors.Join(errs...)
}

// problems lists what is wrong with one rule on its own.
func (r Rule) problems() []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if r.Levels < 1 {
		add("levels %d: need at least 1", r.Levels)
	}
	if !r.MinRisk.Valid() {
		add("min risk %d: want 0 (none) to 3 (high)", int(r.MinRisk))
	}
	if (r.MinAmount != nil && r.MinAmount.Sign() < 0) || (r.MaxAmount != nil && r.MaxAmount.Sign() < 0) {
		add("amount band %s: bounds compare with the absolute amount and cannot be negative", bandString(r.MinAmount, r.MaxAmount))
	}
	if r.MinAmount != nil && r.MaxAmount != nil && r.MinAmount.Cmp(*r.MaxAmount) >= 0 {
		add("amount band %s is empty: min must be below max", bandString(r.MinAmount, r.MaxAmount))
	}
	for _, role := range r.ApproverRoles {
		if !slices.Contains(identity.Roles, role) {
			add("approver role %q is unknown (want approver or admin)", role)
		} else if !canEverApprove(role) {
			add("role %q cannot approve: clerks enter invoices and auditors stay independent", role)
		}
	}
	if slices.Contains(r.Vendors, "") || slices.Contains(r.CostCentres, "") || slices.Contains(r.Approvers, "") {
		add("empty vendor, cost centre or approver name")
	}
	// Nobody approves twice, so a rule needs as many named people as levels.
	if n := len(distinct(r.Approvers)); n > 0 && n < r.Levels {
		add("needs %d levels but names only %d approver(s): it could never complete", r.Levels, n)
	}
	return out
}

// overlaps finds pairs of rules with the same kind of selectors (vendor,
// cost centre, risk bar) that can match the same invoice with overlapping
// amount bands. Which one applies would then rest on how many bounds each
// band has or on rule order, and an admin tidying the list should not
// silently change who approves. A band-free rule beside banded ones of the
// same kind is a deliberate fallback, not an overlap.
func (p Policy) overlaps() []string {
	var out []string
	for i, a := range p.Rules {
		for _, b := range p.Rules[i+1:] {
			sa, sb := a.specificity(), b.specificity()
			if [3]int(sa[:3]) == [3]int(sb[:3]) && a.hasBand() == b.hasBand() && intersects(a.Vendors, b.Vendors) &&
				intersects(a.CostCentres, b.CostCentres) && bandsOverlap(a, b) {
				out = append(out, fmt.Sprintf("rules %q and %q overlap: amount bands %s and %s with the same vendor/cost-centre/risk selectors",
					a.ID, b.ID, bandString(a.MinAmount, a.MaxAmount), bandString(b.MinAmount, b.MaxAmount)))
			}
		}
	}
	return out
}

// intersects: either is empty (any) or they share a value. The equal
// specificity checked before means both are empty or neither is.
func intersects(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return true
	}
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// bandsOverlap for half-open [min, max) bands; nil bounds are open.
func bandsOverlap(a, b Rule) bool {
	below := func(hi, lo Rule) bool { // hi's band ends at or before lo's starts
		return hi.MaxAmount != nil && lo.MinAmount != nil && hi.MaxAmount.Cmp(*lo.MinAmount) <= 0
	}
	return !below(a, b) && !below(b, a)
}

func distinct(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return slices.Compact(c)
}
