#!/usr/bin/env bash
# End-to-end test of the generated stack (issue 5): the image runs, the compose stack comes up, a new
# release rolls out, a rollback works, all for real, on the Docker engine and the TLS registry of
# src/test/infra/setup.sh, with Debian-built stand-ins for the FrankenPHP, Composer and MySQL images
# (src/test/e2e/images/build.sh, cached between runs).
#
#   1. `mvn deploy` of the fixture app (src/test/e2e/fixture/backend-api); then, on a "server" (same
#      engine, its own compose project), what the generated DEPLOY.md says: docker login, network,
#      .env.production from .env.production.example, its compose command (docker-compose 1.29 in
#      place of `docker compose`), migrations. mysql healthy, app healthy, queue and scheduler
#      running, /api/health 200 on the published port, a job processed, a scheduler heartbeat;
#      `docker-compose config` reports no unset variable.
#   2. Data survives `down` (without -v) and `up`.
#   3. A second release, rolled out as Watchtower does (pull, recreate app, queue, scheduler): new
#      version served, queue and scheduler on the new image, MySQL not recreated, no row lost; the
#      seconds during which /api/health did not answer 200 are measured (polled every 0.1 s).
#   4. Rollback to the first version tag (APP_IMAGE_TAG, as DEPLOY.md describes), then back to latest.
#   5. Non-root container, read-only code (only storage/ and bootstrap/cache writable), no .env file
#      in the image.
#
# Results (timings, the update gap) go to target/e2e/results.txt. Everything the test creates
# (containers, volumes, the network if it created it, this run's version tags) is removed at the
# end, on failure too. Needs root or the docker group, the infrastructure of setup.sh, debootstrap,
# docker-compose 1.29, curl and jq.
#
# Environment:
#   E2E_SKIP_PLUGIN_INSTALL=1   do not (re)install the plugin into ~/.m2 first
#   E2E_KEEP=1                  leave the stack running at the end (for debugging; prints how to remove it)
#   E2E_MAVEN_ARGS              extra arguments for the two `mvn deploy` runs
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/../../.." && pwd)"
readonly SCRIPT_DIR ROOT
readonly OUT="$ROOT/target/e2e"
# The fixture copy and the "server" directory live outside target/, so that a `mvn clean` run
# meanwhile in the same tree cannot pull them away; removed at the end (kept after a failure).
WORK="$(mktemp -d "${TMPDIR:-/tmp}/frankenphp-e2e.XXXXXX")"
readonly WORK
readonly APP="$WORK/backend-api"
readonly SERVER="$WORK/server"
readonly RESULTS="$OUT/results.txt"
readonly REGISTRY=registry.frankenphp.test:5443
readonly REGISTRY_USER=frankenphp-it
readonly PASSWORD_FILE=/var/lib/frankenphp-it/registry-password
readonly IMAGE_NAME=e2e/backend-api
readonly REPOSITORY="$REGISTRY/$IMAGE_NAME"
readonly RUN_ID="$(date -u +%Y%m%d%H%M%S)-$$"
readonly PROJECT="fpe2e$$"
readonly DOCKER_CONFIG_DIR="$WORK/docker-config"
readonly FIXTURE_TITLE="backend-api (frankenphp-maven-plugin e2e fixture)" # the fixture pom's <name>

# Bounds (seconds).
readonly MYSQL_HEALTHY_TIMEOUT=180
readonly APP_HEALTHY_TIMEOUT=120 # the compose health check runs every 30 s
readonly RUNNING_TIMEOUT=60
readonly HTTP_TIMEOUT=60
readonly JOB_TIMEOUT=45
readonly HEARTBEAT_TIMEOUT=80 # Laravel 8's scheduler runs once a minute, at second 0
readonly ROLLOUT_TIMEOUT=120

T0=$EPOCHREALTIME
STEP="start"
STEP_T0=$EPOCHREALTIME
TIMINGS=()
LOG_TAG=e2e
source "$SCRIPT_DIR/lib.sh"
NOTES=()
CREATED_NETWORK=""
DECOY="frankenphp-e2e-decoy-mysql"
POLL_PID=""
VERSION_TAGS=()
PASSED=0

note() {
	NOTES+=("$*")
	log "$*"
}

