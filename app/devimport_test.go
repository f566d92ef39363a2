package app

import (
	"go/build"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The test-only import path (devimport.go) must never reach a production
// build: the file is selected only with the dev tag and never with
// production, whatever else is set. scripts/package.sh checks the built
// binaries for the method name as well.
func TestDevImportOnlyInDevBuilds(t *testing.T) {
	tests := []struct {
		tags []string
		want bool
	}{
		{[]string{"desktop", "production"}, false},
		{[]string{"desktop", "production", "ocr"}, false},
		{[]string{"desktop", "production", "webkit2_41"}, false},
		{[]string{"desktop", "production", "dev"}, false},
		{[]string{"bindings"}, false},
		{nil, false},
		{[]string{"dev"}, true},
		{[]string{"dev", "ocr", "webkit2_41"}, true},
	}
	for _, tc := range tests {
		ctx := build.Default
		ctx.BuildTags = tc.tags
		pkg, err := ctx.ImportDir(".", 0)
		if err != nil {
			t.Fatalf("tags %v: %v", tc.tags, err)
		}
		if got := slices.Contains(pkg.GoFiles, "devimport.go"); got != tc.want {
			t.Errorf("tags %v: devimport.go compiled in = %v, want %v", tc.tags, got, tc.want)
		}
	}
}

// This test binary is built like production as far as the dev tag goes:
// no bound method of that path may be on the App.
func TestNoDevMethodBound(t *testing.T) {
	typ := reflect.TypeOf(&App{})
	for i := 0; i < typ.NumMethod(); i++ {
		if name := typ.Method(i).Name; strings.HasPrefix(name, "Dev") {
			t.Errorf("bound method %s exists in a build without the dev tag", name)
		}
	}
}
