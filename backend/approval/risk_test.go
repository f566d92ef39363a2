package approval

import "testing"

func TestRiskOf(t *testing.T) {
	cases := []struct {
		name  string
		codes []string
		sevs  []string
		want  Risk
	}{
		{"no findings", nil, nil, RiskNone},
		{"info", []string{"note"}, []string{"info"}, RiskNone},
		{"warning", []string{"scan_incomplete"}, []string{"warning"}, RiskLow},
		{"error", []string{"arithmetic"}, []string{"error"}, RiskMedium},
		{"critical", []string{"whatever"}, []string{"critical"}, RiskHigh},
		{"highest wins", []string{"a", "b", "c"}, []string{"info", "error", "warning"}, RiskMedium},
		{"case and space", []string{"a"}, []string{" Warning "}, RiskLow},
		{"fraud code beats its severity", []string{"bank_details_mismatch"}, []string{"warning"}, RiskHigh},
		{"active content", []string{"active_content"}, []string{"info"}, RiskHigh},
		{"unknown severity is not clean", []string{"new_check"}, []string{"severe-ish"}, RiskMedium},
		{"missing severity is not clean", []string{"a", "b"}, []string{"info"}, RiskMedium},
		{"severity without code", nil, []string{"critical"}, RiskHigh},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := RiskOf(c.codes, c.sevs); got != c.want {
				t.Fatalf("RiskOf = %s, want %s", got, c.want)
			}
		})
	}
}

func TestRiskString(t *testing.T) {
	for r, want := range map[Risk]string{RiskNone: "none", RiskLow: "low", RiskMedium: "medium", RiskHigh: "high", 9: "risk(9)", -1: "risk(-1)"} {
		if r.String() != want {
			t.Errorf("%d: %q, want %q", int(r), r.String(), want)
		}
	}
}
