package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/backend/vendor"
)

func (c *cli) contactCommand() *cobra.Command {
	var ct vendor.Contact
	add := &cobra.Command{
		Use:   "add VENDOR_ID --name N [--email E] [--phone P] [--role R]",
		Short: "add a vendor's contact person (personal data, erasable on its own)",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			ct.VendorID = args[0]
			return c.withSession(func(s *core.Session) error {
				saved, err := s.AddContact(c.ctx, ct)
				if err != nil {
					return err
				}
				return c.emit(saved, func(w io.Writer) { fmt.Fprintln(w, saved.ID) })
			})
		},
	}
	f := add.Flags()
	f.StringVar(&ct.Name, "name", "", "name")
	f.StringVar(&ct.Email, "email", "", "e-mail")
	f.StringVar(&ct.Phone, "phone", "", "phone")
	f.StringVar(&ct.Role, "role", "", "role at the vendor")
	list := &cobra.Command{
		Use: "list VENDOR_ID", Short: "list a vendor's contact persons", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return c.withSession(func(s *core.Session) error {
				cs, err := s.Contacts(c.ctx, args[0])
				if err != nil {
					return err
				}
				return c.emit(nonNil(cs), func(w io.Writer) {
					for _, x := range cs {
						if x.Erased {
							fmt.Fprintf(w, "%s  (erased)\n", x.ID)
						} else {
							fmt.Fprintf(w, "%s  %s <%s> %s\n", x.ID, x.Name, x.Email, x.Phone)
						}
					}
				})
			})
		},
	}
	cmd := &cobra.Command{Use: "contact", Short: "vendors' contact persons"}
	cmd.AddCommand(add, list)
	return cmd
}

func (c *cli) gdprCommand() *cobra.Command {
	exp := &cobra.Command{
		Use: "export SUBJECT", Short: "everything held about a data subject, as JSON", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return c.withSession(func(s *core.Session) error {
				out, err := s.GDPRExport(c.ctx, args[0])
				if err != nil {
					return err
				}
				c.jsonOut = true
				return c.emit(out, nil)
			})
		},
	}
	erase := &cobra.Command{
		Use: "erase SUBJECT", Short: "erase a data subject (its key is destroyed; the audit trail stays verifiable)", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return c.withSession(func(s *core.Session) error {
				if err := s.GDPRErase(c.ctx, args[0]); err != nil {
					return err
				}
				return c.emit(map[string]string{"subject": args[0], "status": "erased"},
					func(w io.Writer) { fmt.Fprintf(w, "%s erased.\n", args[0]) })
			})
		},
	}
	cmd := &cobra.Command{Use: "gdpr", Short: "data subjects (vendors' contact persons)"}
	cmd.AddCommand(exp, erase)
	return cmd
}

func (c *cli) retentionCommand() *cobra.Command {
	var years int
	var dry bool
	run := &cobra.Command{
		Use: "run [--years N] [--dry-run]", Short: "purge finished invoices older than the retention period, except those under a legal hold", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if years < 1 {
				return usageError{"--years must be at least 1"}
			}
			return c.withSession(func(s *core.Session) error {
				rep, err := s.RunRetention(c.ctx, time.Duration(years)*365*24*time.Hour, dry)
				if err != nil {
					return err
				}
				return c.emit(rep, func(w io.Writer) {
					verb := "Purged"
					if dry {
						verb = "Would purge"
					}
					fmt.Fprintf(w, "%s %d invoices; %d kept under a legal hold.\n", verb, len(rep.Purged), len(rep.Held))
				})
			})
		},
	}
	run.Flags().IntVar(&years, "years", 10, "keep invoices this many years after their issue date")
	run.Flags().BoolVar(&dry, "dry-run", false, "only report")
	var reason string
	var lift bool
	hold := &cobra.Command{
		Use: "hold ID --reason R | hold ID --lift", Short: "put a legal hold on an invoice or a vendor (or lift it)", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return c.withSession(func(s *core.Session) error {
				if err := s.SetLegalHold(c.ctx, args[0], reason, !lift); err != nil {
					return err
				}
				return c.emit(map[string]any{"target": args[0], "held": !lift}, func(w io.Writer) {
					fmt.Fprintf(w, "Legal hold on %s: %v.\n", args[0], !lift)
				})
			})
		},
	}
	hold.Flags().StringVar(&reason, "reason", "", "why (e.g. a tax audit)")
	hold.Flags().BoolVar(&lift, "lift", false, "lift the hold")
	cmd := &cobra.Command{Use: "retention", Short: "retention periods and legal holds"}
	cmd.AddCommand(run, hold)
	return cmd
}
