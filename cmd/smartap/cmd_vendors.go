package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/smartap/desktop/backend/bankid"
	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/backend/csvimport"
	"github.com/smartap/desktop/backend/vendor"
)

func (c *cli) vendorCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "vendor", Short: "the vendor master"}
	var in vendor.Input
	add := &cobra.Command{
		Use:   "add --name N [--vat-id V] [--iban I] [--bic B]",
		Short: "add a vendor",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return c.withSession(func(s *core.Session) error {
				v, err := s.AddVendor(c.ctx, in)
				if err != nil {
					return err
				}
				return c.emit(v, func(w io.Writer) { fmt.Fprintln(w, v.ID) })
			})
		},
	}
	f := add.Flags()
	f.StringVar(&in.Name, "name", "", "vendor name")
	f.StringVar(&in.VATID, "vat-id", "", "VAT id, e.g. DE123456789")
	f.StringVar(&in.Country, "country", "", "ISO country code (default: from the VAT id)")
	f.StringVar(&in.Bank.IBAN, "iban", "", "IBAN")
	f.StringVar(&in.Bank.BIC, "bic", "", "BIC")
	f.StringVar(&in.Bank.AccountName, "account-name", "", "account holder")

	list := &cobra.Command{
		Use:   "list",
		Short: "list vendors",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return c.withSession(func(s *core.Session) error {
				vs, err := s.Vendors(c.ctx)
				if err != nil {
					return err
				}
				return c.emit(nonNil(vs), func(w io.Writer) {
					tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "NAME\tVAT ID\tIBAN\tID")
					for _, v := range vs {
						fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", v.Name, v.VATID, bankid.MaskIBAN(v.Bank.IBAN), v.ID)
					}
					_ = tw.Flush()
				})
			})
		},
	}
	show := &cobra.Command{
		Use:   "show ID",
		Short: "show a vendor with its bank-detail history",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return c.withSession(func(s *core.Session) error {
				d, err := s.Vendor(c.ctx, args[0])
				if err != nil {
					return err
				}
				d.BankHistory = nonNil(d.BankHistory)
				return c.emit(d, func(w io.Writer) {
					fmt.Fprintf(w, "%s\nVAT id:  %s\nCountry: %s\nIBAN:    %s\nBIC:     %s\n", d.Name, d.VATID, d.Country, d.Bank.IBAN, d.Bank.BIC)
					for _, ch := range d.BankHistory {
						fmt.Fprintf(w, "bank changed %s by %s: %s -> %s\n", ch.At.Format("2006-01-02 15:04"), ch.By,
							bankid.MaskIBAN(ch.Old.IBAN), bankid.MaskIBAN(ch.New.IBAN))
					}
				})
			})
		},
	}
	var bank vendor.BankDetails
	setBank := &cobra.Command{
		Use:   "set-bank ID --iban I [--bic B]",
		Short: "change a vendor's bank details (recorded with who and when)",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if bank.IBAN == "" {
				return usageError{"set-bank needs --iban"}
			}
			return c.withSession(func(s *core.Session) error {
				v, err := s.SetVendorBank(c.ctx, args[0], bank)
				if err != nil {
					return err
				}
				return c.emit(v, func(w io.Writer) { fmt.Fprintf(w, "Bank details of %s changed.\n", v.Name) })
			})
		},
	}
	setBank.Flags().StringVar(&bank.IBAN, "iban", "", "new IBAN")
	setBank.Flags().StringVar(&bank.BIC, "bic", "", "new BIC")
	setBank.Flags().StringVar(&bank.AccountName, "account-name", "", "account holder")
	imp := &cobra.Command{
		Use:   "import FILE.csv",
		Short: "add vendors from a CSV list (columns name, vat_id, country, iban, bic, account_name); a report per row",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			rows, err := readCSV(args[0], csvimport.Vendors)
			if err != nil {
				return err
			}
			return c.withSession(func(s *core.Session) error {
				in := make([]core.VendorImportRow, 0, len(rows))
				for _, r := range rows {
					in = append(in, core.VendorImportRow{Line: r.Line, Input: r.Input})
				}
				return c.report(s.ImportVendors(c.ctx, in), "vendor")
			})
		},
	}
	var upd vendor.Input
	update := &cobra.Command{
		Use:   "update ID [--name N] [--vat-id V] [--country C]",
		Short: "change a vendor's name, VAT id or country (bank details: set-bank)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withSession(func(s *core.Session) error {
				d, err := s.Vendor(c.ctx, args[0])
				if err != nil {
					return err
				}
				in := vendor.Input{Name: d.Name, VATID: d.VATID, Country: d.Country}
				if cmd.Flags().Changed("name") {
					in.Name = upd.Name
				}
				if cmd.Flags().Changed("vat-id") {
					in.VATID = upd.VATID
				}
				if cmd.Flags().Changed("country") {
					in.Country = upd.Country
				}
				v, err := s.UpdateVendor(c.ctx, args[0], in)
				if err != nil {
					return err
				}
				return c.emit(v, func(w io.Writer) { fmt.Fprintf(w, "Updated %s.\n", v.Name) })
			})
		},
	}
	update.Flags().StringVar(&upd.Name, "name", "", "new name")
	update.Flags().StringVar(&upd.VATID, "vat-id", "", "new VAT id")
	update.Flags().StringVar(&upd.Country, "country", "", "new country")
	del := &cobra.Command{
		Use: "delete ID", Short: "delete a vendor that no invoice, order or contact refers to", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return c.withSession(func(s *core.Session) error {
				if err := s.DeleteVendor(c.ctx, args[0]); err != nil {
					return err
				}
				return c.emit(map[string]string{"id": args[0], "status": "deleted"}, func(w io.Writer) { fmt.Fprintln(w, "Deleted.") })
			})
		},
	}
	cmd.AddCommand(add, list, show, setBank, imp, update, del)
	return cmd
}
