#!/bin/sh
# Draws build/appicon.png (1024x1024): a rounded dark-blue square with a white "AP".
# Needs ImageMagick and fonts-dejavu-core. The PNG is committed; rerun only to change it.
set -eu
cd "$(dirname "$0")/.."
out=${1:-build/appicon.png}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Background: vertical gradient, clipped to a rounded square with a small transparent margin.
convert -size 1024x1024 gradient:'#1f4e99'-'#0b2350' "$tmp/grad.png"
convert -size 1024x1024 xc:none -fill white -draw 'roundrectangle 40,40 983,983 200,200' "$tmp/mask.png"
convert "$tmp/grad.png" "$tmp/mask.png" -alpha off -compose CopyOpacity -composite "$tmp/bg.png"
# A thin light rim and the letters.
convert "$tmp/bg.png" \
	-fill none -stroke '#ffffff33' -strokewidth 8 -draw 'roundrectangle 48,48 975,975 192,192' \
	-stroke none -fill white -font DejaVu-Sans-Bold -pointsize 470 -gravity center \
	-annotate +0-40 'AP' \
	-fill '#7fb2ff' -draw 'roundrectangle 300,722 724,752 15,15' \
	-depth 8 -strip -define png:exclude-chunks=date,time "$out"
echo "wrote $out"
