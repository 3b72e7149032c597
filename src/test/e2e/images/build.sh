#!/usr/bin/env bash
# Builds the offline stand-in images of the end-to-end test (src/test/e2e/run.sh), from Debian
# packages, because no public image registry is reachable from CI:
#
#   frankenphp-e2e/php:8.2        stands in for dunglas/frankenphp: real PHP 8.2 CLI (Debian), the
#                                 MySQL PDO driver, Debian's composer, curl, setcap, useradd, an
#                                 install-php-extensions that installs php8.2-* packages, and
#                                 /usr/local/bin/frankenphp: a copy of the php binary (an ELF, so
#                                 setcap works on it); /data/caddy and /config/caddy.
#   frankenphp-e2e/php-laravel:8.2  the PHP stand-in plus Debian's Laravel 8.83 (php-laravel-framework,
#                                 mbstring, xml) under /usr/share/php: the e2e fixture's base image. Its
#                                 packages are installed by its Dockerfile, from the same mirror.
#   frankenphp-e2e/composer:2     stands in for composer:2 (/usr/bin/composer is Debian's launcher,
#                                 which needs Debian's composer library: the php stand-in has it).
#   frankenphp-e2e/mysql:8.0      stands in for mysql:8.0: Debian's MariaDB 10.11 with an entrypoint
#                                 that honours MYSQL_ROOT_PASSWORD, MYSQL_DATABASE, MYSQL_USER and
#                                 MYSQL_PASSWORD like the official image.
#   caddy:2                       stands in for caddy:2 (the release goal's reverse proxy): Debian's
#                                 Caddy 2.6 laid out like the official image (/usr/bin/caddy,
#                                 /etc/caddy/Caddyfile, /config, /data, WORKDIR /srv, same CMD), with
#                                 /bin/sh and wget for `wget -qO- http://localhost:2019/...`.
#
# Each root filesystem comes from `debootstrap --variant=minbase bookworm` against the Debian mirror
# apt already uses (read from /etc/apt/sources.list{,.d/*}; E2E_DEBIAN_MIRROR overrides it), is
# imported with `docker import` as frankenphp-e2e/rootfs-<name>:<hash>, then finished by the
# Dockerfile in <name>/ (classic builder; nothing is downloaded at that stage).
#
# Cached between runs: every image carries the hash of its recipe in the label
# fr.miweb.frankenphp-e2e.recipe-sha256 and is not rebuilt while the hash matches. The root
# filesystems are cached too (their hash covers only the package list, the suite and the mirror),
# so editing a Dockerfile or a script does not re-run debootstrap. --force rebuilds everything.
#
# Needs root, debootstrap and a Docker engine. The tags are distinct from the busybox stand-ins of
# src/test/infra/setup.sh (dunglas/frankenphp:1-php8.4-bookworm, composer:2): both coexist. The
# Caddy stand-in is tagged caddy:2 itself (E2E_CADDY_IMAGE overrides it): setup.sh has no Caddy.
set -euo pipefail

readonly SUITE=bookworm
readonly LABEL=fr.miweb.frankenphp-e2e.recipe-sha256
readonly ROOTFS_LABEL=fr.miweb.frankenphp-e2e.rootfs-sha256
readonly RECIPE_FORMAT=1 # bump when the way this script assembles an image changes
readonly PHP_TAG=${E2E_PHP_IMAGE:-frankenphp-e2e/php:8.2}
readonly PHP_LARAVEL_TAG=${E2E_PHP_LARAVEL_IMAGE:-frankenphp-e2e/php-laravel:8.2}
readonly COMPOSER_TAG=${E2E_COMPOSER_IMAGE:-frankenphp-e2e/composer:2}
readonly MYSQL_TAG=${E2E_MYSQL_IMAGE:-frankenphp-e2e/mysql:8.0}
readonly CADDY_TAG=${E2E_CADDY_IMAGE:-caddy:2}
readonly CACHE_DIR=${E2E_CACHE_DIR:-/var/cache/frankenphp-e2e}
readonly LOG_DIR=${E2E_LOG_DIR:-/var/log/frankenphp-e2e}
readonly LOCK=/run/frankenphp-e2e-images.lock

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
readonly T0=$SECONDS
FORCE=0
[[ ${1:-} == --force ]] && FORCE=1

log() { printf '[e2e-images %s +%ss] %s\n' "$(date -u +%H:%M:%S)" "$((SECONDS - T0))" "$*" >&2; }
die() {
	log "ERROR: $*"
	exit 1
}

