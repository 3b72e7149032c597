#!/usr/bin/env bash
# Prepares a machine (Debian 12, as root) for the frankenphp-maven-plugin integration tests:
#
#   * Debian packages: docker.io docker-registry docker-compose busybox-static apache2-utils
#     openssl php-cli php-vlucas-phpdotenv curl jq ca-certificates git debootstrap socat stunnel4 openssh-server openssh-client wrk caddy
#     (installed only when missing; a freshly installed openssh-server is kept from starting the
#     system sshd on port 22 with /etc/ssh/sshd_not_to_be_run; caddy: its parser checks the rendered
#     Caddyfile in the unit tests);
#   * a Docker Engine (dockerd started in the background when the socket does not answer);
#   * registry.frankenphp.test -> 127.0.0.1 in /etc/hosts;
#   * a test CA, a TLS certificate for registry.frankenphp.test and an htpasswd (bcrypt) for the
#     user frankenphp-it, all under /var/lib/frankenphp-it/ (the password is in
#     /var/lib/frankenphp-it/registry-password, which the ITs read, and as the Maven property
#     frankenphp.it.registryPassword in /var/lib/frankenphp-it/it.properties; never printed);
#   * Debian's distribution registry on https://registry.frankenphp.test:5443 (TLS + basic auth);
#   * the engine's API also on tcp://127.0.0.1:2376 with mutual TLS, as a remote daemon started
#     with --tlsverify answers (stunnel in front of the local socket; client certificates for
#     DOCKER_CERT_PATH in /var/lib/frankenphp-it/docker-tls/client);
#   * an SSH "server" for the release goal's ssh://user@host Docker connections: a dedicated sshd on
#     127.0.0.1:2201 only (config, host key, client keys, known_hosts under /var/lib/frankenphp-it/ssh/;
#     public keys only, user deploy in the docker group), and the host aliases frankenphp-server,
#     frankenphp-server-unknown-hostkey, frankenphp-server-wrong-key, frankenphp-server-unreachable,
#     in /var/lib/frankenphp-it/ssh/config, included from the top of /root/.ssh/config;
#   * offline stand-ins for the base images of the rendered Dockerfile, built FROM scratch with
#     busybox-static (recipes in images/): dunglas/frankenphp:1-php8.4-bookworm and composer:2.
#
# Idempotent: a second run only checks and is fast. Public registries are never contacted.
# Stop the registry, the TLS endpoint and sshd with teardown.sh (the engine, the CA, the keys and the
# images are kept).
set -euo pipefail

readonly REGISTRY_HOST=registry.frankenphp.test
readonly REGISTRY_PORT=5443
readonly REGISTRY="$REGISTRY_HOST:$REGISTRY_PORT"
readonly REGISTRY_USER=frankenphp-it

readonly STATE_DIR=/var/lib/frankenphp-it
readonly LOG_DIR=/var/log/frankenphp-it
readonly RUN_DIR=/run/frankenphp-it

readonly CA_KEY="$STATE_DIR/ca.key"
readonly CA_CRT="$STATE_DIR/ca.crt"
readonly SERVER_KEY="$STATE_DIR/registry.key"
readonly SERVER_CRT="$STATE_DIR/registry.crt"
readonly PASSWORD_FILE="$STATE_DIR/registry-password"
readonly HTPASSWD_FILE="$STATE_DIR/htpasswd"
readonly IT_PROPERTIES="$STATE_DIR/it.properties" # read by the pom (properties-maven-plugin)
readonly REGISTRY_CONFIG="$STATE_DIR/registry-config.yml"
readonly REGISTRY_DATA="$STATE_DIR/registry-data"
readonly REGISTRY_PID_FILE="$RUN_DIR/registry.pid"
readonly REGISTRY_LOG="$LOG_DIR/registry.log"
readonly DOCKERD_LOG="$LOG_DIR/dockerd.log"
readonly DOCKERD_PID_FILE=/var/run/docker.pid # written by dockerd itself
readonly ENGINE_CA="/etc/docker/certs.d/$REGISTRY/ca.crt"
readonly PROXY_PORT=5444 # fault proxy of the reliability tests (src/test/java/fr/miweb/maven/frankenphp/faults/FaultProxy.java)
readonly PROXY_ENGINE_CA="/etc/docker/certs.d/$REGISTRY_HOST:$PROXY_PORT/ca.crt"
readonly SYSTEM_CA=/usr/local/share/ca-certificates/frankenphp-it-test-ca.crt
# The engine over TCP with mutual TLS (DOCKER_HOST=tcp://127.0.0.1:2376, DOCKER_TLS_VERIFY=1).
readonly ENGINE_TLS_PORT=2376
readonly ENGINE_TLS_DIR="$STATE_DIR/docker-tls"
readonly ENGINE_TLS_SERVER_PEM="$ENGINE_TLS_DIR/server.pem" # certificate + key, for stunnel
readonly ENGINE_TLS_CONF="$ENGINE_TLS_DIR/stunnel.conf"
readonly ENGINE_TLS_CLIENT_DIR="$ENGINE_TLS_DIR/client"     # DOCKER_CERT_PATH: ca.pem cert.pem key.pem
readonly ENGINE_TLS_PID_FILE="$RUN_DIR/engine-tls.pid"
readonly ENGINE_TLS_LOG="$LOG_DIR/engine-tls.log"
# The SSH "server" of the release goal's ssh:// engine connections (DOCKER_HOST=ssh://frankenphp-server).
readonly SSH_PORT=2201
readonly SSH_UNREACHABLE_PORT=2209 # nothing may listen there (alias frankenphp-server-unreachable)
readonly SSH_USER=deploy
readonly SSH_DIR="$STATE_DIR/ssh"
readonly SSHD_CONFIG="$SSH_DIR/sshd_config"
readonly SSH_HOST_KEY="$SSH_DIR/ssh_host_ed25519_key"
readonly SSH_DEPLOY_KEY="$SSH_DIR/id_ed25519_deploy"         # authorized for deploy
readonly SSH_WRONG_KEY="$SSH_DIR/id_ed25519_not_authorized" # authorized nowhere
readonly SSH_KNOWN_HOSTS="$SSH_DIR/known_hosts"             # [127.0.0.1]:2201 with the real host key
readonly SSH_EMPTY_KNOWN_HOSTS="$SSH_DIR/known_hosts_empty"
readonly SSH_CLIENT_CONFIG="$SSH_DIR/config" # the host aliases; included from /root/.ssh/config
readonly SSHD_PID_FILE="$RUN_DIR/sshd.pid"    # written by sshd itself (PidFile)
readonly SSHD_LOG="$LOG_DIR/sshd.log"
readonly SSH_INCLUDE_MARK="# frankenphp-maven-plugin ITs: managed by src/test/infra/setup.sh (host aliases frankenphp-server*)"

