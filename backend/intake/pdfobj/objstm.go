package pdfobj

import (
	"fmt"
	"slices"
	"strconv"
)

// maxObjStmN bounds the header of one object stream; the file-wide
// MaxObjects still applies on top.
const maxObjStmN = 100_000

// expandObjectStreams decodes each /Type /ObjStm stream and places its
// objects right after it, so "later wins" also holds for them.
func (s *scanner) expandObjectStreams() {
	var out []Entry
	for _, e := range s.f.Objects {
		out = append(out, e)
		st, ok := e.Obj.(*Stream)
		if !ok || st.Dict.Name("Type") != "ObjStm" {
			continue
		}
		objs, err := s.objectStream(e, st)
		if err != nil {
			s.f.Problems = append(s.f.Problems, fmt.Errorf("%w: object %d: %w", ErrObjStm, e.Num, err))
		}
		if len(out)+len(objs) > s.opt.MaxObjects {
			s.f.Problems = append(s.f.Problems, fmt.Errorf("%w: more than %d", ErrTooManyObjects, s.opt.MaxObjects))
			continue
		}
		out = append(out, objs...)
	}
	s.f.Objects = out
}

// objectStream reads the objects of one object stream. Even on an error it
// returns what it could read.
func (s *scanner) objectStream(e Entry, st *Stream) ([]Entry, error) {
	data, err := st.Decode(s.f.budget)
	if data == nil {
		return nil, err
	}
	n, _ := st.Dict.Int("N")
	first, _ := st.Dict.Int("First")
	if n < 0 || n > maxObjStmN || first < 0 || first > int64(len(data)) {
		return nil, fmt.Errorf("bad /N %d or /First %d", n, first)
	}
	nums, offs := objStmHeader(data[:first], int(n))
	body := data[first:]
	ends := regionEnds(offs, len(body))
	parsed := map[int]Object{}
	out := make([]Entry, 0, len(nums))
	for i, off := range offs {
		if off > len(body) {
			continue
		}
		obj, again := parsed[off]
		var region []byte
		if !again {
			// Objects sharing an offset share their bytes: parse and hand
			// out the region once, so overlapping offsets cost nothing extra.
			p := &parser{b: body[:ends[off]], pos: off}
			if obj = firstObject(p); obj == nil {
				obj = Null{}
			}
			parsed[off] = obj
			region = body[off:ends[off]]
		}
		out = append(out, Entry{Num: nums[i], Obj: obj, Region: region, InObjStm: e.Num, Offset: e.Offset})
	}
	return out, err
}

// regionEnds maps each offset to the next larger one (or size): the bytes
// of one object. Regions never overlap, whatever order the header lists
// the offsets in, so reading them all is linear in the stream's size.
func regionEnds(offs []int, size int) map[int]int {
	sorted := slices.Clone(offs)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	ends := make(map[int]int, len(sorted))
	for i, o := range sorted {
		ends[o] = size
		if i+1 < len(sorted) {
			ends[o] = min(sorted[i+1], size)
		}
	}
	return ends
}

// objStmHeader reads up to n "objnum offset" pairs.
func objStmHeader(head []byte, n int) (nums []int64, offs []int) {
	p := &parser{b: head}
	for range n {
		p.skipSpace()
		num, err1 := strconv.ParseInt(string(p.keyword()), 10, 64)
		p.skipSpace()
		off, err2 := strconv.ParseInt(string(p.keyword()), 10, 64)
		if err1 != nil || err2 != nil || off < 0 || off > 1<<40 {
			break
		}
		nums = append(nums, num)
		offs = append(offs, int(off))
	}
	return nums, offs
}
