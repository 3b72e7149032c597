#!/usr/bin/env bash
# Load generator for the release end-to-end test: wrk (Debian's, installed by
# src/test/infra/setup.sh) in the background against a loopback URL, with load.lua, which counts
# every response whose status is not exactly 200. Every such response and every socket error
# (connect, read, write, timeout) is a failed request.
#
#   load.sh start URL OUTDIR   starts wrk detached from the caller and returns at once
#                              (refuses a URL whose host is not loopback: 127.x.x.x, localhost, [::1])
#   load.sh stop OUTDIR        stops it with SIGINT (wrk then prints its report) and prints one line:
#
#     LOAD_SUMMARY requests=N duration_s=S rps=R non200=N connect_errors=N read_errors=N write_errors=N timeout_errors=N socket_errors=N failed=N statuses=CODE:N,...
#
#   (statuses: the non-200 statuses seen, "-" when none; failed = non200 + socket_errors; requests
#   counts every response, 200 or not; rps = requests / duration_s.) The line is also written to
#   OUTDIR/summary.txt; wrk's own report is in OUTDIR/wrk.out, its stderr in OUTDIR/wrk.err.
#   Exit status of stop: 0; 2 when the load stayed below LOAD_MIN_RPS requests/s (whatever the
#   failures); 1 when wrk could not be stopped or left no summary.
#
# Note: while nothing listens, wrk reconnects at once, so connect_errors counts connection attempts
# (possibly thousands per second), not requests that would have been sent.
#
# Environment (defaults): LOAD_THREADS (1), LOAD_CONNECTIONS (4), LOAD_TIMEOUT (10s, wrk --timeout),
# LOAD_MAX_DURATION (900s: wrk stops by itself then), LOAD_MIN_RPS (50), LOAD_RATE (unset).
#
# Without LOAD_RATE, each connection sends its next request as soon as the previous one is answered:
# the server runs flat out (on a 2-core machine hosting everything, the load alone keeps both cores
# busy). With LOAD_RATE=N, a steady load of N requests/s: each wrk thread sends one request every
# LOAD_THREADS*1000/N ms on whichever of its connections is free (fewer only when every connection
# is waiting for a slow answer).
set -euo pipefail

readonly THREADS=${LOAD_THREADS:-1}
readonly CONNECTIONS=${LOAD_CONNECTIONS:-4}
readonly REQUEST_TIMEOUT=${LOAD_TIMEOUT:-10s}
readonly MAX_DURATION=${LOAD_MAX_DURATION:-900s}
readonly MIN_RPS=${LOAD_MIN_RPS:-50}
readonly RATE=${LOAD_RATE:-}
readonly STOP_TIMEOUT=20 # seconds for wrk to exit after SIGINT

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
readonly LUA="$SCRIPT_DIR/load.lua"

log() { printf '[load %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() {
	log "ERROR: $*"
	exit 1
}
usage() {
	echo "usage: $0 start URL OUTDIR | $0 stop OUTDIR" >&2
	exit 1
}

# True while PID runs (a zombie counts as stopped: wrk is not our child in `stop`).
running() {
	local stat
	stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
	stat="${stat##*) }"
	[[ ${stat%% *} != [ZX] ]]
}

# The pid in OUTDIR/wrk.pid if that process is a live wrk.
wrk_pid() { # OUTDIR
	local pid
	[[ -s $1/wrk.pid ]] || return 1
	pid="$(cat "$1/wrk.pid")"
	[[ $pid =~ ^[0-9]+$ ]] && running "$pid" && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == wrk ]] || return 1
	echo "$pid"
}

