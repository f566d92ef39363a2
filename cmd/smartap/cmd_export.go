package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/backend/invoice"
)

func (c *cli) exportCommand() *cobra.Command {
	var req core.ExportRequest
	var date string
	cmd := &cobra.Command{
		Use:   "export --format csv|json|ubl|sepa [--status approved] --out PATH",
		Short: "export invoices (ubl: one file per invoice in the folder PATH; sepa: pain.001.001.09 for approved invoices)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if req.Out == "" {
				return usageError{"export needs --out PATH"}
			}
			switch req.Format {
			case "csv", "json", "ubl", "sepa":
			default:
				return usageError{fmt.Sprintf("--format %q: use csv, json, ubl or sepa", req.Format)}
			}
			if date != "" {
				d, err := invoice.ParseDate(date)
				if err != nil {
					return usageError{"--execution-date: use YYYY-MM-DD"}
				}
				req.Debtor.ExecutionDate = d
			}
			for _, f := range []struct {
				dst *string
				env string
			}{{&req.Debtor.Name, "SMARTAP_DEBTOR_NAME"}, {&req.Debtor.IBAN, "SMARTAP_DEBTOR_IBAN"}, {&req.Debtor.BIC, "SMARTAP_DEBTOR_BIC"}} {
				if *f.dst == "" {
					*f.dst = c.getenv(f.env)
				}
			}
			return c.withSession(func(s *core.Session) error {
				res, err := s.Export(c.ctx, req)
				if err != nil {
					for _, r := range res.Refused {
						fmt.Fprintf(c.stderr, "refused %s: %s\n", r.InvoiceID, r.Reason)
					}
					return err
				}
				if err := c.emit(res, func(w io.Writer) { printExport(w, res) }); err != nil {
					return err
				}
				if len(res.Refused) > 0 {
					return partialFailure{n: len(res.Refused), of: len(res.Refused) + len(res.Included)}
				}
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&req.Format, "format", "", "csv, json, ubl or sepa")
	f.StringVar(&req.Status, "status", "", "only invoices with this status (sepa: approved)")
	f.StringVar(&req.Out, "out", "", "output file (ubl: folder)")
	f.StringVar(&req.Debtor.Name, "debtor-name", "", "sepa: the paying company ($SMARTAP_DEBTOR_NAME)")
	f.StringVar(&req.Debtor.IBAN, "debtor-iban", "", "sepa: the account paid from ($SMARTAP_DEBTOR_IBAN)")
	f.StringVar(&req.Debtor.BIC, "debtor-bic", "", "sepa: its BIC ($SMARTAP_DEBTOR_BIC)")
	f.StringVar(&date, "execution-date", "", "sepa: requested execution date YYYY-MM-DD (default: today)")
	return cmd
}

func printExport(w io.Writer, res core.ExportResult) {
	fmt.Fprintf(w, "Exported %d invoices as %s; %d marked exported.\n", len(res.Included), res.Format, len(res.Exported))
	for _, f := range res.Files {
		fmt.Fprintf(w, "  %s\n", f)
	}
	for _, r := range res.Refused {
		fmt.Fprintf(w, "refused %s: %s\n", r.InvoiceID, r.Reason)
	}
}
