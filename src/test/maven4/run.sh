#!/usr/bin/env bash
# The plugin under Maven 4 (issue 11, item 12): the bundled sample's generate-resources and package,
# and one configuration failure, each run with Maven 4. The run fails on any warning line, any SLF4J
# line and any stack trace in Maven's output: under Maven 4 these came from the plugin's logging
# set-up (25 "Using deprecated property org.slf4j.simpleLogger..." lines per package).
#
# Needs the plugin in ~/.m2 (installed here unless MAVEN4_SKIP_PLUGIN_INSTALL=1) and, for package,
# the engine and stand-in images of src/test/infra/setup.sh. Maven 4 itself is fetched once from
# Maven Central, checked against Central's SHA-512, and cached.
#   MAVEN4_VERSION   default 4.0.0-rc-4 (the newest Maven 4 on Central on 2026-12-03)
#   MAVEN4_CACHE     default /var/cache/frankenphp-it/maven4
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
VERSION="${MAVEN4_VERSION:-4.0.0-rc-4}"
CACHE="${MAVEN4_CACHE:-/var/cache/frankenphp-it/maven4}"
OUT="$ROOT/target/maven4"
CENTRAL="https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/$VERSION"
ARCHIVE="apache-maven-$VERSION-bin.tar.gz"

fail() {
	printf '[maven4] FAILED: %s\n' "$*" >&2
	exit 1
}
log() { printf '[maven4] %s\n' "$*"; }

# ------------------------------------------------------------------ Maven 4, verified and cached
mkdir -p "$CACHE"
if [[ ! -x $CACHE/apache-maven-$VERSION/bin/mvn ]]; then
	log "fetching Maven $VERSION from Maven Central"
	curl -fsS --retry 3 --max-time 300 -o "$CACHE/$ARCHIVE" "$CENTRAL/$ARCHIVE"
	expected="$(curl -fsS --retry 3 --max-time 60 "$CENTRAL/$ARCHIVE.sha512" | cut -c1-128)"
	actual="$(sha512sum "$CACHE/$ARCHIVE" | cut -c1-128)"
	[[ $expected == "$actual" ]] || fail "$ARCHIVE does not match Central's SHA-512"
	# Unpacked aside, then moved: an interrupted unpack never looks like a complete Maven.
	rm -rf "$CACHE/unpack"
	mkdir -p "$CACHE/unpack"
	tar -xzf "$CACHE/$ARCHIVE" -C "$CACHE/unpack"
	rm -rf "$CACHE/apache-maven-$VERSION"
	mv "$CACHE/unpack/apache-maven-$VERSION" "$CACHE/"
	rm -rf "$CACHE/unpack" "$CACHE/$ARCHIVE"
fi
MVN4="$CACHE/apache-maven-$VERSION/bin/mvn"
"$MVN4" -v | sed -n 1p

if [[ ${MAVEN4_SKIP_PLUGIN_INSTALL:-} != 1 ]]; then
	log "installing the plugin into ~/.m2"
	(cd "$ROOT" && ./mvnw -B -q install -DskipTests -Dinvoker.skip)
fi

# ------------------------------------------------------------------ the sample, in a scratch copy
rm -rf "$OUT"
mkdir -p "$OUT"
cp -r "$ROOT/samples/backend-api" "$OUT/sample"
rm -rf "$OUT/sample/target"
# Maven 4 looks for the root of the build; without .mvn it warns about itself, not the plugin.
mkdir -p "$OUT/sample/.mvn"

# Any line that is a warning, an SLF4J notice or a stack frame. Maven 4 prints its own notices with
# [WARNING] too, so nothing is allowed: the sample is a plain project and should build clean.
noisy_lines() { # LOG
	grep -nE '^\[(WARNING|WARN)\]|SLF4J|^[[:space:]]+at [a-zA-Z_$.]+\(|^(Exception|Caused by)' "$1" || :
}

run_maven4() { # NAME EXPECTED(success|failure) ARGS...
	local name=$1 expected=$2 rc=0
	shift 2
	local logfile="$OUT/$name.log"
	log "mvn $*   (expect $expected)"
	(cd "$OUT/sample" && "$MVN4" -B "$@") >"$logfile" 2>&1 || rc=$?
	if [[ $expected == success && $rc -ne 0 ]]; then
		tail -n 40 "$logfile" >&2
		fail "$name: Maven 4 failed (exit $rc); log $logfile"
	fi
	if [[ $expected == failure && $rc -eq 0 ]]; then
		fail "$name: Maven 4 succeeded where the configuration is invalid; log $logfile"
	fi
	local noise
	noise="$(noisy_lines "$logfile")"
	if [[ -n $noise ]]; then
		printf '%s\n' "$noise" | head -n 30 >&2
		fail "$name: warnings, SLF4J notices or stack frames under Maven 4 (log $logfile)"
	fi
}

run_maven4 generate success generate-resources
[[ -s $OUT/sample/target/frankenphp/Dockerfile && -s $OUT/sample/target/frankenphp/docker-compose.prod.yml ]] \
	|| fail "generate-resources did not render the Dockerfile and docker-compose.prod.yml"

run_maven4 invalid-values failure generate-resources \
	-Dfrankenphp.registry=https://x/v2 -Dfrankenphp.tagStrategy=semver
# Both bad values at once, each with its property, and no stack trace as the message.
grep -q "Invalid plugin configuration (2 problems)" "$OUT/invalid-values.log" \
	|| fail "invalid-values: the two problems are not reported together"
grep -q "<image><registry> (-Dfrankenphp.registry) = 'https://x/v2'" "$OUT/invalid-values.log" \
	|| fail "invalid-values: the registry problem does not name its element and property"
grep -q "<image><tagStrategy> (-Dfrankenphp.tagStrategy) = 'semver'" "$OUT/invalid-values.log" \
	|| fail "invalid-values: the tagStrategy problem does not name its element and property"

# package builds the image through docker-java: where the SLF4J warnings came from.
if docker info >/dev/null 2>&1; then
	run_maven4 package success package
	grep -q '^\[INFO\] Built sha256:' "$OUT/package.log" || fail "package: no 'Built sha256:' line"
	FIRST_TAG="$(jq -r '.tags[0]' "$OUT/sample/target/frankenphp/image.json")"
	run_maven4 package-quiet success -q package
	[[ ! -s $OUT/package-quiet.log ]] || {
		cat "$OUT/package-quiet.log" >&2
		fail "package -q printed output under Maven 4"
	}
	# Only this run's version tag: other runs may still use the sample's latest.
	docker image rm "$FIRST_TAG" "$(jq -r '.tags[0]' "$OUT/sample/target/frankenphp/image.json")" >/dev/null 2>&1 || :
else
	[[ ${FRANKENPHP_IT_REQUIRE_DOCKER:-} != true ]] || fail "no Docker engine for the package run"
	log "SKIPPED package under Maven 4: no Docker engine (run src/test/infra/setup.sh)"
fi

log "Maven $VERSION: generate-resources, package and the invalid-values failure are clean"
