package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/invoice"
)

var update = flag.Bool("update", false, "rewrite testdata/request.golden.json")

// schemaNode is the part of JSON Schema used by schema.json.
type schemaNode struct {
	Type                 any                    `json:"type"`
	Description          string                 `json:"description"`
	AdditionalProperties *bool                  `json:"additionalProperties"`
	Required             []string               `json:"required"`
	Properties           map[string]*schemaNode `json:"properties"`
	Items                *schemaNode            `json:"items"`
}

// The schema is what strict structured outputs accept (every object closed,
// every property required, optional values nullable strings) and it names
// exactly the fields the answer type decodes.
func TestSchemaIsStrictAndMatchesAnswer(t *testing.T) {
	var root schemaNode
	dec := json.NewDecoder(bytes.NewReader(schemaJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&root); err != nil {
		t.Fatalf("schema.json: %v", err)
	}
	checkSchema(t, "$", &root, reflect.TypeFor[answer]())
}

func checkSchema(t *testing.T, path string, n *schemaNode, typ reflect.Type) {
	t.Helper()
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	switch typ.Kind() {
	case reflect.Struct:
		if n.Type != "object" || n.AdditionalProperties == nil || *n.AdditionalProperties {
			t.Errorf("%s: want a closed object (additionalProperties false)", path)
		}
		var fields []string
		for f := range typ.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			fields = append(fields, name)
			p, ok := n.Properties[name]
			if !ok {
				t.Errorf("%s: schema lacks %q", path, name)
				continue
			}
			checkSchema(t, path+"."+name, p, f.Type)
		}
		props := slices.Sorted(func(yield func(string) bool) {
			for k := range n.Properties {
				if !yield(k) {
					return
				}
			}
		})
		slices.Sort(fields)
		req := slices.Sorted(slices.Values(n.Required))
		if !slices.Equal(props, fields) || !slices.Equal(req, fields) {
			t.Errorf("%s: properties %v, required %v, answer fields %v", path, props, req, fields)
		}
	case reflect.Slice:
		if n.Type != "array" || n.Items == nil {
			t.Errorf("%s: want an array", path)
			return
		}
		checkSchema(t, path+"[]", n.Items, typ.Elem())
	case reflect.String:
		if !reflect.DeepEqual(n.Type, []any{"string", "null"}) || n.Description == "" {
			t.Errorf("%s: want type [string, null] and a description, got %v", path, n.Type)
		}
	default:
		t.Errorf("%s: unexpected Go type %v", path, typ)
	}
}

// Golden: the exact request body sent for a fixed page (security habit 7:
// everything sent is pinned). Run with -update after a deliberate change.
func TestRequestGolden(t *testing.T) {
	f := newFakeAI(t, true, answerWith(goodAnswer))
	c := f.newClient(t, f.openaiConfig(), keychainWithKey(t))
	if _, _, err := c.Extract(context.Background(), "Rechnung Nr. 1\nSumme 10,00 EUR", invoice.Invoice{}); err != nil {
		t.Fatal(err)
	}
	_, raw, _ := f.lastRequest()
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, raw, "", "  "); err != nil {
		t.Fatal(err)
	}
	pretty.WriteByte('\n')
	golden := filepath.Join("testdata", "request.golden.json")
	if *update {
		if err := os.WriteFile(golden, pretty.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestRequestGolden -update)", err)
	}
	if !bytes.Equal(pretty.Bytes(), want) {
		t.Errorf("request body differs from %s:\n%s", golden, pretty.String())
	}

	// Nothing beyond the fields below is sent: no user id, no store, no metadata.
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		t.Fatal(err)
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range top {
			if !yield(k) {
				return
			}
		}
	})
	if want := []string{"max_completion_tokens", "messages", "model", "response_format", "stream"}; !slices.Equal(keys, want) {
		t.Errorf("request fields %v, want %v", keys, want)
	}
}
