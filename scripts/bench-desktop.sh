#!/usr/bin/env bash
# Measures the desktop app's start-up and memory against a bare Wails shell, in one run, and writes
# bench/results/desktop.md headed by the machine's details.
#
# Data: a temporary data folder seeded through the project's own CLI (smartap init + smartap import)
# with BENCH_INVOICES (default 10,000) distinct CII invoices derived from a corpus invoice
# (bench/desktop/gen-invoices.mjs). Apps: the production build (-tags desktop,production) and the bare
# Wails v2.16.0 template app in bench/desktop/bare, same tags and flags, each started BENCH_RUNS times
# (default 3, alternating) under one Xvfb, each in a fresh private HOME and D-Bus session.
#
# What is timed (wall clock from the exec of the binary; medians over the runs):
#   first paint   the window title the page sets once it has drawn its first real screen: SmartAP's
#                 "SmartAP — Unlock" (set after the backend answered State()), the bare app's
#                 "bare — ready" (set from its first animation frame). xdotool reads the title.
#   unlock        from pressing Enter on the unlock form (password typed by xdotool) to the title
#                 changing (the shell is mounted; the invoice list starts loading).
#   list ready    from the same Enter to the invoice list being interactive: the window title
#                 "SmartAP — Invoices" when the UI sets it after drawing the list, else (until it does)
#                 the start of the first 1 s in which the app's processes used < 5 % of one CPU
#                 (Lighthouse's "time to interactive" idea: the main thread has gone quiet).
# Memory: PSS (/proc/PID/smaps_rollup) summed over the app's processes (the Go binary and its WebKit
# web and network processes; the D-Bus and accessibility-bus helpers of the private session are left
# out and listed), read once the
# app is quiet: SmartAP with the list of every invoice loaded, the bare app after its first paint.
# Progress on stderr; exit non-zero when a measurement failed, never for a missed goal.
#   scripts/bench-desktop.sh          environment: BENCH_INVOICES, BENCH_RUNS, BENCH_TAGS (default ocr)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

N=${BENCH_INVOICES:-10000}
RUNS=${BENCH_RUNS:-3}
PASSWORD="bench password 123" # gitleaks:allow -- a throwaway data folder's password
LIST_TITLE="SmartAP — Invoices"

log() { echo "bench-desktop: $*" >&2; }
fail() {
	log "FAIL $*"
	exit 1
}
for t in Xvfb xdotool dbus-run-session setsid node; do
	command -v "$t" >/dev/null 2>&1 || fail "$t is missing (run: make deps-test)"
done
corpus=${BENCH_CORPUS:-$root/../shared/corpus}
[ -d "$corpus" ] || fail "the corpus is not at $corpus"

