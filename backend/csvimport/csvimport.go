// Package csvimport reads vendor and purchase-order lists exported from
// spreadsheets and ERPs: a header row names the columns (any order, any
// case), the delimiter is a comma or a semicolon (as European Excel writes),
// a UTF-8 byte-order mark is ignored. Each row is checked on its own so one
// bad row is reported without stopping the rest.
package csvimport

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxRows bounds one import; larger lists are split by the user.
const MaxRows = 100_000

// ErrHeader is returned when the header lacks a required column.
var ErrHeader = errors.New("csv header")

// table is a parsed CSV with its header index.
type table struct {
	cols map[string]int
	rows [][]string
	line []int // 1-based line of each row in the file, for reports
}

// normCol maps "VAT ID", "vat-id" and "vat_id" to one name.
func normCol(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer(" ", "_", "-", "_").Replace(s)
}

func readTable(r io.Reader, required []string) (*table, error) {
	br := bufio.NewReader(io.LimitReader(r, 64<<20))
	head, _ := br.Peek(4096)
	head = bytes.TrimPrefix(head, []byte("\ufeff"))
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\ufeff")) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.Comma = delimiter(head)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrHeader, err)
	}
	t := &table{cols: map[string]int{}}
	for i, h := range header {
		t.cols[normCol(h)] = i
	}
	for _, c := range required {
		if _, ok := t.cols[c]; !ok {
			return nil, fmt.Errorf("%w: column %q is missing (found %s)", ErrHeader, c, strings.Join(header, ", "))
		}
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("csv: %w", err)
		}
		if len(t.rows) >= MaxRows {
			return nil, fmt.Errorf("csv: more than %d rows", MaxRows)
		}
		line, _ := cr.FieldPos(0)
		t.rows, t.line = append(t.rows, rec), append(t.line, line)
	}
	return t, nil
}

// delimiter picks ';' when the header line has more semicolons than commas.
func delimiter(head []byte) rune {
	first, _, _ := bytes.Cut(head, []byte("\n"))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		return ';'
	}
	return ','
}

// get returns a row's value in column c ("" when absent or short).
func (t *table) get(row []string, c string) string {
	i, ok := t.cols[c]
	if !ok || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// blank reports an empty row (spreadsheets leave them at the end).
func blank(row []string) bool {
	for _, v := range row {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}
