package checks

import (
	"encoding/json"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/vendor"
)

func TestSort(t *testing.T) {
	fs := []Finding{
		{Code: "round_amount", Severity: SeverityInfo, Message: "1"},
		{Code: "vat_id_invalid", Severity: SeverityError, Message: "seller"},
		{Code: "po_missing", Severity: "bogus"},
		{Code: "arithmetic", Severity: SeverityError, Message: "first"},
		{Code: "bank_details_mismatch", Severity: SeverityCritical},
		{Code: "vat_id_invalid", Severity: SeverityError, Message: "buyer"},
		{Code: "arithmetic", Severity: SeverityError, Message: "second"},
		{Code: "date_invalid", Severity: SeverityWarning},
		{Code: "active_content", Severity: SeverityCritical},
	}
	Sort(fs)
	var got []string
	for _, f := range fs {
		got = append(got, f.Code+"/"+f.Message)
	}
	want := []string{"active_content/", "bank_details_mismatch/", "arithmetic/first", "arithmetic/second",
		"vat_id_invalid/seller", "vat_id_invalid/buyer", "date_invalid/", "round_amount/1", "po_missing/"}
	if !slices.Equal(got, want) {
		t.Errorf("Sort:\n got  %q\n want %q", got, want)
	}
}

func TestHasBlocking(t *testing.T) {
	for _, tc := range []struct {
		fs   []Finding
		want bool
	}{
		{nil, false},
		{[]Finding{{Severity: SeverityError}, {Severity: SeverityWarning}}, false},
		{[]Finding{{Severity: SeverityInfo}, {Severity: SeverityCritical}}, true},
	} {
		if got := HasBlocking(tc.fs); got != tc.want {
			t.Errorf("HasBlocking(%v) = %v", tc.fs, got)
		}
	}
}

// The JSON is the CLI contract: fields is an array even when empty, and a
// clean invoice gives [] rather than null.
func TestJSONShape(t *testing.T) {
	b, err := json.Marshal(finding(CodeDuplicateExact, SeverityCritical, "m"))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"code":"duplicate_exact","severity":"critical","message":"m","fields":[]}`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
	inv, ctx, cfg := base(t, cleanCII)
	if b, _ := json.Marshal(Run(inv, ctx, cfg)); string(b) != "[]" {
		t.Errorf("clean invoice: %s, want []", b)
	}
	for _, f := range Run(inv, Context{ExactDuplicateOf: "x"}, cfg) {
		if f.Fields == nil {
			t.Errorf("%s has nil fields", f.Code)
		}
	}
}

// Run reads its inputs only, and the same inputs give the same output,
// whatever the map order of Confidence.
func TestRunIsPureAndDeterministic(t *testing.T) {
	inv, ctx, cfg := busyCase(t)
	before, _ := json.Marshal(struct {
		I any
		C any
	}{inv, ctx})
	first := Run(inv, ctx, cfg)
	if len(first) < 8 {
		t.Fatalf("the busy case should fire most checks, got:\n%s", dump(first))
	}
	for range 20 {
		if again := Run(inv, ctx, cfg); !reflect.DeepEqual(first, again) {
			t.Fatalf("Run is not deterministic:\n%s\nvs\n%s", dump(first), dump(again))
		}
	}
	after, _ := json.Marshal(struct {
		I any
		C any
	}{inv, ctx})
	if string(before) != string(after) {
		t.Error("Run changed its inputs")
	}
	t.Logf("busy case:\n%s", dump(first))
}

// busyCase is cleanCII with something for nearly every check: a changed
// amount, swapped dates, a bad buyer VAT id, a vendor whose IBAN changed
// yesterday, a same-number prior, a price history, low confidence.
func busyCase(tb testing.TB) (inv invoice.Invoice, ctx Context, cfg Config) {
	tb.Helper()
	orig, _, cfg := base(tb, cleanCII)
	inv = clone(tb, orig)
	inv.Lines[0].NetAmount = dec("29.9")
	inv.DueDate = inv.IssueDate.AddDays(-5)
	inv.Buyer.VATID = "DE136695977"
	inv.Lines[13].UnitPrice = dec("30.00")
	inv.Confidence = map[string]float64{"totals.payable": 0.3, "payment.iban": 0.5, "invoice_number": 0.4}
	ctx = Context{
		Vendor: &vendor.Vendor{ID: "v", Name: "De Koksmaat", Bank: vendor.BankDetails{IBAN: "DE89370400440532013000"},
			BankChangedAt: cfg.Now.Add(-24 * time.Hour)},
		SHA256: "ff",
	}
	for n := range 3 {
		p := clone(tb, orig)
		p.InvoiceNumber = []string{"12115118", "12115100", "9"}[n]
		p.IssueDate = p.IssueDate.AddDays(-2 * n)
		ctx.Priors = append(ctx.Priors, Prior{ID: "p" + strconv.Itoa(n), Invoice: p, SHA256: "00"})
		ctx.History = append(ctx.History, p)
	}
	return inv, ctx, cfg
}

// The package is domain code (ARCHITECTURE.md §1): the standard library,
// minus anything that reaches storage, network or processes, and the
// domain packages it builds on.
func TestImportsStayInTheDomain(t *testing.T) {
	allowed := map[string]bool{
		"github.com/smartap/desktop/backend/decimal": true,
		"github.com/smartap/desktop/backend/invoice": true,
		"github.com/smartap/desktop/backend/bankid":  true,
		"github.com/smartap/desktop/backend/vendor":  true,
	}
	forbidden := []string{"net", "os", "database", "syscall", "unsafe", "plugin"}
	files, _ := filepath.Glob("*.go")
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			root := strings.SplitN(path, "/", 2)[0]
			std := !strings.Contains(root, ".")
			if (std && slices.Contains(forbidden, root)) || (!std && !allowed[path]) {
				t.Errorf("%s imports %s", name, path)
			}
		}
	}
	if _, err := os.Stat("checks.go"); err != nil {
		t.Fatal("run from the package folder")
	}
}
