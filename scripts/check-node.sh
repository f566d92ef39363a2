#!/bin/sh
# Fails with a clear message when node is missing or older than frontend/package.json's
# "engines": {"node": ">=X.Y.Z"} (Vite needs Node.js 20.19+; Debian 12 ships 18, Ubuntu 22.04 12).
set -eu
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "check-node: node and npm are needed (make deps installs the system's nodejs and npm)" >&2
	exit 1
fi
[ -f frontend/package.json ] || exit 0
node -e '
var want = ((require("./frontend/package.json").engines || {}).node || "");
var m = /^\s*>=\s*(\d+)\.(\d+)(?:\.(\d+))?/.exec(want);
if (!m) process.exit(0);
var have = process.versions.node.split(".").map(Number);
var need = [+m[1], +m[2], +(m[3] || 0)];
for (var i = 0; i < 3; i++) {
	if (have[i] > need[i]) process.exit(0);
	if (have[i] < need[i]) {
		console.error("check-node: Node.js " + process.versions.node + " is too old: the web UI needs " + want +
			". Install a current Node.js (for example from NodeSource or nvm), then run make again.");
		process.exit(1);
	}
}
'
