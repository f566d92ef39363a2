package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/extract"
	"github.com/smartap/desktop/backend/pdfdoc"
	"github.com/smartap/desktop/backend/vault"
)

const facturX = "zugferd-corpus/XML-Rechnung/FX/EN16931_Einfach.pdf"

func pdfStart(ctx context.Context) (extract.PDF, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return pdfdoc.NewEngine(ctx, filepath.Join(dir, "smartap-test", "wazero"))
}

// reviewTeam is team() with PDFium configured, as main.go configures it:
// alice (admin), carl (clerk, unlocked) and anna (approver).
func reviewTeam(t *testing.T) *App {
	t.Helper()
	dir := t.TempDir()
	clk := &clock{t: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)}
	a := New(Config{DataDir: filepath.Join(dir, "data"), Keychain: "file:" + filepath.Join(dir, "keys", "device.key"),
		KDF: vault.MinKDF, Now: clk.Now, Idle: 5 * time.Minute, PDF: pdfStart})
	ctx, cancel := context.WithCancel(context.Background())
	a.start(ctx, (&events{}).emit)
	t.Cleanup(func() { a.stop(); cancel() })
	if _, err := a.Setup(SetupRequest{AdminName: "alice", Password: pw}); err != nil {
		t.Fatal(err)
	}
	for _, u := range [][3]string{{"carl", "clerk", "clerk password 99"}, {"anna", "approver", "approver password"}} {
		if _, err := a.AddUser(u[0], u[1], u[2]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.Unlock("carl", "clerk password 99"); err != nil {
		t.Fatal(err)
	}
	return a
}

func importOK(t *testing.T, a *App, paths ...string) []string {
	t.Helper()
	res, err := a.importFiles(paths)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, r := range res {
		if r.Error != nil {
			t.Fatalf("%s: %+v", r.File, r.Error)
		}
		ids = append(ids, r.ID)
	}
	return ids
}

func TestRenderPageShowsTheSealedOriginal(t *testing.T) {
	a := reviewTeam(t)
	ids := importOK(t, a, corpusPath(t, facturX), corpusPath(t, ciiExample))
	p, err := a.RenderPage(ids[0], 1)
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "data:image/png;base64,"
	if !strings.HasPrefix(p.Image, prefix) || p.Page != 1 || p.Pages < 1 || p.DPI == 0 {
		t.Fatalf("page: %.80s… %+v", p.Image, p.Page)
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(p.Image, prefix))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(raw))
	if err != nil || cfg.Width != p.Width || cfg.Height != p.Height {
		t.Fatalf("image %+v %v vs %dx%d", cfg, err, p.Width, p.Height)
	}
	if _, err := a.RenderPage(ids[1], 1); code(err) != "not_found" || !strings.Contains(PublicError(err).Message, "XML") {
		t.Fatalf("xml invoice: %v", err)
	}
	if _, err := a.RenderPage(ids[0], 99); code(err) != "invalid_input" {
		t.Fatalf("page 99: %v", err)
	}
	// anna may not see carl's invoice once it has a cost centre outside her scope.
	if _, err := a.SetInvoiceFields(ids[0], map[string]string{"cost_centre": "CC-9"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Unlock("anna", "approver password"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.RenderPage(ids[0], 1); code(err) != "not_found" {
		t.Fatalf("out of scope: %v", err)
	}
}

func TestGetReviewGivesConfidenceAndMatch(t *testing.T) {
	a := reviewTeam(t)
	ids := importOK(t, a, corpusPath(t, ciiExample))
	r, err := a.GetReview(ids[0])
	if err != nil {
		t.Fatal(err)
	}
	// Structured XML is exact: no confidence scores; no regions are known.
	if r.ID != ids[0] || r.Confidence == nil || len(r.Confidence) != 0 || r.LowConfidence <= 0 || r.RegionsKnown {
		t.Fatalf("review: %+v", r)
	}
	// The match ran at import (no PO in the master data): its result is
	// shown as it was stored, lists never null.
	if m := r.Match; m == nil || m.Status == "" || m.Lines == nil || m.Findings == nil || m.POs == nil {
		t.Fatalf("match: %+v", r.Match)
	}
	if _, err := a.GetReview("no-such-id"); code(err) != "not_found" {
		t.Fatalf("missing: %v", err)
	}
}

func TestSearchInvoicesBinding(t *testing.T) {
	a := reviewTeam(t)
	ids := importOK(t, a, corpusPath(t, ciiExample), corpusPath(t, ublExample))
	all, err := a.SearchInvoices("", "", 0, 50)
	if err != nil || all.Total != 2 || len(all.Rows) != 2 || all.Rows[0].ID != ids[1] {
		t.Fatalf("all: %+v %v", all, err)
	}
	one, err := a.SearchInvoices(all.Rows[1].InvoiceNumber, "", 0, 50)
	if err != nil || one.Total != 1 || one.Rows[0].ID != ids[0] {
		t.Fatalf("by number: %+v %v", one, err)
	}
	if _, err := a.SearchInvoices("", "bogus", 0, 50); code(err) != "invalid_input" {
		t.Fatalf("bad status: %v", err)
	}
	// anna (approver, no scope list) sees only what her scope allows; the
	// clerk's own imports without cost centre are in a team without scopes.
	if _, err := a.Unlock("anna", "approver password"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SearchInvoices("", "", 0, 50); err != nil {
		t.Fatalf("anna: %v", err)
	}
}

func TestApprovalQueueBinding(t *testing.T) {
	a := reviewTeam(t)
	ids := importOK(t, a, corpusPath(t, ublExample))
	if _, err := a.SubmitInvoice(ids[0]); err != nil {
		t.Fatal(err)
	}
	q, err := a.ApprovalQueue()
	if err != nil || len(q.Mine) != 0 {
		t.Fatalf("the clerk approves nothing: %+v %v", q, err)
	}
	if _, err := a.Unlock("anna", "approver password"); err != nil {
		t.Fatal(err)
	}
	q, err = a.ApprovalQueue()
	if err != nil || len(q.Mine) != 1 || q.Mine[0].ID != ids[0] || q.Delegated == nil || q.Overdue == nil {
		t.Fatalf("anna's queue: %+v %v", q, err)
	}
}

// Every review binding refuses a locked session, like the others.
func TestReviewBindingsNeedASession(t *testing.T) {
	a := reviewTeam(t)
	ids := importOK(t, a, corpusPath(t, ciiExample))
	calls := map[string]func() error{
		"RenderPage":     func() error { _, err := a.RenderPage(ids[0], 1); return err },
		"GetReview":      func() error { _, err := a.GetReview(ids[0]); return err },
		"SearchInvoices": func() error { _, err := a.SearchInvoices("", "", 0, 10); return err },
		"ApprovalQueue":  func() error { _, err := a.ApprovalQueue(); return err },
	}
	for name, call := range calls {
		if c := code(call()); c == "locked" {
			t.Errorf("%s with a session: locked", name)
		}
	}
	a.Lock()
	for name, call := range calls {
		if c := code(call()); c != "locked" {
			t.Errorf("%s after Lock: %q", name, c)
		}
	}
}

func init() {
	moreSecretChecks["review"] = func(t *testing.T, a *App) (map[string]any, []string) {
		out := map[string]any{}
		s, err := a.SearchInvoices("", "", 0, 10)
		out["SearchInvoices"] = orError(s, err)
		id := "none"
		if err == nil && len(s.Rows) > 0 {
			id = s.Rows[0].ID
		}
		p, err := a.RenderPage(id, 1)
		out["RenderPage"] = orError(p, err)
		r, err := a.GetReview(id)
		out["GetReview"] = orError(r, err)
		q, err := a.ApprovalQueue()
		out["ApprovalQueue"] = orError(q, err)
		return out, nil
	}
}

// The hand-written TypeScript shapes match the Go JSON, field for field.
func TestFrontendReviewTypesMatchJSON(t *testing.T) {
	for name, v := range map[string]any{
		"PageView": PageView{}, "ReviewView": ReviewView{}, "MatchView": MatchView{}, "MatchLineView": MatchLineView{},
		"SearchView": SearchView{}, "QueueView": QueueView{}, "OverdueView": OverdueView{}, "DropResult": DropResult{},
	} {
		ts := tsMembers(tsInterface(t, "../frontend/src/lib/types.ts", name))
		fields := jsonFields(v)
		for f := range fields {
			if !ts[f] {
				t.Errorf("%s.%s is missing from types.ts", name, f)
			}
		}
		for f := range ts {
			if !fields[f] {
				t.Errorf("types.ts %s.%s has no Go field", name, f)
			}
		}
	}
}

func jsonFields(v any) map[string]bool {
	typ := reflect.TypeOf(v)
	out := map[string]bool{}
	for i := 0; i < typ.NumField(); i++ {
		out[strings.Split(typ.Field(i).Tag.Get("json"), ",")[0]] = true
	}
	return out
}
