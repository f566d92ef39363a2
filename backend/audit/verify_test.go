package audit

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

var (
	deviceKey   = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, ed25519.SeedSize))
	attackerKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{2}, ed25519.SeedSize))
	devicePub   = deviceKey.Public().(ed25519.PublicKey)
)

const dev = "dev-01"

// chain builds a valid log of n entries and its signed head, deterministic
// so it can back a golden file.
func chain(n int) ([]Entry, *Head) {
	base := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	var out []Entry
	var prev *Entry
	for i := range n {
		e := Next(prev, Entry{
			Device:   dev,
			Actor:    []string{"alice", "bob", "system"}[i%3],
			Time:     base.Add(time.Duration(i) * time.Minute),
			Action:   "invoice.approve",
			Target:   fmt.Sprintf("invoice/%d", 100+i),
			Decision: []Decision{Allowed, Denied, NoDecision}[i%3],
			Reason:   "step " + fmt.Sprint(i+1),
			Rule:     "role:approver has invoice.approve",
		})
		out = append(out, e)
		prev = &out[len(out)-1]
	}
	var last Entry
	if n > 0 {
		last = out[n-1]
	}
	h := SignHead(deviceKey, dev, last)
	return out, &h
}

func TestChainGolden(t *testing.T) {
	entries, head := chain(3)
	var sb strings.Builder
	for _, e := range entries {
		fmt.Fprintf(&sb, "%d %x\n", e.Seq, e.Hash)
	}
	fmt.Fprintf(&sb, "head %x\n", head.Sig)
	golden(t, "chain_v1.golden", sb.String())
}

func TestHeadMessageGolden(t *testing.T) {
	var h [32]byte
	h[0], h[31] = 0xaa, 0xbb
	golden(t, "head_v1.golden", hex.EncodeToString(headMessage(dev, 258, h))+"\n")
}

func TestNextLinks(t *testing.T) {
	first := Next(nil, Entry{Device: dev, Time: time.Date(2025, 1, 1, 0, 0, 0, 999_999, time.Local)})
	if first.Seq != 1 || first.Prev != ([32]byte{}) || first.Hash != ComputeHash(first) {
		t.Fatalf("first entry = %+v", first)
	}
	if first.Time.Location() != time.UTC || first.Time.Nanosecond() != 0 {
		t.Fatalf("time not normalized: %v", first.Time)
	}
	second := Next(&first, Entry{Device: dev, Seq: 99, Prev: [32]byte{9}})
	if second.Seq != 2 || second.Prev != first.Hash {
		t.Fatalf("second entry = %+v", second)
	}
}

func TestVerifyValid(t *testing.T) {
	for _, n := range []int{0, 1, 2, 10} {
		entries, head := chain(n)
		if err := Verify(entries, head, devicePub); err != nil {
			t.Errorf("n=%d: %v", n, err)
		}
	}
	if err := Verify(nil, nil, devicePub); err != nil {
		t.Errorf("empty log without head: %v", err)
	}
}

func TestVerifyBadKeyIsNotTampering(t *testing.T) {
	entries, head := chain(2)
	err := Verify(entries, head, devicePub[:5])
	if !errors.Is(err, ErrBadKey) || errors.Is(err, ErrTampered) {
		t.Fatalf("err = %v, want ErrBadKey only", err)
	}
}

func TestVerifyErrorMessage(t *testing.T) {
	entries, head := chain(8)
	entries[6].Reason = "edited"
	err := Verify(entries, head, devicePub)
	var ve *VerifyError
	if !errors.As(err, &ve) || !errors.Is(err, ErrTampered) {
		t.Fatalf("err = %v", err)
	}
	if got, want := err.Error(), "audit entry 7: hash does not match its content"; got != want {
		t.Fatalf("message = %q, want %q", got, want)
	}
	missing := Verify(entries[:1], nil, devicePub)
	if missing == nil || missing.Error() != "audit head: head missing: the log's end is not signed" {
		t.Fatalf("head missing = %v", missing)
	}
}

func TestVerifyHead(t *testing.T) {
	_, head := chain(3)
	if err := VerifyHead(devicePub, *head); err != nil {
		t.Fatal(err)
	}
	mutations := map[string]func(h *Head){
		"device": func(h *Head) { h.Device = "dev-02" },
		"seq":    func(h *Head) { h.Seq++ },
		"hash":   func(h *Head) { h.Hash[5] ^= 1 },
		"sig":    func(h *Head) { h.Sig = append([]byte(nil), h.Sig...); h.Sig[0] ^= 1 },
		"no sig": func(h *Head) { h.Sig = nil },
	}
	for name, mutate := range mutations {
		h := *head
		mutate(&h)
		if err := VerifyHead(devicePub, h); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: err = %v, want ErrBadSignature", name, err)
		}
	}
	if err := VerifyHead(nil, *head); !errors.Is(err, ErrBadKey) {
		t.Errorf("nil key: %v", err)
	}
}
