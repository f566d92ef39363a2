package opcodec

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/sync/merge"
)

// The state text is how a snapshot record carries a merge.State. It
// replaced JSON inside the record value, which cost a bootstrap most of
// its time: every field repeated its clock, base clock and op id as JSON
// objects, and every quote was escaped again by the frame's own JSON.
//
// The text is a sequence of tokens: an integer is its decimal digits and
// ","; a string is its length in bytes, ":" and the bytes, so values need
// no escaping of their own. Clocks and op ids are listed once and fields
// refer to them by position (1-based; 0 is the zero clock or no op):
//
//	status held_from | last_change op kind device |
//	n clocks (wall logical device)… | n op ids… |
//	n fields (path value clock base op)…, sorted by path |
//	n exceptions (id type entity kind winner loser n paths… n (path lost)… message)…
//
// Entity type and id are the record's.
func encodeStateText(s merge.State) string {
	size := 64
	for p, f := range s.Fields {
		size += len(p) + len(f.Value) + 16
	}
	w := textWriter{b: make([]byte, 0, size)}
	w.strs(string(s.Status.Status), string(s.Status.HeldFrom), s.LastChange.Op, string(s.LastChange.Kind), s.LastChange.Device)
	w.fields(s.Fields)
	w.int(int64(len(s.Exceptions)))
	for _, e := range s.Exceptions {
		w.strs(e.ID, e.Entity.Type, e.Entity.ID, string(e.Kind), e.Winner, e.Loser)
		w.int(int64(len(e.Fields)))
		w.strs(e.Fields...)
		w.int(int64(len(e.Lost)))
		for _, p := range slices.Sorted(maps.Keys(e.Lost)) {
			w.strs(p, e.Lost[p])
		}
		w.str(e.Message)
	}
	return string(w.b)
}

// fields writes the clock and op tables and the fields referring to them.
func (w *textWriter) fields(fs map[string]merge.Field) {
	paths := slices.Sorted(maps.Keys(fs))
	var clocks table[merge.HLC]
	var ops table[string]
	refs := make([][3]int, len(paths))
	for i, p := range paths {
		f := fs[p]
		refs[i] = [3]int{clocks.ref(f.Clock), clocks.ref(f.Base), ops.ref(f.Op)}
	}
	w.int(int64(len(clocks.list)))
	for _, c := range clocks.list {
		w.int(c.Wall)
		w.int(int64(c.Logical))
		w.str(c.Device)
	}
	w.int(int64(len(ops.list)))
	w.strs(ops.list...)
	w.int(int64(len(paths)))
	for i, p := range paths {
		w.strs(p, fs[p].Value)
		for _, r := range refs[i] {
			w.int(int64(r))
		}
	}
}

// decodeStateText is encodeStateText's inverse; every state it returns
// has an empty AppliedOps set and a valid status.
func decodeStateText(e merge.Entity, text string) (merge.State, error) {
	r := textReader{s: text}
	s := merge.NewState(e)
	s.Status = invoice.State{Status: invoice.Status(r.str()), HeldFrom: invoice.Status(r.str())}
	s.LastChange = merge.StatusChange{Op: r.str(), Kind: invoice.CommandKind(r.str()), Device: r.str()}
	s.Fields = r.fields()
	if n := r.count(); n > 0 {
		s.Exceptions = make([]merge.Exception, 0, min(n, 64))
		for ; n > 0 && r.err == nil; n-- {
			s.Exceptions = append(s.Exceptions, r.exception())
		}
	}
	if r.err == nil && r.s != "" {
		r.fail("%d bytes after the state", len(r.s))
	}
	if r.err != nil {
		return merge.State{}, fmt.Errorf("%w: %s: snapshot state: %w", ErrDecode, e, r.err)
	}
	if err := s.Status.Validate(); err != nil {
		return merge.State{}, fmt.Errorf("%w: %s: %w", ErrDecode, e, err)
	}
	return s, nil
}

