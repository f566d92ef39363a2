package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/serverstore/pgstore"
	"github.com/smartap/desktop/sync/serverstore/sqlitestore"
)

// Exit codes of CLI.md. Code 3 (authentication or permission refused) is
// never produced: these commands work on the store directly, with the
// operator's file or database rights.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

// keysFileName is the key file's name beside a SQLite database.
const keysFileName = "smartap-sync.keys"

type cli struct {
	ctx    context.Context
	getenv func(string) string
	stdin  *bufio.Reader
	stdout io.Writer
	stderr io.Writer

	storeSpec string
	keysPath  string
	jsonOut   bool
	// running is set once the command line parsed; errors before that
	// (unknown command, bad flag) are usage errors.
	running bool
}

// usageError is a mistake in the command line (exit 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &cli{ctx: ctx, getenv: getenv, stdin: bufio.NewReader(stdin), stdout: stdout, stderr: stderr}
	root := c.rootCommand()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	return c.fail(err)
}

func (c *cli) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:              "smartap-sync",
		Short:            "SmartAP sync server and its administration",
		SilenceUsage:     true,
		SilenceErrors:    true,
		PersistentPreRun: func(*cobra.Command, []string) { c.running = true },
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err.Error()} })
	pf := root.PersistentFlags()
	pf.StringVar(&c.storeSpec, "store", "", "sqlite:PATH or postgres://… (required)")
	pf.StringVar(&c.keysPath, "keys", "", "server key file (default: "+keysFileName+" beside the SQLite database; required with PostgreSQL)")
	pf.BoolVar(&c.jsonOut, "json", false, "machine-readable output on stdout")
	root.AddCommand(c.serveCommand(), c.teamCommand(), c.userCommand(), c.apikeyCommand(), c.eventsCommand())
	return root
}

// fail prints err and returns its exit code.
func (c *cli) fail(err error) int {
	code, kind := exitFailed, "internal"
	var ue usageError
	switch {
	case !c.running, errors.As(err, &ue), errors.Is(err, serverstore.ErrInvalid):
		code, kind = exitUsage, "invalid_input"
	case errors.Is(err, serverstore.ErrNotFound):
		kind = "not_found"
	case errors.Is(err, serverstore.ErrExists):
		kind = "duplicate"
	}
	if c.jsonOut {
		_ = json.NewEncoder(c.stdout).Encode(map[string]string{"code": kind, "message": err.Error()})
	}
	fmt.Fprintf(c.stderr, "smartap-sync: %v\n", err)
	return code
}

// storeKind parses --store into its kind and location.
func (c *cli) storeKind() (kind, where string, err error) {
	s := c.storeSpec
	switch {
	case s == "":
		return "", "", usagef("--store is required (sqlite:PATH or postgres://…)")
	case strings.HasPrefix(s, "sqlite:"):
		p := strings.TrimPrefix(s, "sqlite:")
		if p == "" {
			return "", "", usagef("--store sqlite: needs a file path")
		}
		return "sqlite", p, nil
	case strings.HasPrefix(s, "postgres://"), strings.HasPrefix(s, "postgresql://"):
		return "postgres", s, nil
	}
	return "", "", usagef("--store %q: use sqlite:PATH or postgres://…", redactURL(s))
}

// redactURL hides a password in a store URL for messages.
func redactURL(s string) string {
	if i := strings.Index(s, "@"); i >= 0 {
		if j := strings.Index(s, "://"); j >= 0 && j < i {
			return s[:j+3] + "…@" + s[i+1:]
		}
	}
	return s
}

// keyFile returns the key file path for the store.
func (c *cli) keyFile() (string, error) {
	if c.keysPath != "" {
		return c.keysPath, nil
	}
	kind, where, err := c.storeKind()
	if err != nil {
		return "", err
	}
	if kind != "sqlite" {
		return "", usagef("--keys PATH is required with a PostgreSQL store (every replica must read the same keys)")
	}
	return filepath.Join(filepath.Dir(where), keysFileName), nil
}

// openStore opens --store.
func (c *cli) openStore() (serverstore.Store, error) {
	kind, where, err := c.storeKind()
	if err != nil {
		return nil, err
	}
	if kind == "sqlite" {
		return sqlitestore.Open(c.ctx, where)
	}
	return pgstore.Open(c.ctx, where)
}

// openAll opens the store and loads (or creates) the server keys.
func (c *cli) openAll() (serverstore.Store, serverKeys, error) {
	path, err := c.keyFile()
	if err != nil {
		return nil, serverKeys{}, err
	}
	st, err := c.openStore()
	if err != nil {
		return nil, serverKeys{}, fmt.Errorf("open store: %w", err)
	}
	k, created, err := loadOrCreateKeys(path)
	if err != nil {
		_ = st.Close()
		return nil, serverKeys{}, err
	}
	if created {
		fmt.Fprintf(c.stderr, "smartap-sync: created server keys in %s (keep it secret, back it up; replicas share it)\n", path)
	}
	return st, k, nil
}

func (c *cli) printJSON(v any) error {
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
