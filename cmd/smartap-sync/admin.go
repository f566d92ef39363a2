package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/sync/auth"
	"github.com/smartap/desktop/sync/server/authapi"
	"github.com/smartap/desktop/sync/server/events"
	"github.com/smartap/desktop/sync/serverstore"
)

// envNewPassword carries a new user's password (CLI.md); else stdin.
const envNewPassword = "SMARTAP_NEW_PASSWORD"

// adminActor names the command line in security events.
const adminActor = "smartap-sync admin"

// serviceHash is the password hash of service accounts: not a bcrypt
// string, so no password ever verifies against it; they log in with keys.
const serviceHash = "!api-key-only"

func (c *cli) teamCommand() *cobra.Command {
	team := &cobra.Command{Use: "team", Short: "manage teams"}
	team.AddCommand(&cobra.Command{
		Use: "create NAME", Short: "create a team", Args: exactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return c.withStore(func(st serverstore.Store) error {
				t, err := st.CreateTeam(c.ctx, args[0])
				if err != nil {
					return err
				}
				if c.jsonOut {
					return c.printJSON(map[string]any{"id": t.ID, "index": t.Index, "created_at": t.CreatedAt})
				}
				fmt.Fprintf(c.stderr, "team %s created\n", t.ID)
				return nil
			})
		},
	})
	return team
}

// exactArgs is cobra.ExactArgs with a usage error (exit 2).
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("%s: expects %d argument(s), got %d", cmd.CommandPath(), n, len(args))
		}
		return nil
	}
}

// withStore runs fn on the opened store (commands that need no keys).
func (c *cli) withStore(fn func(serverstore.Store) error) error {
	st, err := c.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(st)
}

type userAddOpts struct {
	team, role    string
	costCentres   []string
	approvalLimit string
}

func (c *cli) userCommand() *cobra.Command {
	user := &cobra.Command{Use: "user", Short: "manage users"}
	var o userAddOpts
	add := &cobra.Command{
		Use:   "add NAME --team T --role R [--cost-centre C ...] [--approval-limit A]",
		Short: "add a user (password from " + envNewPassword + " or the first line of stdin)",
		Args:  exactArgs(1),
		RunE:  func(_ *cobra.Command, args []string) error { return c.userAdd(args[0], o) },
	}
	add.Flags().StringVar(&o.team, "team", "", "the user's team (required)")
	add.Flags().StringVar(&o.role, "role", "", "clerk, approver, admin or auditor (required)")
	add.Flags().StringArrayVar(&o.costCentres, "cost-centre", nil, "a cost centre the user may act for (repeatable)")
	add.Flags().StringVar(&o.approvalLimit, "approval-limit", "", "highest amount the user may approve (default: no limit)")
	disable := &cobra.Command{
		Use: "disable NAME", Short: "disable a user and end all their sessions at once", Args: exactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return c.withStore(func(st serverstore.Store) error {
				n, err := authapi.DisableUser(c.ctx, st, c.eventBus(st), auth.NormalizeUsername(args[0]), adminActor, time.Now())
				if err != nil {
					return err
				}
				fmt.Fprintf(c.stderr, "user %s disabled; %d sessions revoked\n", args[0], n)
				return nil
			})
		},
	}
	setRole := &cobra.Command{
		Use: "set-role NAME ROLE", Short: "change a user's role (live tokens stop working at once)", Args: exactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			role, err := identity.ParseRole(args[1])
			if err != nil {
				return usagef("%v", err)
			}
			return c.withStore(func(st serverstore.Store) error {
				return authapi.SetRole(c.ctx, st, c.eventBus(st), auth.NormalizeUsername(args[0]), role, adminActor, time.Now())
			})
		},
	}
	user.AddCommand(add, disable, setRole)
	return user
}

// eventBus records admin events in the store (no live subscribers in
// this process; running servers see the effects through the store).
func (c *cli) eventBus(st serverstore.Store) *events.Bus { return events.New(st, nil, nil) }

func (c *cli) userAdd(name string, o userAddOpts) error {
	name, err := identity.NormalizeName(name)
	if err != nil {
		return usagef("user name: %v", err)
	}
	role, err := identity.ParseRole(o.role)
	if err != nil || o.team == "" {
		return usagef("user add needs --team and --role (clerk, approver, admin or auditor)")
	}
	limit, err := serverstore.CheckApprovalLimit(o.approvalLimit)
	if err != nil {
		return usagef("--approval-limit: %v", err)
	}
	centres, err := serverstore.CheckCostCentres(o.costCentres)
	if err != nil {
		return usagef("--cost-centre: %v", err)
	}
	pw, err := c.newPassword()
	if err != nil {
		return err
	}
	// The password pepper is in the server keys: load (or create) them.
	st, k, err := c.openAll()
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := auth.NewPasswords(k.Pepper)
	if err != nil {
		return err
	}
	hash, err := p.Hash(pw)
	if err != nil {
		return err
	}
	if _, err := st.CreateUser(c.ctx, serverstore.User{Name: name, Team: o.team, Role: role, PasswordHash: hash}); err != nil {
		return err
	}
	if len(centres) > 0 {
		if err := st.SetCostCentres(c.ctx, name, centres); err != nil {
			return err
		}
	}
	if limit != "" {
		if err := st.SetApprovalLimit(c.ctx, name, limit); err != nil {
			return err
		}
	}
	fmt.Fprintf(c.stderr, "user %s added to team %s as %s\n", name, o.team, role)
	return nil
}

// newPassword reads the new user's password: the environment, else the
// first line of stdin.
func (c *cli) newPassword() (string, error) {
	pw := c.getenv(envNewPassword)
	if pw == "" {
		line, err := c.stdin.ReadString('\n')
		if err != nil && err != io.EOF {
			return "", fmt.Errorf("read password from stdin: %w", err)
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	if pw == "" {
		return "", usagef("no password: set %s or pass it on the first line of stdin", envNewPassword)
	}
	if err := identity.CheckPassword([]byte(pw)); err != nil {
		return "", usagef("%v", err)
	}
	return pw, nil
}
