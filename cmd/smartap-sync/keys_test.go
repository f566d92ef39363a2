package main

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
)

func TestKeysCreatedOnceAndPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", keysFileName)
	k1, created, err := loadOrCreateKeys(path)
	if err != nil || !created {
		t.Fatalf("first start: created=%v err=%v", created, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	k2, created, err := loadOrCreateKeys(path)
	if err != nil || created || !reflect.DeepEqual(k1, k2) {
		t.Fatalf("second start: created=%v err=%v same=%v", created, err, reflect.DeepEqual(k1, k2))
	}
	if len(k1.Pepper) != 32 || len(k1.jwtKey()) != 64 || len(k1.checkpointKey()) != 64 || reflect.DeepEqual(k1.JWTSeed, k1.CheckpointSeed) {
		t.Fatalf("keys malformed or shared: %+v", k1)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*"))
	if len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

// Replicas starting together on one shared key path all end up with the
// same keys: exactly one creates the file, the others read it.
func TestKeysRacingReplicasAgree(t *testing.T) {
	path := filepath.Join(t.TempDir(), keysFileName)
	const n = 8
	keys := make([]serverKeys, n)
	creators := make([]bool, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			var err error
			keys[i], creators[i], err = loadOrCreateKeys(path)
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	made := 0
	for i := range n {
		if creators[i] {
			made++
		}
		if !reflect.DeepEqual(keys[i], keys[0]) {
			t.Fatalf("replica %d has other keys", i)
		}
	}
	if made != 1 {
		t.Fatalf("%d replicas created the file, want 1", made)
	}
}

func TestKeysRefused(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.keys")
	if _, _, err := loadOrCreateKeys(good); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := map[string]string{
		"readable by others": write("open.keys", b, 0o644),
		"not JSON":           write("junk.keys", []byte("junk"), 0o600),
		"wrong version":      write("v9.keys", []byte(`{"version":9}`), 0o600),
		"missing keys":       write("empty.keys", []byte(`{"version":1,"jwt_key_id":"a"}`), 0o600),
	}
	for name, p := range cases {
		if _, _, err := loadOrCreateKeys(p); !errors.Is(err, errKeyFile) {
			t.Errorf("%s: err %v, want a key file error", name, err)
		}
	}
	// A leftover temporary file from a crash before the link is ignored.
	crashed := filepath.Join(dir, "crash.keys")
	write(".crash.keys.new-123", []byte("half"), 0o600)
	if _, created, err := loadOrCreateKeys(crashed); err != nil || !created {
		t.Fatalf("after a crash leftover: created=%v err=%v", created, err)
	}
}
