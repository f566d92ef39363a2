package pdfdoc

import (
	"strings"

	"github.com/smartap/desktop/backend/intake"
)

// invoiceNames are the names the standards give the embedded invoice, in
// order of preference: Factur-X / ZUGFeRD 2.x, ZUGFeRD 1.0 (spelt
// "ZUGFeRD-invoice.xml"; compared without case), XRechnung. A file carrying
// both a ZUGFeRD 1.0 and a 2.x invoice gives the newer one.
var invoiceNames = []string{"factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml"}

// InvoiceXML picks the embedded invoice XML by name, never by position.
// Without a known name, it takes the one attachment whose /AFRelationship
// is /Data or /Alternative and whose bytes sniff as XML; if there are
// several such, the choice would be a guess, so none is returned.
func InvoiceXML(atts []Attachment) (Attachment, bool) {
	for _, want := range invoiceNames {
		for _, a := range atts {
			if strings.EqualFold(strings.TrimSpace(a.Name), want) {
				return a, true
			}
		}
	}
	var found []Attachment
	for _, a := range atts {
		if (a.Relationship == "Data" || a.Relationship == "Alternative") && isXML(a.Data) {
			found = append(found, a)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return Attachment{}, false
}

func isXML(b []byte) bool {
	k, err := intake.Sniff(b[:min(len(b), intake.HeadSize)])
	return err == nil && k == intake.KindXML
}
