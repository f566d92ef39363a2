package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/backend/csvimport"
	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/purchasing"
)

func (c *cli) poCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "po", Short: "purchase orders"}
	var po purchasing.PurchaseOrder
	var date string
	var lines []string
	add := &cobra.Command{
		Use:   `add --number N [--vendor ID] --currency EUR --line "ITEM|DESCRIPTION|QTY|UNIT|PRICE|TAX%"...`,
		Short: "add a purchase order (line numbers follow the order of --line)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if date != "" {
				d, err := invoice.ParseDate(date)
				if err != nil {
					return usageError{"--date: use YYYY-MM-DD"}
				}
				po.OrderDate = d
			}
			for i, l := range lines {
				pl, err := parseLineFlag(i+1, l)
				if err != nil {
					return usageError{err.Error()}
				}
				po.Lines = append(po.Lines, pl)
			}
			return c.withSession(func(s *core.Session) error {
				saved, err := s.AddPO(c.ctx, po)
				if err != nil {
					return err
				}
				return c.emit(saved, func(w io.Writer) { fmt.Fprintln(w, saved.ID) })
			})
		},
	}
	f := add.Flags()
	f.StringVar(&po.Number, "number", "", "PO number (as invoices quote it)")
	f.StringVar(&po.VendorID, "vendor", "", "vendor id")
	f.StringVar(&po.Currency, "currency", "EUR", "currency")
	f.StringVar(&po.CostCentre, "cost-centre", "", "cost centre")
	f.StringVar(&date, "date", "", "order date YYYY-MM-DD")
	f.StringArrayVar(&lines, "line", nil, `a line "ITEM|DESCRIPTION|QTY|UNIT|PRICE|TAX%" (repeat)`)
	cmd.AddCommand(add, c.poImportCommand(), c.poListCommand(), c.poShowCommand())
	for _, st := range []struct {
		verb   string
		status purchasing.Status
	}{{"close", purchasing.StatusClosed}, {"cancel", purchasing.StatusCancelled}, {"reopen", purchasing.StatusOpen}} {
		cmd.AddCommand(c.poStatusCommand(st.verb, st.status))
	}
	return cmd
}

func parseLineFlag(n int, s string) (purchasing.POLine, error) {
	p := strings.Split(s, "|")
	if len(p) != 6 {
		return purchasing.POLine{}, fmt.Errorf("--line %q: want ITEM|DESCRIPTION|QTY|UNIT|PRICE|TAX%%", s)
	}
	l := purchasing.POLine{LineNo: n, ItemCode: p[0], Description: p[1], Unit: p[3]}
	var err error
	for _, f := range []struct {
		v   string
		dst *decimal.Decimal
	}{{p[2], &l.Quantity}, {p[4], &l.UnitPrice}, {p[5], &l.TaxRate}} {
		if *f.dst, err = decimal.Parse(f.v); err != nil {
			return l, fmt.Errorf("--line %q: %q is not a number", s, f.v)
		}
	}
	return l, nil
}

func (c *cli) poImportCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE.csv",
		Short: "import purchase orders (one row per PO line); prints a report per order",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			recs, err := readCSV(args[0], csvimport.POs)
			if err != nil {
				return err
			}
			return c.withSession(func(s *core.Session) error {
				report := make([]core.RowResult, 0, len(recs))
				for i, r := range recs {
					if r.Err != nil {
						report = append(report, core.RowResult{Row: i + 1, Status: "failed", Code: "invalid_input", Message: r.Err.Error()})
						continue
					}
					res := s.ImportPOs(c.ctx, []purchasing.PurchaseOrder{r.PO})[0]
					res.Row = i + 1
					report = append(report, res)
				}
				return c.report(report, "purchase order")
			})
		},
	}
}

func (c *cli) poListCommand() *cobra.Command {
	var vendorID string
	cmd := &cobra.Command{
		Use: "list", Short: "list purchase orders", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return c.withSession(func(s *core.Session) error {
				pos, err := s.POs(c.ctx, vendorID)
				if err != nil {
					return err
				}
				return c.emit(nonNil(pos), func(w io.Writer) {
					tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "NUMBER\tSTATUS\tLINES\tCURRENCY\tID")
					for _, p := range pos {
						fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", p.Number, p.Status, len(p.Lines), p.Currency, p.ID)
					}
					_ = tw.Flush()
				})
			})
		},
	}
	cmd.Flags().StringVar(&vendorID, "vendor", "", "only this vendor's orders")
	return cmd
}

