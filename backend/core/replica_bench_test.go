package core

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/uuid"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/store"
	"github.com/smartap/desktop/backend/vault"
	"github.com/smartap/desktop/sync/merge"
	"github.com/smartap/desktop/sync/opcodec"
	"github.com/smartap/desktop/sync/wire"
)

// BenchmarkApplySnapshot bootstraps a fresh replica from a snapshot of
// 2,000 real invoices (one corpus invoice under many ids), in pages of
// wire.MaxPage records: the desktop's share of a new device's bootstrap.
func BenchmarkApplySnapshot(b *testing.B) {
	const n = 2000
	src := benchReplica(b, "alice", identity.Admin)
	data, err := os.ReadFile(filepath.Join(corpus, syncInvoice))
	if err != nil {
		b.Skip("the shared corpus is not beside the project")
	}
	res, err := src.Import(ctx, "f.xml", bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	id := res.ID
	var st merge.State
	if err := src.Replica().read(ctx, func(tx *store.Tx) error {
		s, err := loadStates(tx, id)
		st = s.confirmed
		return err
	}); err != nil {
		b.Fatal(err)
	}
	raw, _ := json.Marshal(st)
	var recs []wire.Record
	for range n {
		var c merge.State
		_ = json.Unmarshal(raw, &c)
		c.Entity.ID = uuid.Must(uuid.NewV7()).String()
		r, err := opcodec.StateRecords(c)
		if err != nil {
			b.Fatal(err)
		}
		recs = append(recs, r...)
	}
	at := wire.Cursor{Index: "idx", Seq: 1}
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		dst := benchReplica(b, "bob", identity.Approver).Replica()
		b.StartTimer()
		for p := 0; p*wire.MaxPage < len(recs); p++ {
			page := recs[p*wire.MaxPage : min(len(recs), (p+1)*wire.MaxPage)]
			last := (p+1)*wire.MaxPage >= len(recs)
			if err := dst.ApplySnapshot(ctx, wire.Snapshot{At: at, Page: uint32(p), Last: last, Records: page}); err != nil { // #nosec G115 -- small
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(n), "invoices/op")
}

func benchReplica(b *testing.B, name string, role identity.Role) *Session {
	dir := b.TempDir()
	kc, err := vault.OpenKeychain("file:" + filepath.Join(dir, "keys", "device.key"))
	if err != nil {
		b.Fatal(err)
	}
	c, err := Open(ctx, Options{DataDir: filepath.Join(dir, "data"), Keychain: kc, KDF: vault.MinKDF})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.Close() })
	s, _, err := c.InitFromServer(ctx, name, secret.NewPassword(adminPW), role, "")
	if err != nil {
		b.Fatal(err)
	}
	return s
}