# Every container and volume of a compose project, whatever state compose left them in.
remove_compose_project() { # PROJECT
	docker ps -aq --filter "label=com.docker.compose.project=$1" | xargs -r docker rm -f
	docker volume ls -q --filter "label=com.docker.compose.project=$1" | xargs -r docker volume rm
}
# The container of a service of the e2e compose project (empty when there is none).
cid() { docker ps -q --filter "label=com.docker.compose.project=$PROJECT" --filter "label=com.docker.compose.service=$1"; }
health_of() { docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$(cid "$1")" 2>/dev/null; }
is_healthy() { [[ $(health_of "$1") == healthy ]]; }
# Running, and not in a restart loop: up for at least 5 s.
is_running_steadily() {
	local id started
	id="$(cid "$1")"
	[[ -n $id && $(docker inspect --format '{{.State.Running}} {{.State.Restarting}}' "$id") == "true false" ]] || return 1
	started="$(date -d "$(docker inspect --format '{{.State.StartedAt}}' "$id")" +%s)"
	(($(date +%s) - started >= 5))
}
has_container() { [[ -n $(cid "$1") ]]; }
image_of() { docker inspect --format '{{.Image}}' "$(cid "$1")"; }

http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$1" || :; }
health_is_200() { [[ $(http_code "$HEALTH_URL") == 200 ]]; }
app_version() { curl -fsS --max-time 3 "http://127.0.0.1:$PORT/api/version" | jq -r .version; }
version_is() { [[ $(app_version 2>/dev/null) == "$1" ]]; }

# SQL as root inside the mysql container (password through the environment, not the command line).
sql() {
	docker exec -e MYSQL_PWD="$DB_ROOT_PASSWORD" "$(cid mysql)" mysql -uroot -N -B "$DB_DATABASE" -e "$1"
}
sql_count() { sql "SELECT COUNT(*) FROM $1"; }
# A RecordItem job dispatched through the framework (the fixture's `php artisan e2e:dispatch`, run in
# the app container): Laravel serializes it into the `jobs` table of the database queue.
push_job() { # ITEM [SLEEP_SECONDS]
	docker exec "$(cid app)" php artisan e2e:dispatch "$1" --sleep="${2:-0}" >/dev/null
}
job_processed() { # ITEM VERSION
	[[ $(sql "SELECT COUNT(*) FROM processed_jobs WHERE item = '$1' AND app_version = '$2'") -ge 1 ]]
}
heartbeat_seen() { # VERSION HOST
	[[ $(sql "SELECT COUNT(*) FROM scheduler_heartbeats WHERE app_version = '$1' AND host = '$2'") -ge 1 ]]
}

# DEPLOY.md's `docker compose -p <project> ...` as docker-compose 1.29 (the fixture's project is the e2e's).
compose_v1() {
	[[ $1 == "docker compose -p $PROJECT "* ]] || fail "not a docker compose command for project $PROJECT: $1"
	printf 'docker-compose %s\n' "${1#docker compose }"
}
set_env() { # KEY VALUE: in .env.production
	grep -q "^$1=" "$SERVER/.env.production" || fail "$1 is not in .env.production"
	sed -i "s|^$1=.*|$1=$2|" "$SERVER/.env.production"
}

mvn_deploy() { # LABEL
	local logfile="$OUT/mvn-deploy-$1.log"
	log "mvn deploy ($1), log: $logfile"
	# The password is read from the file into the environment of this one command; settings.xml
	# refers to it as ${env.E2E_REGISTRY_PASSWORD}, so it is never written to disk.
	if ! (cd "$APP" && E2E_REGISTRY_PASSWORD="$(cat "$PASSWORD_FILE")" "$ROOT/mvnw" -B -s "$WORK/settings.xml" \
		deploy -De2e.publishedPort="$PORT" -Dfrankenphp.release.project="$PROJECT" ${E2E_MAVEN_ARGS:-} >"$logfile" 2>&1); then
		tail -n 60 "$logfile" >&2
		fail "mvn deploy ($1) failed"
	fi
	grep -q 'BUILD SUCCESS' "$logfile" || fail "no BUILD SUCCESS in $logfile"
	if grep -qF "$(cat "$PASSWORD_FILE")" "$logfile"; then fail "the registry password is in $logfile"; fi
	local version
	version="$(jq -r .version "$APP/target/frankenphp/image.json")"
	[[ $(jq -r --arg v "$version" '.pushed[$v]' "$APP/target/frankenphp/image.json") == sha256:* ]] ||
		fail "image.json records no pushed digest for $version"
	printf '%s\n' "$version"
}

set_app_version() { # STRING: baked into the code (app/Version.php)
	sed -i "s/public const APP_VERSION = '[^']*';/public const APP_VERSION = '$1';/" "$APP/app/Version.php"
	grep -q "APP_VERSION = '$1'" "$APP/app/Version.php" || fail "could not set APP_VERSION in app/Version.php"
}

# ----------------------------------------------------------------- health polling (update gap)
start_polling() { # FILE
	(
		trap 'exit 0' TERM
		while :; do
			printf '%s %s\n' "$EPOCHREALTIME" "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$HEALTH_URL" || :)"
			sleep 0.1
		done
	) >"$1" &
	POLL_PID=$!
}
stop_polling() {
	if [[ -n $POLL_PID ]]; then
		kill "$POLL_PID" 2>/dev/null || :
		wait "$POLL_PID" 2>/dev/null || :
		POLL_PID=""
	fi
}
# From a poll log: total seconds not answering 200, the longest such window, samples, codes seen.
gap_of() { # FILE
	awk '
		NR > 1 && prev != "200" { d = $1 - t; total += d; run += d; if (run > longest) longest = run }
		NR > 1 && prev == "200" { run = 0 }
		{ if ($2 != "200") { bad++; codes[$2]++ } t = $1; prev = $2; n++ }
		END {
			list = ""; for (c in codes) list = list c "x" codes[c] " "
			printf "%.2f %.2f %d %d %s\n", total, longest, n, bad, (list == "" ? "-" : list)
		}' "$1"
}

# shellcheck source=src/test/e2e/release-scenarios.sh
source "$SCRIPT_DIR/release-scenarios.sh"

