package core

import (
	"github.com/smartap/desktop/backend/checks"
	"github.com/smartap/desktop/backend/store"
	"github.com/smartap/desktop/backend/vendor"
)

// readFindingCodes are findings that come from reading the file, not from
// the checks; they survive a re-check.
var readFindingCodes = map[string]bool{"active_content": true, "scan_incomplete": true, "xml_page_mismatch": true}

// matchVendor links the invoice to the vendor master: by VAT id first,
// then by normalised name; several candidates by name stay unmatched.
func matchVendor(tx *store.Tx, r *store.InvoiceRecord) (*vendor.Vendor, int, error) {
	if vat := vendor.NormalizeVATID(r.Invoice.Seller.VATID); vat != "" {
		vs, err := tx.VendorsByVATID(vat)
		if err != nil {
			return nil, 0, err
		}
		if len(vs) == 1 {
			return &vs[0], 1, nil
		}
	}
	vs, err := tx.VendorsByName(r.Invoice.Seller.Name)
	if err != nil || len(vs) != 1 {
		return nil, len(vs), err
	}
	return &vs[0], 1, nil
}

// check runs every check on r and replaces its findings, keeping those
// that came from reading the file.
func (s *Session) check(tx *store.Tx, r *store.InvoiceRecord) error {
	v, candidates, err := matchVendor(tx, r)
	if err != nil {
		return err
	}
	r.VendorID = ""
	cctx := checks.Context{Vendor: v, VendorCandidates: candidates, SHA256: r.Source.SHA256, Self: r.ID}
	var others []store.InvoiceRecord
	if v != nil {
		r.VendorID = v.ID
		if others, err = tx.InvoicesByVendor(v.ID); err != nil {
			return err
		}
		for _, o := range others {
			if o.ID == r.ID || o.State.Status == "void" {
				continue
			}
			cctx.Priors = append(cctx.Priors, checks.Prior{ID: o.ID, Invoice: o.Invoice, SHA256: o.Source.SHA256})
			cctx.History = append(cctx.History, o.Invoice)
		}
	}
	sameNumber, err := tx.InvoicesByNumber(r.Invoice)
	if err != nil {
		return err
	}
	for _, o := range sameNumber {
		if o.ID != r.ID && o.VendorID != r.VendorID && o.State.Status != "void" {
			cctx.Priors = append(cctx.Priors, checks.Prior{ID: o.ID, Invoice: o.Invoice, SHA256: o.Source.SHA256})
		}
	}
	cfg := checks.DefaultConfig()
	cfg.Now = s.c.now()
	var out []store.Finding
	for _, f := range r.Findings {
		if readFindingCodes[f.Code] {
			out = append(out, f)
		}
	}
	for _, f := range checks.Run(r.Invoice, cctx, cfg) {
		out = append(out, store.Finding{Code: f.Code, Severity: string(f.Severity), Message: f.Message, Fields: f.Fields})
	}
	mf, err := s.match(tx, r, others)
	if err != nil {
		return err
	}
	r.Findings = append(out, mf...)
	return nil
}
