package purchasing

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors of Validate and ValidateReceipt; test with errors.Is.
// Validate can report several at once (errors.Join), so a form can show
// every problem in one go.
var (
	ErrNumberRequired = errors.New("purchase order number required")
	ErrNoLines        = errors.New("purchase order has no lines")
	ErrUnknownStatus  = errors.New("unknown purchase order status")
	ErrLineNo         = errors.New("line number must be positive")
	ErrDuplicateLine  = errors.New("duplicate line number")
	ErrQuantity       = errors.New("quantity must be positive")
	ErrUnitPrice      = errors.New("unit price must not be negative")
	ErrTaxRate        = errors.New("tax rate must not be negative")
	ErrWrongOrder     = errors.New("goods receipt is for another purchase order")
	ErrUnknownLine    = errors.New("purchase order has no such line")
)

// Validate checks the order on its own: a number, a known status, at least
// one line, unique positive line numbers, positive quantities, and prices
// and tax rates that are not negative. It returns nil or all problems.
func (po *PurchaseOrder) Validate() error {
	var errs []error
	if strings.TrimSpace(po.Number) == "" {
		errs = append(errs, ErrNumberRequired)
	}
	if !po.Status.Valid() {
		errs = append(errs, fmt.Errorf("%w: %q", ErrUnknownStatus, po.Status))
	}
	if len(po.Lines) == 0 {
		errs = append(errs, ErrNoLines)
	}
	seen := make(map[int]bool, len(po.Lines))
	for i, l := range po.Lines {
		if seen[l.LineNo] {
			errs = append(errs, fmt.Errorf("line %d: %w", l.LineNo, ErrDuplicateLine))
		}
		seen[l.LineNo] = true
		errs = append(errs, l.validate(i)...)
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("purchasing: purchase order %q: %w", po.Number, errors.Join(errs...))
}

// validate checks one line; i is its position, used when the number itself
// is the problem.
func (l POLine) validate(i int) []error {
	var errs []error
	if l.LineNo <= 0 {
		errs = append(errs, fmt.Errorf("line at position %d: %w (got %d)", i+1, ErrLineNo, l.LineNo))
	}
	if l.Quantity.Sign() <= 0 {
		errs = append(errs, fmt.Errorf("line %d: %w (got %s)", l.LineNo, ErrQuantity, l.Quantity))
	}
	if l.UnitPrice.Sign() < 0 {
		errs = append(errs, fmt.Errorf("line %d: %w (got %s)", l.LineNo, ErrUnitPrice, l.UnitPrice))
	}
	if l.TaxRate.Sign() < 0 {
		errs = append(errs, fmt.Errorf("line %d: %w (got %s)", l.LineNo, ErrTaxRate, l.TaxRate))
	}
	return errs
}

// ValidateReceipt checks that a receipt belongs to this order, names one of
// its lines and has a positive quantity. Receiving more than ordered is not
// an error; see OverReceipts.
func (po *PurchaseOrder) ValidateReceipt(r GoodsReceipt) error {
	var errs []error
	if r.PONumber != po.Number {
		errs = append(errs, fmt.Errorf("%w: receipt names %q", ErrWrongOrder, r.PONumber))
	}
	if _, ok := po.Line(r.LineNo); !ok {
		errs = append(errs, fmt.Errorf("%w: line %d", ErrUnknownLine, r.LineNo))
	}
	if r.Quantity.Sign() <= 0 {
		errs = append(errs, fmt.Errorf("%w (got %s)", ErrQuantity, r.Quantity))
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("purchasing: goods receipt %q for %q: %w", r.ID, po.Number, errors.Join(errs...))
}