# ---------------------------------------------------------------------------------- cleanup
cleanup() {
	local rc=$?
	set +e
	stop_polling
	if ((rc != 0)); then
		printf '\n[e2e] FAILED (exit %s) in step: %s\n' "$rc" "$STEP" >&2
		if [[ -n $(docker ps -aq --filter "label=com.docker.compose.project=$PROJECT") ]]; then
			docker ps -a --filter "label=com.docker.compose.project=$PROJECT" \
				--format 'table {{.Names}}\t{{.Image}}\t{{.Status}}' >&2
			local service
			for service in mysql app queue scheduler; do
				local id
				id="$(docker ps -aq --filter "label=com.docker.compose.project=$PROJECT" --filter "label=com.docker.compose.service=$service" | head -n 1)"
				[[ -n $id ]] || continue
				printf -- '--- last log lines of %s\n' "$service" >&2
				docker logs --tail 40 "$id" 2>&1 | sed 's/^/    /' >&2
				docker inspect --format '    health: {{json .State.Health}}' "$id" 2>/dev/null | cut -c1-600 >&2
			done
		fi
	fi
	if [[ ${E2E_KEEP:-} == 1 ]]; then
		log "E2E_KEEP=1: stack $PROJECT left running; remove it with:"
		log "  cd $SERVER && docker-compose -p $PROJECT --env-file .env.production -f docker-compose.prod.yml down -v"
	else
		log "cleanup: containers, volumes and networks of compose project $PROJECT"
		if [[ -f $SERVER/docker-compose.prod.yml && -f $SERVER/.env.production ]]; then
			(cd "$SERVER" && docker-compose -p "$PROJECT" --env-file .env.production -f docker-compose.prod.yml \
				down -v --remove-orphans --timeout 10 >/dev/null 2>&1)
		fi
		remove_compose_project "$PROJECT" >/dev/null 2>&1
		docker rm -f "$DECOY" >/dev/null 2>&1
		if [[ -n $CREATED_NETWORK ]] && [[ $(docker network inspect --format '{{len .Containers}}' "$CREATED_NETWORK" 2>/dev/null) == 0 ]]; then
			docker network rm "$CREATED_NETWORK" >/dev/null 2>&1
		fi
		# This run's version tags (latest stays: it keeps the layers, so the next build is cached).
		local tag
		for tag in "${VERSION_TAGS[@]}"; do docker rmi "$REPOSITORY:$tag" >/dev/null 2>&1; done
		[[ -n ${CURRENT_LOAD:-} ]] && bash "$SCRIPT_DIR/load.sh" stop "$CURRENT_LOAD" >/dev/null 2>&1
		# Earlier fixture images that lost their last tag (the previous latest).
		docker image prune --force --filter "label=org.opencontainers.image.title=$FIXTURE_TITLE" >/dev/null 2>&1
	fi
	rm -rf "$DOCKER_CONFIG_DIR"
	if ((rc == 0)) && [[ ${E2E_KEEP:-} != 1 ]]; then
		rm -rf "$WORK"
	else
		log "work directory kept: $WORK (fixture copy in backend-api/, server files in server/)"
	fi
	# The reason goes last, and into a file .ci/run prints last: a CI log is often read from its tail.
	if ((rc == 0 && PASSED)); then
		rm -f "$OUT/failure.txt"
		printf '[e2e] PASSED after %ss\n' "$(elapsed "$T0")" >&2
	else
		mkdir -p "$OUT"
		printf '[e2e] FAILED after %ss in step "%s": %s\n' "$(elapsed "$T0")" "$STEP" "${FAILURE:-exit $rc}" |
			tee "$OUT/failure.txt" >&2
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------------------------------- checks
step "preconditions"
for tool in docker docker-compose curl jq awk; do
	command -v "$tool" >/dev/null || fail "$tool is not installed"
done
[[ $(docker-compose version --short) == 1.* ]] || fail "docker-compose 1.x expected (the test replaces \`docker compose\` by it)"
docker info >/dev/null 2>&1 || fail "no Docker engine (run src/test/infra/setup.sh)"
[[ -r $PASSWORD_FILE ]] || fail "$PASSWORD_FILE is missing (run src/test/infra/setup.sh)"
[[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "https://$REGISTRY/v2/") == 401 ]] ||
	fail "the test registry https://$REGISTRY/v2/ does not answer 401 (run src/test/infra/setup.sh)"
# A run killed before its clean-up (a cancelled CI job, a reboot: the containers restart with the
# engine) leaves its stack on docker_internal, where its mysql answers to the same alias as ours with
# another password ("Access denied for user 'backend'" at the first migration).
for leftover in $(docker ps -a --format '{{.Label "com.docker.compose.project"}}' | grep -E '^fpe2e[0-9]+$' | sort -u); do
	! is_live_run "${leftover#fpe2e}" e2e/run.sh || fail "another e2e run ($leftover, pid ${leftover#fpe2e}) is using this engine"
	log "removing the stack of an earlier run that did not clean up: $leftover"
	remove_compose_project "$leftover" >/dev/null
done
rm -rf "$OUT"
mkdir -p "$OUT"
step_done

step "stand-in images (src/test/e2e/images/build.sh)"
readonly STANDINS="frankenphp-e2e/php:8.2 frankenphp-e2e/php-laravel:8.2 frankenphp-e2e/composer:2 frankenphp-e2e/mysql:8.0 caddy:2"
standin_ids() { for t in $STANDINS; do docker image inspect --format '{{.Id}}' "$t" 2>/dev/null || echo none; done | xargs; }
STANDINS_BEFORE="$(standin_ids)"
bash "$SCRIPT_DIR/images/build.sh"
if [[ $(standin_ids) == "$STANDINS_BEFORE" ]]; then STANDINS_STATUS="reused from the cache"; else STANDINS_STATUS="built"; fi
log "stand-in images: $STANDINS_STATUS"
step_done

