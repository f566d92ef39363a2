// Package pdfobj reads PDF objects out of raw bytes for inspection only:
// the intake scanner looks for active content with it, and pdfdoc follows
// the catalog's /AF array with it. It never renders, runs or writes
// anything.
//
// It does not trust the cross-reference table. Like the repair mode of PDF
// readers it finds objects by scanning for "N G obj" headers, so a file with
// a broken or lying xref is still seen whole. Every step is bounded: nesting
// depth, object counts and the bytes that decompression may produce (Budget).
package pdfobj

// Object is one PDF object. The concrete types are the ones below; the
// unexported method keeps the set closed so callers can switch on it.
type Object interface{ pdfObject() }

// The PDF object types. Name holds the decoded name (#xx resolved) without
// the slash; String holds the decoded bytes of a literal or hex string.
type (
	Null   struct{}
	Bool   bool
	Int    int64
	Real   float64
	Name   string
	String []byte
	Array  []Object
	Dict   map[Name]Object
	// Ref is an indirect reference "Num Gen R".
	Ref struct{ Num, Gen int64 }
	// Stream is a stream object; Raw is the still-encoded data.
	Stream struct {
		Dict Dict
		Raw  []byte
	}
)

func (Null) pdfObject()    {}
func (Bool) pdfObject()    {}
func (Int) pdfObject()     {}
func (Real) pdfObject()    {}
func (Name) pdfObject()    {}
func (String) pdfObject()  {}
func (Array) pdfObject()   {}
func (Dict) pdfObject()    {}
func (Ref) pdfObject()     {}
func (*Stream) pdfObject() {}

// Name returns d[key] when it is a name, else "".
func (d Dict) Name(key Name) Name {
	n, _ := d[key].(Name)
	return n
}

// Int returns d[key] when it is an integer.
func (d Dict) Int(key Name) (int64, bool) {
	switch v := d[key].(type) {
	case Int:
		return int64(v), true
	case Real:
		// Some writers put lengths as reals ("120.0"); accept whole values.
		if v == Real(int64(v)) {
			return int64(v), true
		}
	}
	return 0, false
}
