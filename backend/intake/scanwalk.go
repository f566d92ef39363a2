package intake

import "github.com/smartap/desktop/backend/intake/pdfobj"

// maxWalkDepth bounds the walk; the parser bounds nesting already, this
// keeps the walker safe on its own.
const maxWalkDepth = 128

// walker judges the keys whose risk depends on structure: /OpenAction is
// fine with a destination (it only turns to a page) but not with an action,
// and /GoToR matters when it names a file.
type walker struct {
	f                       *pdfobj.File
	openAction, goToR       bool // a risky one was found
	sawOpenAction, sawGoToR bool // the key or name was seen in the tree
}

func (w *walker) walk(o pdfobj.Object, depth int) {
	if depth > maxWalkDepth {
		return
	}
	switch v := o.(type) {
	case pdfobj.Dict:
		w.dict(v, depth)
	case *pdfobj.Stream:
		w.dict(v.Dict, depth)
	case pdfobj.Array:
		for _, x := range v {
			w.walk(x, depth+1)
		}
	case pdfobj.Name:
		if v == "GoToR" {
			w.sawGoToR = true
		}
	}
}

func (w *walker) dict(d pdfobj.Dict, depth int) {
	if v, ok := d["OpenAction"]; ok {
		w.sawOpenAction = true
		if w.isAction(v) {
			w.openAction = true
		}
	}
	if d.Name("S") == "GoToR" {
		if _, ok := d["F"]; ok {
			w.goToR = true
		}
	}
	for _, v := range d {
		w.walk(v, depth+1)
	}
}

// isAction reports whether an /OpenAction value is an action dictionary
// other than a plain /GoTo (which only shows a page). An array is a
// destination; a reference is followed.
func (w *walker) isAction(v pdfobj.Object) bool {
	d, ok := w.f.Resolve(v).(pdfobj.Dict)
	if !ok {
		return false
	}
	_, next := d["Next"]
	return d.Name("S") != "GoTo" || next
}