if [[ ${E2E_SKIP_PLUGIN_INSTALL:-} != 1 ]]; then
	step "install the plugin into the local repository"
	(cd "$ROOT" && { ./mvnw -B -q -o install -DskipTests -Dinvoker.skip || ./mvnw -B -q install -DskipTests -Dinvoker.skip; }) \
		>"$OUT/plugin-install.log" 2>&1 || { tail -n 40 "$OUT/plugin-install.log" >&2; fail "plugin install failed"; }
	step_done
fi

# ----------------------------------------------------------------------------- release 1
step "release 1: mvn deploy of the fixture"
PLUGIN_VERSION="$(sed -n 's:^  <version>\(.*\)</version>:\1:p;T;q' "$ROOT/pom.xml")"
[[ -n $PLUGIN_VERSION ]] || fail "cannot read the plugin version from pom.xml"
cp -a "$SCRIPT_DIR/fixture/backend-api" "$APP"
rm -rf "$APP/target" "$APP/vendor"
sed -i "/<artifactId>frankenphp-maven-plugin<\/artifactId>/{n;s:<version>.*</version>:<version>$PLUGIN_VERSION</version>:}" "$APP/pom.xml"
grep -q "<version>$PLUGIN_VERSION</version>" "$APP/pom.xml" || fail "could not set the plugin version in the fixture pom"
# What a developer's directory holds and the image must never get.
printf 'APP_KEY=base64:host-dev-key-%s\n' "$RUN_ID" >"$APP/.env"
printf 'DB_PASSWORD=host-production-secret-%s\n' "$RUN_ID" >"$APP/.env.production"
mkdir -p "$APP/vendor" && echo 'host vendor' >"$APP/vendor/host-marker.txt"
cat >"$WORK/settings.xml" <<EOF
<settings>
  <servers>
    <server>
      <id>$REGISTRY</id>
      <username>$REGISTRY_USER</username>
      <password>\${env.E2E_REGISTRY_PASSWORD}</password>
    </server>
  </servers>
</settings>
EOF
# A free high port for the app service (compose's publishedPort).
PORT=""
for _ in $(seq 1 50); do
	candidate=$((20000 + RANDOM % 20000))
	if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
		PORT=$candidate
		break
	fi
done
[[ -n $PORT ]] || fail "no free port found"
readonly PORT HEALTH_URL="http://127.0.0.1:$PORT/api/health"
VERSION_STRING_1="e2e-1-$RUN_ID"
VERSION_STRING_2="e2e-2-$RUN_ID"
set_app_version "$VERSION_STRING_1"
TAG1="$(mvn_deploy release-1)"
VERSION_TAGS+=("$TAG1")
IMAGE1="$(docker image inspect --format '{{.Id}}' "$REPOSITORY:$TAG1")"
log "release 1: $REPOSITORY:$TAG1 ($IMAGE1)"
step_done

step "image: no .env file, vendor/ from composer, rendered files"
CONTAINER="$(docker create "$REPOSITORY:$TAG1")"
FILES="$(docker export "$CONTAINER" | tar -t)"
docker rm "$CONTAINER" >/dev/null
LEAKED="$(grep -E '(^|/)\.env(\..*)?$' <<<"$FILES" | grep -v '\.example$' || :)"
[[ -z $LEAKED ]] || fail "dotenv files in the image: $LEAKED"
grep -qx 'app/artisan' <<<"$FILES" || fail "app/artisan is not in the image"
grep -qx 'app/vendor/autoload.php' <<<"$FILES" || fail "app/vendor/autoload.php is not in the image"
! grep -q 'app/vendor/host-marker.txt' <<<"$FILES" || fail "vendor/ from the host is in the image"
# The rendered server-side files (.dockerignore excludes them) stay out of the image.
OVERLAID="$(grep -xE 'app/(DEPLOY\.md|docker-compose\.prod\.yml|\.env\.production\.example)' <<<"$FILES" | xargs || :)"
[[ -z $OVERLAID ]] || fail "rendered server-side files are in the image: $OVERLAID"
step_done

# ------------------------------------------------------------------------ first install on the server
step "server: first install as DEPLOY.md describes"
mkdir -p "$SERVER" "$DOCKER_CONFIG_DIR"
cp "$APP/target/frankenphp/docker-compose.prod.yml" "$APP/target/frankenphp/.env.production.example" \
	"$APP/target/frankenphp/Caddyfile" "$APP/target/frankenphp/DEPLOY.md" "$SERVER/"
UP_CMD="$(compose_v1 "$(deploy_md '^docker compose .* up -d$')")"
MIGRATE_CMD="$(compose_v1 "$(deploy_md '^docker compose .* artisan migrate')")"
PULL_CMD="$(compose_v1 "$(deploy_md '^docker compose .* pull app queue scheduler$')")"
UPDATE_CMD="$(compose_v1 "$(deploy_md '^docker compose .* up -d app queue scheduler$')")"
DOWN_CMD="${UP_CMD% up -d} down"
NETWORK_CMD="$(deploy_md '^docker network create ')"
LOGIN_CMD="$(deploy_md '^docker login ')"
KEYGEN_CMD="$(deploy_md 'key:generate --show')"
KEYGEN_CMD="${KEYGEN_CMD#*APP_KEY: }"
CHECK_CMD="$(deploy_md '^curl -fsS http://localhost:')"
NETWORK="${NETWORK_CMD#docker network create }"
log "from DEPLOY.md: up: $UP_CMD | migrate: $MIGRATE_CMD | network: $NETWORK"

