package faulttest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// bins holds the built binaries: smartap-sync and smartap.
var bins string

func TestMain(m *testing.M) {
	code, err := buildAndRun(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "faulttest:", err)
		code = 1
	}
	os.Exit(code)
}

func buildAndRun(m *testing.M) (int, error) {
	dir, err := os.MkdirTemp("", "smartap-faulttest-bin-")
	if err != nil {
		return 1, err
	}
	defer os.RemoveAll(dir)
	for _, pkg := range []string{"smartap-sync", "smartap"} {
		// #nosec G204 -- fixed package paths of this module
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, pkg), "./cmd/"+pkg)
		cmd.Dir = "../.."
		if out, err := cmd.CombinedOutput(); err != nil {
			return 1, fmt.Errorf("build %s: %v\n%s", pkg, err, out)
		}
	}
	bins = dir
	return m.Run(), nil
}

// seeded returns a random source and logs its seed; FAULT_SEED fixes it.
func seeded(t *testing.T) *rand.Rand {
	t.Helper()
	seed := rand.Uint64()
	if s := os.Getenv("FAULT_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("FAULT_SEED=%q: %v", s, err)
		}
		seed = v
	}
	t.Logf("seed %d (FAULT_SEED=%d reproduces this run)", seed, seed)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("FAILED with seed %d: rerun with FAULT_SEED=%d", seed, seed)
		}
	})
	return rand.New(rand.NewPCG(seed, 0x5ca1ab1e)) // #nosec G404 -- test randomness, seeded for replay
}
