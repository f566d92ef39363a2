//go:build !unix

package client

// lockRefresh is a no-op here: without a cross-process lock, a window and
// a CLI refreshing at the same instant may still collide (the server then
// revokes the family and asks for a new login). The in-process mutex
// still serialises refreshes within one process.
func lockRefresh(string) (func(), error) { return func() {}, nil }
