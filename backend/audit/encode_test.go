package audit

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/quick"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// fixedEntry is the entry behind testdata/entry_v1.golden. Changing it or
// the encoding changes every stored hash, so the golden file must fail.
func fixedEntry() Entry {
	e := Entry{
		Seq:      7,
		Device:   "dev-01",
		Actor:    "alice",
		Time:     time.Date(2025, 3, 14, 9, 26, 53, 589_793_238, time.UTC),
		Action:   "vendor.update",
		Target:   "vendor/42",
		Decision: Allowed,
		Reason:   "approver may edit vendors",
		Rule:     "role:approver has vendor.update",
		Before:   strings.Repeat("ab", 32),
		After:    strings.Repeat("cd", 32),
	}
	for i := range e.Prev {
		e.Prev[i] = byte(i)
	}
	return e
}

// golden compares got with testdata/name (hex, one value per line) and
// rewrites it under -update.
func golden(t *testing.T, name string, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update once to create it)", err)
	}
	if string(want) != got {
		t.Fatalf("%s changed: persisted bytes are pinned.\n got: %s\nwant: %s", name, got, want)
	}
}

func TestEncodeGolden(t *testing.T) {
	golden(t, "entry_v1.golden", hex.EncodeToString(fixedEntry().Encode())+"\n")
}

func TestEncodeLayout(t *testing.T) {
	b := fixedEntry().Encode()
	if b[0] != EncodingVersion || EncodingVersion != 1 {
		t.Fatalf("version byte = %d", b[0])
	}
	if got := binary.BigEndian.Uint64(b[1:9]); got != 7 {
		t.Errorf("seq = %d", got)
	}
	// Sub-millisecond digits are dropped, so the stored time is exact.
	if got := int64(binary.BigEndian.Uint64(b[9:17])); got != fixedEntry().Time.UnixMilli() {
		t.Errorf("time = %d", got)
	}
}

func TestEncodeIgnoresHashAndLocation(t *testing.T) {
	a := fixedEntry()
	b := a
	b.Hash[0] = 1
	b.Time = a.Time.In(time.FixedZone("CET", 3600)).Add(123 * time.Microsecond)
	if !bytes.Equal(a.Encode(), b.Encode()) {
		t.Fatal("Hash, zone or sub-millisecond time changed the encoding")
	}
}

func TestDecodeRoundTripFixed(t *testing.T) {
	e := Next(nil, fixedEntry())
	got, err := Decode(e.Encode())
	if err != nil {
		t.Fatal(err)
	}
	got.Hash = e.Hash
	if got != e {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, e)
	}
}

func TestDecodeRoundTripRandom(t *testing.T) {
	decisions := []Decision{NoDecision, Allowed, Denied}
	f := func(seq uint64, ms int64, dev, actor, action, target string, d uint8,
		reason, rule, before, after string, prev [32]byte) bool {
		e := Entry{Seq: seq, Device: dev, Actor: actor, Time: time.UnixMilli(ms).UTC(),
			Action: action, Target: target, Decision: decisions[int(d)%len(decisions)],
			Reason: reason, Rule: rule, Before: before, After: after, Prev: prev}
		got, err := Decode(e.Encode())
		return err == nil && got == e && bytes.Equal(got.Encode(), e.Encode())
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 2000}); err != nil {
		t.Fatal(err)
	}
}

func TestDecodeRoundTripExtremeTimes(t *testing.T) {
	for _, ms := range []int64{math.MinInt64, -1, 0, 1, math.MaxInt64} {
		e := fixedEntry()
		e.Time = time.UnixMilli(ms).UTC()
		got, err := Decode(e.Encode())
		if err != nil || got != e {
			t.Errorf("ms=%d: got %v, %v", ms, got.Time, err)
		}
	}
	zero := Entry{}
	if got, err := Decode(zero.Encode()); err != nil || got != zero {
		t.Errorf("zero entry: got %+v, %v", got, err)
	}
}

func TestDecodeStrict(t *testing.T) {
	good := fixedEntry().Encode()
	withDecision := func(d string) []byte {
		e := fixedEntry()
		e.Decision = Decision(d)
		return e.Encode()
	}
	// The device length sits right after the fixed part.
	longDevice := bytes.Clone(good)
	binary.BigEndian.PutUint32(longDevice[fixedLen:], 1<<31)
	shortDevice := bytes.Clone(good)
	binary.BigEndian.PutUint32(shortDevice[fixedLen:], 2) // rest misparses and runs out
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrMalformed},
		{"version 0", append([]byte{0}, good[1:]...), ErrVersion},
		{"version 2", append([]byte{2}, good[1:]...), ErrVersion},
		{"only version", []byte{1}, ErrMalformed},
		{"fixed part cut", good[:fixedLen-1], ErrMalformed},
		{"no strings", good[:fixedLen], ErrMalformed},
		{"last string cut", good[:len(good)-1], ErrMalformed},
		{"length cut", good[:fixedLen+2], ErrMalformed},
		{"trailing byte", append(bytes.Clone(good), 0), ErrMalformed},
		{"huge length", longDevice, ErrMalformed},
		{"wrong length", shortDevice, ErrMalformed},
		{"unknown decision", withDecision("maybe"), ErrMalformed},
		{"decision case", withDecision("Allowed"), ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Decode(tt.in); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

// FuzzDecode: Decode never panics, and whatever it accepts is canonical
// (security checklist #40). Seeds below and in testdata/fuzz/FuzzDecode run
// in plain go test.
func FuzzDecode(f *testing.F) {
	good := fixedEntry().Encode()
	f.Add(good)
	f.Add(Entry{}.Encode())
	f.Add(good[:fixedLen+3])
	f.Add(append(bytes.Clone(good), 0xff))
	f.Add([]byte{})
	f.Add([]byte{1})
	f.Add([]byte{2, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := Decode(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrVersion) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if got := e.Encode(); !bytes.Equal(got, b) {
			t.Fatalf("accepted a non-canonical encoding:\n in %x\nout %x", b, got)
		}
	})
}
