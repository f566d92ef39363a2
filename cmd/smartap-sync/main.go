// Command smartap-sync is SmartAP's sync server and its administration
// (CLI.md, `smartap-sync`): `serve` runs the HTTPS/websocket server;
// `team`, `user`, `apikey` and `events` administer the same store
// directly.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
