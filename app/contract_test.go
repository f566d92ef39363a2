package app

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// The frontend declares the bound methods and the JSON shapes by hand
// (frontend/src/lib/wails.d.ts, types.ts). These tests keep both sides in
// step: a method or field added, renamed or removed on one side fails here.

func tsInterface(t *testing.T, file, name string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)export interface ` + name + ` \{(.*?)\n\}`).FindStringSubmatch(string(b))
	if m == nil {
		t.Fatalf("%s: interface %s not found", file, name)
	}
	return m[1]
}

func tsMembers(body string) map[string]bool {
	out := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\s+(\w+)\??[(:]`).FindAllStringSubmatch(body, -1) {
		out[m[1]] = true
	}
	return out
}

func TestFrontendDeclaresEveryBoundMethod(t *testing.T) {
	ts := tsMembers(tsInterface(t, "../frontend/src/lib/wails.d.ts", "AppBindings"))
	typ := reflect.TypeOf(&App{})
	goMethods := map[string]bool{}
	for i := 0; i < typ.NumMethod(); i++ {
		goMethods[typ.Method(i).Name] = true
		if !ts[typ.Method(i).Name] {
			t.Errorf("bound method %s is missing from AppBindings in wails.d.ts", typ.Method(i).Name)
		}
	}
	for m := range ts {
		if !goMethods[m] {
			t.Errorf("wails.d.ts declares %s, which app.App does not bind", m)
		}
	}
}

func TestFrontendTypesMatchJSON(t *testing.T) {
	for name, v := range map[string]any{
		"AppState": AppState{}, "SessionInfo": SessionInfo{}, "SetupRequest": SetupRequest{}, "SetupResult": SetupResult{},
		"UserView": UserView{}, "VendorInput": VendorInput{}, "VendorView": VendorView{}, "InvoiceSummary": InvoiceSummary{},
		"ApiError": Error{}, "ImportResult": ImportResult{}, "ImportProgress": ImportProgress{},
		"InvoiceDetailView": InvoiceDetailView{}, "PartyView": PartyView{}, "PaymentView": PaymentView{},
		"TotalsView": TotalsView{}, "TaxView": TaxView{}, "LineView": LineView{}, "SourceView": SourceView{},
		"FindingView": FindingView{}, "ApprovalView": ApprovalView{}, "CorrectionView": CorrectionView{},
		"DecisionView": DecisionView{}, "HistoryView": HistoryView{}, "LegalHoldView": LegalHoldView{},
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
