package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/backend/logging"
	"github.com/smartap/desktop/backend/paths"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/vault"
)

// Exit codes of CLI.md.
const (
	exitOK        = 0
	exitFailed    = 1
	exitUsage     = 2
	exitAuth      = 3
	exitIntegrity = 4
)

// cli holds one invocation's flags and streams.
type cli struct {
	ctx    context.Context
	getenv func(string) string
	stdin  *bufio.Reader
	stdout io.Writer
	stderr io.Writer

	dataDir       string
	user          string
	keychain      string
	passwordStdin bool
	jsonOut       bool
	logLevel      string
	level         slog.Level

	log     *slog.Logger
	running bool // set once the command line parsed; errors before are usage errors
}

// usageError marks a mistake in the command line itself (exit 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

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
		Use:           "smartap",
		Short:         "SmartAP: supplier invoices from intake to payment",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			c.running = true
			return c.setup()
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err.Error()} })
	pf := root.PersistentFlags()
	pf.StringVar(&c.dataDir, "data-dir", "", "data folder (default: the OS's per-user data folder, or $SMARTAP_DATA_DIR)")
	pf.StringVar(&c.user, "user", "", "user name (default: the data folder's only user)")
	pf.StringVar(&c.keychain, "keychain", "", "where the device secret lives: os or file:PATH (default: $SMARTAP_KEYCHAIN, else os)")
	pf.BoolVar(&c.passwordStdin, "password-stdin", false, "read the password from the first line of standard input")
	pf.BoolVar(&c.jsonOut, "json", false, "machine-readable output on stdout")
	pf.StringVar(&c.logLevel, "log-level", "info", "log level for <data-dir>/smartap.log: debug, info, warn, error")
	root.AddCommand(c.workflowCommands()...)
	root.AddCommand(c.initCommand(), c.userCommand(), c.vendorCommand(), c.auditCommand(), c.listCommand(), c.extractCommand(), c.importCommand(), c.showCommand(), c.poCommand(), c.receiptCommand(), c.exportCommand(),
		c.contactCommand(), c.gdprCommand(), c.retentionCommand(), c.settingsCommand(),
		c.delegateCommand(), c.queueCommand())
	root.AddCommand(c.loginCommand(), c.logoutCommand(), c.syncCommand(), c.exceptionsCommand(), c.rejectionsCommand())
	return root
}

func (c *cli) setup() error {
	if c.dataDir == "" {
		c.dataDir = paths.DefaultDataDir(c.getenv)
	}
	if c.keychain == "" {
		c.keychain = c.getenv(vault.EnvKeychain)
	}
	if err := c.level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return usageError{fmt.Sprintf("--log-level %q: use debug, info, warn or error", c.logLevel)}
	}
	c.log = slog.New(slog.DiscardHandler)
	return nil
}

// openLog starts logging to <data-dir>/smartap.log; commands that never
// touch the data folder (extract) do not create it.
func (c *cli) openLog() error {
	if err := os.MkdirAll(c.dataDir, 0o700); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "cannot create the data folder %s", c.dataDir)
	}
	f, err := os.OpenFile(filepath.Join(c.dataDir, "smartap.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600) // #nosec G304 -- the user's own data folder
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "cannot open the log file in %s", c.dataDir)
	}
	c.log = logging.New(f, c.level)
	return nil
}

// open opens the data folder with the chosen keychain.
func (c *cli) open() (*core.Core, error) {
	if err := c.openLog(); err != nil {
		return nil, err
	}
	kc, err := vault.OpenKeychain(c.keychain)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "%s", err.Error())
	}
	return core.Open(c.ctx, core.Options{DataDir: c.dataDir, Keychain: kc, Logger: c.log, KDF: kdfFromEnv(c.getenv), PDF: pdfEngine})
}

