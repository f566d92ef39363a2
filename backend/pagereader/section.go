package pagereader

import (
	"regexp"
	"strings"
)

// partyKind is what a section of the page is about.
type partyKind int

const (
	noParty partyKind = iota
	sellerParty
	buyerParty
	otherParty // delivery address, payee, tax representative, notes, …
)

// section is a heading such as "Verkäufer" or "Adresse du Client"; it
// covers what stands below it in its column until the next heading.
type section struct {
	kind partyKind
	line int
	seg  int
	page int
	y    float64
	x0   float64
}

// Headings are whole segments (spaces removed, trailing colon dropped).
var (
	sellerHeading = regexp.MustCompile(`^(verkaufer|lieferant|leistungserbringer|rechnungssteller|absender|seller|sellertradename|supplier|vendor|from|fournisseur|vendeur|emetteur|leverancier|verkoper|afzender|rechnungsaussteller)$`)
	buyerHeading  = regexp.MustCompile(`^(kaufer|kaufer/leistungsempfanger|leistungsempfanger|rechnungsempfanger|kunde|buyer|customer|billto|invoiceto|soldto|client|acheteur|adresseduclient|facturea|klant|koper|afnemer|vosidentifiants|destinataire)$`)
	otherHeading  = regexp.MustCompile(`^(abweichender.*|lieferadresse|lieferanschrift|warenempfanger|shipto|deliverto|deliveryaddress|livraison.*|adressedelivraison|afleveradres|bemerkungen|notes?|remarques|opmerkingen|positionsdaten|zahlungsbedingungen|zahlungsart|zahlungsinformationen|payment.*|bankverbindung|representantfiscal|taxrepresentative|steuervertreter|nosreferences|vosreferences|references.*|zahlungsempfanger|payee|beneficiaire|begunstigde|umsatzsteueraufschlusselung|belegsummen|rechnungsbegleitendeunterlagen)$`)
)

// headingKind classifies a segment as a section heading.
func headingKind(folded string) partyKind {
	if len(folded) > 48 {
		return noParty
	}
	k := strings.TrimRight(strings.Map(func(r rune) rune {
		if r == ' ' {
			return -1
		}
		return r
	}, folded), ": ")
	switch {
	case sellerHeading.MatchString(k):
		return sellerParty
	case buyerHeading.MatchString(k):
		return buyerParty
	case otherHeading.MatchString(k):
		return otherParty
	}
	return noParty
}

func (r *reader) findSections() []section {
	var out []section
	for li, ln := range r.lay.Lines {
		for si, seg := range ln.Segs {
			if k := headingKind(r.folded(li, si)); k != noParty {
				out = append(out, section{kind: k, line: li, seg: si, page: ln.Page, y: ln.Y, x0: seg.X0})
			}
		}
	}
	return out
}

// sectionOf returns the section a segment belongs to: of the headings
// above it on the same page whose left edge is not right of the segment's
// (with a little slack), those of the rightmost column, and of these the
// nearest.
func (r *reader) sectionOf(li, si int) (section, bool) {
	ln := r.lay.Lines[li]
	x := ln.Segs[si].X0
	if si > 0 && strings.HasSuffix(strings.TrimSpace(ln.Segs[si-1].Text), ":") {
		x = ln.Segs[si-1].X0 // a value belongs where its label is
	}
	var cands []section
	maxX := -1.0
	for _, s := range r.sections {
		if s.page != ln.Page || s.line > li || s.x0 > x+15 || s.line == li && s.seg != si {
			continue
		}
		cands = append(cands, s)
		maxX = max(maxX, s.x0)
	}
	var found section
	ok := false
	for _, s := range cands {
		if s.x0 >= maxX-40 && (!ok || s.line > found.line) {
			found, ok = s, true
		}
	}
	return found, ok
}

// kindOf is the party kind of a segment's section, noParty outside any.
func (r *reader) kindOf(li, si int) partyKind {
	if s, ok := r.sectionOf(li, si); ok {
		return s.kind
	}
	return noParty
}
