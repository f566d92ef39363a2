package core

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/invoice"
)

// setField corrects one field of inv by its JSON path as `show --json`
// prints it ("totals.payable", "seller.name", "lines.2.net_amount" or
// "lines[2].net_amount"). The value is parsed by the model itself (dates,
// exact decimals), so a bad value is refused with the model's reason.
func setField(inv *invoice.Invoice, path, value string) (old string, err error) {
	segs, err := splitPath(path)
	if err != nil {
		return "", err
	}
	if err := checkPath(reflect.TypeOf(*inv), segs, path); err != nil {
		return "", err
	}
	raw, err := json.Marshal(inv)
	if err != nil {
		return "", err
	}
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return "", err
	}
	old, err = assign(doc, segs, value, path)
	if err != nil {
		return "", err
	}
	raw, _ = json.Marshal(doc)
	var next invoice.Invoice
	if err := json.Unmarshal(raw, &next); err != nil {
		return "", apperr.New(apperr.InvalidInput, "%s = %q is not valid: %s", path, value, cleanJSONError(err))
	}
	next.Normalize()
	*inv = next
	return old, nil
}

func splitPath(path string) ([]string, error) {
	p := strings.NewReplacer("[", ".", "]", "").Replace(strings.TrimSpace(path))
	segs := strings.Split(p, ".")
	for _, s := range segs {
		if s == "" {
			return nil, apperr.New(apperr.InvalidInput, "field %q: empty part in the path", path)
		}
	}
	return segs, nil
}

// checkPath allows only leaf fields of the model that people correct: not
// confidence or warnings, which describe the reading itself.
func checkPath(t reflect.Type, segs []string, path string) error {
	for i, s := range segs {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Slice:
			if _, err := strconv.Atoi(s); err != nil {
				return apperr.New(apperr.InvalidInput, "field %q: %q should be a line number", path, s)
			}
			t = t.Elem()
		case reflect.Struct:
			f, ok := fieldByJSON(t, s)
			if !ok || (i == 0 && (s == "confidence" || s == "warnings")) {
				return apperr.New(apperr.InvalidInput, "field %q: there is no field %q to correct", path, s)
			}
			t = f.Type
		default:
			return apperr.New(apperr.InvalidInput, "field %q: %q has no parts", path, segs[i-1])
		}
	}
	if t.Kind() == reflect.Struct && t.Name() != "Decimal" && t.Name() != "Date" {
		return apperr.New(apperr.InvalidInput, "field %q: name a single value inside it", path)
	}
	return nil
}

func fieldByJSON(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if strings.Split(f.Tag.Get("json"), ",")[0] == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// assign sets a string leaf in the decoded JSON, creating absent objects.
func assign(doc map[string]any, segs []string, value, path string) (string, error) {
	var cur any = doc
	for i, s := range segs {
		last := i == len(segs)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				old := fmt.Sprint(orEmpty(c[s]))
				c[s] = value
				return old, nil
			}
			if c[s] == nil {
				c[s] = map[string]any{}
			}
			cur = c[s]
		case []any:
			n, _ := strconv.Atoi(s)
			if n < 0 || n >= len(c) {
				return "", apperr.New(apperr.NotFound, "field %q: there is no line %d", path, n)
			}
			if last {
				return "", apperr.New(apperr.InvalidInput, "field %q: name a value inside the line", path)
			}
			cur = c[n]
		default:
			return "", apperr.New(apperr.NotFound, "field %q: %q is not set on this invoice", path, segs[i-1])
		}
	}
	return "", nil
}

func orEmpty(v any) any {
	if v == nil {
		return ""
	}
	return v
}

func cleanJSONError(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		return msg[i+2:]
	}
	return msg
}
