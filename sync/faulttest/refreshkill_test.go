package faulttest

import (
	"testing"
	"time"

	"github.com/smartap/desktop/sync/faultproxy"
)

// TestClientKilledDuringRefresh kills `smartap sync` while the server's
// answer to its first request (the refresh-token exchange: the access
// token lives only in memory, so every process starts with one) is in
// flight: the server has rotated the refresh token, the desktop never
// stored the new one. The next sync must still work: a crash must not
// sign the user out: the server's reuse grace (sync/auth) answers the
// retried token instead of treating it as stolen.
func TestClientKilledDuringRefresh(t *testing.T) {
	s := newSyncServer(t, "carl")
	carl := newDesktop(t, s, "carl")
	carl.must("sync")

	s.Proxy.PauseDir(faultproxy.ToClient)
	cmd := carl.command("sync")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(patience)
	for s.Proxy.Held() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the sync never got an answer from the server")
		}
		time.Sleep(2 * time.Millisecond)
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	s.Proxy.Reset()
	s.Proxy.Resume()

	if code, out, errs := carl.run("sync"); code != 0 {
		t.Fatalf("sync after a crash during the token refresh: exit %d\n%s%s\nsecurity events: %s",
			code, out, errs, s.adminOut("events", "list", "--json"))
	}
}