// kdfFromEnv lets tests use the minimum Argon2id cost (never below it:
// vault refuses weaker parameters).
func kdfFromEnv(getenv func(string) string) vault.KDFParams {
	if getenv("SMARTAP_KDF") == "min" {
		return vault.MinKDF
	}
	return vault.DefaultKDF
}

// session opens the folder and unlocks it for the chosen user.
func (c *cli) session() (*core.Core, *core.Session, error) {
	co, err := c.open()
	if err != nil {
		return nil, nil, err
	}
	name := c.user
	if name == "" {
		var ok bool
		if name, ok = co.SoleUser(c.ctx); !ok {
			_ = co.Close()
			return nil, nil, usageError{"this data folder has several users (or none yet): name one with --user"}
		}
	}
	pw, err := c.password("Password for " + name)
	if err != nil {
		_ = co.Close()
		return nil, nil, err
	}
	defer pw.Wipe()
	s, err := co.Unlock(c.ctx, name, pw)
	if err != nil {
		_ = co.Close()
		return nil, nil, err
	}
	return co, s, nil
}

// password reads the acting user's password: $SMARTAP_PASSWORD, else the
// first line of stdin with --password-stdin, else a terminal prompt.
func (c *cli) password(prompt string) (secret.Password, error) {
	if p := c.getenv("SMARTAP_PASSWORD"); p != "" {
		return secret.NewPassword(p), nil
	}
	if c.passwordStdin {
		return c.readLine("password")
	}
	return c.prompt(prompt)
}

// newPassword reads a new user's password: $SMARTAP_NEW_PASSWORD, else the
// next line of stdin.
func (c *cli) newPassword() (secret.Password, error) {
	if p := c.getenv("SMARTAP_NEW_PASSWORD"); p != "" {
		return secret.NewPassword(p), nil
	}
	return c.readLine("new password")
}

func (c *cli) readLine(what string) (secret.Password, error) {
	line, err := c.stdin.ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return secret.Password{}, usageError{"no " + what + " on standard input"}
	}
	return secret.NewPassword(strings.TrimRight(line, "\r\n")), nil
}

func (c *cli) prompt(label string) (secret.Password, error) {
	fd := int(os.Stdin.Fd()) // #nosec G115 -- a file descriptor fits in int
	if !term.IsTerminal(fd) {
		return secret.Password{}, usageError{"no password: set SMARTAP_PASSWORD, use --password-stdin, or run on a terminal"}
	}
	fmt.Fprint(c.stderr, label+": ")
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(c.stderr)
	if err != nil {
		return secret.Password{}, fmt.Errorf("reading password: %w", err)
	}
	return secret.NewPassword(string(b)), nil
}

// emit prints v as JSON with --json, else the human text.
func (c *cli) emit(v any, human func(w io.Writer)) error {
	if c.jsonOut {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	human(c.stdout)
	return nil
}

// fail prints err for people (stderr) and, with --json, as {code, message}
// on stdout, and maps it to an exit code.
func (c *cli) fail(err error) int {
	var pf partialFailure
	if errors.As(err, &pf) {
		fmt.Fprintln(c.stderr, "smartap:", pf.Error())
		return exitFailed
	}
	var ue usageError
	if errors.As(err, &ue) || !c.running {
		fmt.Fprintln(c.stderr, "smartap:", err.Error())
		return exitUsage
	}
	code, msg, retry := apperr.Public(err)
	if c.log != nil {
		c.log.Error("command failed", "code", string(code), "err", err)
	}
	if c.jsonOut {
		_ = json.NewEncoder(c.stdout).Encode(map[string]string{"code": string(code), "message": msg})
	}
	if retry > 0 {
		msg += fmt.Sprintf(" (retry after %.0f s)", retry.Seconds())
	}
	fmt.Fprintf(c.stderr, "smartap: %s (%s)\n", msg, code)
	switch code {
	case apperr.Forbidden, apperr.Locked:
		return exitAuth
	case apperr.Integrity:
		return exitIntegrity
	default:
		return exitFailed
	}
}
