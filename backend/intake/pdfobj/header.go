package pdfobj

import (
	"bytes"
	"strconv"
)

// nextHeader finds the next "N G obj" at or after from and returns the
// offset of "obj" with the numbers, or -1. It looks back from each "obj" so
// that the search stays one linear pass over the data.
func nextHeader(b []byte, from int) (at int, num, gen int64) {
	for pos := from; pos < len(b); {
		i := bytes.Index(b[pos:], []byte("obj"))
		if i < 0 {
			return -1, 0, 0
		}
		at = pos + i
		pos = at + 3
		if pos < len(b) && isRegular(b[pos]) {
			continue // "objx", not the keyword
		}
		if num, gen, ok := headerNumbers(b, at); ok {
			return at, num, gen
		}
	}
	return -1, 0, 0
}

// headerNumbers reads "N G" backwards from the "obj" at at.
func headerNumbers(b []byte, at int) (num, gen int64, ok bool) {
	i := at
	i, ok = skipWhiteBack(b, i, true)
	if !ok {
		return 0, 0, false
	}
	genEnd := i
	i = digitsBack(b, i)
	if i == genEnd {
		return 0, 0, false
	}
	genStart := i
	i, ok = skipWhiteBack(b, i, true)
	if !ok {
		return 0, 0, false
	}
	numEnd := i
	i = digitsBack(b, i)
	if i == numEnd || (i > 0 && isRegular(b[i-1])) {
		return 0, 0, false
	}
	num, err1 := strconv.ParseInt(string(b[i:numEnd]), 10, 64)
	gen, err2 := strconv.ParseInt(string(b[genStart:genEnd]), 10, 64)
	return num, gen, err1 == nil && err2 == nil
}

// skipWhiteBack moves back over white space before i; need says at least
// one byte of it is required.
func skipWhiteBack(b []byte, i int, need bool) (int, bool) {
	start := i
	for i > 0 && isWhite(b[i-1]) {
		i--
	}
	return i, !need || i < start
}

func digitsBack(b []byte, i int) int {
	for i > 0 && b[i-1] >= '0' && b[i-1] <= '9' {
		i--
	}
	return i
}

// HasObjects reports whether b contains an "N G obj" header.
func HasObjects(b []byte) bool {
	at, _, _ := nextHeader(b, 0)
	return at >= 0
}
