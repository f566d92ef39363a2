package app

import (
	"reflect"
	"strings"
	"testing"
)

// secretCheck runs more bound methods for TestNoSecretCrossesIntoJavaScript
// while its admin is unlocked: it returns each method's result (or its
// FormatError text) by method name, and secrets of its own that must not
// appear in any result.
type secretCheck func(t *testing.T, a *App) (results map[string]any, secrets []string)

// moreSecretChecks is filled by the test files of the bindings beyond
// invoice review, so each new bound method is scanned too.
var moreSecretChecks = map[string]secretCheck{}

// The hand-written TypeScript shapes of the admin and sync views match
// their Go JSON, field for field.
func TestFrontendAdminTypesMatchJSON(t *testing.T) {
	for name, v := range map[string]any{
		"POLineInput": POLineInput{}, "POInput": POInput{}, "POSummary": POSummary{}, "POLineView": POLineView{},
		"ReceiptView": ReceiptView{}, "PODetailView": PODetailView{}, "ReceiptInput": ReceiptInput{},
		"AuditQuery": AuditQuery{}, "AuditPage": AuditPage{}, "AuditEntryView": AuditEntryView{}, "AuditVerifyView": AuditVerifyView{},
		"DashboardView": DashboardView{}, "WeekVolumeView": WeekVolumeView{}, "CycleTimeView": CycleTimeView{},
		"CycleWeekView": CycleWeekView{}, "AgeingView": AgeingView{}, "VendorSpendView": VendorSpendView{},
		"LLMSettingsView": LLMSettingsView{}, "LLMSettingsInput": LLMSettingsInput{}, "PolicyView": PolicyView{},
		"RuleView": RuleView{}, "DelegationView": DelegationView{}, "RetentionView": RetentionView{},
		"ExportInput": ExportInput{}, "ExportView": ExportView{}, "ExportRefusal": ExportRefusal{},
		"SyncStatusView": SyncStatusView{}, "SyncExceptionView": SyncExceptionView{}, "SyncRejectionView": SyncRejectionView{},
		"SecurityAlertView": SecurityAlertView{},
	} {
		ts := tsMembers(tsInterface(t, "../frontend/src/lib/types.ts", name))
		typ := reflect.TypeOf(v)
		fields := map[string]bool{}
		for i := 0; i < typ.NumField(); i++ {
			tag := strings.Split(typ.Field(i).Tag.Get("json"), ",")[0]
			fields[tag] = true
			if !ts[tag] {
				t.Errorf("%s.%s (json %q) is missing from types.ts", name, typ.Field(i).Name, tag)
			}
		}
		for f := range ts {
			if !fields[f] {
				t.Errorf("types.ts %s.%s has no Go field", name, f)
			}
		}
	}
}

// lockedCalls are the admin bindings; each must answer "locked" without a
// session.
func lockedCalls(a *App) map[string]func() error {
	return map[string]func() error{
		"ListPOs": func() error { _, err := a.ListPOs(""); return err },
		"GetPO":   func() error { _, err := a.GetPO("x"); return err },
		"AddPO":   func() error { _, err := a.AddPO(POInput{Number: "x"}); return err },
		"AddReceipt": func() error {
			_, err := a.AddReceipt(ReceiptInput{PONumber: "x", LineNo: 1, Quantity: "1"})
			return err
		},
		"SetPOStatus":       func() error { _, err := a.SetPOStatus("x", "close", "r"); return err },
		"ListAudit":         func() error { _, err := a.ListAudit(AuditQuery{}); return err },
		"VerifyAudit":       func() error { _, err := a.VerifyAudit(); return err },
		"Dashboard":         func() error { _, err := a.Dashboard(); return err },
		"GetLLMSettings":    func() error { _, err := a.GetLLMSettings(); return err },
		"SetLLMSettings":    func() error { _, err := a.SetLLMSettings(LLMSettingsInput{}); return err },
		"GetApprovalPolicy": func() error { _, err := a.GetApprovalPolicy(); return err },
		"SetApprovalPolicy": func() error { _, err := a.SetApprovalPolicy(PolicyView{}); return err },
		"RunRetention":      func() error { _, err := a.RunRetention(10, true); return err },
		"SetLegalHold":      func() error { return a.SetLegalHold("x", "r", true) },
		"ChooseAndExport":   func() error { _, err := a.ChooseAndExport(ExportInput{Format: "csv"}); return err },
	}
}

func TestAdminBindingsNeedASession(t *testing.T) {
	a, _, _, _ := newApp(t)
	for name, call := range lockedCalls(a) {
		if c := code(call()); c != "locked" {
			t.Errorf("%s before set-up: code %q", name, c)
		}
	}
	if _, err := a.Setup(SetupRequest{AdminName: "alice", Password: pw}); err != nil {
		t.Fatal(err)
	}
	a.Lock()
	for name, call := range lockedCalls(a) {
		if c := code(call()); c != "locked" {
			t.Errorf("%s after Lock: code %q", name, c)
		}
	}
}