load_start=$(cut -d ' ' -f 1-3 /proc/loadavg)
work=$(mktemp -d "${TMPDIR:-/tmp}/smartap-bench-desktop.XXXXXX")
xvfb_pid=""
app_pid=""
stop_app() {
	[ -n "$app_pid" ] || return 0
	kill -TERM -- "-$app_pid" 2>/dev/null || true
	for _ in $(seq 1 50); do
		kill -0 -- "-$app_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL -- "-$app_pid" 2>/dev/null || true
	wait "$app_pid" 2>/dev/null || true
	app_pid=""
}
cleanup() {
	stop_app
	if [ -n "$xvfb_pid" ]; then
		kill -TERM "$xvfb_pid" 2>/dev/null || true
		wait "$xvfb_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- build ----------------------------------------------------------------------------------------
tags="${BENCH_TAGS:-ocr}"
webkit=$(scripts/webkit-tags.sh)
dtags="desktop,production,$tags${webkit:+,$webkit}"
log "building the app (-tags $dtags), the CLI and the bare shell"
make --no-print-directory frontend >&2
go build -tags "$dtags" -ldflags "-w -s" -o "$work/smartap-desktop" .
go build -tags "$tags" -o "$work/smartap" ./cmd/smartap
(cd bench/desktop/bare && go build -tags "desktop,production${webkit:+,$webkit}" -ldflags "-w -s" -o "$work/bare" .)

# --- seed -----------------------------------------------------------------------------------------
log "seeding $N invoices through the CLI"
export SMARTAP_KEYCHAIN="file:$work/device.key"
data="$work/data"
node bench/desktop/gen-invoices.mjs "$corpus" "$work/gen" "$N"
seed_start=$(date +%s.%N)
SMARTAP_PASSWORD="$PASSWORD" "$work/smartap" --data-dir "$data" init --user alice >/dev/null
find "$work/gen" -name '*.xml' -print0 | sort -z |
	SMARTAP_PASSWORD="$PASSWORD" xargs -0 -n 2000 "$work/smartap" --data-dir "$data" import >/dev/null
seed_s=$(awk -v a="$seed_start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.0f", b - a}')
count=$(SMARTAP_PASSWORD="$PASSWORD" "$work/smartap" --data-dir "$data" list --json | node -e \
	'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).length))')
[ "$count" -eq "$N" ] || fail "the data folder holds $count invoices, not $N"
rm -rf "$work/gen"
log "seeded $count invoices in ${seed_s} s"

# --- display --------------------------------------------------------------------------------------
Xvfb -displayfd 5 -screen 0 1366x900x24 -nolisten tcp -nolisten unix-abstract 5>"$work/display" >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 1 100); do
	[ -s "$work/display" ] && break
	sleep 0.1
done
[ -s "$work/display" ] || fail "Xvfb did not start"
export DISPLAY=":$(head -n 1 "$work/display" | tr -d '[:space:]')"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", b - a}'; }

# start BIN: a fresh HOME and session bus; sets app_pid and t_start.
start() {
	local home="$work/home.$RANDOM"
	mkdir -m 0700 -p "$home/home" "$home/run"
	t_start=$(now)
	env -u DBUS_SESSION_BUS_ADDRESS -u XDG_DATA_HOME -u XDG_CONFIG_HOME -u XDG_CACHE_HOME \
		HOME="$home/home" XDG_RUNTIME_DIR="$home/run" NO_AT_BRIDGE=1 SMARTAP_DATA_DIR="$data" \
		setsid dbus-run-session -- "$1" >"$work/app.log" 2>&1 </dev/null &
	app_pid=$!
}

# wait_title WINDOW_NAME_PATTERN TITLE TIMEOUT: prints the window id once its title is TITLE.
wait_title() {
	local deadline win="" title
	deadline=$(($(date +%s) + $3))
	while :; do
		kill -0 "$app_pid" 2>/dev/null || fail "the app exited; log: $(tail -n 5 "$work/app.log" | tr '\n' ' ')"
		[ -n "$win" ] || win=$(xdotool search --onlyvisible --name "$1" 2>/dev/null | head -n 1 || true)
		if [ -n "$win" ]; then
			title=$(xdotool getwindowname "$win" 2>/dev/null || true)
			[ "$title" = "$2" ] && break
		fi
		[ "$(date +%s)" -lt "$deadline" ] || fail "no window titled \"$2\" within $3 s (last: \"${title:-}\")"
		sleep 0.01
	done
	echo "$win"
}

