#!/usr/bin/env bash
# Stops the test registry started by src/test/infra/setup.sh (found through its pid file).
# Leaves everything else as it is: the Docker engine keeps running, and the CA, the registry
# certificate, the password, the htpasswd, the registry data and the stand-in images are kept,
# so that the next setup.sh is fast. Harmless when the registry is not running.
set -euo pipefail

readonly REGISTRY_CONFIG=/var/lib/frankenphp-it/registry-config.yml
readonly REGISTRY_PID_FILE=/run/frankenphp-it/registry.pid
readonly STOP_TIMEOUT=10 # seconds before SIGKILL

# True while PID runs (a zombie, left by an init that does not reap, counts as stopped).
running() {
	local stat
	stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
	stat="${stat##*) }"
	[[ ${stat%% *} != [ZX] ]]
}

log() { printf '[teardown %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

[[ $(id -u) -eq 0 ]] || {
	log "ERROR: must run as root"
	exit 1
}

if [[ ! -s $REGISTRY_PID_FILE ]]; then
	log "registry: no pid file ($REGISTRY_PID_FILE); nothing to stop"
	exit 0
fi

pid="$(cat "$REGISTRY_PID_FILE")"
cmdline=""
if [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]]; then
	cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline")"
fi
# Only a process that is really our registry (pids get reused).
if [[ $cmdline != *"docker-registry serve $REGISTRY_CONFIG"* ]]; then
	log "registry: pid $pid from $REGISTRY_PID_FILE is not running (stale pid file removed)"
	rm -f "$REGISTRY_PID_FILE"
	exit 0
fi

log "registry: stopping pid $pid"
kill -TERM "$pid" 2>/dev/null || :
for ((i = 0; i < STOP_TIMEOUT * 5; i++)); do
	running "$pid" || break
	sleep 0.2
done
if running "$pid"; then
	log "registry: still running after ${STOP_TIMEOUT}s; sending SIGKILL"
	kill -KILL "$pid" 2>/dev/null || :
fi
rm -f "$REGISTRY_PID_FILE"
log "registry: stopped (engine, CA, credentials, data and images kept)"