func (c *cli) poShowCommand() *cobra.Command {
	return &cobra.Command{
		Use: "show NUMBER", Short: "show a purchase order with its receipts", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return c.withSession(func(s *core.Session) error {
				d, err := s.PO(c.ctx, args[0])
				if err != nil {
					return err
				}
				return c.emit(d, func(w io.Writer) {
					fmt.Fprintf(w, "PO %s (%s), %s\n", d.Number, d.Status, d.Currency)
					for _, l := range d.Lines {
						fmt.Fprintf(w, "  %d  %-30s %s × %s, received %s\n", l.LineNo, l.Description, l.Quantity, l.UnitPrice,
							d.ReceivedQuantity(d.Receipts, l.LineNo))
					}
				})
			})
		},
	}
}

func (c *cli) receiptCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "receipt", Short: "goods receipts"}
	var r purchasing.GoodsReceipt
	var qty, date string
	add := &cobra.Command{
		Use:   "add --po NUMBER --line N --qty Q [--date YYYY-MM-DD] [--note TEXT]",
		Short: "record a delivery of one PO line",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			var err error
			if r.Quantity, err = decimal.Parse(qty); err != nil {
				return usageError{fmt.Sprintf("--qty %q is not a number", qty)}
			}
			if date != "" {
				if r.ReceivedAt, err = time.Parse("2006-01-02", date); err != nil {
					return usageError{"--date: use YYYY-MM-DD"}
				}
			}
			return c.withSession(func(s *core.Session) error {
				d, err := s.AddReceipt(c.ctx, r)
				if err != nil {
					return err
				}
				return c.emit(d, func(w io.Writer) { fmt.Fprintf(w, "PO %s is now %s.\n", d.Number, d.Status) })
			})
		},
	}
	f := add.Flags()
	f.StringVar(&r.PONumber, "po", "", "PO number")
	f.IntVar(&r.LineNo, "line", 0, "PO line number")
	f.StringVar(&qty, "qty", "", "quantity received")
	f.StringVar(&date, "date", "", "received on (default: now)")
	f.StringVar(&r.Note, "note", "", "note")
	cmd.AddCommand(add)
	return cmd
}

// withSession unlocks, runs fn and locks again.
func (c *cli) withSession(fn func(*core.Session) error) error {
	co, s, err := c.session()
	if err != nil {
		return err
	}
	defer co.Close()
	defer s.Lock()
	return fn(s)
}

// readCSV opens and parses a CSV file with parse.
func readCSV[T any](path string, parse func(io.Reader) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(path) // #nosec G304 -- the file the user named
	if err != nil {
		return zero, apperr.Wrap(err, apperr.NotFound, "cannot open %s", path)
	}
	defer f.Close()
	v, err := parse(f)
	if err != nil {
		return zero, apperr.Wrap(err, apperr.InvalidInput, "%s", err.Error())
	}
	return v, nil
}

// report prints a per-row import report; any failed row makes exit 1.
func (c *cli) report(rows []core.RowResult, what string) error {
	failed := 0
	for _, r := range rows {
		if r.Status != "created" {
			failed++
		}
	}
	if err := c.emit(rows, func(w io.Writer) {
		for _, r := range rows {
			if r.Status == "created" {
				fmt.Fprintf(w, "row %s: created %s %s\n", strconv.Itoa(r.Row), what, r.ID)
			} else {
				fmt.Fprintf(w, "row %s: %s (%s)\n", strconv.Itoa(r.Row), r.Message, r.Code)
			}
		}
	}); err != nil {
		return err
	}
	if failed > 0 {
		return partialFailure{n: failed, of: len(rows)}
	}
	return nil
}

func (c *cli) poStatusCommand(verb string, st purchasing.Status) *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use: verb + " NUMBER --reason R", Short: verb + " a purchase order", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return c.withSession(func(s *core.Session) error {
				po, err := s.SetPOStatus(c.ctx, args[0], st, reason)
				if err != nil {
					return err
				}
				return c.emit(po, func(w io.Writer) { fmt.Fprintf(w, "PO %s is now %s.\n", po.Number, po.Status) })
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why")
	return cmd
}