WORK_DIRS=()
cleanup() {
	local d
	for d in "${WORK_DIRS[@]}"; do
		# debootstrap may leave /proc or /sys mounted in the target when it fails.
		umount -l "$d/rootfs/proc" "$d/rootfs/sys" 2>/dev/null || :
		rm -rf -- "$d"
	done
}
trap cleanup EXIT

[[ $(id -u) -eq 0 ]] || die "must run as root (debootstrap)"
command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install debootstrap)"
docker info >/dev/null 2>&1 || die "no Docker engine answers \`docker info\` (run src/test/infra/setup.sh)"

# The Debian mirror apt uses for $SUITE: one-line (.list) or deb822 (.sources) format.
detect_mirror() {
	if [[ -n ${E2E_DEBIAN_MIRROR:-} ]]; then
		echo "$E2E_DEBIAN_MIRROR"
		return
	fi
	local f uri
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[[ -r $f ]] || continue
		uri="$(sed -E 's/\[[^]]*\]//' "$f" | awk -v s="$SUITE" '$1 == "deb" && $3 == s && $2 !~ /security/ { print $2; exit }')"
		if [[ -n $uri ]]; then
			echo "${uri%/}"
			return
		fi
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[[ -r $f ]] || continue
		uri="$(awk -v s="$SUITE" '
			function flush() {
				if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " s " ") && enabled != "no" && uris !~ /security/ && found == "") {
					split(uris, u, " "); found = u[1]
				}
				types = ""; suites = ""; uris = ""; enabled = ""
			}
			/^[ \t]*$/ { flush(); next }
			/^#/ { next }
			tolower($1) == "types:"   { $1 = ""; types = $0; sub(/^ +/, "", types) }
			tolower($1) == "suites:"  { $1 = ""; suites = $0; sub(/^ +/, "", suites) }
			tolower($1) == "uris:"    { $1 = ""; uris = $0; sub(/^ +/, "", uris) }
			tolower($1) == "enabled:" { enabled = tolower($2) }
			END { flush(); print found }' "$f")"
		if [[ -n $uri ]]; then
			echo "${uri%/}"
			return
		fi
	done
	die "no '$SUITE' Debian mirror in /etc/apt/sources.list{,.d/*}; set E2E_DEBIAN_MIRROR"
}

hash_files() { # FILE... -> sha256 of names and contents
	local f
	for f in "$@"; do
		printf '%s %s\n' "${f#"$SCRIPT_DIR"/}" "$(sha256sum <"$f" | cut -d' ' -f1)"
	done | sha256sum | cut -d' ' -f1
}

label_of() { # IMAGE LABEL
	docker image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || :
}

# Builds frankenphp-e2e/rootfs-NAME:HASH with debootstrap unless it exists; prints its tag.
rootfs() { # NAME
	local name="$1" packages hash tag work
	packages="$(grep -v '^[[:space:]]*#' "$SCRIPT_DIR/$name/packages" | xargs | tr ' ' ',')"
	hash="$(printf 'format %s\nsuite %s\nmirror %s\nvariant minbase\npackages %s\n' \
		"$RECIPE_FORMAT" "$SUITE" "$MIRROR" "$packages" | sha256sum | cut -d' ' -f1)"
	tag="frankenphp-e2e/rootfs-$name:${hash:0:16}"
	if ((!FORCE)) && [[ $(label_of "$tag" "$ROOTFS_LABEL") == "$hash" ]]; then
		log "rootfs $name: cached ($tag)"
		echo "$tag"
		return
	fi
	work="$(mktemp -d /var/tmp/frankenphp-e2e-rootfs.XXXXXX)"
	WORK_DIRS+=("$work")
	# One package cache per root filesystem: concurrent debootstraps must not share one.
	mkdir -p "$CACHE_DIR/debs-$name" "$LOG_DIR"
	log "rootfs $name: debootstrap --variant=minbase $SUITE $MIRROR (+ $packages; log: $LOG_DIR/debootstrap-$name.log)"
	if ! debootstrap --variant=minbase --include="$packages" --cache-dir="$CACHE_DIR/debs-$name" \
		"$SUITE" "$work/rootfs" "$MIRROR" >"$LOG_DIR/debootstrap-$name.log" 2>&1; then
		tail -n 30 "$LOG_DIR/debootstrap-$name.log" >&2
		[[ ! -f $work/rootfs/debootstrap/debootstrap.log ]] || tail -n 30 "$work/rootfs/debootstrap/debootstrap.log" >&2
		die "debootstrap of the $name root filesystem failed"
	fi
	log "rootfs $name: docker import as $tag"
	# Package lists and caches are left out, as in Debian's official images.
	tar --numeric-owner --xattrs --xattrs-include='*' -C "$work/rootfs" \
		--exclude='./var/lib/apt/lists/*' --exclude='./var/cache/apt/*' \
		--exclude='./proc/*' --exclude='./sys/*' --exclude='./debootstrap' -c . |
		docker import --change "LABEL $ROOTFS_LABEL=$hash" \
			--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
			--change 'CMD ["bash"]' - "$tag" >/dev/null
	rm -rf -- "$work"
	# Older root filesystems of this name are no longer needed.
	docker image ls --format '{{.Repository}}:{{.Tag}}' "frankenphp-e2e/rootfs-$name" |
		grep -vxF "$tag" | xargs -r docker rmi >/dev/null 2>&1 || :
	echo "$tag"
}