loopback_url() { # URL: http(s)://HOST[:PORT][/...] with HOST 127.x.x.x, localhost or [::1]
	local re='^https?://(\[[^]/]*\]|[^]/:?#@[]+)(:[0-9]+)?([/?#].*)?$' host
	[[ $1 =~ $re ]] || return 1
	host="${BASH_REMATCH[1],,}"
	[[ $host == localhost || $host == '[::1]' ]] && return 0
	[[ $host =~ ^127\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] &&
		((BASH_REMATCH[1] <= 255 && BASH_REMATCH[2] <= 255 && BASH_REMATCH[3] <= 255))
}

start() { # URL OUTDIR
	local url="$1" out="$2" pid
	loopback_url "$url" || die "refusing '$url': only http(s) URLs on a loopback host (127.x.x.x, localhost, [::1])"
	command -v wrk >/dev/null || die "wrk is not installed (src/test/infra/setup.sh installs it: apt-get install wrk)"
	[[ -r $LUA ]] || die "missing $LUA"
	mkdir -p "$out"
	out="$(cd "$out" && pwd)"
	if pid="$(wrk_pid "$out")"; then
		die "wrk (pid $pid) is already running for $out; stop it first"
	fi
	local pause=0 # ms between two requests of one wrk thread; 0: flat out
	if [[ -n $RATE ]]; then
		[[ $RATE =~ ^[1-9][0-9]*$ ]] || die "LOAD_RATE must be a whole number of requests/s, not '$RATE'"
		# C locale: a decimal comma would not be a number to Lua.
		pause=$(LC_ALL=C awk -v t="$THREADS" -v r="$RATE" 'BEGIN { printf "%.3f", t * 1000 / r }')
		[[ $pause != 0.000 ]] || die "LOAD_RATE=$RATE is more than this load generator can pace (at most $((THREADS * 1000000)) requests/s)"
	fi
	rm -f "$out/wrk.pid" "$out/wrk.out" "$out/wrk.err" "$out/summary.txt"
	printf '%s\n' "$url" >"$out/url"
	(
		# Detached: its own session, no inherited descriptor but its files (a caller's
		# $(load.sh start ...) or a CI pipe must not wait for wrk).
		for fd in /proc/"$BASHPID"/fd/*; do
			fd="${fd##*/}"
			if ((fd > 2)); then eval "exec $fd>&-"; fi
		done
		# Not a process-group leader, so setsid execs in place: $! is wrk's pid. wrk installs its
		# own SIGINT handler, so the SIGINT a non-interactive shell ignores in background jobs does
		# not stay ignored.
		exec setsid wrk -t "$THREADS" -c "$CONNECTIONS" --timeout "$REQUEST_TIMEOUT" -d "$MAX_DURATION" \
			-s "$LUA" "$url" -- "$pause" >"$out/wrk.out" 2>"$out/wrk.err" </dev/null
	) &
	pid=$!
	echo "$pid" >"$out/wrk.pid"
	sleep 0.3
	if ! running "$pid"; then
		cat "$out/wrk.err" "$out/wrk.out" >&2 2>/dev/null || :
		die "wrk exited at once"
	fi
	log "wrk (pid $pid) started: -t$THREADS -c$CONNECTIONS --timeout $REQUEST_TIMEOUT -d $MAX_DURATION $url" \
		"($([[ $pause != 0 ]] && echo "steady, $RATE requests/s" || echo "flat out"); output: $out)"
}

stop() { # OUTDIR
	local out="$1" pid line rps
	[[ -d $out ]] || die "no such directory: $out"
	if pid="$(wrk_pid "$out")"; then
		kill -INT "$pid"
		for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
			running "$pid" || break
			sleep 0.1
		done
		if running "$pid"; then
			kill -KILL "$pid" 2>/dev/null || :
			die "wrk (pid $pid) did not exit within ${STOP_TIMEOUT}s of SIGINT; killed, no summary"
		fi
	elif [[ -s $out/wrk.pid ]]; then
		log "wrk had already exited (its -d maximum duration was reached, or it failed)"
	else
		die "no wrk started in $out (no wrk.pid)"
	fi
	rm -f "$out/wrk.pid"
	line="$(grep '^LOAD_SUMMARY ' "$out/wrk.out" 2>/dev/null | tail -n 1)" || :
	if [[ -z $line ]]; then
		tail -n 20 "$out/wrk.out" "$out/wrk.err" >&2 2>/dev/null || :
		die "wrk left no LOAD_SUMMARY line in $out/wrk.out"
	fi
	printf '%s\n' "$line" >"$out/summary.txt"
	printf '%s\n' "$line"
	rps="$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$line")"
	if awk -v r="$rps" -v m="$MIN_RPS" 'BEGIN { exit !(r < m) }'; then
		log "load too low: $rps requests/s < $MIN_RPS (the test did not stress the rollout)"
		exit 2
	fi
}

case "${1:-}" in
start)
	(($# == 3)) || usage
	start "$2" "$3"
	;;
stop)
	(($# == 2)) || usage
	stop "$2"
	;;
*) usage ;;
esac
