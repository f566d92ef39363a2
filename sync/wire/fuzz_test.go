package wire

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// security checklist #40: any bytes give a typed error or a message that
// re-encodes and decodes to the same value; never a panic. The seeds (every
// golden frame plus edge cases) run in plain go test.
func FuzzDecode(f *testing.F) {
	goldens, err := filepath.Glob(filepath.Join("testdata", "*.golden"))
	if err != nil || len(goldens) == 0 {
		f.Fatalf("no golden seeds: %v", err)
	}
	for _, path := range goldens {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		``, `{}`, `null`, `{"v":2,"type":"push","id":"m","body":{}}`,
		`{"v":1,"type":"nope","id":"m","body":{}}`,
		`{"v":1,"type":"chunk","id":"m","body":{"hash":"` + hashOf(1).String() + `","offset":0,"size":0,"data":"","final":true}}`,
		`{"v":1,"type":"page","id":"m","body":{"ops":[],"next":{"index":"i","seq":0},"more":false}}`,
		`{"V":1,"TYPE":"pull","Id":"m","Body":{"After":{"Index":"i","Seq":1},"LIMIT":1}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			if !isSentinel(err) {
				t.Fatalf("error wraps no sentinel: %v", err)
			}
			return
		}
		again, err := Encode(m)
		if errors.Is(err, ErrTooLarge) && len(b) > MaxFrame/2 {
			return // escaping can grow a frame near the limit past it
		}
		if err != nil {
			t.Fatalf("decoded %+v but cannot re-encode: %v", m, err)
		}
		back, err := Decode(again)
		if err != nil || !reflect.DeepEqual(back, m) {
			t.Fatalf("re-encoded frame %s decodes to %+v, %v; want %+v", again, back, err, m)
		}
		if twice, _ := Encode(back); !bytes.Equal(twice, again) {
			t.Fatalf("encoding not deterministic:\n%s\n%s", twice, again)
		}
	})
}

func isSentinel(err error) bool {
	for _, s := range []error{ErrTooLarge, ErrVersion, ErrUnknownType, ErrInvalid} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}
