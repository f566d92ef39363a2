package vault

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func openTestFile(t *testing.T, path string) Keychain {
	t.Helper()
	kc, err := OpenKeychain("file:" + path)
	if err != nil {
		t.Fatalf("OpenKeychain(file:%s): %v", path, err)
	}
	return kc
}

func TestFileKeychainContract(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "keys", "smartap.keys")
	testKeychainContract(t, openTestFile(t, path), "smartap-test", "contract:")
}

func TestFileKeychainPermissions(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no permission bits on Windows")
	}
	dir := filepath.Join(t.TempDir(), "new", "folder")
	path := filepath.Join(dir, "smartap.keys")
	kc := openTestFile(t, path)
	mustSet(t, kc, Service, "device:x", []byte("s"))
	for p, want := range map[string]os.FileMode{dir: 0o700, path: 0o600} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s has mode %04o, want %04o", p, st.Mode().Perm(), want)
		}
	}
}

func TestFileKeychainRefusesOpenFile(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no permission bits on Windows")
	}
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660, 0o666} {
		path := filepath.Join(t.TempDir(), "smartap.keys")
		kc := openTestFile(t, path)
		mustSet(t, kc, Service, "device:x", []byte("s"))
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		// Both at open and on an already open keychain.
		_, err := OpenKeychain("file:" + path)
		if !errors.Is(err, ErrInsecureFile) || !strings.Contains(err.Error(), "chmod 600") {
			t.Errorf("mode %04o: OpenKeychain: %v, want ErrInsecureFile with a chmod hint", mode, err)
		}
		if _, err := kc.Get(Service, "device:x"); !errors.Is(err, ErrInsecureFile) {
			t.Errorf("mode %04o: Get: %v, want ErrInsecureFile", mode, err)
		}
		if err := kc.Set(Service, "device:y", []byte("t")); !errors.Is(err, ErrInsecureFile) {
			t.Errorf("mode %04o: Set: %v, want ErrInsecureFile", mode, err)
		}
	}
}

func TestFileKeychainSurvivesReopen(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "smartap.keys")
	kc := openTestFile(t, path)
	mustSet(t, kc, Service, "device:a", []byte("first"))
	mustSet(t, kc, Service, "device:b", []byte("second"))
	again := openTestFile(t, path)
	mustGet(t, again, Service, "device:a", []byte("first"))
	mustGet(t, again, Service, "device:b", []byte("second"))
	if got := again.Describe(); got != "key file "+path {
		t.Errorf("Describe = %q", got)
	}
}

func TestFileKeychainBadFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, content string
		want          error
	}{
		{"newer version", `{"format":"smartap-keychain","version":2,"items":[],"added":1}`, ErrVersion},
		{"not ours", `{"format":"other","version":1}`, nil},
		{"not JSON", "device:x=secret\n", nil},
		{"unknown field", `{"format":"smartap-keychain","version":1,"items":[],"x":1}`, nil},
		{"bad secret", `{"format":"smartap-keychain","version":1,"items":[{"service":"s","account":"a","secret":"!!"}]}`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "k")
			if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := OpenKeychain("file:" + path)
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Fatalf("OpenKeychain: %v, want an error (%v)", err, tc.want)
			}
			if strings.Contains(err.Error(), "secret\n") || strings.Contains(err.Error(), "!!") {
				t.Fatalf("error quotes file content: %v", err)
			}
		})
	}
	t.Run("directory", func(t *testing.T) {
		dir := t.TempDir()
		if _, err := OpenKeychain("file:" + dir); err == nil {
			t.Fatal("a directory was accepted as key file")
		}
	})
	t.Run("too large", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "k")
		if err := os.WriteFile(path, make([]byte, maxKeyFile+1), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := OpenKeychain("file:" + path); err == nil {
			t.Fatal("an oversized file was accepted")
		}
	})
}

func TestOpenKeychainSpecs(t *testing.T) {
	t.Parallel()
	for _, spec := range []string{"file:", "keyring", "OS", "FILE:/tmp/x", " os", "file", "secret-service"} {
		if _, err := OpenKeychain(spec); !errors.Is(err, ErrBadSpec) {
			t.Errorf("OpenKeychain(%q) = %v, want ErrBadSpec", spec, err)
		}
	}
	rel, err := OpenKeychain("file:" + filepath.Join(t.TempDir(), "rel.keys"))
	if err != nil || !strings.HasPrefix(rel.Describe(), "key file /") && runtime.GOOS != "windows" {
		t.Errorf("file keychain: %v, %v", rel, err)
	}
}