# docker login (non-interactive: the password on stdin), with a throwaway DOCKER_CONFIG.
DOCKER_CONFIG="$DOCKER_CONFIG_DIR" $LOGIN_CMD --username "$REGISTRY_USER" --password-stdin <"$PASSWORD_FILE" >/dev/null 2>&1 ||
	fail "$LOGIN_CMD failed"
if docker network inspect "$NETWORK" >/dev/null 2>&1; then
	log "network $NETWORK exists already: used as is, and kept"
else
	on_server "$NETWORK_CMD" >/dev/null
	CREATED_NETWORK="$NETWORK"
fi
# Another stack's database on the shared network: it answers to "mysql", as every generated stack's
# MySQL service does. The app must reach its own database through DB_HOST's alias, never this one.
docker rm -f "$DECOY" >/dev/null 2>&1 || :
docker run -d --name "$DECOY" --network "$NETWORK" --network-alias mysql --entrypoint sleep frankenphp-e2e/php:8.2 infinity >/dev/null ||
	fail "could not start the decoy mysql container"
# .env.production from the example, with the secrets filled in.
on_server "$(deploy_md '^cp \.env\.production\.example ')"
APP_KEY="$(on_server "$KEYGEN_CMD" | tr -d '\r' | tail -n 1)"
[[ $APP_KEY =~ ^base64:[A-Za-z0-9+/]{43}=$ ]] || fail "DEPLOY.md's key:generate gave no key: '$APP_KEY'"
DB_PASSWORD="db-$(openssl rand -hex 12)"
DB_ROOT_PASSWORD="root-$(openssl rand -hex 12)"
set_env APP_KEY "$APP_KEY"
set_env DB_PASSWORD "$DB_PASSWORD"
set_env DB_ROOT_PASSWORD "$DB_ROOT_PASSWORD"
on_server "$(deploy_md '^chmod 600 ')"
DB_DATABASE="$(sed -n 's/^DB_DATABASE=//p' "$SERVER/.env.production")"
EMPTY="$(grep -E '^[A-Z_]+=$' "$SERVER/.env.production" | grep -v '^APP_IMAGE_TAG=$' || :)"
[[ -z $EMPTY ]] || fail ".env.production still has empty values: $EMPTY"

# compose interpolates every variable: no "variable is not set" warning, no error.
CONFIG_ERR="$WORK/compose-config.stderr"
on_server "${UP_CMD% up -d} config" >"$WORK/compose-config.yml" 2>"$CONFIG_ERR" || { cat "$CONFIG_ERR" >&2; fail "docker-compose config failed"; }
if grep -qiE 'warn|not set' "$CONFIG_ERR"; then
	cat "$CONFIG_ERR" >&2
	fail "docker-compose config reports unset variables"
fi
grep -q "image: $REPOSITORY:latest" "$WORK/compose-config.yml" || fail "the stack does not follow $REPOSITORY:latest"
step_done

step "server: DEPLOY.md's compose command (up -d)"
on_server "$UP_CMD"
wait_until "mysql healthy" "$MYSQL_HEALTHY_TIMEOUT" is_healthy mysql
wait_until "app container running" "$RUNNING_TIMEOUT" has_container app
step_done

step "server: DEPLOY.md's migrations (exec -T app php artisan migrate --force)"
on_server "$MIGRATE_CMD </dev/null"
[[ $(sql_count migrations) -ge 5 ]] || fail "the migrations did not run"
step_done

step "stack up: /api/health 200 on the published port, queue and scheduler running, app healthy"
wait_until "GET /api/health answers 200 through the published port" "$HTTP_TIMEOUT" health_is_200
on_server "$CHECK_CMD" >/dev/null || fail "DEPLOY.md's check ($CHECK_CMD) failed"
[[ $(app_version) == "$VERSION_STRING_1" ]] || fail "the app does not report $VERSION_STRING_1"
OPCACHE_JIT="$(curl -fsS --max-time 3 "http://127.0.0.1:$PORT/api/version" | jq -r .opcache_jit)"
[[ $OPCACHE_JIT == true ]] || fail "OPcache's JIT (opcache.enable=1, opcache.jit=tracing in php.ini) is not on in the web server"
wait_until "queue running" "$RUNNING_TIMEOUT" is_running_steadily queue
wait_until "scheduler running" "$RUNNING_TIMEOUT" is_running_steadily scheduler
wait_until "app healthy (docker health check)" "$APP_HEALTHY_TIMEOUT" is_healthy app
step_done

step "queue processes a job, scheduler writes heartbeats"
push_job "first-job-$RUN_ID"
wait_until "job first-job processed" "$JOB_TIMEOUT" job_processed "first-job-$RUN_ID" "$VERSION_STRING_1"
QUEUE_HOST="$(docker inspect --format '{{.Config.Hostname}}' "$(cid queue)")"
[[ $(sql "SELECT host FROM processed_jobs WHERE item = 'first-job-$RUN_ID'") == "$QUEUE_HOST" ]] ||
	fail "the job was not processed by the queue container"
wait_until "scheduler heartbeat" "$HEARTBEAT_TIMEOUT" heartbeat_seen "$VERSION_STRING_1" \
	"$(docker inspect --format '{{.Config.Hostname}}' "$(cid scheduler)")"
