#!/bin/sh
# Prints the extra Go build tag for WebKitGTK: "webkit2_41" where pkg-config knows
# webkit2gtk-4.1 but not webkit2gtk-4.0 (Ubuntu 24.04+, Debian 13+); nothing otherwise.
if ! pkg-config --exists webkit2gtk-4.0 2>/dev/null && pkg-config --exists webkit2gtk-4.1 2>/dev/null; then
	echo webkit2_41
fi
