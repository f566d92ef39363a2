package pdfobj

// maxRefChain bounds following "1 0 R" to "2 0 R" to ...; a loop of
// references must end.
const maxRefChain = 32

// Get returns the last definition of object num.
func (f *File) Get(num int64) (Object, bool) {
	i, ok := f.byNum[num]
	if !ok {
		return nil, false
	}
	return f.Objects[i].Obj, true
}

// Resolve follows references until a direct object; an unknown or looping
// reference gives Null, as the PDF rules say for a missing object.
func (f *File) Resolve(o Object) Object {
	for range maxRefChain {
		r, ok := o.(Ref)
		if !ok {
			return o
		}
		o, ok = f.Get(r.Num)
		if !ok {
			return Null{}
		}
	}
	return Null{}
}

// Dict resolves o and returns it as a dictionary; a stream gives its
// dictionary.
func (f *File) Dict(o Object) (Dict, bool) {
	switch v := f.Resolve(o).(type) {
	case Dict:
		return v, true
	case *Stream:
		return v.Dict, true
	}
	return nil, false
}

// Catalog returns the document catalog: /Root of the newest trailer that
// has one, else the last object typed /Catalog.
func (f *File) Catalog() (Dict, bool) {
	for i := len(f.Trailers) - 1; i >= 0; i-- {
		if d, ok := f.Dict(f.Trailers[i]["Root"]); ok {
			return d, true
		}
	}
	for i := len(f.Objects) - 1; i >= 0; i-- {
		if d, ok := f.Objects[i].Obj.(Dict); ok && d.Name("Type") == "Catalog" {
			return d, true
		}
	}
	return nil, false
}

// Encrypted reports whether a trailer names an /Encrypt dictionary; the
// strings and streams of such a file cannot be read without decrypting.
func (f *File) Encrypted() bool {
	for _, t := range f.Trailers {
		if _, ok := t["Encrypt"]; ok {
			return true
		}
	}
	return false
}

// Decode decodes a stream within the file's decompression budget.
func (f *File) Decode(s *Stream) ([]byte, error) {
	return s.Decode(f.budget)
}
