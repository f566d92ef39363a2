// Package faulttest holds the sync fault tests (issue 5, item 7): the
// server binary (cmd/smartap-sync) killed with SIGKILL between commit and
// ack and at random points while a client pushes; the desktop CLI
// (cmd/smartap) killed with SIGKILL while it syncs; a loopback proxy
// (sync/faultproxy) delaying, cutting and resetting running syncs; and a
// device whose clock runs ahead of the server. Every test checks the same
// two properties against the server's log: nothing acknowledged is lost,
// nothing is stored or applied twice. Random choices come from a seed that
// the test prints (FAULT_SEED=n reproduces a run).
//
// The tests build both binaries once (TestMain) and run them as real
// processes, so a kill is a real crash: no deferred function, no flush.
package faulttest
