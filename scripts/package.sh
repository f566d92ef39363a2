#!/usr/bin/env bash
# Builds the release binaries into build/package/ and checks them:
#   smartap-desktop-VERSION-linux-amd64.tar.gz  the Linux binary (WebKitGTK 4.0, or 4.1 where only that
#                                               exists: scripts/webkit-tags.sh), the icon and a .desktop entry
#   smartap-desktop-VERSION-windows-amd64.exe   cross-compiled with mingw-w64 (cgo for SQLite), without OCR,
#                                               with the icon, version information and manifest
#   SHA256SUMS
# VERSION is wails.json's info.productVersion. Nothing is downloaded: the Windows resources (icon, version
# info, manifest from build/windows/) are compiled by the Wails CLI (make wails-cli, built from source)
# with its bundled Go resource writer. macOS: see README ("Packaging").
#
# Checks, each fatal: the .exe is a PE32+ x86-64 GUI executable whose resources hold an icon, a manifest
# and version information naming the product and version; the Linux binary is an ELF executable linked
# against the detected WebKitGTK; no binary contains the dev-only test bindings (App.DevQueueImport, App.DevQueueExport).
#   scripts/package.sh              environment: PACKAGE_TAGS (Linux build tags besides desktop,production;
#                                   default "ocr", as make build)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

fail() {
	echo "package: FAIL $*" >&2
	exit 1
}

command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || fail "x86_64-w64-mingw32-gcc is missing (run: scripts/deps.sh package)"
for t in file strings x86_64-w64-mingw32-objdump tar sha256sum; do
	command -v "$t" >/dev/null 2>&1 || fail "$t is missing"
done
make --no-print-directory wails-cli
wails="$root/.tools/bin/wails"

version=$(node -p 'require("./wails.json").info.productVersion')
[ -n "$version" ] || fail "no info.productVersion in wails.json"
out="$root/build/package"
mkdir -p "$out"
rm -f "$out"/smartap-desktop-* "$out"/SHA256SUMS

make --no-print-directory frontend

# --- Linux ----------------------------------------------------------------------------------------
webkit=$(scripts/webkit-tags.sh)
ltags="desktop,production,${PACKAGE_TAGS:-ocr}${webkit:+,$webkit}"
ltags=${ltags%,}
stage=$(mktemp -d "${TMPDIR:-/tmp}/smartap-package.XXXXXX")
trap 'rm -rf "$stage"' EXIT
lname="smartap-desktop-$version-linux-amd64"
mkdir -p "$stage/$lname"
echo "package: Linux binary (-tags $ltags)" >&2
go build -tags "$ltags" -trimpath -ldflags "-w -s" -o "$stage/$lname/smartap-desktop" .
cp build/appicon.png "$stage/$lname/smartap-desktop.png"
cat >"$stage/$lname/smartap-desktop.desktop" <<EOF
[Desktop Entry]
Type=Application
Name=SmartAP Desktop
Comment=Accounts-payable: import, check, match, approve and export supplier invoices
Exec=smartap-desktop
Icon=smartap-desktop
Categories=Office;Finance;
Terminal=false
EOF

linfo=$(file -b "$stage/$lname/smartap-desktop")
case "$linfo" in
*"ELF 64-bit"*"x86-64"*) ;;
*) fail "the Linux binary is not an x86-64 ELF executable: $linfo" ;;
esac
want_webkit=webkit2gtk-4.0
[ "$webkit" = webkit2_41 ] && want_webkit=webkit2gtk-4.1
ldd "$stage/$lname/smartap-desktop" | grep -q "lib$want_webkit" || fail "the Linux binary does not link lib$want_webkit"
tar -C "$stage" -czf "$out/$lname.tar.gz" "$lname"

# --- Windows --------------------------------------------------------------------------------------
# wails build writes the resources (build/windows/icon.ico from build/appicon.png when missing, the
# version info from build/windows/info.json filled from wails.json, the manifest) into a temporary
# .syso and links it in. -m and -nosyncgomod: go.mod is left alone; -s: the UI was built above.
wname="smartap-desktop-$version-windows-amd64.exe"
echo "package: Windows binary (mingw-w64, no OCR)" >&2
rm -f build/bin/"$wname"
CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++ \
	"$wails" build -platform windows/amd64 -m -nosyncgomod -s -skipbindings -skipembedcreate -trimpath \
	-nocolour -o "$wname" >"$stage/wails-build.log" 2>&1 || {
	tail -n 30 "$stage/wails-build.log" >&2
	fail "wails build for windows/amd64 failed"
}
mv build/bin/"$wname" "$out/$wname"
exe="$out/$wname"

winfo=$(file -b "$exe")
case "$winfo" in
*"PE32+ executable (GUI) x86-64"*) ;;
*) fail "the .exe is not a PE32+ x86-64 GUI executable: $winfo" ;;
esac
# Resource types: the top level of the .rsrc directory, which objdump prints indented by three
# spaces: 3 icon, 14 icon group, 16 version info, 24 manifest.
types=$(x86_64-w64-mingw32-objdump -p "$exe" | sed -n '/The .rsrc Resource Directory section/,/^$/p' |
	sed -nE 's/^[0-9a-f]+   Entry: ID: 0x0*([0-9a-f]+),.*/\1/p' | tr '\n' ' ')
for t in 3 e 10 18; do
	case " $types " in
	*" $t "*) ;;
	*) fail "the .exe lacks resource type 0x$t (3 icon, e icon group, 10 version, 18 manifest); has: $types" ;;
	esac
done
# The version info's strings are UTF-16.
vstrings=$(strings -el "$exe")
for s in "ProductVersion" "$version" "SmartAP Desktop" "CompanyName"; do
	printf '%s\n' "$vstrings" | grep -qxF "$s" || fail "the .exe's version information lacks \"$s\""
done

# --- Both -----------------------------------------------------------------------------------------
for b in "$stage/$lname/smartap-desktop" "$exe"; do
	if grep -q DevQueue "$b"; then
		fail "$(basename "$b") contains a dev-only test binding (DevQueue…)"
	fi
done
(cd "$out" && sha256sum "$lname.tar.gz" "$wname" >SHA256SUMS)
echo "package: PASS version $version" >&2
ls -l "$out" | awk 'NR > 1 {printf "package:   %-50s %6.1f MB\n", $9, $5 / 1048576}' >&2
