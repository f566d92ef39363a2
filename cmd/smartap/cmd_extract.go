package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/extract"
	"github.com/smartap/desktop/backend/intake"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/pdfdoc"
)

// extractJSON is one element of `extract --json` (CLI.md).
type extractJSON struct {
	File    string           `json:"file"`
	Source  *string          `json:"source"`
	Invoice *invoice.Invoice `json:"invoice"`
	Error   *errorJSON       `json:"error"`
}

type errorJSON struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// pdfEngine starts PDFium with its compiled code cached in the user's
// cache folder, so later starts take a fraction of a second.
func pdfEngine(ctx context.Context) (extract.PDF, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return pdfdoc.NewEngine(ctx, filepath.Join(dir, "smartap", "wazero"))
}

func (c *cli) extractCommand() *cobra.Command {
	var source string
	cmd := &cobra.Command{
		Use:   "extract [--source auto|structured|visual] [--json] FILE...",
		Short: "read invoices without storing them",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, files []string) error {
			mode, err := extract.ParseMode(source)
			if err != nil {
				return usageError{err.Error()}
			}
			x := extract.New(pdfEngine)
			out := make([]extractJSON, 0, len(files))
			failed := 0
			for _, f := range files {
				r := c.extractOne(x, f, mode)
				if r.Error != nil {
					failed++
				}
				out = append(out, r)
			}
			if err := c.printExtract(out); err != nil {
				return err
			}
			if failed > 0 {
				return partialFailure{n: failed, of: len(files)}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&source, "source", "auto", "auto, structured (embedded or plain XML only) or visual (the visible page)")
	return cmd
}

func (c *cli) extractOne(x *extract.Extractor, file string, mode extract.Mode) extractJSON {
	out := extractJSON{File: file}
	fail := func(err error) extractJSON {
		code, msg, _ := apperr.Public(err)
		out.Error = &errorJSON{Code: string(code), Message: msg}
		c.log.Warn("extract failed", "file", file, "code", string(code), "err", err)
		return out
	}
	f, err := os.Open(file) // #nosec G304 -- reading the files the user named is the point
	if err != nil {
		return fail(apperr.Wrap(err, apperr.NotFound, "cannot open %s", filepath.Base(file)))
	}
	defer f.Close()
	data, kind, _, err := intake.Read(f, intake.Limits{})
	if err != nil {
		return fail(err)
	}
	res, err := x.Extract(c.ctx, data, kind, mode)
	if err != nil {
		return fail(err)
	}
	src := string(res.Source)
	out.Source, out.Invoice = &src, &res.Invoice
	return out
}

func (c *cli) printExtract(out []extractJSON) error {
	if c.jsonOut {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	for _, r := range out {
		if r.Error != nil {
			fmt.Fprintf(c.stdout, "%s: %s (%s)\n", r.File, r.Error.Message, r.Error.Code)
			continue
		}
		inv := r.Invoice
		payable := ""
		if inv.Totals.Payable != nil {
			payable = inv.Totals.Payable.String()
		}
		fmt.Fprintf(c.stdout, "%s: %s %s from %s, %s %s, %d lines (%s)\n", r.File, typeName(inv), inv.InvoiceNumber,
			inv.Seller.Name, payable, inv.Currency, len(inv.Lines), *r.Source)
	}
	return nil
}

func typeName(inv *invoice.Invoice) string {
	if inv.IsCreditNote() {
		return "credit note"
	}
	return "invoice"
}

// partialFailure is exit 1: some inputs failed, the rest were done; the
// per-file errors were already printed.
type partialFailure struct{ n, of int }

func (p partialFailure) Error() string { return fmt.Sprintf("%d of %d failed", p.n, p.of) }
