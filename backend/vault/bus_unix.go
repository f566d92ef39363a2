//go:build linux || freebsd || openbsd || netbsd || dragonfly

package vault

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
)

// sessionBusReachable says whether a D-Bus session bus can be found the way
// godbus looks for one, without connecting. When none can, godbus would run
// dbus-launch and leave a bus daemon behind; we report "no keychain" instead.
func sessionBusReachable() error {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return nil
	}
	dir := filepath.Join("/run/user", strconv.Itoa(os.Getuid()))
	for _, name := range []string{"bus", "dbus-session"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return nil
		}
	}
	return errors.New("no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is not set")
}
