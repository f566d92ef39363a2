package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/sync/checkpoint"
	"github.com/smartap/desktop/sync/client"
)

func (c *cli) syncCommand() *cobra.Command {
	var watch bool
	cmd := &cobra.Command{
		Use:   "sync [--watch]",
		Short: "push local changes to the sync server and pull everyone else's (--watch: keep going until Ctrl-C)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return c.withSyncClient(func(s *core.Session, cl *client.Client) error {
				if watch {
					fmt.Fprintln(c.stderr, "smartap: syncing until interrupted (Ctrl-C)")
					if err := cl.Run(c.ctx); err != nil {
						return syncError(err)
					}
				} else if err := cl.SyncOnce(c.ctx); err != nil {
					return syncError(err)
				}
				return c.printStatus(cl.Status(), cl.Status().Online)
			})
		},
	}
	cmd.Flags().BoolVar(&watch, "watch", false, "keep the connection open and sync as changes happen")
	cmd.AddCommand(c.syncStatusCommand())
	return cmd
}

// statusJSON is `sync status --json`.
type statusJSON struct {
	Server     string `json:"server"`
	User       string `json:"user"`
	Team       string `json:"team,omitempty"`
	Online     bool   `json:"online"`
	Pending    int    `json:"pending"`
	Cursor     string `json:"cursor"`
	LastSync   string `json:"last_sync"`
	LastError  string `json:"last_error"`
	Exceptions int    `json:"exceptions"`
	Rejections int    `json:"rejections"`
}

func (c *cli) syncStatusCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "the sync state: server, user, pending changes, last sync, exceptions and rejections",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return c.withSyncClient(func(s *core.Session, cl *client.Client) error {
				if err := cl.RefreshLocal(c.ctx); err != nil {
					return err
				}
				return c.printStatus(cl.Status(), cl.Reachable(c.ctx))
			})
		},
	}
}

func (c *cli) printStatus(st client.Status, online bool) error {
	out := statusJSON{Server: st.Server, User: st.User, Team: st.Team, Online: online, Pending: st.Pending,
		LastSync: timeText(st.LastSync), LastError: st.LastError, Exceptions: st.Exceptions, Rejections: st.Rejections}
	if st.Cursor.Index != "" {
		out.Cursor = st.Cursor.String()
	}
	return c.emit(out, func(w io.Writer) {
		state := "offline"
		if online {
			state = "online"
		}
		fmt.Fprintf(w, "%s as %s: %s, %d pending, last sync %s\n", out.Server, out.User, state, out.Pending, orNever(out.LastSync))
		if out.LastError != "" {
			fmt.Fprintf(w, "last error: %s\n", out.LastError)
		}
		fmt.Fprintf(w, "%d exceptions, %d rejections\n", out.Exceptions, out.Rejections)
	})
}

func orNever(s string) string {
	if s == "" {
		return "never"
	}
	return s
}

func (c *cli) exceptionsCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "exceptions",
		Short: "conflicts the sync server resolved (e.g. approve vs reject): what won and what was kept aside",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return c.withSession(func(s *core.Session) error {
				es, err := s.Replica().Exceptions(c.ctx)
				if err != nil {
					return err
				}
				if es == nil {
					es = []client.ExceptionView{}
				}
				return c.emit(es, func(w io.Writer) {
					tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "SEQ\tINVOICE\tKIND\tMESSAGE")
					for _, e := range es {
						fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", e.Seq, e.Invoice, e.Kind, e.Message)
					}
					_ = tw.Flush()
				})
			})
		},
	}
}

func (c *cli) rejectionsCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "rejections",
		Short: "local changes the sync server refused, with the rule that refused them",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return c.withSession(func(s *core.Session) error {
				rs, err := s.Replica().Rejections(c.ctx)
				if err != nil {
					return err
				}
				if rs == nil {
					rs = []client.RejectionView{}
				}
				return c.emit(rs, func(w io.Writer) {
					tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "INVOICE\tCODE\tRULE\tMESSAGE")
					for _, r := range rs {
						fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Invoice, r.Code, r.Rule, r.Message)
					}
					_ = tw.Flush()
				})
			})
		},
	}
}

// withSyncClient unlocks the folder and builds a client from its sync
// settings. Rejections and exceptions are reported on stderr as they come.
func (c *cli) withSyncClient(fn func(*core.Session, *client.Client) error) error {
	return c.withSession(func(s *core.Session) error {
		st, err := client.LoadSettings(c.dataDir)
		if err != nil {
			return syncError(err)
		}
		creds, err := c.credentials(s.Replica().Device(), st.Server, st.User)
		if err != nil {
			return syncError(err)
		}
		creds.Account = st.Account
		cfg := client.Config{Server: st.Server, User: st.User, Creds: creds, Replica: s.Replica(), Version: "smartap-cli",
			DataDir: c.dataDir, Logger: c.log, OnEvent: c.reportEvent}
		if st.CheckpointKey != "" {
			if cfg.CheckpointKey, err = checkpoint.ParsePublicKey(st.CheckpointKey); err != nil {
				return syncError(fmt.Errorf("%w: the stored checkpoint key: %w", client.ErrCheckpoint, err))
			}
			cfg.Checkpoints = &client.FileCheckpoints{Path: client.CheckpointPath(c.dataDir)}
		}
		cl, err := client.New(cfg)
		if err != nil {
			return syncError(err)
		}
		return fn(s, cl)
	})
}

func (c *cli) reportEvent(e client.Event) {
	switch e.Kind {
	case client.EventRejection:
		fmt.Fprintf(c.stderr, "smartap: the server refused a change (%s): %s\n", e.Rejection.Code, e.Rejection.Message)
	case client.EventException:
		fmt.Fprintf(c.stderr, "smartap: conflict on %s %s: %s\n", e.Exception.Entity.Type, e.Exception.Entity.ID, e.Exception.Message)
	case client.EventAlert:
		fmt.Fprintf(c.stderr, "smartap: security alert %s: %s\n", e.Alert.Kind, e.Alert.Detail)
	}
}
