#!/usr/bin/env bash
# Stops the daemons started by src/test/infra/setup.sh (found through their pid files): the test
# registry, the engine's TLS endpoint (stunnel) and the test sshd on 127.0.0.1:2201. Leaves
# everything else as it is: the Docker engine keeps running, and the CA, the certificates, the
# password, the htpasswd, the registry data, the SSH keys, known_hosts, host aliases (and the
# Include line in /root/.ssh/config), the user deploy and the stand-in images are kept, so that the
# next setup.sh is fast. Harmless when nothing is running.
set -euo pipefail

readonly RUN_DIR=/run/frankenphp-it
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

stop() { # NAME PID_FILE COMMAND_LINE_PATTERN
	local name="$1" pid_file="$2" pattern="$3" pid cmdline=""
	if [[ ! -s $pid_file ]]; then
		log "$name: no pid file ($pid_file); nothing to stop"
		return
	fi
	pid="$(cat "$pid_file")"
	if [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]]; then
		cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline")"
	fi
	# Only a process that really is ours (pids get reused).
	# shellcheck disable=SC2053 # the pattern is a glob on purpose
	if [[ $cmdline != $pattern ]]; then
		log "$name: pid $pid from $pid_file is not running (stale pid file removed)"
		rm -f "$pid_file"
		return
	fi
	log "$name: stopping pid $pid"
	kill -TERM "$pid" 2>/dev/null || :
	for ((i = 0; i < STOP_TIMEOUT * 5; i++)); do
		running "$pid" || break
		sleep 0.2
	done
	if running "$pid"; then
		log "$name: still running after ${STOP_TIMEOUT}s; sending SIGKILL"
		kill -KILL "$pid" 2>/dev/null || :
	fi
	rm -f "$pid_file"
	log "$name: stopped"
}

stop registry "$RUN_DIR/registry.pid" '*docker-registry serve /var/lib/frankenphp-it/registry-config.yml*'
stop "engine TLS endpoint" "$RUN_DIR/engine-tls.pid" 'stunnel */docker-tls/stunnel.conf*'
# The listener's title is "sshd: /usr/sbin/sshd -D -e -f <config> [listener] ...".
stop sshd "$RUN_DIR/sshd.pid" '*sshd*-f /var/lib/frankenphp-it/ssh/sshd_config*'
log "engine, CA, credentials, registry data, SSH keys and aliases, and images kept"
