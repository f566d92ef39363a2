package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"testing/fstest"

	_ "github.com/mattn/go-sqlite3"
)

var ctx = context.Background()

func open(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func version(t *testing.T, db *sql.DB) int {
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMigrateInOrderOnceAndAtomically(t *testing.T) {
	db := open(t)
	fsys := fstest.MapFS{
		"m/0001_a.sql": {Data: []byte("CREATE TABLE a (x INTEGER);")},
		"m/0002_b.sql": {Data: []byte("INSERT INTO a VALUES (1);")},
	}
	for i := 0; i < 2; i++ { // a second run applies nothing again
		if err := Migrate(ctx, db, fsys, "m"); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	_ = db.QueryRow("SELECT count(*) FROM a").Scan(&n)
	if n != 1 || version(t, db) != 2 {
		t.Fatalf("rows %d, version %d", n, version(t, db))
	}
	// A failing migration leaves neither its changes nor its version.
	fsys["m/0003_bad.sql"] = &fstest.MapFile{Data: []byte("INSERT INTO a VALUES (2); INSERT INTO nope VALUES (1);")}
	if err := Migrate(ctx, db, fsys, "m"); err == nil {
		t.Fatal("bad migration applied")
	}
	_ = db.QueryRow("SELECT count(*) FROM a").Scan(&n)
	if n != 1 || version(t, db) != 2 {
		t.Fatalf("after a failed migration: rows %d, version %d", n, version(t, db))
	}
	if _, err := db.Exec("PRAGMA user_version = 9"); err != nil {
		t.Fatal(err)
	}
	if err := Migrate(ctx, db, fsys, "m"); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("newer schema: %v", err)
	}
	bad := fstest.MapFS{"m/first.sql": {Data: []byte("SELECT 1;")}}
	if err := Migrate(ctx, open(t), bad, "m"); err == nil {
		t.Fatal("a migration without a number was applied")
	}
}

func TestTxRollsBackOnErrorAndPanic(t *testing.T) {
	db := open(t)
	if _, err := db.Exec("CREATE TABLE a (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	insert := func(tx *sql.Tx) error { _, err := tx.Exec("INSERT INTO a VALUES (1)"); return err }
	if err := Tx(ctx, db, nil, func(tx *sql.Tx) error { _ = insert(tx); return boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	func() {
		defer func() { _ = recover() }()
		_ = Tx(ctx, db, nil, func(tx *sql.Tx) error { _ = insert(tx); panic("crash") })
	}()
	if err := Tx(ctx, db, nil, insert); err != nil {
		t.Fatal(err)
	}
	var n int
	_ = db.QueryRow("SELECT count(*) FROM a").Scan(&n)
	if n != 1 {
		t.Fatalf("rows %d, want only the committed one", n)
	}
}