step_done

step "non-root, read-only code, writable storage/ and bootstrap/cache"
for service in app queue scheduler; do
	uid="$(docker exec "$(cid "$service")" id -u)"
	[[ $uid != 0 ]] || fail "$service runs as root"
done
APP_ID="$(cid app)"
for path in /app/x /app/public/x /app/vendor/x /app/artisan; do
	if docker exec "$APP_ID" sh -c "touch $path" 2>/dev/null; then fail "the app user can write $path"; fi
done
docker exec "$APP_ID" sh -c 'touch storage/logs/x bootstrap/cache/x && rm storage/logs/x bootstrap/cache/x' ||
	fail "the app user cannot write storage/logs or bootstrap/cache"
[[ $(docker exec "$APP_ID" getcap /usr/local/bin/frankenphp) == *cap_net_bind_service* ]] ||
	fail "/usr/local/bin/frankenphp has no CAP_NET_BIND_SERVICE"
log "app uid $(docker exec "$APP_ID" id -u), port 80 bound through the binary's capability"
# php.ini (docker/php/php.ini, copied to $PHP_INI_DIR/conf.d) is read and raises no warning.
[[ $(docker exec "$APP_ID" php -r 'echo ini_get("memory_limit"), " ", ini_get("date.timezone"), " ", ini_get("expose_php");') == "512M Europe/Paris " ]] ||
	fail "the generated php.ini is not in effect"
for service in app queue scheduler; do
	if docker logs "$(cid "$service")" 2>&1 | grep -E 'PHP (Warning|Fatal error|Parse error|Deprecated)'; then
		fail "PHP warnings in the $service logs"
	fi
done
step_done

# ------------------------------------------------------------------------ Laravel's start-up steps
step "Laravel: caches built at start from .env.production, storage link, /up, logs on stderr, writes only in storage/ and bootstrap/cache"
APP_ID="$(cid app)"
VERSION_JSON="$(curl -fsS --max-time 3 "http://127.0.0.1:$PORT/api/version")"
for flag in config_cached routes_cached events_cached; do
	[[ $(jq -r ".$flag" <<<"$VERSION_JSON") == true ]] || fail "$flag is not true in the running app: $VERSION_JSON"
done
APP_NAME_1="$(sed -n 's/^APP_NAME=//p' "$SERVER/.env.production")"
[[ $(jq -r .app_name <<<"$VERSION_JSON") == "$APP_NAME_1" ]] || fail "config('app.name') is not .env.production's APP_NAME ($APP_NAME_1): $VERSION_JSON"
for service in app queue scheduler; do
	# The whole log first: `docker logs | grep -q` fails under pipefail when grep stops early (SIGPIPE).
	[[ $(docker logs "$(cid "$service")" 2>&1) == *'laravel-entrypoint: php artisan config:cache'* ]] ||
		fail "the $service container did not run config:cache at start"
	[[ $(docker exec "$(cid "$service")" stat -c %u bootstrap/cache/config.php) == "$(docker exec "$(cid "$service")" id -u)" ]] ||
		fail "bootstrap/cache/config.php of $service is not the runtime user's"
done
docker exec "$APP_ID" test -L public/storage || fail "public/storage is not a link (storage:link)"
# What the start-up steps cost: from the first step's log line to the server's first line.
STARTUP_LOG="$(docker logs -t "$APP_ID" 2>&1)"
STEPS_FROM="$(grep -m1 'laravel-entrypoint: php artisan' <<<"$STARTUP_LOG" | cut -d' ' -f1 || :)"
SERVER_FROM="$(grep -m1 'Server running on' <<<"$STARTUP_LOG" | cut -d' ' -f1 || :)"
STARTUP_STEPS_S="$(awk -v a="$(date -d "$STEPS_FROM" +%s.%N)" -v b="$(date -d "$SERVER_FROM" +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
log "app: the entrypoint's start-up steps took ${STARTUP_STEPS_S}s before the server started"
[[ -n $(docker exec "$APP_ID" find storage/framework/views -name '*.php') ]] || fail "view:cache compiled no view in storage/framework/views"
[[ $(http_code "http://127.0.0.1:$PORT/up") == 200 ]] || fail "GET /up does not answer 200"
[[ -n $(docker exec "$APP_ID" find storage/framework/sessions -type f ! -name .gitignore) ]] || fail "GET /up (web group) wrote no session file"
# LOG_CHANNEL=stderr: the queue's job listener logs through Laravel's logger, into docker logs.
[[ $(docker logs "$(cid queue)" 2>&1) == *"production.INFO: item recorded {\"item\":\"first-job-$RUN_ID\""* ]] ||
	fail "the queue container's log (LOG_CHANNEL=stderr) lacks the job's log line"
# The containers change files only under storage/ and bootstrap/cache (and /tmp): docker diff against the
# image. /usr/sbin/docker-init is Docker's init, mounted into the scheduler (init: true), not a write.
for service in app queue scheduler; do
	OUTSIDE="$(docker diff "$(cid "$service")" | awk '{ print $2 }' |
		grep -vE '^/app(/storage(/.*)?|/bootstrap(/cache(/.*)?)?)?$' | grep -vE '^/tmp(/.*)?$' |
		grep -vE '^/usr(/sbin(/docker-init)?)?$' || :)"
	[[ -z $OUTSIDE ]] || fail "the $service container wrote outside storage/ and bootstrap/cache: $(xargs <<<"$OUTSIDE")"
