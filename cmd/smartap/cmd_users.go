package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/backend/identity"
)

func (c *cli) initCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "init --user NAME",
		Short: "create the data folder, its keys and the first user (an administrator)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if c.user == "" {
				return usageError{"init needs --user NAME for the first administrator"}
			}
			pw, err := c.password("Password for the new administrator " + c.user)
			if err != nil {
				return err
			}
			defer pw.Wipe()
			co, err := c.open()
			if err != nil {
				return err
			}
			defer co.Close()
			s, rk, err := co.Init(c.ctx, c.user, pw)
			if err != nil {
				return err
			}
			defer s.Lock()
			u := s.User()
			return c.emit(map[string]string{"user_id": u.ID, "user": u.Name, "role": string(u.Role), "data_dir": co.DataDir(), "recovery_key": rk},
				func(w io.Writer) {
					fmt.Fprintf(w, "Set up %s with administrator %s.\n\n", co.DataDir(), u.Name)
					fmt.Fprintf(w, "Recovery key (shown once; store it offline, it resets a forgotten password):\n\n    %s\n\n", rk)
				})
		},
	}
	return cmd
}

func (c *cli) userCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "local users"}
	var role string
	add := &cobra.Command{
		Use:   "add NAME --role clerk|approver|admin|auditor",
		Short: "add a local user (password from SMARTAP_NEW_PASSWORD or the next stdin line)",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			r, err := identity.ParseRole(role)
			if err != nil {
				return usageError{err.Error()}
			}
			return c.withSession(func(s *core.Session) error {
				npw, err := c.newPassword()
				if err != nil {
					return err
				}
				defer npw.Wipe()
				u, err := s.AddUser(c.ctx, args[0], r, npw)
				if err != nil {
					return err
				}
				return c.emit(u, func(w io.Writer) { fmt.Fprintf(w, "%s\n", u.ID) })
			})
		},
	}
	add.Flags().StringVar(&role, "role", "", "clerk, approver, admin or auditor")
	list := &cobra.Command{
		Use:   "list",
		Short: "list local users",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return c.withSession(func(s *core.Session) error {
				us, err := s.Users(c.ctx)
				if err != nil {
					return err
				}
				return c.emit(nonNil(us), func(w io.Writer) {
					tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "NAME\tROLE\tSTATUS\tCREATED\tID")
					for _, u := range us {
						fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Name, u.Role, userStatus(u), u.CreatedAt.Format("2006-01-02"), u.ID)
					}
					_ = tw.Flush()
				})
			})
		},
	}
	recover := &cobra.Command{
		Use:   "recover NAME",
		Short: "set a new password with the recovery key (SMARTAP_RECOVERY_KEY or the first stdin line; new password from SMARTAP_NEW_PASSWORD or the next line)",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			rk := c.getenv("SMARTAP_RECOVERY_KEY")
			if rk == "" {
				p, err := c.readLine("recovery key")
				if err != nil {
					return err
				}
				rk = string(p.Reveal())
			}
			npw, err := c.newPassword()
			if err != nil {
				return err
			}
			defer npw.Wipe()
			co, err := c.open()
			if err != nil {
				return err
			}
			defer co.Close()
			s, err := co.Recover(c.ctx, args[0], rk, npw)
			if err != nil {
				return err
			}
			s.Lock()
			return c.emit(map[string]string{"user": s.User().Name, "status": "password reset"},
				func(w io.Writer) { fmt.Fprintf(w, "New password set for %s.\n", s.User().Name) })
		},
	}
	cmd.AddCommand(add, list, recover, c.setRoleCommand(), c.enableCommand(true), c.enableCommand(false))
	return cmd
}

func (c *cli) setRoleCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "set-role NAME clerk|approver|admin|auditor",
		Short: "give a user another role (admins; changing your own role locks your session)",
		Args:  cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			r, err := identity.ParseRole(args[1])
			if err != nil {
				return usageError{err.Error()}
			}
			return c.withSession(func(s *core.Session) error {
				u, err := s.SetUserRole(c.ctx, args[0], r)
				if err != nil {
					return err
				}
				return c.emit(u, func(w io.Writer) { fmt.Fprintf(w, "%s is now %s.\n", u.Name, u.Role) })
			})
		},
	}
}

// enableCommand is "user disable NAME" or "user enable NAME".
func (c *cli) enableCommand(disable bool) *cobra.Command {
	verb, short := "enable", "let a disabled user unlock again (admins)"
	if disable {
		verb, short = "disable", "stop a user from unlocking; their data and audit entries stay (admins)"
	}
	return &cobra.Command{
		Use:   verb + " NAME",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return c.withSession(func(s *core.Session) error {
				u, err := s.SetUserDisabled(c.ctx, args[0], disable)
				if err != nil {
					return err
				}
				return c.emit(u, func(w io.Writer) { fmt.Fprintf(w, "%s is %s.\n", u.Name, userStatus(u)) })
			})
		},
	}
}

func userStatus(u core.UserInfo) string {
	if u.Disabled {
		return "disabled"
	}
	return "enabled"
}

// nonNil makes empty lists print as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
