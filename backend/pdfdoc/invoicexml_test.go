package pdfdoc

import "testing"

func TestInvoiceXML(t *testing.T) {
	xml := []byte(`<?xml version="1.0"?><Invoice/>`)
	pdf := []byte("%PDF-1.4\n")
	tests := []struct {
		name string
		atts []Attachment
		want string // "" means none
	}{
		{"factur-x wins over zugferd 1", []Attachment{{Name: "ZUGFeRD-invoice.xml", Data: xml}, {Name: "factur-x.xml", Data: xml}}, "factur-x.xml"},
		{"case-insensitive", []Attachment{{Name: "notes.pdf", Data: pdf}, {Name: "Factur-X.XML", Data: xml}}, "Factur-X.XML"},
		{"zugferd 2 name", []Attachment{{Name: "zugferd-invoice.xml", Data: xml}}, "zugferd-invoice.xml"},
		{"xrechnung", []Attachment{{Name: "a.png", Relationship: "Data"}, {Name: "xrechnung.xml", Relationship: "Source", Data: xml}}, "xrechnung.xml"},
		{"by relationship and content", []Attachment{{Name: "scan.pdf", Relationship: "Data", Data: pdf}, {Name: "inv.xml", Relationship: "Alternative", Data: xml}}, "inv.xml"},
		{"relationship but not XML", []Attachment{{Name: "inv.xml", Relationship: "Data", Data: pdf}}, ""},
		{"XML without relationship", []Attachment{{Name: "inv.xml", Data: xml}}, ""},
		{"two candidates: no guess", []Attachment{{Name: "a.xml", Relationship: "Data", Data: xml}, {Name: "b.xml", Relationship: "Data", Data: xml}}, ""},
		{"none", nil, ""},
	}
	for _, tc := range tests {
		got, ok := InvoiceXML(tc.atts)
		if ok != (tc.want != "") || got.Name != tc.want {
			t.Errorf("%s: got %q, %v; want %q", tc.name, got.Name, ok, tc.want)
		}
	}
}
