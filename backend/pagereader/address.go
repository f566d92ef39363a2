package pagereader

import (
	"math"
	"regexp"
)

var cityLine = regexp.MustCompile(`^([A-Z]{1,2}[- ])?\d{4,5}\s+\pL`)

// addressBlock is a stack of left-aligned lines ending in a postcode and
// city; its first line is taken as the party's name.
type addressBlock struct {
	x0   float64
	name string
}

// addressBlocks fills names still missing from the address blocks at the
// top of the first page: the left block is the recipient (window
// envelope), a block far to its right the sender. Only a guess.
func (r *reader) addressBlocks() {
	if r.inv.Seller.Name != "" && r.inv.Buyer.Name != "" {
		return
	}
	blocks := r.findBlocks()
	if len(blocks) == 0 {
		return
	}
	left, right := blocks[0], blocks[0]
	for _, b := range blocks {
		if b.x0 < left.x0 {
			left = b
		}
		if b.x0 > right.x0 {
			right = b
		}
	}
	if r.inv.Buyer.Name == "" {
		r.setName(&r.inv.Buyer.Name, "buyer.name", left.name, ConfGuess+0.1)
	}
	if r.inv.Seller.Name == "" && right.x0 > left.x0+100 && right.name != r.inv.Buyer.Name {
		r.setName(&r.inv.Seller.Name, "seller.name", right.name, ConfGuess+0.1)
	}
}

func (r *reader) findBlocks() []addressBlock {
	var out []addressBlock
	first := r.lay.Lines[0].Page
	for li, ln := range r.lay.Lines {
		if ln.Page != first || ln.Y > 400 {
			break
		}
		for si, seg := range ln.Segs {
			if !cityLine.MatchString(seg.Text) || r.kindOf(li, si) != noParty {
				continue
			}
			if name, ok := r.blockTop(li, seg); ok {
				out = append(out, addressBlock{x0: seg.X0, name: name})
			}
		}
	}
	return out
}

// blockTop walks up from a city line over left-aligned, closely spaced
// lines (at most four) and reads the top one as a name.
func (r *reader) blockTop(li int, seg Segment) (string, bool) {
	top, y := "", r.lay.Lines[li].Y
	for j := li - 1; j >= 0 && j >= li-6; j-- {
		ln := r.lay.Lines[j]
		if ln.Page != r.lay.Lines[li].Page || y-ln.Y > 2.6*seg.Size {
			break
		}
		found := false
		for _, s := range ln.Segs {
			if math.Abs(s.X0-seg.X0) <= 8 {
				top, y, found = s.Text, ln.Y, true
				break
			}
		}
		if !found {
			break
		}
	}
	if top == "" {
		return "", false
	}
	return parseName(top)
}

// readVATIDs picks the seller's VAT id (and the buyer's): by section, then
// label, then check digits.
func (r *reader) readVATIDs() {
	var seller, buyer *vatHit
	var sellerKind partyKind
	for _, h := range r.findVATIDs() {
		h := h
		k := r.kindOf(h.Line, h.Seg)
		if k == noParty && r.customerBlock(h.Line, h.Seg) {
			k = buyerParty
		}
		switch k {
		case buyerParty:
			if buyer == nil {
				buyer = &h
			}
		case sellerParty, noParty:
			if seller == nil || betterVAT(h, k, *seller, sellerKind) {
				seller, sellerKind = &h, k
			}
		}
	}
	if seller != nil && (buyer == nil || seller.ID != buyer.ID) {
		r.inv.Seller.VATID = seller.ID
		r.set("seller.vat_id", vatConfidence(*seller, sellerKind == sellerParty))
		if seller.Checked && !seller.Valid {
			r.warnf("seller VAT id %s: check digits do not match", seller.ID)
		}
	}
	if buyer != nil {
		r.inv.Buyer.VATID = buyer.ID
		r.set("buyer.vat_id", vatConfidence(*buyer, true))
	}
}

// betterVAT prefers a seller section over no section, then a label, then
// valid check digits; otherwise the first found stays.
func betterVAT(h vatHit, hk partyKind, cur vatHit, ck partyKind) bool {
	if hk != ck {
		return hk == sellerParty
	}
	if h.Labelled != cur.Labelled {
		return h.Labelled
	}
	return h.Valid && !cur.Valid
}

func vatConfidence(h vatHit, inSection bool) float64 {
	c := ConfWeakLabel
	if h.Labelled {
		c += 0.1
	}
	if inSection {
		c += 0.05
	}
	switch {
	case h.Checked && h.Valid:
		c = max(c, ConfChecksum) + 0.05*float64(boolInt(inSection && h.Labelled))
	case h.Checked:
		c = ConfContradicted + 0.2
	}
	return c
}

var customerLabel = regexp.MustCompile(`kundennummer|kunden-?nr|customer\s*(no|number|id)|n°\s*(de\s*)?client|klantnummer|debiteurnummer`)

// customerBlock: a VAT id written just under (or beside) the customer
// number is the buyer's, whatever the page's sections.
func (r *reader) customerBlock(li, si int) bool {
	x := r.lay.Lines[li].Segs[si].X0
	for j := max(0, li-1); j <= li; j++ {
		if r.lay.Lines[j].Page != r.lay.Lines[li].Page {
			continue
		}
		for k, seg := range r.lay.Lines[j].Segs {
			if math.Abs(seg.X0-x) < 40 && customerLabel.MatchString(r.folded(j, k)) {
				return true
			}
		}
	}
	return false
}
