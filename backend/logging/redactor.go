package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
)

// unloggable stands in for a value whose marshalling panicked: a logging
// call must never take the application down, and the panic text might
// quote the value.
const unloggable = "[unloggable value]"

// redactor is a slog.Handler middleware that rewrites records before the
// wrapped handler sees them. It is immutable, so it is safe for concurrent
// use whenever the wrapped handler is.
type redactor struct {
	next slog.Handler
	// hideAll is set inside a WithGroup whose name is sensitive ("token",
	// "credentials"…): every value logged there is hidden.
	hideAll bool
}

var _ slog.Handler = (*redactor)(nil)

// NewRedactor wraps h so that the message, every attribute (also those
// added with With, and inside groups) and group names are redacted:
// values under sensitive keys are replaced whole, and secret-looking runs in
// any string are replaced in place (see RedactString). Values of kind Any
// are reduced to their JSON form first, so struct fields are checked by name
// too. It is built for the JSON handler; a text handler prints Any values
// as maps.
func NewRedactor(h slog.Handler) slog.Handler { return &redactor{next: h} }

func (r *redactor) Enabled(ctx context.Context, l slog.Level) bool {
	return r.next.Enabled(ctx, l)
}

// Handle builds a fresh record rather than editing rec, whose attributes
// may share storage with the caller's record (slog.Record is a value with
// a shared backing array).
func (r *redactor) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, RedactString(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redactAttr(a, r.hideAll))
		return true
	})
	return r.next.Handle(ctx, out)
}

func (r *redactor) WithAttrs(as []slog.Attr) slog.Handler {
	out := make([]slog.Attr, len(as))
	for i, a := range as {
		out[i] = redactAttr(a, r.hideAll)
	}
	return &redactor{next: r.next.WithAttrs(out), hideAll: r.hideAll}
}

func (r *redactor) WithGroup(name string) slog.Handler {
	if name == "" {
		return r // slog: an empty group name is ignored
	}
	return &redactor{
		next:    r.next.WithGroup(RedactString(name)),
		hideAll: r.hideAll || sensitiveKey(name),
	}
}

// redactAttr returns a with its value made safe to log. hide means an
// enclosing group's name was sensitive.
func redactAttr(a slog.Attr, hide bool) slog.Attr {
	if a.Equal(slog.Attr{}) {
		return a // handlers drop empty attrs; keep it empty
	}
	v := a.Value.Resolve() // LogValuers (secret.Bytes, secret.Password) print themselves
	key := RedactString(a.Key)
	if hide || sensitiveKey(a.Key) {
		return slog.Attr{Key: key, Value: hideValue(v)}
	}
	switch v.Kind() {
	case slog.KindString:
		return slog.String(key, RedactString(v.String()))
	case slog.KindGroup:
		group := v.Group()
		out := make([]slog.Attr, len(group))
		for i, g := range group {
			out[i] = redactAttr(g, false)
		}
		return slog.Attr{Key: key, Value: slog.GroupValue(out...)}
	case slog.KindAny:
		return slog.Attr{Key: key, Value: redactAny(v.Any())}
	default: // numbers, bools, durations, times
		return slog.Attr{Key: key, Value: v}
	}
}

// hideValue is what a sensitive key shows. Bools, durations and times are
// kept ("token_expires_at" is useful and reveals nothing); everything else,
// numbers included (a PIN or OTP is a number), is hidden.
func hideValue(v slog.Value) slog.Value {
	switch v.Kind() {
	case slog.KindBool, slog.KindDuration, slog.KindTime:
		return v
	default:
		return slog.StringValue(Redacted)
	}
}

// redactAny turns an arbitrary value into redacted JSON data: errors become
// their redacted message (as the JSON handler would print them), anything
// else goes through encoding/json so struct fields and map keys are checked
// by name and every string by pattern.
func redactAny(v any) (out slog.Value) {
	defer func() {
		if recover() != nil {
			out = slog.StringValue(unloggable)
		}
	}()
	switch x := v.(type) {
	case nil:
		return slog.AnyValue(nil)
	case error:
		return slog.StringValue(RedactString(x.Error()))
	}
	b, err := json.Marshal(v)
	if err != nil { // channels, funcs, cycles: fall back to the printed form
		return slog.StringValue(RedactString(fmt.Sprintf("%+v", v)))
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber() // keep numbers exactly as marshalled
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return slog.StringValue(unloggable) // json.Marshal output always decodes
	}
	return slog.AnyValue(redactJSON(tree))
}

// redactJSON walks decoded JSON, applying the key and value rules.
func redactJSON(v any) any {
	switch x := v.(type) {
	case string:
		return RedactString(x)
	case []any:
		for i := range x {
			x[i] = redactJSON(x[i])
		}
		return x
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			if sensitiveKey(k) {
				out[RedactString(k)] = hideJSON(val)
				continue
			}
			out[RedactString(k)] = redactJSON(val)
		}
		return out
	default: // json.Number, bool, nil
		return v
	}
}

func hideJSON(v any) any {
	switch v.(type) {
	case bool, nil:
		return v
	default:
		return Redacted
	}
}