// fields reads what textWriter.fields wrote. Counts come from the text:
// sizes are only hinted from them, capped, so a hostile count cannot make
// the reader allocate much up front.
func (r *textReader) fields() map[string]merge.Field {
	n := r.count()
	clocks := make([]merge.HLC, 0, min(n, 64))
	for ; n > 0 && r.err == nil; n-- {
		clocks = append(clocks, merge.HLC{Wall: r.int(math.MinInt64, math.MaxInt64), Logical: uint32(r.int(0, math.MaxUint32)), Device: r.str()}) // #nosec G115 -- range checked by int
	}
	n = r.count()
	ops := make([]string, 0, min(n, 64))
	for ; n > 0 && r.err == nil; n-- {
		ops = append(ops, r.str())
	}
	clockAt := func() merge.HLC {
		if i := r.int(0, int64(len(clocks))); i > 0 {
			return clocks[i-1]
		}
		return merge.HLC{}
	}
	n = r.count()
	fs := make(map[string]merge.Field, min(n, 1024))
	for ; n > 0 && r.err == nil; n-- {
		p, v := r.str(), r.str()
		f := merge.Field{Value: v, Clock: clockAt(), Base: clockAt()}
		if i := r.int(0, int64(len(ops))); i > 0 {
			f.Op = ops[i-1]
		}
		if _, dup := fs[p]; dup && r.err == nil {
			r.fail("field %q twice", p)
		}
		fs[p] = f
	}
	return fs
}

func (r *textReader) exception() merge.Exception {
	x := merge.Exception{ID: r.str(), Entity: merge.Entity{Type: r.str(), ID: r.str()},
		Kind: merge.ExceptionKind(r.str()), Winner: r.str(), Loser: r.str()}
	if n := r.count(); n > 0 {
		x.Fields = make([]string, 0, min(n, 64))
		for ; n > 0 && r.err == nil; n-- {
			x.Fields = append(x.Fields, r.str())
		}
	}
	if n := r.count(); n > 0 {
		x.Lost = make(map[string]string, min(n, 64))
		for ; n > 0 && r.err == nil; n-- {
			k := r.str()
			x.Lost[k] = r.str()
		}
	}
	x.Message = r.str()
	return x
}

// table numbers distinct values from 1 in order of first use; the zero
// value is 0. Most invoices have a handful of distinct clocks and ops, so
// a short table is searched, and hashed only once it grows.
type table[K comparable] struct {
	list  []K
	index map[K]int
}

func (t *table[K]) ref(k K) int {
	var zero K
	if k == zero {
		return 0
	}
	if t.index != nil {
		if i, ok := t.index[k]; ok {
			return i
		}
	} else if i := slices.Index(t.list, k); i >= 0 {
		return i + 1
	}
	t.list = append(t.list, k)
	switch {
	case t.index != nil:
		t.index[k] = len(t.list)
	case len(t.list) > 16:
		t.index = make(map[K]int, 2*len(t.list))
		for i, v := range t.list {
			t.index[v] = i + 1
		}
	}
	return len(t.list)
}

type textWriter struct{ b []byte }

func (w *textWriter) int(n int64) {
	w.b = strconv.AppendInt(w.b, n, 10)
	w.b = append(w.b, ',')
}

func (w *textWriter) str(s string) {
	w.b = strconv.AppendInt(w.b, int64(len(s)), 10)
	w.b = append(w.b, ':')
	w.b = append(w.b, s...)
}

func (w *textWriter) strs(ss ...string) {
	for _, s := range ss {
		w.str(s)
	}
}

// textReader reads tokens; after the first error every read returns a
// zero value and err keeps that first error.
type textReader struct {
	s   string
	err error
}

var errText = errors.New("malformed state text")

func (r *textReader) fail(format string, a ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s", errText, fmt.Sprintf(format, a...))
	}
	r.s = ""
}

// number reads a decimal integer up to the terminator end.
func (r *textReader) number(end byte) int64 {
	if r.err != nil {
		return 0
	}
	i := strings.IndexByte(r.s, end)
	if i < 1 || i > 20 {
		r.fail("expected a number and %q", end)
		return 0
	}
	n, err := strconv.ParseInt(r.s[:i], 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != r.s[:i] {
		r.fail("bad number %q", r.s[:i])
		return 0
	}
	r.s = r.s[i+1:]
	return n
}

// int reads an integer in [lo, hi].
func (r *textReader) int(lo, hi int64) int64 {
	n := r.number(',')
	if r.err == nil && (n < lo || n > hi) {
		r.fail("%d outside %d..%d", n, lo, hi)
		return 0
	}
	return n
}

// count reads a list length; a list can never be longer than the bytes
// left, which bounds what a hostile text makes the reader allocate.
func (r *textReader) count() int {
	return int(r.int(0, int64(len(r.s)))) // #nosec G115 -- bounded by len
}

func (r *textReader) str() string {
	n := r.number(':')
	if r.err != nil {
		return ""
	}
	if n < 0 || n > int64(len(r.s)) {
		r.fail("string of %d bytes with %d left", n, len(r.s))
		return ""
	}
	v := r.s[:n]
	r.s = r.s[n:]
	return v
}
