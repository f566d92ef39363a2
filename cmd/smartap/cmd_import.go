package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/backend/invoice"
)

// importJSON is one element of `import --json`: extract's shape plus the id.
type importJSON struct {
	File    string           `json:"file"`
	ID      *string          `json:"id"`
	Source  *string          `json:"source"`
	Invoice *invoice.Invoice `json:"invoice"`
	Error   *errorJSON       `json:"error"`
}

func (c *cli) importCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE...",
		Short: "read, check and store invoices (one id per file; progress on stderr)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, files []string) error {
			return c.withSession(func(s *core.Session) error {
				out := make([]importJSON, 0, len(files))
				failed := 0
				for i, f := range files {
					r := c.importOne(s, f)
					if r.Error != nil {
						failed++
						fmt.Fprintf(c.stderr, "[%d/%d] %s: %s (%s)\n", i+1, len(files), f, r.Error.Message, r.Error.Code)
					} else {
						fmt.Fprintf(c.stderr, "[%d/%d] %s: %s %s (%s)\n", i+1, len(files), f, r.Invoice.InvoiceNumber, *r.ID, *r.Source)
					}
					out = append(out, r)
				}
				if err := c.emit(out, func(w io.Writer) {
					for _, r := range out {
						if r.ID != nil {
							fmt.Fprintln(w, *r.ID)
						}
					}
				}); err != nil {
					return err
				}
				if failed > 0 {
					return partialFailure{n: failed, of: len(files)}
				}
				return nil
			})
		},
	}
}

func (c *cli) importOne(s *core.Session, file string) importJSON {
	out := importJSON{File: file}
	f, err := os.Open(file) // #nosec G304 -- importing the files the user named is the point
	if err != nil {
		err = apperr.Wrap(err, apperr.NotFound, "cannot open %s", filepath.Base(file))
	} else {
		defer f.Close()
		var res core.ImportResult
		if res, err = s.Import(c.ctx, filepath.Base(file), f); err == nil {
			src := string(res.Source)
			out.ID, out.Source, out.Invoice = &res.ID, &src, &res.Invoice
			return out
		}
	}
	code, msg, _ := apperr.Public(err)
	out.Error = &errorJSON{Code: string(code), Message: msg}
	return out
}

func (c *cli) showCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "show ID",
		Short: "show an invoice with its source, findings and history",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return c.withSession(func(s *core.Session) error {
				d, err := s.Invoice(c.ctx, args[0])
				if err != nil {
					return err
				}
				return c.emit(d, func(w io.Writer) { printInvoice(w, d) })
			})
		},
	}
}

func printInvoice(w io.Writer, d core.InvoiceDetail) {
	inv := d.Invoice
	amount := func(p interface{ String() string }) string {
		if p == nil {
			return "-"
		}
		return p.String()
	}
	fmt.Fprintf(w, "%s %s (%s)\n", typeName(&inv), inv.InvoiceNumber, d.Status)
	fmt.Fprintf(w, "Seller:   %s %s\nBuyer:    %s\nIssued:   %s  Due: %s\n", inv.Seller.Name, inv.Seller.VATID, inv.Buyer.Name, inv.IssueDate, inv.DueDate)
	if inv.Totals.Payable != nil {
		fmt.Fprintf(w, "Payable:  %s %s\n", amount(inv.Totals.Payable), inv.Currency)
	}
	fmt.Fprintf(w, "Source:   %s (%s, %s)\n", d.Source.FileName, d.Source.Kind, d.Source.Reader)
	for _, l := range inv.Lines {
		fmt.Fprintf(w, "  %-4s %-40s %s\n", l.ID, l.Name, amount(l.NetAmount))
	}
	for _, f := range d.Findings {
		fmt.Fprintf(w, "! %s %s: %s\n", f.Severity, f.Code, f.Message)
	}
}
