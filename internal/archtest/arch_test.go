// Package archtest keeps the dependency rules of ARCHITECTURE.md §1: domain
// packages import nothing of storage, UI or network; the desktop and CLI
// binaries never link the sync server; the Wails layer stays thin.
package archtest

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/smartap/desktop"

// deps returns the transitive imports of pkg (with the desktop build tags,
// so the real desktop binary is what is checked).
func deps(t *testing.T, pkg string) map[string]bool {
	t.Helper()
	cmd := exec.Command("go", "list", "-e", "-deps", "-tags", "desktop,production", "-json=ImportPath", pkg)
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pkg, err)
	}
	set := map[string]bool{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p struct{ ImportPath string }
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		set[p.ImportPath] = true
	}
	return set
}

func forbidden(set map[string]bool, prefixes []string) []string {
	var bad []string
	for p := range set {
		for _, f := range prefixes {
			if p == f || strings.HasPrefix(p, f+"/") {
				bad = append(bad, p)
			}
		}
	}
	return bad
}

// Adapters: storage, UI, network, OS services.
var adapters = []string{
	"database/sql", "net/http", "net", "os/exec",
	module + "/backend/store", module + "/backend/core", module + "/backend/vault",
	module + "/backend/attach", module + "/app", module + "/sync", module + "/cmd",
}

var domain = []string{
	"backend/invoice", "backend/vendor", "backend/purchasing", "backend/decimal",
	"backend/identity", "backend/bankid", "backend/audit", "backend/seal", "backend/secret", "backend/apperr",
	"backend/approval", "backend/csvimport", "backend/checks", "backend/matching", "backend/export",
}

// thirdParty are adapter modules that must not appear anywhere below a
// domain package; standard-library adapters are checked on our own
// packages' direct imports (a library may use database/sql/driver for its
// own Valuer without making our domain a storage package).
var thirdParty = []string{"github.com/mattn/go-sqlite3", "github.com/wailsapp", "github.com/gorilla/websocket",
	"github.com/zalando/go-keyring", "github.com/sashabaranov/go-openai"}

func TestDomainImportsNoAdapter(t *testing.T) {
	for _, d := range domain {
		set := deps(t, module+"/"+d)
		if bad := forbidden(set, thirdParty); len(bad) > 0 {
			t.Errorf("%s depends on adapters: %v", d, bad)
		}
		for p := range set {
			if !strings.HasPrefix(p, module+"/") {
				continue
			}
			if bad := forbidden(directImports(t, p), adapters); len(bad) > 0 {
				t.Errorf("%s (below %s) imports adapters: %v", p, d, bad)
			}
		}
	}
}

func directImports(t *testing.T, pkg string) map[string]bool {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", "{{join .Imports \"\\n\"}}", pkg)
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pkg, err)
	}
	set := map[string]bool{}
	for _, imp := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		set[imp] = true
	}
	return set
}

func TestBinariesDoNotLinkSyncServer(t *testing.T) {
	for _, bin := range []string{module, module + "/cmd/smartap"} {
		set := deps(t, bin)
		// The listing must be real: both binaries do link the store.
		if !set[module+"/backend/store"] {
			t.Fatalf("%s: dependency listing looks empty", bin)
		}
		serverOnly := []string{module + "/sync/server", module + "/sync/serverstore", "github.com/jackc/pgx"}
		if bad := forbidden(set, serverOnly); len(bad) > 0 {
			t.Errorf("%s links the sync server: %v", bin, bad)
		}
	}
}

// The Wails layer maps types and errors; storage belongs to the core.
func TestAppLayerIsThin(t *testing.T) {
	imports := directImports(t, module+"/app")
	if !imports[module+"/backend/core"] {
		t.Fatal("app does not import the core: listing broken?")
	}
	for _, p := range []string{"database/sql", module + "/backend/store", "github.com/mattn/go-sqlite3"} {
		if imports[p] {
			t.Errorf("app imports %s directly", p)
		}
	}
}

func TestNoPackageNamedSync(t *testing.T) {
	cmd := exec.Command("go", "list", "-e", "-f", "{{.ImportPath}} {{.Name}}", "./...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[1] == "sync" {
			t.Errorf("package %s is named sync (shadows the standard library)", f[0])
		}
	}
}
