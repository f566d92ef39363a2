package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/backend/matching"
	"github.com/smartap/desktop/backend/store"
)

// workflowJSON is what workflow commands print with --json.
type workflowJSON struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

func (c *cli) printState(r store.InvoiceRecord) error {
	return c.emit(workflowJSON{ID: r.ID, Status: string(r.State.Status)}, func(w io.Writer) {
		fmt.Fprintf(w, "%s is now %s.\n", r.ID, r.State.Status)
	})
}

func (c *cli) setCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "set ID FIELD=VALUE...",
		Short: "correct read fields (dotted names as in show --json, e.g. totals.payable=119.00 lines.0.name=Bolts)",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			fields := map[string]string{}
			for _, a := range args[1:] {
				k, v, ok := strings.Cut(a, "=")
				if !ok || k == "" {
					return usageError{fmt.Sprintf("%q: use FIELD=VALUE", a)}
				}
				fields[k] = v
			}
			return c.withSession(func(s *core.Session) error {
				r, err := s.Set(c.ctx, args[0], fields)
				if err != nil {
					return err
				}
				return c.printState(r)
			})
		},
	}
}

// simpleCommand is a workflow command taking an id and maybe a reason.
func (c *cli) simpleCommand(use, short string, needReason bool, run func(s *core.Session, id, reason string) (store.InvoiceRecord, error)) *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if needReason && strings.TrimSpace(reason) == "" {
				return usageError{"--reason is required"}
			}
			return c.withSession(func(s *core.Session) error {
				r, err := run(s, args[0], reason)
				if err != nil {
					return err
				}
				return c.printState(r)
			})
		},
	}
	if needReason {
		cmd.Flags().StringVar(&reason, "reason", "", "why (kept in the history and the audit trail)")
	}
	return cmd
}

func (c *cli) workflowCommands() []*cobra.Command {
	return []*cobra.Command{
		c.setCommand(),
		c.simpleCommand("submit ID", "send an invoice for approval", false, func(s *core.Session, id, _ string) (store.InvoiceRecord, error) {
			return s.Submit(c.ctx, id)
		}),
		c.simpleCommand("hold ID --reason R", "put an invoice on hold", true, func(s *core.Session, id, r string) (store.InvoiceRecord, error) {
			return s.Hold(c.ctx, id, r)
		}),
		c.simpleCommand("release ID", "take an invoice off hold", false, func(s *core.Session, id, _ string) (store.InvoiceRecord, error) {
			return s.Release(c.ctx, id)
		}),
		c.approveCommand(),
		c.overrideCommand(),
		c.matchCommand(),
		c.simpleCommand("reject ID --reason R", "reject an invoice", true, func(s *core.Session, id, r string) (store.InvoiceRecord, error) {
			return s.Reject(c.ctx, id, r)
		}),
		c.simpleCommand("void ID --reason R", "cancel an invoice for good", true, func(s *core.Session, id, r string) (store.InvoiceRecord, error) {
			return s.Void(c.ctx, id, r)
		}),
	}
}

func (c *cli) approveCommand() *cobra.Command {
	return c.simpleCommand("approve ID", "approve an invoice (one level; the last level needed approves it)", false,
		func(s *core.Session, id, _ string) (store.InvoiceRecord, error) { return s.Approve(c.ctx, id) })
}

func (c *cli) overrideCommand() *cobra.Command {
	return c.simpleCommand("override ID --reason R", "admins: allow approval despite critical findings (another person approves)", true,
		func(s *core.Session, id, r string) (store.InvoiceRecord, error) { return s.Override(c.ctx, id, r) })
}

func (c *cli) matchCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "match ID",
		Short: "run the checks and the 3-way match (PO lines, receipts) again and print the match",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return c.withSession(func(s *core.Session) error {
				m, err := s.Match(c.ctx, args[0])
				if err != nil {
					return err
				}
				var res matching.Result
				_ = json.Unmarshal(m, &res)
				return c.emit(res, func(w io.Writer) {
					fmt.Fprintf(w, "%s: %s\n", res.Status, res.Summary)
					for _, l := range res.Lines {
						fmt.Fprintf(w, "  %s\n", l.Explanation)
					}
					for _, f := range res.Findings {
						fmt.Fprintf(w, "! %s %s: %s\n", f.Severity, f.Code, f.Message)
					}
				})
			})
		},
	}
}
