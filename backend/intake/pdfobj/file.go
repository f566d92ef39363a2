package pdfobj

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
)

// Sentinel errors recorded in File.Problems.
var (
	ErrTooManyObjects = errors.New("pdfobj: too many objects")
	ErrObjStm         = errors.New("pdfobj: object stream unreadable")
)

// Options tune Scan.
type Options struct {
	// LookInsideStreams also scans the raw data of every stream for
	// "N G obj" headers. The intake scanner wants that (an uncompressed
	// embedded PDF, or an object a lying /Length hides from a linear scan,
	// is still seen); resolving references does not (objects of an embedded
	// file would shadow the document's own).
	LookInsideStreams bool
	Budget            *Budget // decompression budget for object streams; nil: 20 MB
	MaxObjects        int     // 0: 200,000
}

// Entry is one object found in the file, in file order. Objects of an
// object stream follow the stream's own entry.
type Entry struct {
	Num, Gen int64
	Obj      Object // for a stream, the *Stream
	Region   []byte // the object's own bytes, without any stream data
	InObjStm int64  // number of the object stream holding it, 0 if direct
	Offset   int    // offset of the header (of the object stream for InObjStm)
}

// File is the result of Scan.
type File struct {
	Objects  []Entry
	Trailers []Dict  // trailer dictionaries and xref-stream dictionaries, in file order
	Problems []error // what could not be read: undecodable object streams, limits hit
	byNum    map[int64]int
	budget   *Budget
}

// Scan finds every object in data. It never fails: what it cannot read is
// listed in Problems and the rest is still returned.
func Scan(data []byte, opt Options) *File {
	if opt.Budget == nil {
		opt.Budget = NewBudget(20 << 20)
	}
	if opt.MaxObjects <= 0 {
		opt.MaxObjects = 200_000
	}
	s := &scanner{data: data, opt: opt, f: &File{byNum: map[int64]int{}, budget: opt.Budget}}
	s.run()
	s.mergeXRefStreams()
	s.fixIndirectLengths()
	s.expandObjectStreams()
	for i, e := range s.f.Objects {
		s.f.byNum[e.Num] = i // later definitions win, as after incremental updates
	}
	return s.f
}

type scanner struct {
	data       []byte
	opt        Options
	f          *File
	endstreams []int       // offsets of every "endstream", found once
	starts     map[int]int // entry index → offset of its stream data
	trailerAt  []int       // offsets of f.Trailers, to merge xref streams in order
}

func (s *scanner) run() {
	s.endstreams = indexAll(s.data, "endstream")
	s.starts = map[int]int{}
	s.trailers()
	pos := 0
	for {
		at, num, gen := nextHeader(s.data, pos)
		if at < 0 {
			return
		}
		if len(s.f.Objects) >= s.opt.MaxObjects {
			s.f.Problems = append(s.f.Problems, fmt.Errorf("%w: more than %d", ErrTooManyObjects, s.opt.MaxObjects))
			return
		}
		pos = s.object(at, num, gen)
	}
}

// object parses the object whose "obj" keyword is at at and returns where
// the search for the next header goes on.
func (s *scanner) object(at int, num, gen int64) int {
	body := at + 3
	limit, _, _ := nextHeader(s.data, body)
	if limit < 0 {
		limit = len(s.data)
	}
	p := &parser{b: s.data[:limit], pos: body}
	obj, _ := p.object(0)
	if obj == nil {
		obj = Null{}
	}
	e := Entry{Num: num, Gen: gen, Obj: obj, Offset: at}
	next := body
	if d, ok := obj.(Dict); ok && p.hasKeyword("stream") {
		start := dataStart(s.data, p.pos)
		end, after := s.streamEnd(d, start)
		e.Obj = &Stream{Dict: d, Raw: s.data[start:end]}
		s.starts[len(s.f.Objects)] = start
		e.Region = s.data[body:min(start, limit)]
		if !s.opt.LookInsideStreams {
			next = after
		}
	} else {
		// Everything up to the next header belongs here: junk a tolerant
		// parser stopped at is still looked at by the name scan.
		e.Region = s.data[body:limit]
		if !s.opt.LookInsideStreams {
			next = max(body, p.pos)
		}
	}
	s.f.Objects = append(s.f.Objects, e)
	return next
}

// dataStart skips the end-of-line after the "stream" keyword.
func dataStart(b []byte, pos int) int {
	if pos < len(b) && b[pos] == '\r' {
		pos++
	}
	if pos < len(b) && b[pos] == '\n' {
		pos++
	}
	return pos
}

