// Package pgtest gives tests and benchmarks a throwaway PostgreSQL database
// on the server named by SMARTAP_TEST_PG_URL (scripts/with-postgres.sh starts
// a private cluster and sets it). Unset, the caller is skipped; set but
// unreachable, it fails: a CI run must not pass by skipping PostgreSQL.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the PostgreSQL server to test against.
const EnvURL = "SMARTAP_TEST_PG_URL"

// URL returns the server's URL, or skips tb when EnvURL is unset.
func URL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		tb.Skipf("%s is not set; run under scripts/with-postgres.sh to test on PostgreSQL", EnvURL)
	}
	return u
}

// FreshDB creates database <prefix>_<random> and returns its URL. The
// cleanup drops it (WITH FORCE, after the caller's own cleanups have
// closed its pools, since cleanups run last-in first-out).
func FreshDB(tb testing.TB, prefix string) string {
	tb.Helper()
	base := URL(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Fatalf("%s is set but the server is unreachable: %v", EnvURL, err)
	}
	defer admin.Close(context.Background())
	var b [8]byte
	_, _ = rand.Read(b[:])
	name := prefix + "_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create database %s: %v", name, err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			tb.Errorf("drop %s: %v", name, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("drop %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("%s: %v", EnvURL, err)
	}
	u.Path = "/" + name
	return u.String()
}