done
# The scheduler stops at once on SIGTERM (compose's init passes it on; schedule:work has no handler).
[[ $(docker inspect --format '{{.HostConfig.Init}}' "$(cid scheduler)") == true ]] || fail "the scheduler runs without an init"
STOP_T0=$EPOCHREALTIME
docker stop -t 30 "$(cid scheduler)" >/dev/null
SCHEDULER_STOP_S="$(elapsed "$STOP_T0")"
awk -v s="$SCHEDULER_STOP_S" 'BEGIN { exit !(s < 5) }' || fail "the scheduler took ${SCHEDULER_STOP_S}s to stop on SIGTERM"
log "the scheduler stopped ${SCHEDULER_STOP_S}s after SIGTERM"
# The config cache is built at start: a changed .env.production shows once the containers are recreated
# (up -d also starts the stopped scheduler again).
APP_NAME_2="backend-api-restarted-$RUN_ID"
set_env APP_NAME "$APP_NAME_2"
on_server "$UP_CMD"
app_name_is() { [[ $(curl -fsS --max-time 3 "http://127.0.0.1:$PORT/api/version" | jq -r .app_name) == "$1" ]]; }
wait_until "config('app.name') is the new APP_NAME after the containers are recreated" "$ROLLOUT_TIMEOUT" app_name_is "$APP_NAME_2"
wait_until "app healthy after the recreation" "$APP_HEALTHY_TIMEOUT" is_healthy app
step_done

# ------------------------------------------------------------------------ persistence across down/up
step "data survives down (without -v) and up"
BEFORE_JOBS="$(sql "SELECT GROUP_CONCAT(id ORDER BY id) FROM processed_jobs")"
BEFORE_BEATS="$(sql_count scheduler_heartbeats)"
on_server "$DOWN_CMD"
[[ -z $(cid mysql) ]] || fail "mysql still runs after down"
docker volume inspect "${PROJECT}_mysql-data" >/dev/null || fail "the mysql volume did not survive down"
on_server "$UP_CMD"
wait_until "mysql healthy again" "$MYSQL_HEALTHY_TIMEOUT" is_healthy mysql
# Read the whole log first: under pipefail, `docker logs | grep -q` fails whenever grep exits
# before docker has written everything (SIGPIPE), which made this check flaky in CI.
MYSQL_LOG="$(docker logs "$(cid mysql)" 2>&1)"
[[ $MYSQL_LOG == *'skipping initialization'* ]] || fail "mysql initialised its data directory again"
[[ $(sql "SELECT GROUP_CONCAT(id ORDER BY id) FROM processed_jobs") == "$BEFORE_JOBS" ]] || fail "processed_jobs rows were lost"
[[ $(sql_count scheduler_heartbeats) -ge $BEFORE_BEATS ]] || fail "heartbeat rows were lost"
wait_until "GET /api/health 200 again" "$HTTP_TIMEOUT" health_is_200
step_done

# ----------------------------------------------------------------------------- release 2
step "release 2: new version string, mvn deploy"
set_app_version "$VERSION_STRING_2"
TAG2="$(mvn_deploy release-2)"
VERSION_TAGS+=("$TAG2")
[[ $TAG2 != "$TAG1" ]] || fail "release 2 has the same tag as release 1 ($TAG1)"
IMAGE2="$(docker image inspect --format '{{.Id}}' "$REPOSITORY:$TAG2")"
[[ $IMAGE2 != "$IMAGE1" ]] || fail "release 2 built the same image as release 1"
log "release 2: $REPOSITORY:$TAG2 ($IMAGE2)"
step_done

step "update as Watchtower does (pull app queue scheduler, up -d app queue scheduler)"
wait_until "app healthy before the update" "$APP_HEALTHY_TIMEOUT" is_healthy app
MYSQL_BEFORE="$(cid mysql)"
push_job "before-update-$RUN_ID"
wait_until "job before-update processed" "$JOB_TIMEOUT" job_processed "before-update-$RUN_ID" "$VERSION_STRING_1"
TABLES="migrations processed_jobs scheduler_heartbeats failed_jobs"
declare -A ROWS_BEFORE
for table in $TABLES; do ROWS_BEFORE[$table]="$(sql_count "$table")"; done
IDS_BEFORE="$(sql "SELECT GROUP_CONCAT(id ORDER BY id) FROM processed_jobs")"
POLL_LOG="$OUT/update-health-poll.log"
start_polling "$POLL_LOG"
sleep 1
UPDATE_T0=$EPOCHREALTIME
on_server "$PULL_CMD"
on_server "$UPDATE_CMD"
UPDATE_CMDS_S="$(elapsed "$UPDATE_T0")"
wait_until "the app reports $VERSION_STRING_2" "$ROLLOUT_TIMEOUT" version_is "$VERSION_STRING_2"
wait_until "GET /api/health 200 on the new version" "$HTTP_TIMEOUT" health_is_200
ROLLOUT_S="$(elapsed "$UPDATE_T0")"
sleep 2
stop_polling
read -r GAP_TOTAL GAP_LONGEST POLL_SAMPLES POLL_BAD POLL_CODES < <(gap_of "$POLL_LOG")
log "update: health not 200 for ${GAP_TOTAL}s (longest window ${GAP_LONGEST}s; $POLL_BAD of $POLL_SAMPLES polls; codes: $POLL_CODES)"
[[ $(cid mysql) == "$MYSQL_BEFORE" ]] || fail "mysql was recreated by the update"
[[ $(image_of app) == "$IMAGE2" ]] || fail "app does not run release 2's image"
[[ $(image_of queue) == "$IMAGE2" ]] || fail "queue does not run release 2's image"
[[ $(image_of scheduler) == "$IMAGE2" ]] || fail "scheduler does not run release 2's image"
on_server "$MIGRATE_CMD </dev/null" >/dev/null
for table in $TABLES; do
	[[ $(sql_count "$table") -ge ${ROWS_BEFORE[$table]} ]] || fail "rows of $table were lost in the update"
