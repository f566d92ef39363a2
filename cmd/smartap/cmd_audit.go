package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/smartap/desktop/backend/core"
)

// auditJSON is an audit entry as `audit list --json` prints it.
type auditJSON struct {
	Seq      uint64 `json:"seq"`
	Device   string `json:"device"`
	Actor    string `json:"actor"`
	Time     string `json:"time"`
	Action   string `json:"action"`
	Target   string `json:"target,omitempty"`
	Decision string `json:"decision,omitempty"`
	Reason   string `json:"reason,omitempty"`
	Rule     string `json:"rule,omitempty"`
	Before   string `json:"before,omitempty"`
	After    string `json:"after,omitempty"`
	Hash     string `json:"hash"`
}

func (c *cli) auditCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "audit", Short: "the tamper-evident audit trail"}
	list := &cobra.Command{
		Use:   "list",
		Short: "list this device's audit entries",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return c.withSession(func(s *core.Session) error {
				es, err := s.AuditLog(c.ctx)
				if err != nil {
					return err
				}
				out := make([]auditJSON, 0, len(es))
				for _, e := range es {
					out = append(out, auditJSON{e.Seq, e.Device, e.Actor, e.Time.Format(time.RFC3339Nano), e.Action, e.Target,
						string(e.Decision), e.Reason, e.Rule, e.Before, e.After, hex.EncodeToString(e.Hash[:])})
				}
				return c.emit(out, func(w io.Writer) {
					tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "SEQ\tTIME\tACTOR\tACTION\tDECISION\tTARGET\tREASON")
					for _, e := range out {
						fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Seq, e.Time, e.Actor, e.Action, e.Decision, e.Target, e.Reason)
					}
					_ = tw.Flush()
				})
			})
		},
	}
	verify := &cobra.Command{
		Use:   "verify",
		Short: "verify the hash chain and signed head; exits 4 naming the first bad entry",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return c.withSession(func(s *core.Session) error {
				n, err := s.VerifyAudit(c.ctx)
				if err != nil {
					return err
				}
				return c.emit(map[string]any{"ok": true, "entries": n}, func(w io.Writer) {
					fmt.Fprintf(w, "Audit trail verified: %d entries, chain and signed head intact.\n", n)
				})
			})
		},
	}
	cmd.AddCommand(list, verify)
	return cmd
}

func (c *cli) listCommand() *cobra.Command {
	var status string
	var limit int
	cmd := &cobra.Command{
		Use:   "list [--status S] [--limit N]",
		Short: "list invoices",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return c.withSession(func(s *core.Session) error {
				is, err := s.InvoicesPage(c.ctx, status, limit)
				if err != nil {
					return err
				}
				return c.emit(is, func(w io.Writer) {
					if len(is) == 0 {
						fmt.Fprintln(w, "No invoices.")
						return
					}
					tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "NUMBER\tSELLER\tISSUED\tDUE\tAMOUNT\tSTATUS\tID")
					for _, i := range is {
						fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s %s\t%s\t%s\n", i.InvoiceNumber, i.Seller, i.IssueDate, i.DueDate, i.Payable, i.Currency, i.Status, i.ID)
					}
					_ = tw.Flush()
				})
			})
		},
	}
	cmd.Flags().StringVar(&status, "status", "", "only invoices with this status")
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many, newest first (0: all)")
	return cmd
}