build_image() { # NAME TAG FROM [EXTRA_HASH]
	local name="$1" tag="$2" from="$3" extra="${4:-}" dir="$SCRIPT_DIR/$1" hash files
	mapfile -t files < <(find "$dir" -type f | LC_ALL=C sort)
	hash="$(printf 'format %s\nfrom %s %s\nrecipe %s\nbuild %s\n' "$RECIPE_FORMAT" "$from" "$extra" \
		"$(hash_files "${files[@]}")" "$(hash_files "$SCRIPT_DIR/build.sh")" | sha256sum | cut -d' ' -f1)"
	if ((!FORCE)) && [[ $(label_of "$tag" "$LABEL") == "$hash" ]]; then
		log "$tag: up to date (recipe ${hash:0:12})"
		BUILT_HASH=$hash
		return
	fi
	log "$tag: building from $name/ on $from (recipe ${hash:0:12}; log: $LOG_DIR/build-$name.log)"
	mkdir -p "$LOG_DIR"
	if ! DOCKER_BUILDKIT=0 docker build --force-rm --build-arg "FROM_IMAGE=$from" \
		--label "$LABEL=$hash" --label "fr.miweb.frankenphp-e2e.standin=$name" \
		-t "$tag" "$dir" >"$LOG_DIR/build-$name.log" 2>&1; then
		tail -n 30 "$LOG_DIR/build-$name.log" >&2
		die "building $tag failed"
	fi
	docker image prune --force --filter "label=fr.miweb.frankenphp-e2e.standin=$name" >/dev/null 2>&1 || :
	BUILT_HASH=$hash
}

main() {
	mkdir -p "$(dirname "$LOCK")"
	exec 9>"$LOCK"
	flock -w 1800 9 || die "another build.sh holds $LOCK"
	MIRROR="$(detect_mirror)"
	readonly MIRROR
	log "Debian mirror: $MIRROR ($SUITE)"

	# The debootstraps run side by side (they mostly wait on the network and dpkg).
	local names=(php mysql caddy) i
	local -a pids outs
	local -A rootfs_of
	for i in "${!names[@]}"; do
		outs[i]="$(mktemp)"
		(
			trap cleanup EXIT
			rootfs "${names[i]}"
		) >"${outs[i]}" &
		pids[i]=$!
	done
	WORK_DIRS+=("${outs[@]}") # after the forks: a subshell cleans up only its own work
	local failed=()
	for i in "${!names[@]}"; do
		wait "${pids[i]}" || failed+=("${names[i]}")
	done
	((${#failed[@]} == 0)) || die "root filesystem(s) failed: ${failed[*]}"
	for i in "${!names[@]}"; do
		rootfs_of[${names[i]}]="$(cat "${outs[i]}")"
	done

	build_image php "$PHP_TAG" "${rootfs_of[php]}"
	local php_hash=$BUILT_HASH
	build_image composer "$COMPOSER_TAG" "$PHP_TAG" "$php_hash"
	build_image php-laravel "$PHP_LARAVEL_TAG" "$PHP_TAG" "$php_hash"
	build_image mysql "$MYSQL_TAG" "${rootfs_of[mysql]}"
	build_image caddy "$CADDY_TAG" "${rootfs_of[caddy]}"

	log "stand-ins ready in $((SECONDS - T0))s:"
	local t
	for t in "$PHP_TAG" "$PHP_LARAVEL_TAG" "$COMPOSER_TAG" "$MYSQL_TAG" "$CADDY_TAG"; do
		printf '    %s  %s\n' "$(docker image inspect --format '{{.Id}}' "$t" | cut -c8-19)" "$t" >&2
	done
}

main "$@"
