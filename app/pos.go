package app

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/purchasing"
)

// ListPOs lists purchase orders, of one vendor when vendorID is not "".
func (a *App) ListPOs(vendorID string) ([]POSummary, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return nil, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	pos, err := s.POs(ctx, vendorID)
	if err != nil {
		return nil, err
	}
	names := vendorNames(ctx, s)
	out := make([]POSummary, 0, len(pos))
	for _, po := range pos {
		out = append(out, POSummary{ID: po.ID, Number: po.Number, VendorID: po.VendorID, VendorName: names[po.VendorID],
			Currency: po.Currency, CostCentre: po.CostCentre, OrderDate: date(po.OrderDate), Status: string(po.Status),
			LineCount: len(po.Lines), Total: poTotal(po).String()})
	}
	return out, nil
}

// GetPO shows one purchase order by number.
func (a *App) GetPO(number string) (PODetailView, error) {
	return a.poCall(func(ctx context.Context, s *core.Session) (core.PODetail, error) {
		return s.PO(ctx, number)
	})
}

// AddPO stores a new purchase order. Every problem with its lines comes
// back at once, naming the line.
func (a *App) AddPO(in POInput) (PODetailView, error) {
	po, err := poFromInput(in)
	if err != nil {
		return PODetailView{}, err
	}
	return a.poCall(func(ctx context.Context, s *core.Session) (core.PODetail, error) {
		saved, err := s.AddPO(ctx, po)
		return core.PODetail{PurchaseOrder: saved, Receipts: []purchasing.GoodsReceipt{}}, err
	})
}

// AddReceipt records a goods receipt and returns the order as it now stands.
func (a *App) AddReceipt(in ReceiptInput) (PODetailView, error) {
	qty, err := parseDecimal("quantity", in.Quantity, true)
	if err != nil {
		return PODetailView{}, err
	}
	r := purchasing.GoodsReceipt{PONumber: strings.TrimSpace(in.PONumber), LineNo: in.LineNo, Quantity: qty, Note: strings.TrimSpace(in.Note)}
	if in.ReceivedAt != "" {
		d, err := invoice.ParseDate(in.ReceivedAt)
		if err != nil {
			return PODetailView{}, apperr.Wrap(err, apperr.InvalidInput, "the receipt date %q is not a date (YYYY-MM-DD)", in.ReceivedAt)
		}
		r.ReceivedAt = time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
	}
	return a.poCall(func(ctx context.Context, s *core.Session) (core.PODetail, error) {
		return s.AddReceipt(ctx, r)
	})
}

// SetPOStatus closes, cancels or reopens a purchase order, with a reason.
// action is "close", "cancel" or "reopen".
func (a *App) SetPOStatus(number, action, reason string) (PODetailView, error) {
	st, ok := map[string]purchasing.Status{"close": purchasing.StatusClosed, "cancel": purchasing.StatusCancelled,
		"reopen": purchasing.StatusOpen}[action]
	if !ok {
		return PODetailView{}, apperr.New(apperr.InvalidInput, "a purchase order can be closed, cancelled or reopened, not %q", action)
	}
	return a.poCall(func(ctx context.Context, s *core.Session) (core.PODetail, error) {
		if _, err := s.SetPOStatus(ctx, number, st, reason); err != nil {
			return core.PODetail{}, err
		}
		return s.PO(ctx, number)
	})
}

func (a *App) poCall(fn func(context.Context, *core.Session) (core.PODetail, error)) (PODetailView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return PODetailView{}, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	d, err := fn(ctx, s)
	if err != nil {
		return PODetailView{}, err
	}
	name := ""
	if d.VendorID != "" {
		name = vendorNames(ctx, s)[d.VendorID]
	}
	return poDetailView(d, name), nil
}

// vendorNames maps vendor ids to names for display; a role that may not
// list vendors just sees the ids.
func vendorNames(ctx context.Context, s *core.Session) map[string]string {
	vs, _ := s.Vendors(ctx)
	out := make(map[string]string, len(vs))
	for _, v := range vs {
		out[v.ID] = v.Name
	}
	return out
}

