package core

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/store"
	"github.com/smartap/desktop/sync/wire"
)

// What of an invoice syncs, as flat field paths (the dotted JSON paths
// `show --json` prints and `set` takes): every leaf of the invoice except
// the reader's confidence map (its keys are paths themselves and describe
// one device's reading), the cost centre, and where it came from.
const (
	fieldCostCentre = "cost_centre"
	sourcePrefix    = "source."
	// maxSyncIndex bounds list indexes in synced paths: a hostile
	// "lines.999999999.name" must not allocate a billion lines.
	maxSyncIndex = 10000
)

// syncFields flattens what syncs of r. Empty values are left out: on the
// wire an empty value clears a field.
func syncFields(r store.InvoiceRecord) (map[string]string, error) {
	raw, err := json.Marshal(r.Invoice)
	if err != nil {
		return nil, fmt.Errorf("core: encode invoice %s: %w", r.ID, err)
	}
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("core: decode invoice %s: %w", r.ID, err)
	}
	delete(doc, "confidence")
	out := map[string]string{}
	flatten(out, "", doc)
	src := r.Source
	for k, v := range map[string]string{
		"sha256": src.SHA256, "kind": src.Kind, "file_name": src.FileName, "reader": src.Reader,
		"xml_name": src.XMLName, "imported_by": src.ImportedBy, "imported_at": src.ImportedAt,
	} {
		out[sourcePrefix+k] = v
	}
	if src.Size > 0 {
		out[sourcePrefix+"size"] = strconv.FormatInt(src.Size, 10)
	}
	out[fieldCostCentre] = r.Workflow.CostCentre
	for k, v := range out {
		if v == "" {
			delete(out, k)
		} else {
			out[k] = truncate(v, wire.MaxValue)
		}
	}
	return out, nil
}

func flatten(out map[string]string, prefix string, v any) {
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch t := v.(type) {
	case map[string]any:
		for k, c := range t {
			flatten(out, join(k), c)
		}
	case []any:
		for i, c := range t {
			flatten(out, join(strconv.Itoa(i)), c)
		}
	case string:
		out[prefix] = t
	case json.Number:
		out[prefix] = t.String()
	case bool:
		out[prefix] = strconv.FormatBool(t)
	}
}

// truncate cuts s to at most n bytes on a rune boundary: the wire bounds
// a value (a note longer than 4 KiB syncs cut short).
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// invoiceFromFields rebuilds an invoice from synced fields. A value the
// model refuses (another device's bad correction) is left out and named in
// dropped, so one bad field never blocks applying the rest.
func invoiceFromFields(fields map[string]string) (inv invoice.Invoice, dropped []string) {
	var paths []string
	for _, p := range slices.Sorted(maps.Keys(fields)) {
		if p != fieldCostCentre && !strings.HasPrefix(p, sourcePrefix) && fields[p] != "" {
			paths = append(paths, p)
		}
	}
	if inv, err := buildInvoice(fields, paths); err == nil {
		return inv, nil
	}
	var kept []string
	for _, p := range paths {
		if _, err := buildInvoice(fields, append(kept, p)); err != nil {
			dropped = append(dropped, p)
			continue
		}
		kept = append(kept, p)
	}
	inv, _ = buildInvoice(fields, kept)
	return inv, dropped
}

func buildInvoice(fields map[string]string, paths []string) (invoice.Invoice, error) {
	var doc any = map[string]any{}
	for _, p := range paths {
		segs := strings.Split(p, ".")
		var err error
		if doc, err = put(doc, segs, fields[p]); err != nil {
			return invoice.Invoice{}, err
		}
	}
	fillGaps(doc)
	raw, err := json.Marshal(doc)
	if err != nil {
		return invoice.Invoice{}, err
	}
	var inv invoice.Invoice
	if err := json.Unmarshal(raw, &inv); err != nil {
		return invoice.Invoice{}, err
	}
	inv.Normalize()
	return inv, nil
}

// put sets v at segs below node; a number segment indexes a list.
func put(node any, segs []string, v string) (any, error) {
	if len(segs) == 0 {
		return v, nil
	}
	if n, err := strconv.Atoi(segs[0]); err == nil {
		if n < 0 || n >= maxSyncIndex {
			return nil, fmt.Errorf("core: list index %d out of range", n)
		}
		arr, _ := node.([]any)
		for len(arr) <= n {
			arr = append(arr, nil)
		}
		c, err := put(arr[n], segs[1:], v)
		arr[n] = c
		return arr, err
	}
	m, _ := node.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	c, err := put(m[segs[0]], segs[1:], v)
	m[segs[0]] = c
	return m, err
}

// fillGaps fills list slots no field named (a line whose every field is
// empty) with an empty object, or an empty string in lists of strings.
func fillGaps(node any) {
	switch t := node.(type) {
	case map[string]any:
		for _, c := range t {
			fillGaps(c)
		}
	case []any:
		objects := slices.ContainsFunc(t, func(c any) bool { _, ok := c.(map[string]any); return ok })
		for i, c := range t {
			switch {
			case c != nil:
				fillGaps(c)
			case objects:
				t[i] = map[string]any{}
			default:
				t[i] = ""
			}
		}
	}
}

// sourceFromFields is where a synced invoice came from; Attachment (the
// local sealed file) is not synced and stays as it was.
func sourceFromFields(fields map[string]string, old store.InvoiceSource) store.InvoiceSource {
	get := func(k string) string { return fields[sourcePrefix+k] }
	src := store.InvoiceSource{SHA256: get("sha256"), Kind: get("kind"), FileName: get("file_name"), Reader: get("reader"),
		XMLName: get("xml_name"), ImportedBy: get("imported_by"), ImportedAt: get("imported_at"),
		Attachment: old.Attachment, ModelTokens: old.ModelTokens}
	src.Size, _ = strconv.ParseInt(get("size"), 10, 64)
	return src
}
