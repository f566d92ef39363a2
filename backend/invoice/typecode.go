package invoice

// TypeCode is the document type (BT-3), a UNTDID 1001 code kept as text
// ("380") because that is how every syntax writes it and unknown codes must
// survive a round trip unchanged.
type TypeCode string

// The codes met in practice; EN 16931 allows more.
const (
	TypeCommercialInvoice    TypeCode = "380"
	TypeCreditNote           TypeCode = "381"
	TypeDebitNote            TypeCode = "383"
	TypeCorrectedInvoice     TypeCode = "384"
	TypePrepaymentInvoice    TypeCode = "386"
	TypeHireInvoice          TypeCode = "387"
	TypeSelfBilledInvoice    TypeCode = "389"
	TypeSelfBilledCreditNote TypeCode = "261"
	TypePartialInvoice       TypeCode = "326"
)

// creditNoteCodes are the credit note types of the EN 16931 code list for
// BT-3. Code 384 (corrected invoice) is deliberately absent: it replaces an
// invoice and may go either way.
var creditNoteCodes = map[TypeCode]bool{
	"81": true, "83": true, "261": true, "262": true, "296": true, "308": true,
	"381": true, "396": true, "420": true, "458": true, "532": true,
}

// IsCreditNote reports whether c is a credit note type.
func (c TypeCode) IsCreditNote() bool { return creditNoteCodes[c] }
