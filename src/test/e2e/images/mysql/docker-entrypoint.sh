#!/bin/bash
# END-TO-END TEST STAND-IN for the official mysql image's docker-entrypoint.sh (frankenphp-maven-plugin),
# on Debian's MariaDB. On the first start (no /var/lib/mysql/mysql), it:
#   1. requires MYSQL_ROOT_PASSWORD (or MYSQL_ALLOW_EMPTY_PASSWORD=yes), as the real one does;
#   2. creates the system tables (mariadb-install-db);
#   3. starts a temporary server that listens on the socket only (--skip-networking), so that a
#      health check over TCP fails until initialisation is over;
#   4. sets the root password (root@localhost and root@%), creates MYSQL_DATABASE and MYSQL_USER
#      (with MYSQL_PASSWORD and all privileges on MYSQL_DATABASE), runs /docker-entrypoint-initdb.d/*.sql;
#   5. stops the temporary server.
# Then (and on every later start) it execs the real server, listening on TCP 3306, as PID 1.
set -euo pipefail

DATADIR=/var/lib/mysql
SOCKET=/run/mysqld/mysqld.sock

log() { printf '%s [Entrypoint]: %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S+00:00')" "$*"; }
die() {
	log "ERROR: $*" >&2
	exit 1
}

# SQL string literal and identifier quoting (MariaDB's default sql_mode: backslash escapes).
sql_string() {
	local s="${1//\\/\\\\}"
	printf "'%s'" "${s//\'/\\\'}"
}
sql_ident() { printf '`%s`' "${1//\`/\`\`}"; }

temp_server_pid=""
client_config=""
cleanup() {
	[[ -z $client_config ]] || rm -f "$client_config"
	if [[ -n $temp_server_pid ]] && kill -0 "$temp_server_pid" 2>/dev/null; then
		kill "$temp_server_pid" 2>/dev/null || :
		wait "$temp_server_pid" 2>/dev/null || :
	fi
}

initialise() {
	if [[ -z ${MYSQL_ROOT_PASSWORD:-} && ${MYSQL_ALLOW_EMPTY_PASSWORD:-} != yes ]]; then
		die "Database is uninitialized and password option is not specified
    You need to specify one of the following as an environment variable:
    - MYSQL_ROOT_PASSWORD
    - MYSQL_ALLOW_EMPTY_PASSWORD"
	fi
	trap cleanup EXIT
	log "Initializing database files"
	mariadb-install-db --user=mysql --datadir="$DATADIR" --auth-root-authentication-method=normal \
		--skip-test-db --skip-name-resolve >/dev/null
	log "Database files initialized"

	log "Starting temporary server"
	mariadbd --user=mysql --datadir="$DATADIR" --skip-networking --socket="$SOCKET" &
	temp_server_pid=$!
	local i
	for ((i = 0; i < 60; i++)); do
		if mariadb-admin --protocol=socket --socket="$SOCKET" -uroot ping --silent >/dev/null 2>&1; then
			break
		fi
		kill -0 "$temp_server_pid" 2>/dev/null || die "the temporary server exited"
		sleep 1
	done
	((i < 60)) || die "the temporary server did not start within 60s"
	log "Temporary server started."

	client_config="$(mktemp)"
	printf '[client]\nuser=root\nprotocol=socket\nsocket=%s\n' "$SOCKET" >"$client_config"

	local sql="" root_pw
	root_pw="$(sql_string "${MYSQL_ROOT_PASSWORD:-}")"
	# No anonymous accounts (they would shadow MYSQL_USER for local connections).
	sql+="DELETE FROM mysql.global_priv WHERE User = '';"
	# Nor root@<container hostname>, which mariadb-install-db adds.
	sql+="DELETE FROM mysql.global_priv WHERE User = 'root' AND Host NOT IN ('localhost', '127.0.0.1', '::1');"
	sql+="DELETE FROM mysql.proxies_priv WHERE Host NOT IN ('localhost', '');"
	sql+="ALTER USER 'root'@'localhost' IDENTIFIED BY $root_pw;"
	sql+="CREATE USER 'root'@'%' IDENTIFIED BY $root_pw;"
	sql+="GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
	if [[ -n ${MYSQL_DATABASE:-} ]]; then
		log "Creating database ${MYSQL_DATABASE}"
		sql+="CREATE DATABASE IF NOT EXISTS $(sql_ident "$MYSQL_DATABASE");"
	fi
	if [[ -n ${MYSQL_USER:-} && -n ${MYSQL_PASSWORD:-} ]]; then
		[[ $MYSQL_USER != root ]] || die "MYSQL_USER=\"root\", MYSQL_USER and MYSQL_PASSWORD are for configuring a regular user and cannot be used for the root user"
		log "Creating user ${MYSQL_USER}"
		sql+="CREATE USER $(sql_string "$MYSQL_USER")@'%' IDENTIFIED BY $(sql_string "$MYSQL_PASSWORD");"
		if [[ -n ${MYSQL_DATABASE:-} ]]; then
			log "Giving user ${MYSQL_USER} access to schema ${MYSQL_DATABASE}"
			sql+="GRANT ALL ON $(sql_ident "${MYSQL_DATABASE//_/\\_}").* TO $(sql_string "$MYSQL_USER")@'%';"
		fi
	fi
	sql+="FLUSH PRIVILEGES;"
	mariadb --defaults-extra-file="$client_config" <<<"$sql"
	# From now on root needs its password.
	printf 'password=%s\n' "${MYSQL_ROOT_PASSWORD:-}" >>"$client_config"

	local f
	for f in /docker-entrypoint-initdb.d/*; do
		case "$f" in
			*.sql)
				log "running $f"
				mariadb --defaults-extra-file="$client_config" ${MYSQL_DATABASE:+"$MYSQL_DATABASE"} <"$f"
				;;
			*.sh)
				log "running $f"
				# shellcheck disable=SC1090
				. "$f"
				;;
			*) [[ ! -e $f ]] || log "ignoring $f" ;;
		esac
	done

	log "Stopping temporary server"
	mariadb-admin --defaults-extra-file="$client_config" shutdown
	wait "$temp_server_pid" || :
	temp_server_pid=""
	rm -f "$client_config"
	client_config=""
	trap - EXIT
	log "Temporary server stopped"
	echo
	log "MySQL init process done. Ready for start up."
	echo
}

if [[ ${1:0:1} == - ]]; then
	set -- mariadbd "$@"
fi

if [[ $1 == mariadbd || $1 == mysqld ]]; then
	mkdir -p /run/mysqld
	chown mysql:mysql /run/mysqld "$DATADIR"
	if [[ ! -d $DATADIR/mysql ]]; then
		initialise
	else
		log "Database directory appears to contain a database; skipping initialization"
	fi
	shift
	exec mariadbd --user=mysql "$@"
fi

exec "$@"
