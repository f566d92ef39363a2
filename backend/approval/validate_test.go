package approval

import (
	"errors"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/identity"
)

func TestValidateAcceptsTestPolicy(t *testing.T) {
	if err := testPolicy().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestValidate(t *testing.T) {
	base := func(rules ...Rule) Policy { return Policy{DefaultLevels: 1, Rules: rules} }
	cases := []struct {
		name string
		p    Policy
		want string // "" means valid
	}{
		{"empty policy with a default", base(), ""},
		{"default levels zero", Policy{}, "default levels 0"},
		{"levels zero", base(Rule{ID: "a"}), `rule 1 "a": levels 0: need at least 1`},
		{"negative levels", base(Rule{ID: "a", Levels: -1}), "levels -1"},
		{"missing id", base(Rule{Levels: 1}), "rule 1: id is empty"},
		{"duplicate id", base(Rule{ID: "a", Levels: 1, Vendors: []string{"x"}}, Rule{ID: "a", Levels: 1, Vendors: []string{"y"}}), "id used twice"},
		{"unknown role", base(Rule{ID: "a", Levels: 1, ApproverRoles: []identity.Role{"boss"}}), `approver role "boss" is unknown`},
		{"role spelled differently", base(Rule{ID: "a", Levels: 1, ApproverRoles: []identity.Role{"Admin"}}), `approver role "Admin" is unknown`},
		{"clerk cannot approve", base(Rule{ID: "a", Levels: 1, ApproverRoles: []identity.Role{identity.Clerk}}), `role "clerk" cannot approve`},
		{"auditor cannot approve", base(Rule{ID: "a", Levels: 1, ApproverRoles: []identity.Role{identity.Auditor}}), `role "auditor" cannot approve`},
		{"empty band", base(Rule{ID: "a", Levels: 1, MinAmount: dp("100"), MaxAmount: dp("100")}), "band [100, 100) is empty"},
		{"inverted band", base(Rule{ID: "a", Levels: 1, MinAmount: dp("200"), MaxAmount: dp("100")}), "is empty"},
		{"negative bound", base(Rule{ID: "a", Levels: 1, MinAmount: dp("-5")}), "cannot be negative"},
		{"bad risk", base(Rule{ID: "a", Levels: 1, MinRisk: 7}), "min risk 7"},
		{"too few named approvers", base(Rule{ID: "a", Levels: 2, Approvers: []string{"dave", "dave"}}), "names only 1 approver"},
		{"empty name in list", base(Rule{ID: "a", Levels: 1, Vendors: []string{""}}), "empty vendor"},
		{"negative threshold", Policy{DefaultLevels: 1, SecondApproverAbove: decimal.MustParse("-1")}, "threshold -1 is negative"},
		{"negative escalation", Policy{DefaultLevels: 1, EscalateAfter: -1}, "escalate-after -1ns is negative"},
		{"overlapping bands", base(
			Rule{ID: "lo", Levels: 1, MaxAmount: dp("1000")},
			Rule{ID: "mid", Levels: 2, MinAmount: dp("500"), MaxAmount: dp("5000")},
			Rule{ID: "hi", Levels: 2, MinAmount: dp("900")},
		), `rules "lo" and "mid" overlap`},
		{"overlap reported per pair", base(
			Rule{ID: "mid", Levels: 2, MinAmount: dp("500"), MaxAmount: dp("5000")},
			Rule{ID: "hi", Levels: 2, MinAmount: dp("900")},
		), `rules "mid" and "hi" overlap`},
		{"catch-all beside bands is a fallback", base(
			Rule{ID: "any", Levels: 1},
			Rule{ID: "big", Levels: 2, MinAmount: dp("5000")},
		), ""},
		{"adjacent bands do not overlap", base(
			Rule{ID: "a", Levels: 1, MinAmount: dp("0"), MaxAmount: dp("1000")},
			Rule{ID: "b", Levels: 2, MinAmount: dp("1000"), MaxAmount: dp("5000")},
		), ""},
		{"same vendor, overlapping bands", base(
			Rule{ID: "a", Levels: 1, Vendors: []string{"V1", "V2"}, MaxAmount: dp("1000")},
			Rule{ID: "b", Levels: 2, Vendors: []string{"V2"}, MaxAmount: dp("500")},
		), `rules "a" and "b" overlap`},
		{"different vendors may share bands", base(
			Rule{ID: "a", Levels: 1, Vendors: []string{"V1"}, MaxAmount: dp("1000")},
			Rule{ID: "b", Levels: 2, Vendors: []string{"V2"}, MaxAmount: dp("1000")},
		), ""},
		{"catch-all twice", base(Rule{ID: "a", Levels: 1}, Rule{ID: "b", Levels: 2}), `rules "a" and "b" overlap`},
		{"different specificity is not an overlap", base(
			Rule{ID: "band", Levels: 1, MaxAmount: dp("1000")},
			Rule{ID: "cc", Levels: 2, CostCentres: []string{"CC1"}, MaxAmount: dp("1000")},
		), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.p.Validate()
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case c.want == "":
			case err == nil:
				t.Fatalf("no error, want %q", c.want)
			case !errors.Is(err, ErrInvalidPolicy) || !strings.Contains(err.Error(), c.want):
				t.Fatalf("error %q, want %q", err, c.want)
			}
		})
	}
}

// An admin fixes a policy in one pass only if every problem is listed.
func TestValidateReportsAll(t *testing.T) {
	p := Policy{Rules: []Rule{{ID: "a"}, {ID: "b", Levels: 1, ApproverRoles: []identity.Role{"x"}}}}
	err := p.Validate()
	for _, want := range []string{"default levels 0", `"a": levels 0`, `role "x" is unknown`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
}