readonly BUSYBOX=/bin/busybox
readonly RECIPE_LABEL=fr.miweb.frankenphp-it.recipe-sha256
readonly RECIPE_FORMAT=1 # bump when the way setup.sh assembles a build context changes
# stand-in recipe directory (under images/) -> tag used by the rendered Dockerfile
readonly STANDINS=(
	"frankenphp-standin dunglas/frankenphp:1-php8.4-bookworm"
	"composer-standin composer:2"
)
readonly PACKAGES=(docker.io docker-registry docker-compose busybox-static apache2-utils
	openssl php-cli php-vlucas-phpdotenv curl jq ca-certificates git debootstrap socat stunnel4 openssh-server openssh-client wrk caddy)

readonly DOCKERD_START_TIMEOUT=90  # seconds
readonly REGISTRY_START_TIMEOUT=30 # seconds

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
readonly T0=$SECONDS

log() { printf '[setup %s +%ss] %s\n' "$(date -u +%H:%M:%S)" "$((SECONDS - T0))" "$*" >&2; }
die() {
	log "ERROR: $*"
	exit 1
}

CLEANUP_PATHS=()
cleanup() { if ((${#CLEANUP_PATHS[@]})); then rm -rf -- "${CLEANUP_PATHS[@]}"; fi; }
trap cleanup EXIT

[[ $(id -u) -eq 0 ]] || die "must run as root (it installs packages, edits /etc/hosts, starts daemons)"

# Starts a daemon detached from this script: its own session, stdin from /dev/null, stdout and
# stderr appended to LOG, and no other inherited descriptor (otherwise our lock, or a CI runner's
# output pipe, would stay open as long as the daemon lives). Sets DAEMON_PID.
DAEMON_PID=""
spawn_daemon() { # LOG COMMAND...
	local log="$1"
	shift
	(
		for fd in /proc/"$BASHPID"/fd/*; do
			fd="${fd##*/}"
			if ((fd > 2)); then eval "exec $fd>&-"; fi
		done
		# Not a process-group leader, so setsid execs in place: $! is the daemon's pid.
		exec setsid "$@" >>"$log" 2>&1 </dev/null
	) &
	DAEMON_PID=$!
}

# Waits until CHECK succeeds; dies with the last lines of LOG if PID exits first or TIMEOUT passes.
await_daemon() { # NAME PID LOG TIMEOUT CHECK...
	local name="$1" pid="$2" log_file="$3" timeout="$4"
	shift 4
	local deadline=$((SECONDS + timeout))
	until "$@"; do
		if ! running "$pid"; then
			log "$name exited; last lines of $log_file:"
			tail -n 30 "$log_file" >&2 || :
			die "$name did not start"
		fi
		if ((SECONDS >= deadline)); then
			log "last lines of $log_file:"
			tail -n 30 "$log_file" >&2 || :
			die "$name (pid $pid) did not answer within ${timeout}s"
		fi
		sleep 0.5
	done
}

# --------------------------------------------------------------------------------- packages
pkg_installed() { [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]; }

APT_UPDATED=0
apt_install() {
	export DEBIAN_FRONTEND=noninteractive
	if ((!APT_UPDATED)); then
		log "apt-get update"
		apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 -qq update
		APT_UPDATED=1
	fi
	log "apt-get install $*"
	apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 -qq -y --no-install-recommends \
		-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold install "$@" >/dev/null
}

install_packages() {
	local missing=() p
	for p in "${PACKAGES[@]}"; do
		pkg_installed "$p" || missing+=("$p")
	done
	# Recommends of docker.io that the engine needs on some machines (installed without
	# recommends to keep needrestart & co. away): apparmor when the kernel enforces AppArmor
	# (otherwise containers fail with "apparmor_parser: executable file not found").
	if [[ $(cat /sys/module/apparmor/parameters/enabled 2>/dev/null) == Y ]] && ! pkg_installed apparmor; then
		missing+=(apparmor)
	fi
	if [[ " ${missing[*]} " == *" openssh-server "* && ! -e /etc/ssh/sshd_not_to_be_run ]]; then
		# The package would start (and enable) the system sshd on port 22; ours runs on its own
		# port with its own configuration. This file keeps the init script, runit and systemd units
		# from starting the system one; only when this script installs the package.
		log "ssh: creating /etc/ssh/sshd_not_to_be_run (the system sshd stays stopped; ours listens on 127.0.0.1:$SSH_PORT)"
		mkdir -p /etc/ssh
		echo "Created by frankenphp-maven-plugin's src/test/infra/setup.sh, which installed openssh-server for its own sshd on 127.0.0.1:$SSH_PORT." \
			>/etc/ssh/sshd_not_to_be_run
	fi
	if ((${#missing[@]})); then
		apt_install "${missing[@]}"
	else
		log "packages: all present"
	fi
	[[ -x $BUSYBOX ]] || die "$BUSYBOX missing although busybox-static is installed"
}

# ----------------------------------------------------------------------------------- engine
docker_answers() { timeout 20 docker info --format '{{.ServerVersion}}' >/dev/null 2>&1; }

ensure_cgroups() {
	# Without systemd nothing mounts the cgroup hierarchies; docker.io recommends cgroupfs-mount.
	if [[ ! -d /run/systemd/system ]] && ! grep -q '^cgroup' /proc/mounts; then
		pkg_installed cgroupfs-mount || apt_install cgroupfs-mount
		log "mounting cgroups (cgroupfs-mount)"
		cgroupfs-mount
	fi
}

start_docker() {
	if docker_answers; then
		log "engine: answering"
		return
	fi
	if [[ -n ${DOCKER_HOST:-} && $DOCKER_HOST != unix:///var/run/docker.sock && $DOCKER_HOST != unix:///run/docker.sock ]]; then
		die "DOCKER_HOST=$DOCKER_HOST does not answer; not starting a local dockerd for it"
	fi
	mkdir -p "$LOG_DIR"
	local pid=""
	if [[ -s $DOCKERD_PID_FILE ]]; then
		pid="$(cat "$DOCKERD_PID_FILE")"
		[[ -r /proc/$pid/comm && $(cat "/proc/$pid/comm") == dockerd ]] || pid=""
	fi
	if [[ -n $pid ]]; then
		log "engine: dockerd (pid $pid) is running but not answering yet; waiting"
	else
		ensure_cgroups
		log "engine: starting dockerd in the background (log: $DOCKERD_LOG)"
		# If the machine uses an HTTP proxy, the engine must still reach the test registry directly.
		local no_proxy_list="${NO_PROXY:-${no_proxy:-}}"
		no_proxy_list="${no_proxy_list:+$no_proxy_list,}$REGISTRY_HOST,localhost,127.0.0.1"
		spawn_daemon "$DOCKERD_LOG" env NO_PROXY="$no_proxy_list" no_proxy="$no_proxy_list" dockerd
		pid=$DAEMON_PID
	fi
	await_daemon dockerd "$pid" "$DOCKERD_LOG" "$DOCKERD_START_TIMEOUT" docker_answers
	log "engine: up (pid $pid)"
}

# ------------------------------------------------------------------------------------ hosts
ensure_hosts_entry() {
	if ! grep -Eq "^[[:space:]]*127\.0\.0\.1[[:space:]]([^#]*[[:space:]])?${REGISTRY_HOST//./\\.}([[:space:]]|#|$)" /etc/hosts; then
		log "hosts: adding 127.0.0.1 $REGISTRY_HOST to /etc/hosts"
		# Append only (/etc/hosts may be a bind mount that cannot be replaced).
		if [[ -s /etc/hosts && -n $(tail -c 1 /etc/hosts) ]]; then echo >>/etc/hosts; fi
		printf '127.0.0.1\t%s\t# frankenphp-maven-plugin ITs\n' "$REGISTRY_HOST" >>/etc/hosts
	fi
	local resolved
	resolved="$(getent ahostsv4 "$REGISTRY_HOST" | awk 'NR == 1 { print $1 }')"
	[[ $resolved == 127.0.0.1 ]] || die "$REGISTRY_HOST resolves to '${resolved:-nothing}', not 127.0.0.1 (check /etc/hosts)"
}

# -------------------------------------------------------------------------------------- PKI
RESTART_REGISTRY=0
RESTART_ENGINE_TLS=0

generate_ca() {
	if [[ -s $CA_KEY && -s $CA_CRT ]]; then
		return
	fi
	[[ ! -e $CA_CRT ]] || die "$CA_CRT exists without its key $CA_KEY; refusing to replace a CA (remove both by hand)"
	log "pki: generating the test CA ($CA_CRT, 10 years)"
	local tmp
	tmp="$(mktemp -d)"
	CLEANUP_PATHS+=("$tmp")
	cat >"$tmp/ca.cnf" <<-'EOF'
		[req]
		distinguished_name = dn
		prompt = no
		x509_extensions = v3_ca
		[dn]
		O = frankenphp-maven-plugin integration tests
		CN = frankenphp-maven-plugin IT test CA
		[v3_ca]
		basicConstraints = critical, CA:TRUE, pathlen:0
		keyUsage = critical, keyCertSign, cRLSign
		subjectKeyIdentifier = hash
		authorityKeyIdentifier = keyid:always
	EOF
	(umask 077 && openssl req -x509 -new -config "$tmp/ca.cnf" -newkey rsa:4096 -nodes -sha256 -days 3650 \
		-keyout "$tmp/ca.key" -out "$tmp/ca.crt" 2>"$tmp/openssl.log") ||
		{ cat "$tmp/openssl.log" >&2; die "CA generation failed"; }
	install -m 0600 "$tmp/ca.key" "$CA_KEY"
	install -m 0644 "$tmp/ca.crt" "$CA_CRT"
}

# Issues a certificate from the test CA. Key and certificate are written as KEY and CRT.
issue_cert() { # CN EXTENDED_KEY_USAGE SUBJECT_ALT_NAME|"" KEY CRT
	local cn="$1" eku="$2" san="$3" key="$4" crt="$5" tmp
	tmp="$(mktemp -d)"
	CLEANUP_PATHS+=("$tmp")
	{
		echo "[v3_leaf]"
		echo "basicConstraints = critical, CA:FALSE"
		echo "keyUsage = critical, digitalSignature, keyEncipherment"
		echo "extendedKeyUsage = $eku"
		[[ -z $san ]] || echo "subjectAltName = $san"
		echo "subjectKeyIdentifier = hash"
		echo "authorityKeyIdentifier = keyid, issuer"
	} >"$tmp/leaf.cnf"
	(umask 077 &&
		openssl req -new -newkey rsa:2048 -nodes -sha256 -subj "/CN=$cn" \
			-keyout "$tmp/leaf.key" -out "$tmp/leaf.csr" 2>"$tmp/openssl.log" &&
		openssl x509 -req -in "$tmp/leaf.csr" -CA "$CA_CRT" -CAkey "$CA_KEY" \
			-set_serial "0x7$(openssl rand -hex 15)" -days 825 -sha256 \
			-extfile "$tmp/leaf.cnf" -extensions v3_leaf -out "$tmp/leaf.crt" 2>>"$tmp/openssl.log") ||
		{ cat "$tmp/openssl.log" >&2; die "issuing the certificate for $cn failed"; }
	install -D -m 0600 "$tmp/leaf.key" "$key"
	install -D -m 0644 "$tmp/leaf.crt" "$crt"
}

cert_valid() { # CRT: issued by the test CA and valid for 30 more days
	[[ -s $1 ]] && openssl verify -CAfile "$CA_CRT" "$1" >/dev/null 2>&1 &&
		openssl x509 -in "$1" -noout -checkend $((30 * 24 * 3600)) >/dev/null 2>&1
}

server_cert_ok() {
	[[ -s $SERVER_KEY ]] && cert_valid "$SERVER_CRT" || return 1
	[[ $(openssl x509 -in "$SERVER_CRT" -noout -ext subjectAltName 2>/dev/null) == *"DNS:$REGISTRY_HOST"* ]] || return 1
	[[ $(openssl x509 -in "$SERVER_CRT" -noout -pubkey) == "$(openssl pkey -in "$SERVER_KEY" -pubout)" ]] || return 1
}

generate_server_cert() {
	if server_cert_ok; then
		return
	fi
	log "pki: issuing the registry certificate ($SERVER_CRT, SAN DNS:$REGISTRY_HOST)"
	issue_cert "$REGISTRY_HOST" serverAuth "DNS:$REGISTRY_HOST, DNS:localhost, IP:127.0.0.1" "$SERVER_KEY" "$SERVER_CRT"
	server_cert_ok || die "the freshly issued $SERVER_CRT does not verify"
	RESTART_REGISTRY=1
}

install_ca() {
	if ! cmp -s "$CA_CRT" "$ENGINE_CA"; then
		log "pki: installing the CA for the engine ($ENGINE_CA)"
		install -D -m 0644 "$CA_CRT" "$ENGINE_CA"
	fi
	if ! cmp -s "$CA_CRT" "$SYSTEM_CA"; then
		log "pki: installing the CA in the system trust store ($SYSTEM_CA)"
		install -D -m 0644 "$CA_CRT" "$SYSTEM_CA"
		update-ca-certificates >/dev/null 2>&1 || die "update-ca-certificates failed"
	fi
	if ! cmp -s "$CA_CRT" "$PROXY_ENGINE_CA"; then
		log "pki: installing the CA for the fault proxy ($PROXY_ENGINE_CA)"
		install -D -m 0644 "$CA_CRT" "$PROXY_ENGINE_CA"
	fi
}

# Server and client certificates of the engine's TLS endpoint, laid out as the Docker CLI and
# docker-java expect them in DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem).
# What stunnel reads: a certificate from the test CA, valid for 30 more days, with its own key.
engine_tls_server_pem_ok() {
	cert_valid "$ENGINE_TLS_SERVER_PEM" &&
		[[ $(openssl x509 -in "$ENGINE_TLS_SERVER_PEM" -noout -pubkey) == "$(openssl pkey -in "$ENGINE_TLS_SERVER_PEM" -pubout 2>/dev/null)" ]]
}

generate_engine_tls_certs() {
	if ! engine_tls_server_pem_ok; then
		log "pki: issuing the engine TLS endpoint certificate (SAN IP:127.0.0.1, DNS:localhost)"
		issue_cert "frankenphp-it docker engine" serverAuth "IP:127.0.0.1, DNS:localhost" \
			"$ENGINE_TLS_DIR/server.key" "$ENGINE_TLS_DIR/server.crt"
		(umask 077 && cat "$ENGINE_TLS_DIR/server.crt" "$ENGINE_TLS_DIR/server.key" >"$ENGINE_TLS_SERVER_PEM.tmp")
		mv "$ENGINE_TLS_SERVER_PEM.tmp" "$ENGINE_TLS_SERVER_PEM"
		engine_tls_server_pem_ok || die "the freshly issued $ENGINE_TLS_SERVER_PEM does not verify"
		RESTART_ENGINE_TLS=1
	fi
	if ! cert_valid "$ENGINE_TLS_CLIENT_DIR/cert.pem" || ! cmp -s "$CA_CRT" "$ENGINE_TLS_CLIENT_DIR/ca.pem"; then
		log "pki: issuing the engine TLS client certificate ($ENGINE_TLS_CLIENT_DIR)"
		issue_cert "frankenphp-it client" clientAuth "" "$ENGINE_TLS_CLIENT_DIR/key.pem" "$ENGINE_TLS_CLIENT_DIR/cert.pem"
		install -m 0644 "$CA_CRT" "$ENGINE_TLS_CLIENT_DIR/ca.pem"
	fi
	chmod 0755 "$ENGINE_TLS_DIR" "$ENGINE_TLS_CLIENT_DIR"
}

# ------------------------------------------------------------------------------ credentials
ensure_credentials() {
	if [[ ! -s $PASSWORD_FILE ]]; then
		log "auth: generating a random registry password into $PASSWORD_FILE"
		(umask 077 && openssl rand -hex 24 | tr -d '\n' >"$PASSWORD_FILE.tmp")
		mv -f "$PASSWORD_FILE.tmp" "$PASSWORD_FILE"
	fi
	# Readable by root and by the docker group (members of which are root-equivalent anyway),
	# so that ITs run by a non-root developer in the docker group can read it too.
	chmod 0640 "$PASSWORD_FILE"
	if getent group docker >/dev/null; then chgrp docker "$PASSWORD_FILE"; fi

	# The same password as a Maven property for the pom (frankenphp.it.registryPassword, used by
	# src/it/settings.xml); rewritten only when it differs. builtins only: never in a process's argv.
	local password properties
	password="$(<"$PASSWORD_FILE")"
	properties="# Written by src/test/infra/setup.sh from $PASSWORD_FILE; do not edit."$'\n'
	properties+="frankenphp.it.registryPassword=$password"$'\n'
	if [[ ! -f $IT_PROPERTIES || $(<"$IT_PROPERTIES")$'\n' != "$properties" ]]; then
		log "auth: writing $IT_PROPERTIES"
		(umask 077 && printf '%s' "$properties" >"$IT_PROPERTIES.tmp")
		mv -f "$IT_PROPERTIES.tmp" "$IT_PROPERTIES"
	fi
	chmod 0640 "$IT_PROPERTIES"
	if getent group docker >/dev/null; then chgrp docker "$IT_PROPERTIES"; fi
	unset password properties

	if [[ -s $HTPASSWD_FILE ]] && htpasswd -v -i "$HTPASSWD_FILE" "$REGISTRY_USER" <"$PASSWORD_FILE" >/dev/null 2>&1; then
		return
	fi
	log "auth: writing $HTPASSWD_FILE (bcrypt) for user $REGISTRY_USER"
	(umask 077 && htpasswd -c -B -i "$HTPASSWD_FILE.tmp" "$REGISTRY_USER" <"$PASSWORD_FILE" >/dev/null 2>&1) ||
		die "htpasswd failed"
	mv -f "$HTPASSWD_FILE.tmp" "$HTPASSWD_FILE"
	RESTART_REGISTRY=1
}

# --------------------------------------------------------------------------------- registry
write_registry_config() {
	local tmp
	tmp="$(mktemp)"
	CLEANUP_PATHS+=("$tmp")
	cat >"$tmp" <<-EOF
		# Written by src/test/infra/setup.sh (frankenphp-maven-plugin ITs); rewritten when it changes.
		version: 0.1
		log:
		  level: info
		  formatter: text
		  fields:
		    service: frankenphp-it-registry
		storage:
		  filesystem:
		    rootdirectory: $REGISTRY_DATA
		  delete:
		    enabled: true
		  cache:
		    blobdescriptor: inmemory
		http:
		  addr: 127.0.0.1:$REGISTRY_PORT
		  host: https://$REGISTRY
		  tls:
		    certificate: $SERVER_CRT
		    key: $SERVER_KEY
		  headers:
		    X-Content-Type-Options: [nosniff]
		auth:
		  htpasswd:
		    realm: frankenphp-it
		    path: $HTPASSWD_FILE
		health:
		  storagedriver:
		    enabled: true
		    interval: 10s
		    threshold: 3
	EOF
	if ! cmp -s "$tmp" "$REGISTRY_CONFIG"; then
		log "registry: writing $REGISTRY_CONFIG"
		install -m 0644 "$tmp" "$REGISTRY_CONFIG"
		RESTART_REGISTRY=1
	fi
}

# Prints the pid of the registry started by this script, if it is alive.
registry_pid() {
	local pid cmdline
	[[ -s $REGISTRY_PID_FILE ]] || return 1
	pid="$(cat "$REGISTRY_PID_FILE")"
	[[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 1
	cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline")"
	[[ $cmdline == *"docker-registry serve $REGISTRY_CONFIG"* ]] || return 1
	echo "$pid"
}

# HTTP status of GET /v2/ (000 when nothing answers over TLS with our CA).
registry_status() {
	curl -s -o /dev/null -w '%{http_code}' --max-time 5 --noproxy '*' --cacert "$CA_CRT" \
		"https://$REGISTRY/v2/" 2>/dev/null || :
}

registry_answers() { [[ $(registry_status) == 401 ]]; }

# True while PID runs (a zombie, left by an init that does not reap, counts as stopped).
running() {
	local stat
	stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
	stat="${stat##*) }"
	[[ ${stat%% *} != [ZX] ]]
}

stop_daemon() {
	local pid="$1"
	kill "$pid" 2>/dev/null || return 0
	for _ in $(seq 1 50); do
		running "$pid" || return 0
		sleep 0.2
	done
	kill -KILL "$pid" 2>/dev/null || :
	for _ in $(seq 1 25); do
		running "$pid" || return 0
		sleep 0.2
	done
}

start_registry() {
	local pid status
	mkdir -p "$RUN_DIR" "$LOG_DIR" "$REGISTRY_DATA"
	if pid="$(registry_pid)"; then
		if ((RESTART_REGISTRY)); then
			log "registry: configuration changed; restarting (pid $pid)"
			stop_daemon "$pid"
		elif [[ $(registry_status) == 401 ]]; then
			log "registry: running (pid $pid)"
			return
		else
			log "registry: pid $pid does not answer; restarting it"
			stop_daemon "$pid"
		fi
	fi
	status="$(registry_status)"
	if [[ $status == 401 ]]; then
		log "registry: WARNING: https://$REGISTRY/ already answers but was not started by this script" \
			"(no live pid in $REGISTRY_PID_FILE); using it as is"
		return
	fi
	[[ $status == 000 ]] || die "something else answers on https://$REGISTRY/v2/ (HTTP $status)"

	log "registry: starting /usr/bin/docker-registry on 127.0.0.1:$REGISTRY_PORT (log: $REGISTRY_LOG)"
	# Clean environment: REGISTRY_* variables would override the configuration file.
	spawn_daemon "$REGISTRY_LOG" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		/usr/bin/docker-registry serve "$REGISTRY_CONFIG"
	pid=$DAEMON_PID
	echo "$pid" >"$REGISTRY_PID_FILE"
	# (A pid file left by a registry that exited is harmless: registry_pid checks the process.)
	await_daemon registry "$pid" "$REGISTRY_LOG" "$REGISTRY_START_TIMEOUT" registry_answers
	log "registry: up (pid $pid), https://$REGISTRY/v2/ answers 401"
}

verify_login() {
	local cfg out attempt
	cfg="$(mktemp -d)"
	CLEANUP_PATHS+=("$cfg")
	# A few attempts: the engine's resolver may still hold an /etc/hosts read from before the
	# entry existed (Go caches it for 5s), e.g. when an engine started outside this script.
	for attempt in 1 2 3 4; do
		if out="$(DOCKER_CONFIG="$cfg" docker login --username "$REGISTRY_USER" --password-stdin "$REGISTRY" <"$PASSWORD_FILE" 2>&1)"; then
			break
		fi
		if ((attempt == 4)); then
			printf '%s\n' "$out" >&2
			die "docker login $REGISTRY failed (registry log: $REGISTRY_LOG)"
		fi
		log "registry: docker login failed (attempt $attempt), retrying in 3s: ${out##*$'\n'}"
		sleep 3
	done
	DOCKER_CONFIG="$cfg" docker logout "$REGISTRY" >/dev/null 2>&1 || :
	rm -rf "$cfg"
	log "registry: docker login/logout $REGISTRY as $REGISTRY_USER: OK"
}

# ------------------------------------------------------------------------ engine over TLS
engine_tls_pid() {
	local pid
	[[ -s $ENGINE_TLS_PID_FILE ]] || return 1
	pid="$(cat "$ENGINE_TLS_PID_FILE")"
	[[ $pid =~ ^[0-9]+$ ]] && running "$pid" && [[ $(tr '\0' ' ' <"/proc/$pid/cmdline") == stunnel*"$ENGINE_TLS_CONF"* ]] || return 1
	echo "$pid"
}

engine_tls_answers() {
	timeout 20 docker --tlsverify --tlscacert "$ENGINE_TLS_CLIENT_DIR/ca.pem" --tlscert "$ENGINE_TLS_CLIENT_DIR/cert.pem" \
		--tlskey "$ENGINE_TLS_CLIENT_DIR/key.pem" -H "tcp://127.0.0.1:$ENGINE_TLS_PORT" version --format '{{.Server.APIVersion}}' >/dev/null 2>&1
}

start_engine_tls() {
	local pid
	if pid="$(engine_tls_pid)"; then
		if ((!RESTART_ENGINE_TLS)) && engine_tls_answers; then
			log "engine TLS endpoint: running (pid $pid)"
			return
		fi
		log "engine TLS endpoint: restarting (pid $pid)"
		stop_daemon "$pid"
	fi
	# Something else on the port (a stunnel or socat whose pid file was lost, a dind) would answer our checks.
	if (exec 3<>"/dev/tcp/127.0.0.1/$ENGINE_TLS_PORT") 2>/dev/null; then
		die "something not started by this script listens on 127.0.0.1:$ENGINE_TLS_PORT (no live pid in $ENGINE_TLS_PID_FILE); stop it first"
	fi
	log "engine TLS endpoint: starting stunnel on tcp://127.0.0.1:$ENGINE_TLS_PORT -> /var/run/docker.sock (log: $ENGINE_TLS_LOG)"
	# stunnel, not socat: socat's OpenSSL server has no session id context, so a client that resumes a
	# TLS session with its certificate (Java does, from the second connection) is refused; dockerd is not.
	# requireCert + CAfile: a client certificate issued by the test CA is required, as with dockerd --tlsverify.
	cat >"$ENGINE_TLS_CONF" <<-EOF
		foreground = yes
		pid =
		[docker]
		accept = 127.0.0.1:$ENGINE_TLS_PORT
		connect = /var/run/docker.sock
		cert = $ENGINE_TLS_SERVER_PEM
		CAfile = $CA_CRT
		requireCert = yes
		verifyChain = yes
	EOF
	spawn_daemon "$ENGINE_TLS_LOG" stunnel "$ENGINE_TLS_CONF"
	echo "$DAEMON_PID" >"$ENGINE_TLS_PID_FILE"
	await_daemon "the engine TLS endpoint (stunnel)" "$DAEMON_PID" "$ENGINE_TLS_LOG" 20 engine_tls_answers
	running "$DAEMON_PID" || die "stunnel exited although tcp://127.0.0.1:$ENGINE_TLS_PORT answers: another process holds the port"
	# As dockerd --tlsverify: a client without a certificate from the CA is refused.
	if curl -s -o /dev/null --max-time 5 --noproxy '*' --cacert "$CA_CRT" "https://127.0.0.1:$ENGINE_TLS_PORT/_ping"; then
		die "the engine TLS endpoint accepts a client without a certificate"
	fi
	log "engine TLS endpoint: up (pid $DAEMON_PID); docker --tlsverify -H tcp://127.0.0.1:$ENGINE_TLS_PORT version: OK; no client certificate: refused"
}

# ------------------------------------------------------------------------------ SSH server
# A dedicated sshd on 127.0.0.1:2201 (never the system one, never port 22) for the release goal's
# ssh:// engine connections, which run `ssh ... -- docker system dial-stdio` as the Docker CLI does.
RESTART_SSHD=0

# /var/run/docker.sock group docker and group-writable, as Debian's dockerd leaves it: the deploy
# user reaches the engine through the group.
ensure_docker_socket_group() {
	local sock=/var/run/docker.sock owner_group mode
	if ! getent group docker >/dev/null; then
		log "ssh: creating the system group docker"
		groupadd --system docker
	fi
	[[ -S $sock ]] || die "$sock is not a socket (the deploy user needs the local engine)"
	owner_group="$(stat -c %G "$sock")"
	mode="$(stat -c %a "$sock")"
	if [[ $owner_group != docker ]]; then
		log "ssh: $sock belongs to group $owner_group; setting group docker"
		chgrp docker "$sock"
	fi
	if (((8#$mode & 8#060) != 8#060)); then
		log "ssh: $sock mode $mode; making it group-writable"
		chmod g+rw "$sock"
	fi
}

ensure_deploy_user() {
	if ! getent passwd "$SSH_USER" >/dev/null; then
		log "ssh: creating the system user $SSH_USER (group docker, home /home/$SSH_USER)"
		useradd --system --create-home --home-dir "/home/$SSH_USER" --shell /bin/bash \
			--groups docker --comment "frankenphp-maven-plugin ITs, ssh engine access" "$SSH_USER"
	fi
	if ! id -nG "$SSH_USER" | tr ' ' '\n' | grep -qx docker; then
		log "ssh: adding $SSH_USER to the group docker"
		usermod -aG docker "$SSH_USER"
	fi
	local shell
	shell="$(getent passwd "$SSH_USER" | cut -d: -f7)"
	if [[ ! -x $shell || $shell == */nologin || $shell == */false ]]; then
		log "ssh: $SSH_USER had the shell '$shell'; setting /bin/bash (ssh runs commands through it)"
		usermod -s /bin/bash "$SSH_USER"
	fi
	# sshd without PAM refuses even key logins to a locked account ('!' password): no password
	# ('*') is not locked. Only the field's first character is looked at, never printed.
	if [[ $(getent shadow "$SSH_USER" | cut -d: -f2 | cut -c1) == '!' ]]; then
		log "ssh: unlocking $SSH_USER for key logins (password field '*': no password can match)"
		usermod -p '*' "$SSH_USER"
	fi
}

# Generates an ed25519 key pair KEY / KEY.pub unless a matching one is there. Returns 0 when it
# generated one.
ensure_ssh_key() { # KEY COMMENT
	local key="$1" comment="$2"
	if [[ -s $key && -s $key.pub ]] &&
		[[ $(ssh-keygen -y -f "$key" 2>/dev/null | cut -d' ' -f1,2) == "$(cut -d' ' -f1,2 <"$key.pub")" ]]; then
		return 1
	fi
	log "ssh: generating the ed25519 key pair $key (.pub)"
	rm -f "$key" "$key.pub"
	ssh-keygen -q -t ed25519 -N '' -C "$comment" -f "$key" </dev/null >/dev/null || die "ssh-keygen $key failed"
	chmod 0600 "$key"
	chmod 0644 "$key.pub"
	return 0
}

install_if_changed() { # CONTENT FILE MODE OWNER; returns 0 when it wrote FILE
	local content="$1" file="$2" mode="$3" owner="$4"
	if [[ -f $file && $(<"$file")$'\n' == "$content" ]]; then
		chmod "$mode" "$file"
		chown "$owner" "$file"
		return 1
	fi
	printf '%s' "$content" >"$file.tmp"
	chmod "$mode" "$file.tmp"
	chown "$owner" "$file.tmp"
	mv -f "$file.tmp" "$file"
	return 0
}

generate_ssh_files() {
	install -d -m 0755 "$SSH_DIR"
	if ensure_ssh_key "$SSH_HOST_KEY" "frankenphp-it sshd host key"; then RESTART_SSHD=1; fi
	ensure_ssh_key "$SSH_DEPLOY_KEY" "frankenphp-it deploy (authorized)" || :
	ensure_ssh_key "$SSH_WRONG_KEY" "frankenphp-it not authorized" || :

	# authorized_keys of deploy: exactly the deploy key (the other key must stay refused).
	local home group content
	home="$(getent passwd "$SSH_USER" | cut -d: -f6)"
	group="$(id -gn "$SSH_USER")"
	install -d -m 0700 -o "$SSH_USER" -g "$group" "$home/.ssh"
	content="$(cut -d' ' -f1,2 <"$SSH_DEPLOY_KEY.pub") frankenphp-it deploy (managed by src/test/infra/setup.sh)"$'\n'
	if install_if_changed "$content" "$home/.ssh/authorized_keys" 0600 "$SSH_USER:$group"; then
		log "ssh: wrote $home/.ssh/authorized_keys (the deploy key)"
	fi

	content="[127.0.0.1]:$SSH_PORT $(cut -d' ' -f1,2 <"$SSH_HOST_KEY.pub")"$'\n'
	if install_if_changed "$content" "$SSH_KNOWN_HOSTS" 0644 root:root; then
		log "ssh: wrote $SSH_KNOWN_HOSTS ([127.0.0.1]:$SSH_PORT)"
	fi
	if [[ -s $SSH_EMPTY_KNOWN_HOSTS ]]; then
		log "ssh: WARNING: $SSH_EMPTY_KNOWN_HOSTS was not empty (something accepted the host key into it); emptying it"
	fi
	: >"$SSH_EMPTY_KNOWN_HOSTS"
	chmod 0644 "$SSH_EMPTY_KNOWN_HOSTS"

	content="$(
		cat <<-CONF
			# Written by src/test/infra/setup.sh (frankenphp-maven-plugin ITs); rewritten when it changes.
			# A dedicated sshd, not the system one: loopback only, public keys only, user $SSH_USER only.
			Port $SSH_PORT
			ListenAddress 127.0.0.1:$SSH_PORT
			HostKey $SSH_HOST_KEY
			PidFile $SSHD_PID_FILE
			AuthorizedKeysFile .ssh/authorized_keys
			PubkeyAuthentication yes
			PasswordAuthentication no
			KbdInteractiveAuthentication no
			PermitRootLogin no
			AllowUsers $SSH_USER
			UsePAM no
			StrictModes yes
			X11Forwarding no
			PrintMotd no
			PrintLastLog no
			LoginGraceTime 30
			# Tests open connections in parallel (the default 10:30:100 drops some).
			MaxStartups 50:30:200
			LogLevel VERBOSE
		CONF
	)"$'\n'
	if install_if_changed "$content" "$SSHD_CONFIG" 0644 root:root; then
		log "ssh: wrote $SSHD_CONFIG"
		RESTART_SSHD=1
	fi

	alias_block() { # ALIAS PORT IDENTITY KNOWN_HOSTS COMMENT
		printf '\n# %s\nHost %s\n    HostName 127.0.0.1\n    Port %s\n    User %s\n    IdentityFile %s\n    IdentitiesOnly yes\n    UserKnownHostsFile %s\n' \
			"$5" "$1" "$2" "$SSH_USER" "$3" "$4"
	}
	content="# Written by src/test/infra/setup.sh (frankenphp-maven-plugin ITs); rewritten when it changes.
# Included from the top of /root/.ssh/config. Host aliases of the test sshd on 127.0.0.1:$SSH_PORT.
$(alias_block frankenphp-server "$SSH_PORT" "$SSH_DEPLOY_KEY" "$SSH_KNOWN_HOSTS" "works: deploy key, real host key")
$(alias_block frankenphp-server-unknown-hostkey "$SSH_PORT" "$SSH_DEPLOY_KEY" "$SSH_EMPTY_KNOWN_HOSTS" "fails with 'Host key verification failed.' (empty known_hosts)")
$(alias_block frankenphp-server-wrong-key "$SSH_PORT" "$SSH_WRONG_KEY" "$SSH_KNOWN_HOSTS" "fails with 'Permission denied (publickey).' (a key that is not authorized)")
$(alias_block frankenphp-server-unreachable "$SSH_UNREACHABLE_PORT" "$SSH_DEPLOY_KEY" "$SSH_KNOWN_HOSTS" "fails at once: nothing listens on 127.0.0.1:$SSH_UNREACHABLE_PORT")
"
	if install_if_changed "$content" "$SSH_CLIENT_CONFIG" 0644 root:root; then
		log "ssh: wrote $SSH_CLIENT_CONFIG (host aliases)"
	fi
}

# `Include <our config>` as the first lines of root's ~/.ssh/config (ssh takes ~ from the passwd
# entry, not $HOME), keeping whatever else the file has.
ensure_ssh_include() {
	local home cfg want tmp
	home="$(getent passwd root | cut -d: -f6)"
	install -d -m 0700 "$home/.ssh"
	cfg="$home/.ssh/config"
	if [[ -L $cfg ]]; then cfg="$(readlink -f "$cfg")"; fi
	want="$SSH_INCLUDE_MARK"$'\n'"Include $SSH_CLIENT_CONFIG"
	if [[ -f $cfg && $(head -n 2 "$cfg") == "$want" ]]; then
		return
	fi
	log "ssh: adding 'Include $SSH_CLIENT_CONFIG' at the top of $cfg"
	tmp="$(mktemp "$(dirname "$cfg")/.config.frankenphp-it.XXXXXX")"
	CLEANUP_PATHS+=("$tmp")
	{
		printf '%s\n\n' "$want"
		if [[ -f $cfg ]]; then grep -vxF -e "$SSH_INCLUDE_MARK" -e "Include $SSH_CLIENT_CONFIG" "$cfg" || :; fi
	} >"$tmp"
	if [[ -f $cfg ]]; then
		chmod --reference="$cfg" "$tmp"
		chown --reference="$cfg" "$tmp"
	else
		chmod 0600 "$tmp"
	fi
	mv -f "$tmp" "$cfg"
}

sshd_pid() {
	local pid
	[[ -s $SSHD_PID_FILE ]] || return 1
	pid="$(cat "$SSHD_PID_FILE")"
	# The listener's title is "sshd: /usr/sbin/sshd -D -e -f <config> [listener] ...".
	[[ $pid =~ ^[0-9]+$ ]] && running "$pid" && [[ $(tr '\0' ' ' <"/proc/$pid/cmdline") == *sshd*"-f $SSHD_CONFIG"* ]] || return 1
	echo "$pid"
}

# ssh with only our alias file (-F: neither ~/.ssh/config nor /etc/ssh/ssh_config), non-interactive.
ssh_alias() { # ALIAS COMMAND...
	timeout 20 ssh -F "$SSH_CLIENT_CONFIG" -o BatchMode=yes -o ConnectTimeout=5 "$@" </dev/null
}

sshd_answers() { ssh_alias frankenphp-server true >/dev/null 2>&1; }

port_listens() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_sshd() {
	local pid out
	mkdir -p "$RUN_DIR" "$LOG_DIR"
	install -d -m 0755 /run/sshd # privilege separation directory
	out="$(/usr/sbin/sshd -t -f "$SSHD_CONFIG" 2>&1)" || {
		printf '%s\n' "$out" >&2
		die "sshd -t -f $SSHD_CONFIG: invalid configuration"
	}
	if pid="$(sshd_pid)"; then
		if ((!RESTART_SSHD)) && sshd_answers; then
			log "sshd: running (pid $pid) on 127.0.0.1:$SSH_PORT"
		else
			log "sshd: restarting (pid $pid; configuration or host key changed, or it does not answer)"
			stop_daemon "$pid"
			pid=""
		fi
	fi
	if [[ -z $pid ]]; then
		if port_listens "$SSH_PORT"; then
			die "something not started by this script listens on 127.0.0.1:$SSH_PORT (no live sshd in $SSHD_PID_FILE); stop it first"
		fi
		log "sshd: starting /usr/sbin/sshd -f $SSHD_CONFIG on 127.0.0.1:$SSH_PORT (log: $SSHD_LOG)"
		spawn_daemon "$SSHD_LOG" /usr/sbin/sshd -D -e -f "$SSHD_CONFIG"
		echo "$DAEMON_PID" >"$SSHD_PID_FILE"
		await_daemon sshd "$DAEMON_PID" "$SSHD_LOG" 20 sshd_answers
		running "$DAEMON_PID" || die "sshd exited although 127.0.0.1:$SSH_PORT answers: another process holds the port"
		log "sshd: up (pid $DAEMON_PID)"
	fi
	port_listens "$SSH_UNREACHABLE_PORT" &&
		die "something listens on 127.0.0.1:$SSH_UNREACHABLE_PORT, which the alias frankenphp-server-unreachable needs unused"

	# What the ITs rely on, checked every run.
	out="$(ssh_alias frankenphp-server-wrong-key true 2>&1)" && die "sshd accepted the key that is not authorized"
	[[ $out == *"Permission denied (publickey)"* ]] || die "frankenphp-server-wrong-key: expected 'Permission denied (publickey)', got: $out"
	out="$(ssh_alias frankenphp-server-unknown-hostkey true 2>&1)" && die "ssh accepted an unknown host key"
	[[ $out == *"Host key verification failed"* ]] || die "frankenphp-server-unknown-hostkey: expected 'Host key verification failed', got: $out"
	out="$(ssh_alias frankenphp-server-unreachable true 2>&1)" && die "frankenphp-server-unreachable answered"
	[[ $out == *"Connection refused"* ]] || die "frankenphp-server-unreachable: expected 'Connection refused', got: $out"
	# Through root's own ~/.ssh/config, as the Docker CLI (and the release goal) run ssh.
	out="$(timeout 30 env -u DOCKER_CONTEXT -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH DOCKER_HOST=ssh://frankenphp-server \
		docker version --format '{{.Server.Version}}' 2>&1 </dev/null)" ||
		die "DOCKER_HOST=ssh://frankenphp-server docker version failed: $out (sshd log: $SSHD_LOG)"
	log "sshd: DOCKER_HOST=ssh://frankenphp-server docker version: engine $out; wrong key, unknown host key, unreachable port: refused as expected"
}

# ------------------------------------------------------------------------------- stand-ins
recipe_hash() { # recipe directory
	{
		echo "recipe-format $RECIPE_FORMAT"
		(cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
		echo "busybox $(sha256sum <"$BUSYBOX")"
	} | sha256sum | cut -d' ' -f1
}

build_standin() { # recipe name, image tag
	local name="$1" tag="$2" dir="$SCRIPT_DIR/images/$1" hash current ctx old_id new_id
	[[ -f $dir/Dockerfile ]] || die "missing recipe $dir/Dockerfile"
	hash="$(recipe_hash "$dir")"
	current="$(docker image inspect --format "{{ index .Config.Labels \"$RECIPE_LABEL\" }}" "$tag" 2>/dev/null || :)"
	if [[ $current == "$hash" ]]; then
		log "images: $tag is up to date (recipe ${hash:0:12})"
		return
	fi
	old_id="$(docker image inspect --format '{{.Id}}' "$tag" 2>/dev/null || :)"
	if [[ -n $old_id && ( -z $current || $current == "<no value>" ) ]]; then
		log "images: WARNING: $tag exists and is not a stand-in; re-tagging it to the stand-in"
		old_id="" # not ours: leave it alone
	fi
	log "images: building $tag from images/$name (recipe ${hash:0:12}, log: $LOG_DIR/build-$name.log)"
	ctx="$(mktemp -d)"
	CLEANUP_PATHS+=("$ctx")
	cp -R "$dir/." "$ctx/"
	cp "$BUSYBOX" "$ctx/busybox"
	if ! DOCKER_BUILDKIT=0 docker build --force-rm \
		--label "$RECIPE_LABEL=$hash" --label "fr.miweb.frankenphp-it.standin=$name" \
		-t "$tag" "$ctx" >"$LOG_DIR/build-$name.log" 2>&1; then
		tail -n 30 "$LOG_DIR/build-$name.log" >&2 || :
		die "building the $name stand-in failed"
	fi
	rm -rf "$ctx"
	# Drop the previous build of this stand-in unless something still uses or tags it.
	new_id="$(docker image inspect --format '{{.Id}}' "$tag")"
	if [[ -n $old_id && $old_id != "$new_id" ]]; then
		docker image rm "$old_id" >/dev/null 2>&1 || :
	fi
}

# ------------------------------------------------------------------------------------- main
main() {
	mkdir -p "$STATE_DIR" "$LOG_DIR" "$RUN_DIR"
	chmod 0755 "$STATE_DIR"
	# One setup at a time (concurrent CI jobs on one machine, or a double invocation).
	exec 9>"$RUN_DIR/setup.flock"
	flock -w 600 9 || die "another setup.sh is still running (lock $RUN_DIR/setup.flock)"

	log "frankenphp-maven-plugin IT infrastructure setup"
	install_packages
	# Before the engine starts: Go programs (dockerd) cache /etc/hosts for a few seconds, so a
	# daemon started just before the entry is added may not resolve the registry at once.
	ensure_hosts_entry
	start_docker
	generate_ca
	generate_server_cert
	install_ca
	ensure_credentials
	write_registry_config
	start_registry
	verify_login
	generate_engine_tls_certs
	start_engine_tls
	ensure_docker_socket_group
	ensure_deploy_user
	generate_ssh_files
	ensure_ssh_include
	start_sshd

	local entry
	for entry in "${STANDINS[@]}"; do
		# shellcheck disable=SC2086 # "name tag" pairs
		build_standin $entry
	done

	local engine tag
	engine="$(docker info --format '{{.ServerVersion}}')"
	echo
	echo "frankenphp-maven-plugin IT infrastructure ready in $((SECONDS - T0))s"
	echo "  engine:         Docker $engine ($(command -v docker), API $(docker version --format '{{.Server.APIVersion}}'))"
	echo "  registry:       https://$REGISTRY (user $REGISTRY_USER, pid $(cat "$REGISTRY_PID_FILE" 2>/dev/null || echo '?'))"
	echo "  password file:  $PASSWORD_FILE (also as a Maven property in $IT_PROPERTIES)"
	echo "  CA:             $CA_CRT (engine: $ENGINE_CA)"
	echo "  engine TLS:     tcp://127.0.0.1:$ENGINE_TLS_PORT (DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$ENGINE_TLS_CLIENT_DIR)"
	echo "  ssh:            DOCKER_HOST=ssh://frankenphp-server -> sshd 127.0.0.1:$SSH_PORT (user $SSH_USER, pid $(cat "$SSHD_PID_FILE" 2>/dev/null || echo '?')); aliases in $SSH_CLIENT_CONFIG"
	echo "  images:"
	for entry in "${STANDINS[@]}"; do
		tag="${entry#* }"
		echo "    $(docker image inspect --format '{{.Id}}' "$tag" | cut -c8-19)  $tag  (stand-in: src/test/infra/images/${entry%% *})"
	done
}

main "$@"
