package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/smartap/desktop/backend/invoice"
)

// jsonItem is one element of the JSON export. It is its own type, not
// Item, so that the vendor record (with its bank history times) stays out
// of the file and the field names are fixed here.
type jsonItem struct {
	ID      string          `json:"id"`
	Status  string          `json:"status"`
	Invoice invoice.Invoice `json:"invoice"`
}

// JSON writes the items as an indented JSON array of {id, status,
// invoice} in input order, followed by a newline; no items give "[]".
// Errors are those of w, or of an invoice that cannot be encoded.
func JSON(w io.Writer, items []Item) error {
	out := make([]jsonItem, len(items))
	for i := range items {
		out[i] = jsonItem{ID: items[i].ID, Status: items[i].Status, Invoice: items[i].Invoice}
	}
	// Encode into a buffer first, so an encoding error writes nothing.
	// HTML escaping is off: the file is data for other programs, and
	// "Müller \u0026 Söhne" would only make it harder to read; whoever
	// puts the text into HTML escapes it there.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("export: json: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("export: json: %w", err)
	}
	return nil
}