func poTotal(po purchasing.PurchaseOrder) decimal.Decimal {
	var sum decimal.Decimal
	for _, l := range po.Lines {
		sum = sum.Add(l.Quantity.Mul(l.UnitPrice))
	}
	return sum.Round(2)
}

// poActions are the status changes core's SetPOStatus accepts from st.
func poActions(st purchasing.Status) []string {
	switch st {
	case purchasing.StatusCancelled:
		return []string{}
	case purchasing.StatusClosed:
		return []string{"reopen", "cancel"}
	}
	return []string{"close", "cancel"}
}

func poDetailView(d core.PODetail, vendorName string) PODetailView {
	po := d.PurchaseOrder
	v := PODetailView{ID: po.ID, Number: po.Number, VendorID: po.VendorID, VendorName: vendorName, Currency: po.Currency,
		CostCentre: po.CostCentre, OrderDate: date(po.OrderDate), Status: string(po.Status), Total: poTotal(po).String(),
		Allowed: poActions(po.Status), Lines: make([]POLineView, 0, len(po.Lines)), Receipts: make([]ReceiptView, 0, len(d.Receipts))}
	for _, l := range po.Lines {
		v.Lines = append(v.Lines, POLineView{LineNo: l.LineNo, ItemCode: l.ItemCode, Description: l.Description,
			Quantity: l.Quantity.String(), Unit: l.Unit, UnitPrice: l.UnitPrice.String(), TaxRate: l.TaxRate.String(),
			Received: po.ReceivedQuantity(d.Receipts, l.LineNo).String()})
	}
	for _, r := range d.Receipts {
		v.Receipts = append(v.Receipts, ReceiptView{ID: r.ID, LineNo: r.LineNo, Quantity: r.Quantity.String(),
			ReceivedAt: r.ReceivedAt.UTC().Format(time.RFC3339), Note: r.Note})
	}
	return v
}

// poFromInput parses the form; each bad number names its line and field.
func poFromInput(in POInput) (purchasing.PurchaseOrder, error) {
	po := purchasing.PurchaseOrder{Number: in.Number, VendorID: strings.TrimSpace(in.VendorID), Currency: in.Currency,
		CostCentre: strings.TrimSpace(in.CostCentre)}
	if in.OrderDate != "" {
		d, err := invoice.ParseDate(in.OrderDate)
		if err != nil {
			return po, apperr.Wrap(err, apperr.InvalidInput, "the order date %q is not a date (YYYY-MM-DD)", in.OrderDate)
		}
		po.OrderDate = d
	}
	if len(in.Lines) > MaxPOLines {
		return po, apperr.New(apperr.InvalidInput, "a purchase order has at most %d lines", MaxPOLines)
	}
	for i, l := range in.Lines {
		where := func(field string) string { return "line " + itoa(i+1) + " " + field }
		qty, err := parseDecimal(where("quantity"), l.Quantity, true)
		if err != nil {
			return po, err
		}
		price, err := parseDecimal(where("unit price"), l.UnitPrice, true)
		if err != nil {
			return po, err
		}
		rate, err := parseDecimal(where("tax rate"), l.TaxRate, false)
		if err != nil {
			return po, err
		}
		po.Lines = append(po.Lines, purchasing.POLine{LineNo: l.LineNo, ItemCode: strings.TrimSpace(l.ItemCode),
			Description: strings.TrimSpace(l.Description), Quantity: qty, Unit: strings.TrimSpace(l.Unit), UnitPrice: price, TaxRate: rate})
	}
	return po, nil
}

// MaxPOLines caps one purchase order entered in the window.
const MaxPOLines = 500

func parseDecimal(field, s string, required bool) (decimal.Decimal, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			return decimal.Decimal{}, apperr.New(apperr.InvalidInput, "enter the %s", field)
		}
		return decimal.Decimal{}, nil
	}
	d, err := decimal.Parse(s)
	if err != nil {
		return d, apperr.Wrap(err, apperr.InvalidInput, "the %s %q is not a number such as 12.50", field, s)
	}
	return d, nil
}

func itoa(n int) string { return strconv.Itoa(n) }