// streamEnd trusts a direct /Length only when "endstream" follows it;
// otherwise the data runs to the next "endstream", as repairing readers do.
// It returns the end of the data and the offset after "endstream".
func (s *scanner) streamEnd(d Dict, start int) (end, after int) {
	if n, ok := d.Int("Length"); ok {
		if e, ok := s.lengthFits(start, n); ok {
			return e, e
		}
	}
	i := sort.SearchInts(s.endstreams, start)
	if i == len(s.endstreams) {
		return len(s.data), len(s.data)
	}
	e := s.endstreams[i]
	return trimEOL(s.data, start, e), e + len("endstream")
}

// lengthFits checks that "endstream" follows n bytes of data, allowing the
// end-of-line and a little white space between; the window keeps many
// streams pointing into one long run of spaces from costing a scan each.
func (s *scanner) lengthFits(start int, n int64) (int, bool) {
	if n < 0 || n > int64(len(s.data)-start) {
		return 0, false
	}
	end := start + int(n)
	tail := s.data[end:min(len(s.data), end+32+len("endstream"))]
	return end, bytes.HasPrefix(bytes.TrimLeft(tail, "\x00\t\n\f\r "), []byte("endstream"))
}

func trimEOL(b []byte, start, end int) int {
	if end > start && b[end-1] == '\n' {
		end--
	}
	if end > start && b[end-1] == '\r' {
		end--
	}
	return end
}

// fixIndirectLengths re-cuts streams whose /Length is a reference, once
// every object is known, so binary data containing "endstream" by chance
// does not cut them short.
func (s *scanner) fixIndirectLengths() {
	tmp := &File{byNum: map[int64]int{}}
	for i, e := range s.f.Objects {
		tmp.byNum[e.Num] = i
	}
	tmp.Objects = s.f.Objects
	for i, start := range s.starts {
		st := s.f.Objects[i].Obj.(*Stream)
		ref, ok := st.Dict["Length"].(Ref)
		if !ok {
			continue
		}
		n, ok := tmp.Resolve(ref).(Int)
		if !ok {
			continue
		}
		if end, ok := s.lengthFits(start, int64(n)); ok {
			st.Raw = s.data[start:end]
		}
	}
}

// maxTrailers bounds how many trailers are read; the newest (last) ones
// count, and real files have a handful (one per incremental update).
const maxTrailers = 256

// trailers collects the dictionaries after the last "trailer" keywords.
func (s *scanner) trailers() {
	all := indexAll(s.data, "trailer")
	if len(all) > maxTrailers {
		s.f.Problems = append(s.f.Problems, fmt.Errorf("%w: more than %d trailers", ErrTooManyObjects, maxTrailers))
		all = all[len(all)-maxTrailers:]
	}
	for _, at := range all {
		// A trailer is small; the window bounds the parse of a broken one.
		p := &parser{b: s.data[:min(len(s.data), at+64<<10)], pos: at + len("trailer")}
		p.skipSpace()
		if !bytes.HasPrefix(s.data[p.pos:], []byte("<<")) {
			continue
		}
		if d, ok := firstObject(p).(Dict); ok {
			s.f.Trailers = append(s.f.Trailers, d)
			s.trailerAt = append(s.trailerAt, at)
		}
	}
}

// mergeXRefStreams adds the dictionaries of cross-reference streams, which
// stand in for trailers since PDF 1.5, keeping file order.
func (s *scanner) mergeXRefStreams() {
	type tr struct {
		at int
		d  Dict
	}
	all := make([]tr, 0, len(s.f.Trailers))
	for i, d := range s.f.Trailers {
		all = append(all, tr{s.trailerAt[i], d})
	}
	for _, e := range s.f.Objects {
		if st, ok := e.Obj.(*Stream); ok && st.Dict.Name("Type") == "XRef" {
			all = append(all, tr{e.Offset, st.Dict})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].at < all[j].at })
	s.f.Trailers = s.f.Trailers[:0]
	for _, t := range all {
		s.f.Trailers = append(s.f.Trailers, t.d)
	}
}

func firstObject(p *parser) Object {
	o, _ := p.object(0)
	return o
}

func indexAll(b []byte, sep string) []int {
	var out []int
	for pos := 0; ; {
		i := bytes.Index(b[pos:], []byte(sep))
		if i < 0 {
			return out
		}
		out = append(out, pos+i)
		pos += i + len(sep)
	}
}
