//go:build !(linux || freebsd || openbsd || netbsd || dragonfly)

package vault

// sessionBusReachable: macOS and Windows keychains need no D-Bus.
func sessionBusReachable() error { return nil }