# The app's processes: the session's members less the session helpers (D-Bus, and the accessibility
# bus that WebKit starts on that session bus), which any GTK app on a desktop shares with others.
app_pids() {
	local p c
	for p in $(ps -o pid= -s "$app_pid" 2>/dev/null); do
		c=$(cat "/proc/$p/comm" 2>/dev/null || true)
		case "$c" in dbus-* | at-spi* | "") ;; *) echo "$p" ;; esac
	done
}
cpu_ticks() {
	local p sum=0 t
	for p in $(app_pids); do
		t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)
		sum=$((sum + t))
	done
	echo "$sum"
}
pss_mib() {
	local p sum=0 k
	for p in $(app_pids); do
		k=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
		sum=$((sum + ${k:-0}))
	done
	awk -v k="$sum" 'BEGIN {printf "%.0f", k / 1024}'
}
nprocs() { app_pids | wc -l; }
# pss_split: "name PSS MiB" per process, for the report (where the memory is).
pss_split() {
	local p
	for p in $(app_pids); do
		awk -v n="$(cat "/proc/$p/comm" 2>/dev/null)" '/^Pss:/ {printf "%s %.0f MiB\n", n, $2 / 1024}' "/proc/$p/smaps_rollup" 2>/dev/null
	done | sort | paste -sd ',' | sed 's/,/, /g'
}
procnames() { for p in $(app_pids); do cat "/proc/$p/comm" 2>/dev/null; done | sort | uniq -c | awk '{printf "%s%s×%s", (NR > 1 ? ", " : ""), $2, $1}'; }

# quiet TIMEOUT [WIN [TITLE]]: samples the app's CPU time every 0.1 s until some 1 s span used < 5 %
# of one CPU, and prints when that span began (a benchmark heuristic; no assertion rests on it). With
# WIN and TITLE it stops early, printing the time, when the window's title becomes TITLE, and sets
# quiet_by=title.
quiet() {
	local hz deadline i=0 n
	local -a ts ticks
	hz=$(getconf CLK_TCK)
	deadline=$(($(date +%s) + $1))
	quiet_by=cpu
	while :; do
		ts[i]=$(now)
		ticks[i]=$(cpu_ticks)
		if [ -n "${3:-}" ] && [ "$(xdotool getwindowname "$2" 2>/dev/null)" = "$3" ]; then
			quiet_by=title
			echo "${ts[i]}"
			return
		fi
		if [ "$i" -ge 10 ]; then
			n=$((i - 10))
			if [ $((ticks[i] - ticks[n])) -le $((hz / 20)) ]; then
				echo "${ts[n]}"
				return
			fi
		fi
		[ "$(date +%s)" -lt "$deadline" ] || fail "the app did not go quiet within $1 s"
		i=$((i + 1))
		sleep 0.1
	done
}

declare -a app_paint app_unlock app_list app_pss app_np bare_paint bare_pss bare_np
list_how="CPU quiet (the UI sets no \"$LIST_TITLE\" title yet)"
for run in $(seq 1 "$RUNS"); do
	log "run $run/$RUNS: bare shell"
	start "$work/bare"
	wait_title bare "bare — ready" 60 >/dev/null
	bare_paint+=("$(secs "$t_start" "$(now)")")
	quiet 60 >/dev/null
	bare_pss+=("$(pss_mib)")
	bare_np+=("$(nprocs)")
	bare_names=$(procnames)
	bare_split=$(pss_split)
	stop_app

	log "run $run/$RUNS: SmartAP with $N invoices"
	start "$work/smartap-desktop"
	win=$(wait_title SmartAP "SmartAP — Unlock" 60)
	app_paint+=("$(secs "$t_start" "$(now)")")
	quiet 60 >/dev/null
	# The unlock form has the last user filled in and the password field focused.
	xdotool windowfocus --sync "$win" 2>/dev/null || true
	xdotool type --delay 0 "$PASSWORD"
	t_enter=$(now)
	xdotool key Return
	while [ "$(xdotool getwindowname "$win")" = "SmartAP — Unlock" ]; do
		kill -0 "$app_pid" 2>/dev/null || fail "SmartAP exited while unlocking"
		[ "$(secs "$t_enter" "$(now)" | cut -d. -f1)" -lt 120 ] || fail "still on the unlock screen after 120 s"
		sleep 0.01
	done
	app_unlock+=("$(secs "$t_enter" "$(now)")")
	quiet 180 "$win" "$LIST_TITLE" >"$work/t_list"
	t_list=$(cat "$work/t_list")
	[ "$quiet_by" = title ] && list_how="the window title \"$LIST_TITLE\" the UI sets after drawing the list"
	app_list+=("$(secs "$t_enter" "$t_list")")
	quiet 60 >/dev/null
	app_pss+=("$(pss_mib)")
	app_np+=("$(nprocs)")
	app_names=$(procnames)
	app_split=$(pss_split)
	DISPLAY=$DISPLAY import -window root "$work/list.png" 2>/dev/null || true
	stop_app
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
m_app_paint=$(median "${app_paint[@]}")
m_bare_paint=$(median "${bare_paint[@]}")
m_unlock=$(median "${app_unlock[@]}")
m_list=$(median "${app_list[@]}")
m_app_pss=$(median "${app_pss[@]}")
m_bare_pss=$(median "${bare_pss[@]}")
ratio=$(awk -v a="$m_app_pss" -v b="$m_bare_pss" 'BEGIN {printf "%.2f", a / b}')
goal=$(awk -v r="$ratio" 'BEGIN {print (r <= 1.3) ? "met" : "**missed**"}')
join() { local out; out=$(printf '%s / ' "$@"); echo "${out% / }"; }

cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown)
mem=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
webkit_ver=$(pkg-config --modversion "webkit2gtk-4.${webkit:+1}${webkit:-0}" 2>/dev/null || echo unknown)
out=bench/results/desktop.md
mkdir -p bench/results
cat >"$out" <<EOF
# Desktop app — start-up and memory (\`make bench-desktop\`)

Produced by scripts/bench-desktop.sh in one run: SmartAP Desktop (production build) with $N invoices in its
data folder, against the bare Wails v2.16.0 template app (bench/desktop/bare) built with the same tags and flags,
each started $RUNS times, alternating, under one Xvfb. Medians; every run's figure follows in brackets.

## Machine and run

| | |
|---|---|
| date | $(date -u '+%Y-%m-%dT%H:%M:%SZ') |
| commit | $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (dirty: uncommitted changes)') |
| uname | $(uname -srmo) |
| cpu | $cpu |
| nproc | $(nproc) |
| memory | $mem |
| go | $(go version | cut -d' ' -f3-) |
| WebKitGTK | $webkit_ver |
| build tags | app: $dtags; bare: desktop,production${webkit:+,$webkit} |
| display | Xvfb 1366x900x24, no window manager, software rendering |
| data | $N invoices seeded through \`smartap init\` + \`smartap import\` in $seed_s s |
| processes counted (last run) | SmartAP: $app_names; bare: $bare_names |
| PSS per process (last run) | SmartAP: $app_split; bare: $bare_split |
| load average at start (1, 5, 15 min) | $load_start |
| load average at end (1, 5, 15 min) | $(cut -d ' ' -f 1-3 /proc/loadavg) |

## Summary

| Measure | SmartAP | Bare Wails app | |
|---|---|---|---|
| start → first paint (s) | **$m_app_paint** [$(join "${app_paint[@]}")] | **$m_bare_paint** [$(join "${bare_paint[@]}")] | |
| Enter on the unlock form → shell shown (s; includes the password KDF) | **$m_unlock** [$(join "${app_unlock[@]}")] | — | |
| Enter on the unlock form → invoice list of $N ready (s) | **$m_list** [$(join "${app_list[@]}")] | — | measured by: $list_how |
| memory, PSS summed over the app's processes (MiB) | **$m_app_pss** [$(join "${app_pss[@]}")] with the list loaded, $(median "${app_np[@]}") processes | **$m_bare_pss** [$(join "${bare_pss[@]}")], $(median "${bare_np[@]}") processes | ratio **$ratio** (goal ≤ 1.3: $goal) |

How each figure is taken is written at the top of scripts/bench-desktop.sh. "First paint" is the moment the
page has drawn its first real screen and told the window so (its title); "ready" uses the same kind of signal
when the UI gives one, else the moment the app's processes go quiet (< 5 % of one CPU for a second).
EOF
log "wrote $out"
cat "$out"
