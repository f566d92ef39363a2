package client

import (
	"context"
	"testing"
)

// A bootstrap asks for pages ahead (bootstrapWindow in flight) and still
// applies every page exactly once and in order, then sets the cursor; the
// requests past the last page are drained, not left for later rounds.
func TestBootstrapPipelinesPagesInOrder(t *testing.T) {
	for _, pages := range []int{1, 2, bootstrapWindow, bootstrapWindow + 1, 25} {
		f := newFakeServer(t)
		f.snapPages = pages
		r := newFakeReplica("dev-b")
		c, _, _ := newTestClient(t, f, r)
		if err := c.SyncOnce(context.Background()); err != nil {
			t.Fatalf("%d pages: %v", pages, err)
		}
		r.mu.Lock()
		got, cur := len(r.snapshots), r.cursor
		r.mu.Unlock()
		f.mu.Lock()
		asked := f.bootstraps
		f.mu.Unlock()
		if got != max(pages, 2) || cur.Index != "idx1" {
			t.Errorf("%d pages: applied %d, cursor %v", pages, got, cur)
		}
		if asked > max(pages, 2)+bootstrapWindow {
			t.Errorf("%d pages: %d bootstrap requests, want at most pages + %d", pages, asked, bootstrapWindow)
		}
		if err := c.SyncOnce(context.Background()); err != nil {
			t.Fatalf("%d pages: second round after the bootstrap: %v", pages, err)
		}
	}
}
