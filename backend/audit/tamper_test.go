package audit

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

// The log every tamper case starts from: six valid entries and their head.
const logLen = 6

type tamper func(entries []Entry, head *Head) ([]Entry, *Head)

// fieldEdits change one field of an entry in place without recomputing its
// hash, as an UPDATE on one SQLite column would.
var fieldEdits = map[string]func(e *Entry){
	"seq":      func(e *Entry) { e.Seq += 10 },
	"device":   func(e *Entry) { e.Device = "dev-99" },
	"actor":    func(e *Entry) { e.Actor = "mallory" },
	"time":     func(e *Entry) { e.Time = e.Time.Add(-time.Hour) },
	"action":   func(e *Entry) { e.Action = "invoice.view" },
	"target":   func(e *Entry) { e.Target = "invoice/1" },
	"decision": func(e *Entry) { e.Decision = Allowed; e.Reason += "!" },
	"reason":   func(e *Entry) { e.Reason = "" },
	"rule":     func(e *Entry) { e.Rule = "role:admin" },
	"before":   func(e *Entry) { e.Before = "00" },
	"after":    func(e *Entry) { e.After = "ff" },
	"prev":     func(e *Entry) { e.Prev[0] ^= 1 },
	"hash":     func(e *Entry) { e.Hash[31] ^= 1 },
}

func editAt(seq int, edit func(e *Entry)) tamper {
	return func(entries []Entry, head *Head) ([]Entry, *Head) {
		edit(&entries[seq-1])
		return entries, head
	}
}

// rewriteOne edits entry seq and recomputes its hash only.
func rewriteOne(seq int) tamper {
	return func(entries []Entry, head *Head) ([]Entry, *Head) {
		entries[seq-1].Actor = "mallory"
		entries[seq-1].Hash = ComputeHash(entries[seq-1])
		return entries, head
	}
}

// rewriteFrom edits entry seq and recomputes the chain from there, as an
// attacker who knows the format but not the device key would.
func rewriteFrom(seq int) tamper {
	return func(entries []Entry, head *Head) ([]Entry, *Head) {
		entries[seq-1].Actor = "mallory"
		relink(entries, seq)
		return entries, head
	}
}

func relink(entries []Entry, from int) {
	for i := from - 1; i < len(entries); i++ {
		var prev *Entry
		if i > 0 {
			prev = &entries[i-1]
		}
		entries[i] = Next(prev, entries[i])
	}
}

func deleteAt(seq int) tamper {
	return func(entries []Entry, head *Head) ([]Entry, *Head) {
		return slices.Delete(entries, seq-1, seq), head
	}
}

func resign(key []byte) func(entries []Entry, head *Head) *Head {
	return func(entries []Entry, _ *Head) *Head {
		h := SignHead(key, dev, entries[len(entries)-1])
		return &h
	}
}

func TestVerifyDetectsTampering(t *testing.T) {
	tests := []struct {
		name  string
		do    tamper
		index uint64
	}{
		{"delete first", deleteAt(1), 1},
		{"delete middle", deleteAt(3), 3},
		{"delete last", deleteAt(logLen), logLen},
		{"truncate last two", func(e []Entry, h *Head) ([]Entry, *Head) { return e[:logLen-2], h }, logLen - 1},
		{"delete all, head kept", func(_ []Entry, h *Head) ([]Entry, *Head) { return nil, h }, 1},
		{"delete and renumber", func(e []Entry, h *Head) ([]Entry, *Head) {
			e = slices.Delete(e, 2, 3)
			for i := range e {
				e[i].Seq = uint64(i) + 1
			}
			return e, h
		}, 3},
		{"swap rows", func(e []Entry, h *Head) ([]Entry, *Head) { e[2], e[3] = e[3], e[2]; return e, h }, 3},
		{"swap contents keep seq", func(e []Entry, h *Head) ([]Entry, *Head) {
			e[2], e[3] = e[3], e[2]
			e[2].Seq, e[3].Seq = 3, 4
			return e, h
		}, 3},
		{"duplicate row", func(e []Entry, h *Head) ([]Entry, *Head) { return slices.Insert(e, 3, e[2]), h }, 4},
		// Hash recomputed: the break shows at the next link...
		{"rewrite middle entry with its hash", rewriteOne(3), 4},
		// ...or, with the whole tail relinked, only at the signed head.
		{"rewrite last entry with its hash", rewriteOne(logLen), logLen},
		{"rewrite tail consistently", rewriteFrom(3), logLen},
		{"rewrite and re-sign with another key", func(e []Entry, h *Head) ([]Entry, *Head) {
			e, _ = rewriteFrom(3)(e, h)
			return e, resign(attackerKey)(e, h)
		}, 1},
		{"re-sign untouched log with another key", func(e []Entry, h *Head) ([]Entry, *Head) {
			return e, resign(attackerKey)(e, h)
		}, 1},
		{"append forged entry", func(e []Entry, h *Head) ([]Entry, *Head) {
			return append(e, Next(&e[len(e)-1], Entry{Device: dev, Action: "user.add"})), h
		}, logLen + 1},
		{"append and re-sign with another key", func(e []Entry, h *Head) ([]Entry, *Head) {
			e = append(e, Next(&e[len(e)-1], Entry{Device: dev, Action: "user.add"}))
			return e, resign(attackerKey)(e, h)
		}, 1},
		{"head missing", func(e []Entry, _ *Head) ([]Entry, *Head) { return e, nil }, 0},
		{"head for another device", func(e []Entry, _ *Head) ([]Entry, *Head) {
			h := SignHead(deviceKey, "dev-02", e[len(e)-1])
			return e, &h
		}, 1},
		{"head seq edited", func(e []Entry, h *Head) ([]Entry, *Head) { h.Seq--; return e, h }, 1},
		{"entry from another device spliced in", func(e []Entry, h *Head) ([]Entry, *Head) {
			e[2].Device = "dev-02"
			relink(e, 3)
			return e, resign(deviceKey)(e, h)
		}, 3},
	}
	for _, seq := range []int{1, 3, logLen} {
		for field, edit := range fieldEdits {
			tests = append(tests, struct {
				name  string
				do    tamper
				index uint64
			}{fmt.Sprintf("edit %s of entry %d", field, seq), editAt(seq, edit), uint64(seq)})
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, head := chain(logLen)
			entries, head = tt.do(entries, head)
			err := Verify(entries, head, devicePub)
			var ve *VerifyError
			if !errors.As(err, &ve) || !errors.Is(err, ErrTampered) {
				t.Fatalf("err = %v, want a VerifyError", err)
			}
			if ve.Index != tt.index {
				t.Fatalf("index = %d (%v), want %d", ve.Index, err, tt.index)
			}
		})
	}
}

// The attack checklist #31 exists for: a consistent rewrite with the real
// device key passes local verification; only the server anchor catches it.
func TestConsistentRewriteWithDeviceKeyPassesLocally(t *testing.T) {
	entries, head := chain(logLen)
	entries, _ = rewriteFrom(2)(entries, head)
	if err := Verify(entries, resign(deviceKey)(entries, head), devicePub); err != nil {
		t.Fatalf("err = %v; local verification cannot tell, by design", err)
	}
}