done
[[ $(sql "SELECT GROUP_CONCAT(id ORDER BY id) FROM processed_jobs") == "$IDS_BEFORE" ]] || fail "processed_jobs changed in the update"
push_job "after-update-$RUN_ID"
wait_until "job after-update processed by release 2" "$JOB_TIMEOUT" job_processed "after-update-$RUN_ID" "$VERSION_STRING_2"
wait_until "scheduler heartbeat from release 2" "$HEARTBEAT_TIMEOUT" heartbeat_seen "$VERSION_STRING_2" \
	"$(docker inspect --format '{{.Config.Hostname}}' "$(cid scheduler)")"
wait_until "app healthy after the update" "$APP_HEALTHY_TIMEOUT" is_healthy app
step_done

# ----------------------------------------------------------------------------- rollback
step "rollback: APP_IMAGE_TAG=<release 1> in .env.production, then the compose command"
set_env APP_IMAGE_TAG "$TAG1"
ROLLBACK_T0=$EPOCHREALTIME
on_server "$UP_CMD"
wait_until "the app reports $VERSION_STRING_1 again" "$ROLLOUT_TIMEOUT" version_is "$VERSION_STRING_1"
ROLLBACK_S="$(elapsed "$ROLLBACK_T0")"
[[ $(cid mysql) == "$MYSQL_BEFORE" ]] || fail "mysql was recreated by the rollback"
for service in app queue scheduler; do
	[[ $(image_of "$service") == "$IMAGE1" ]] || fail "$service does not run release 1's image after the rollback"
done
wait_until "GET /api/health 200 after the rollback" "$HTTP_TIMEOUT" health_is_200
push_job "after-rollback-$RUN_ID"
wait_until "job after-rollback processed by release 1" "$JOB_TIMEOUT" job_processed "after-rollback-$RUN_ID" "$VERSION_STRING_1"
step_done

step "unpin: APP_IMAGE_TAG empty, the stack follows latest again"
set_env APP_IMAGE_TAG ""
on_server "$UP_CMD"
wait_until "the app reports $VERSION_STRING_2 (latest) again" "$ROLLOUT_TIMEOUT" version_is "$VERSION_STRING_2"
[[ $(cid mysql) == "$MYSQL_BEFORE" ]] || fail "mysql was recreated when unpinning"
step_done

release_scenarios

PASSED=1
# ----------------------------------------------------------------------------- results
{
	echo "frankenphp-maven-plugin end-to-end test: PASSED ($(date -u +%Y-%m-%dT%H:%M:%SZ), run $RUN_ID)"
	echo
	echo "engine:          Docker $(docker version --format '{{.Server.Version}}'), docker-compose $(docker-compose version --short)"
	echo "registry:        $REGISTRY"
	echo "release 1:       $REPOSITORY:$TAG1 ($VERSION_STRING_1, ${IMAGE1:7:12})"
	echo "release 2:       $REPOSITORY:$TAG2 ($VERSION_STRING_2, ${IMAGE2:7:12})"
	echo "stand-ins:       $STANDINS_STATUS"
	echo "                 $(for t in $STANDINS; do printf '%s=%s ' "$t" "$(docker image inspect --format '{{.Id}}' "$t" | cut -c8-19)"; done)"
	echo "published port:  $PORT"
	echo "web server:      PHP built-in server run as $(docker exec "$(cid app)" id -un 2>/dev/null || echo app), OPcache JIT on: $OPCACHE_JIT"
	echo
	echo "update (pull app queue scheduler + up -d app queue scheduler):"
	echo "  compose commands took:                ${UPDATE_CMDS_S}s"
	echo "  until the new version answered 200:   ${ROLLOUT_S}s"
	echo "  /api/health not answering 200:        ${GAP_TOTAL}s in total, longest window ${GAP_LONGEST}s"
	echo "  Laravel start-up steps (app):         ${STARTUP_STEPS_S:-?}s (storage:link if missing, config/route/event/view:cache)"
	echo "  polls (every 0.1 s):                  $POLL_SAMPLES, of which $POLL_BAD not 200 (codes: $POLL_CODES)"
	echo "rollback (APP_IMAGE_TAG + up -d) until the old version answered: ${ROLLBACK_S}s"
	echo
	echo "releases by the plugin (<release><target>compose</target>), load on /api/health through the proxy:"
	printf '  %s\n' "${RELEASE_RESULTS[@]}"
	echo
	echo "timings:"
	printf '  %s\n' "${TIMINGS[@]}"
	printf '  %7ss  total\n' "$(elapsed "$T0")"
	if ((${#NOTES[@]})); then
		echo
		echo "notes:"
		printf '  - %s\n' "${NOTES[@]}"
	fi
} >"$RESULTS"
echo
cat "$RESULTS"
