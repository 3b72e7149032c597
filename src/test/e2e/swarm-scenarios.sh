#!/usr/bin/env bash
# End-to-end test of <release><target>swarm</target> (issue 12), on a single-node Docker Swarm made of
# the test engine, with the fixture app, the TLS registry of src/test/infra/setup.sh and the e2e
# stand-in images. The Swarm exists only while this script runs: `docker swarm init` at the start,
# `docker swarm leave --force` on every exit, all under ONE hold of /tmp/frankenphp-docker.lock (other
# tests share this engine and expect it not to be in a Swarm). The script takes the lock itself unless
# FRANKENPHP_LOCK_HELD=1 says the caller already holds it.
#
# No IPVS on this kernel: no ingress routing mesh, no virtual IPs. The stack publishes through its proxy
# service in host mode, and every service uses endpoint_mode dnsrr (tasks.<service> in Swarm's DNS).
#
#   0. Before the Swarm exists: the plugin's swarm release against a plain engine fails, naming it.
#   1. First install: `docker stack deploy` of the rendered docker-stack.yml, as DEPLOY.md says; mysql
#      healthy, app with 2 healthy tasks, /api/health 200 through the proxy, a job processed by the
#      queue, a scheduler heartbeat.
#   2. Release under load: mvn deploy with the swarm target over ssh://; 0 failed requests; the migration
#      job ran once; every app task runs the new digest; time from mvn deploy's start to every task on
#      the new version.
#   3. Broken release (health never passes): Swarm rolls back by itself, the build fails naming the
#      task's error; 0 failed requests; the old version serves; latest moved back.
#   4. Rollback to the first version (mvn frankenphp:rollback): 0 failed requests, time measured.
#   5. Scale: replicas 3 (stack deployed again), a release keeps 3 healthy tasks, 0 failed requests.
#   6. Failures that change nothing: a stack name the Swarm does not have; a stack missing scheduler.
#   7. A second node: a second engine (its own network namespace, data root and host name; see
#      second-node.sh) joins as a worker; the stack deployed again; a release under load: 0 failed
#      requests, app tasks on both nodes answering through the proxy, the worker's own proxy serving,
#      mysql kept on the labelled node.
#
# Results go to target/e2e-swarm/results.txt. Environment: E2E_SKIP_PLUGIN_INSTALL=1,
# SWARM_SCENARIOS (default "all"; "install" stops after 1; "scale" runs 1, 5, 6 and 7),
# SWARM_SECOND_NODE=0 (skip 7 and the second engine).
set -euo pipefail

readonly LOCK=/tmp/frankenphp-docker.lock
if [[ ${FRANKENPHP_LOCK_HELD:-} != 1 ]]; then
	exec flock "$LOCK" env FRANKENPHP_LOCK_HELD=1 bash "$0" "$@"
fi

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/../../.." && pwd)"
readonly SCRIPT_DIR ROOT
readonly OUT="$ROOT/target/e2e-swarm"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/frankenphp-e2e-swarm.XXXXXX")"
readonly WORK
readonly APP="$WORK/backend-api" SERVER="$WORK/server"
readonly RESULTS="$OUT/results.txt"
readonly REGISTRY=registry.frankenphp.test:5443 REGISTRY_USER=frankenphp-it
readonly PASSWORD_FILE=/var/lib/frankenphp-it/registry-password
readonly IMAGE_NAME=e2e/backend-api
readonly REPOSITORY="$REGISTRY/$IMAGE_NAME"
readonly RUN_ID="$(date -u +%Y%m%d%H%M%S)-$$"
readonly STACK="fpswarm$$"
readonly NETWORK="fpswarm$$_internal"
readonly DOCKER_CONFIG_DIR="$WORK/docker-config"
readonly SCENARIOS="${SWARM_SCENARIOS:-all}"

T0=$EPOCHREALTIME
STEP="start"
STEP_T0=$EPOCHREALTIME
TIMINGS=()
LOG_TAG=swarm
source "$SCRIPT_DIR/lib.sh"
source "$SCRIPT_DIR/second-node.sh"
SECOND_NODE="${SWARM_SECOND_NODE:-1}"
[[ $SCENARIOS == install ]] && SECOND_NODE=0
RESULT_LINES=()
VERSION_TAGS=()
SWARM_CREATED=0
CURRENT_LOAD=""
PASSED=0

result() {
	RESULT_LINES+=("$*")
	log "RESULT: $*"
}

# ------------------------------------------------------------------------------ Swarm helpers
service() { printf '%s_%s' "$STACK" "$1"; }
# Containers of a service's tasks that run now (this node is the only one).
task_containers() { docker ps -q --filter "label=com.docker.swarm.service.name=$(service "$1")"; }
healthy_tasks() { # SERVICE: how many of its containers are healthy
	local id n=0
	for id in $(task_containers "$1"); do
		[[ $(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$id") == healthy ]] && n=$((n + 1))
	done
	printf '%s\n' "$n"
}
has_healthy_tasks() { [[ $(healthy_tasks "$1") -ge $2 ]]; }
running_tasks() { docker service ps --filter desired-state=running --format '{{.CurrentState}}' "$(service "$1")" | grep -c '^Running' || :; }
# "2 fp-node2 1 vm": how many running tasks of SERVICE each node has.
task_nodes() { docker service ps --filter desired-state=running --format '{{.Node}}' "$(service "$1")" | sort | uniq -c | xargs; }
has_running_tasks() { [[ $(running_tasks "$1") -ge $2 ]]; }
# The images of the tasks Swarm wants running, one per line.
task_images() { docker service ps --filter desired-state=running --no-trunc --format '{{.Image}}' "$(service "$1")" | sort -u; }
spec_image() { docker service inspect --format '{{.Spec.TaskTemplate.ContainerSpec.Image}}' "$(service "$1")"; }
spec_index() { docker service inspect --format '{{.Version.Index}}' "$(service "$1")"; }
mysql_container() { task_containers mysql | head -n 1; }
sql() { docker exec -e MYSQL_PWD="$DB_ROOT_PASSWORD" "$(mysql_container)" mysql -uroot -N -B "$DB_DATABASE" -e "$1"; }

http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$1" || :; }
health_is_200() { [[ $(http_code "$HEALTH_URL") == 200 ]]; }
node2_health_is_200() { [[ $(http_code "http://$NODE2_ADDR:$PORT/api/health") == 200 ]]; }
app_version() { curl -fsS --max-time 3 "http://127.0.0.1:$PORT/api/version" | jq -r .version; }
version_is() { [[ $(app_version 2>/dev/null) == "$1" ]]; }
# Every answer over a few requests reports VERSION (the proxy balances over every task).
all_answers_are() { # VERSION
	local i
	for i in 1 2 3 4 5 6; do version_is "$1" || return 1; done
}
push_job() { # ITEM: a RecordItem job dispatched through the framework (the fixture's e2e:dispatch), in an app task
	docker exec "$(task_containers app | head -n 1)" php artisan e2e:dispatch "$1" >/dev/null
}
job_processed() { [[ $(sql "SELECT COUNT(*) FROM processed_jobs WHERE item = '$1' AND app_version = '$2'") -ge 1 ]]; }
heartbeat_seen() { [[ $(sql "SELECT COUNT(*) FROM scheduler_heartbeats WHERE app_version = '$1'") -ge 1 ]]; }
set_app_version() {
	sed -i "s/public const APP_VERSION = '[^']*';/public const APP_VERSION = '$1';/" "$APP/app/Version.php"
	grep -q "APP_VERSION = '$1'" "$APP/app/Version.php" || fail "could not set APP_VERSION in app/Version.php"
}

# mvn in the fixture with the swarm release configuration.
mvn_swarm() { # LABEL EXPECT(success|failure) ARGS...
	local label=$1 expect=$2 rc=0
	shift 2
	MVN_LOG="$OUT/mvn-$label.log"
	log "mvn $* ($label, expecting $expect), log: $MVN_LOG"
	(cd "$APP" && E2E_REGISTRY_PASSWORD="$(cat "$PASSWORD_FILE")" "$ROOT/mvnw" -B -s "$WORK/settings.xml" \
		-De2e.publishedPort="$PORT" -Dfrankenphp.release.project="$STACK" \
		-Dfrankenphp.release.target=swarm -Dfrankenphp.release.dockerHost=ssh://frankenphp-server \
		-Dfrankenphp.release.healthTimeout=60s "$@" >"$MVN_LOG" 2>&1) || rc=$?
	if grep -qF "$(cat "$PASSWORD_FILE")" "$MVN_LOG"; then fail "the registry password is in $MVN_LOG"; fi
	if [[ $expect == success && $rc != 0 ]]; then
		tail -n 60 "$MVN_LOG" >&2
		fail "mvn $* ($label) failed"
	fi
	if [[ $expect == failure && $rc == 0 ]]; then
		tail -n 40 "$MVN_LOG" >&2
		fail "mvn $* ($label) succeeded, but it should have failed"
	fi
}
pushed_version() { jq -r .version "$APP/target/frankenphp/image.json"; }
pushed_digest() { jq -r --arg v "$1" '.pushed[$v]' "$APP/target/frankenphp/image.json"; }

# mvn deploy of a new version string under load, which must see no failed request. Sets RELEASE_TOOK
# (seconds of mvn deploy) and RELEASED_TAG (the version tag it pushed).
release_under_load() { # LOAD_LABEL DESCRIPTION VERSION MVN_LABEL MVN_ARGS...
	local load=$1 description=$2 version=$3 label=$4 t0
	shift 4
	set_app_version "$version"
	load_start "$load"
	t0=$EPOCHREALTIME
	mvn_swarm "$label" success deploy "$@"
	RELEASE_TOOK="$(elapsed "$t0")"
	load_stop_expect_no_failure "$description"
	RELEASED_TAG="$(pushed_version)"
	VERSION_TAGS+=("$RELEASED_TAG")
}

# Polls /api/version; writes the first time every answer (6 in a row) reports VERSION.
watch_version() { # VERSION FILE
	(
		trap 'exit 0' TERM
		while :; do
			if all_answers_are "$1"; then
				printf '%s\n' "$EPOCHREALTIME" >"$2"
				exit 0
			fi
			sleep 0.2
		done
	) &
	WATCH_PID=$!
}

# ------------------------------------------------------------------------------------ cleanup
cleanup() {
	local rc=$?
	set +e
	[[ -n $CURRENT_LOAD ]] && bash "$SCRIPT_DIR/load.sh" stop "$CURRENT_LOAD" >/dev/null 2>&1
	[[ -n ${WATCH_PID:-} ]] && kill "$WATCH_PID" 2>/dev/null
	if ((rc != 0)) && ((SWARM_CREATED)); then
		printf '\n[swarm] FAILED (exit %s) in step: %s\n' "$rc" "$STEP" >&2
		docker node ls >&2 2>/dev/null
		docker service ls >&2 2>/dev/null
		local s
		for s in app queue scheduler mysql proxy; do
			printf -- '--- tasks of %s\n' "$(service "$s")" >&2
			docker service ps --no-trunc --format '{{.Name}} {{.Image}} {{.CurrentState}} {{.Error}}' "$(service "$s")" 2>/dev/null | head -n 8 >&2
			docker service logs --tail 15 "$(service "$s")" 2>/dev/null | sed 's/^/    /' >&2
		done
	fi
	if ((SWARM_CREATED)); then
		log "cleanup: stack $STACK, then docker swarm leave --force"
		docker stack rm "$STACK" >/dev/null 2>&1
		for _ in $(seq 1 60); do
			[[ -z $(docker ps -aq --filter "label=com.docker.stack.namespace=$STACK") ]] && break
			sleep 1
		done
		docker service rm "$(service migrate)" >/dev/null 2>&1
		second_node_stop # a worker leaves before its manager
		docker swarm leave --force >/dev/null 2>&1 || log "WARNING: docker swarm leave --force failed"
		[[ $(docker info --format '{{.Swarm.LocalNodeState}}') == inactive ]] || log "WARNING: the engine is still in a Swarm"
		docker ps -aq --filter "label=com.docker.stack.namespace=$STACK" | xargs -r docker rm -f >/dev/null 2>&1
		docker volume rm "${STACK}_mysql-data" >/dev/null 2>&1
		docker network rm "$NETWORK" >/dev/null 2>&1
	fi
	second_node_stop # when the Swarm was never created
	local tag
	for tag in "${VERSION_TAGS[@]}"; do docker rmi "$REPOSITORY:$tag" >/dev/null 2>&1; done
	rm -rf "$DOCKER_CONFIG_DIR"
	if ((rc == 0)); then rm -rf "$WORK"; else log "work directory kept: $WORK"; fi
	mkdir -p "$OUT"
	{
		printf 'Swarm e2e %s (stack %s)\n\nSteps:\n' "$RUN_ID" "$STACK"
		printf '%s\n' "${TIMINGS[@]}"
		printf '\nResults:\n'
		printf '  %s\n' "${RESULT_LINES[@]}"
	} >"$RESULTS"
	if ((rc == 0 && PASSED)); then
		printf '[swarm] PASSED after %ss; results in %s\n' "$(elapsed "$T0")" "$RESULTS" >&2
	else
		printf '[swarm] FAILED after %ss in step "%s": %s\n' "$(elapsed "$T0")" "$STEP" "${FAILURE:-exit $rc}" | tee "$OUT/failure.txt" >&2
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ----------------------------------------------------------------------------- preconditions
step "preconditions"
for tool in docker curl jq awk flock; do command -v "$tool" >/dev/null || fail "$tool is not installed"; done
second_node_clear_leftovers
if ((SECOND_NODE)); then
	for tool in socat nsenter unshare ip iptables; do command -v "$tool" >/dev/null || fail "$tool is not installed"; done
fi
if [[ $(docker info --format '{{.Swarm.LocalNodeState}}') != inactive ]]; then
	# A run killed before its clean-up leaves the engine in its Swarm, which every later run would refuse.
	# Only a Swarm this script created (its node label names the run) and whose run is gone is left.
	owner="$(docker node inspect self --format '{{index .Spec.Labels "frankenphp-e2e-swarm"}}' 2>/dev/null || :)"
	[[ -n $owner ]] && ! is_live_run "$owner" swarm-scenarios.sh ||
		fail "the engine is already in a Swarm that this test did not create${owner:+ (or whose run $owner is still going)}: this test creates its own and leaves it"
	log "leaving the Swarm of run $owner, which did not clean up"
	for stack in $(docker stack ls --format '{{.Name}}' 2>/dev/null || :); do docker stack rm "$stack" >/dev/null || :; done
	docker swarm leave --force >/dev/null
	docker volume ls -q | { grep -E '^fpswarm[0-9]+_mysql-data$' || :; } | xargs -r docker volume rm >/dev/null 2>&1 || :
fi
[[ -r $PASSWORD_FILE ]] || fail "$PASSWORD_FILE is missing (run src/test/infra/setup.sh)"
rm -rf "$OUT"
mkdir -p "$OUT" "$SERVER" "$DOCKER_CONFIG_DIR"
bash "$SCRIPT_DIR/images/build.sh" >"$OUT/images.log" 2>&1 || { tail -n 30 "$OUT/images.log" >&2; fail "stand-in images"; }
if [[ ${E2E_SKIP_PLUGIN_INSTALL:-} != 1 ]]; then
	(cd "$ROOT" && { ./mvnw -B -q -o install -DskipTests -Dinvoker.skip || ./mvnw -B -q install -DskipTests -Dinvoker.skip; }) \
		>"$OUT/plugin-install.log" 2>&1 || { tail -n 40 "$OUT/plugin-install.log" >&2; fail "plugin install failed"; }
fi
step_done

step "fixture: mvn deploy (build and push, release skipped) with the swarm target"
PLUGIN_VERSION="$(sed -n 's:^  <version>\(.*\)</version>:\1:p;T;q' "$ROOT/pom.xml")"
cp -a "$SCRIPT_DIR/fixture/backend-api" "$APP"
rm -rf "$APP/target" "$APP/vendor"
sed -i "/<artifactId>frankenphp-maven-plugin<\/artifactId>/{n;s:<version>.*</version>:<version>$PLUGIN_VERSION</version>:}" "$APP/pom.xml"
# This run's own overlay network (the compose e2e's docker_internal may exist as a bridge).
sed -i "s:<compose>:<compose><network>$NETWORK</network>:" "$APP/pom.xml"
grep -q "<network>$NETWORK</network>" "$APP/pom.xml" || fail "could not set the network in the fixture pom"
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
PORT=""
for _ in $(seq 1 50); do
	candidate=$((20000 + RANDOM % 20000))
	if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then PORT=$candidate; break; fi
done
[[ -n $PORT ]] || fail "no free port found"
readonly PORT HEALTH_URL="http://127.0.0.1:$PORT/api/health"
VERSION_1="swarm-1-$RUN_ID"
set_app_version "$VERSION_1"
mvn_swarm build-1 success deploy -Dfrankenphp.release.skip=true
TAG1="$(pushed_version)"
VERSION_TAGS+=("$TAG1")
for f in docker-stack.yml Caddyfile.stack .env.production.example DEPLOY.md; do
	[[ -f $APP/target/frankenphp/$f ]] || fail "$f was not rendered with the swarm target"
	cp "$APP/target/frankenphp/$f" "$SERVER/"
done
step_done

step "0. the swarm release against an engine that is not in a Swarm"
mvn_swarm not-a-manager failure frankenphp:release
grep -q 'is not part of a Swarm' "$MVN_LOG" || fail "no clear error for an engine outside a Swarm: $(grep ERROR "$MVN_LOG" | head -3)"
result "not a manager: $(grep -m1 -o 'The engine at .* is not part of a Swarm[^.]*' "$MVN_LOG")"
step_done

# --------------------------------------------------------------------------------- the Swarm
ADVERTISE_ADDR=127.0.0.1
if ((SECOND_NODE)); then
	step "a second Docker engine in a network namespace (the worker of 7)"
	second_node_start
	ADVERTISE_ADDR="$SWARM_ADDR" # an address the worker reaches
	step_done
fi

step "docker swarm init --advertise-addr $ADVERTISE_ADDR"
SWARM_CREATED=1
docker swarm init --advertise-addr "$ADVERTISE_ADDR" >/dev/null
# Marks this Swarm as this run's, so that a later run may leave it if this one is killed before its clean-up.
docker node update --label-add "frankenphp-e2e-swarm=$$" "$(docker info --format '{{.Swarm.NodeID}}')" >/dev/null
NODE="$(docker info --format '{{.Name}}')"
step_done

step "1. first install: docker stack deploy, as DEPLOY.md says"
DOCKER_CONFIG="$DOCKER_CONFIG_DIR" docker login "$REGISTRY" --username "$REGISTRY_USER" --password-stdin <"$PASSWORD_FILE" >/dev/null 2>&1 ||
	fail "docker login failed"
on_server "$(deploy_md '^docker network create -d overlay --attachable ')"
on_server "$(deploy_md '^docker node update --label-add ' | sed "s/<node>/$NODE/")"
on_server "$(deploy_md '^cp \.env\.production\.example ')"
DB_DATABASE="$(sed -n 's/^DB_DATABASE=//p' "$SERVER/.env.production")"
APP_KEY="$(docker run --rm "$REPOSITORY:$TAG1" php artisan key:generate --show | tr -d '\r' | tail -n 1)"
DB_PASSWORD="db-$(openssl rand -hex 12)"
DB_ROOT_PASSWORD="root-$(openssl rand -hex 12)"
sed -i "s|^APP_KEY=.*|APP_KEY=$APP_KEY|; s|^DB_PASSWORD=.*|DB_PASSWORD=$DB_PASSWORD|; s|^DB_ROOT_PASSWORD=.*|DB_ROOT_PASSWORD=$DB_ROOT_PASSWORD|" "$SERVER/.env.production"
chmod 600 "$SERVER/.env.production"
STACK_DEPLOY="$(deploy_md '^docker stack deploy ')"
[[ $STACK_DEPLOY == *"--with-registry-auth"* && $STACK_DEPLOY == *" $STACK" ]] || fail "DEPLOY.md's stack command: $STACK_DEPLOY"
t0=$EPOCHREALTIME
on_server "$STACK_DEPLOY" >"$OUT/stack-deploy-1.log" 2>&1 || { cat "$OUT/stack-deploy-1.log" >&2; fail "docker stack deploy failed"; }
if grep -qF "$DB_PASSWORD" "$SERVER/docker-stack.yml"; then fail "a secret is in docker-stack.yml"; fi
wait_until "mysql healthy" 180 has_healthy_tasks mysql 1
on_server "$(deploy_md '^docker run --rm --network .* artisan migrate --force')" >"$OUT/first-migrate.log" 2>&1 || { cat "$OUT/first-migrate.log" >&2; fail "DEPLOY.md's first migrations failed"; }
wait_until "2 healthy app tasks" 180 has_healthy_tasks app 2
wait_until "/api/health 200 through the proxy" 60 health_is_200
wait_until "$VERSION_1 answers" 30 all_answers_are "$VERSION_1"
result "first install: stack up and serving in $(elapsed "$t0")s (mysql healthy, 2 healthy app tasks, proxy in host mode on $PORT)"
push_job "swarm-first-$RUN_ID"
wait_until "the queue processes a job" 60 job_processed "swarm-first-$RUN_ID" "$VERSION_1"
wait_until "a scheduler heartbeat" 60 heartbeat_seen "$VERSION_1"
[[ $(running_tasks scheduler) == 1 ]] || fail "$(running_tasks scheduler) scheduler tasks run"
[[ $(docker service inspect --format '{{json .Spec.TaskTemplate.Placement.Constraints}}' "$(service mysql)") == *'node.labels.frankenphp.database == true'* ]] ||
	fail "mysql is not placed by the node label"
step_done

if [[ $SCENARIOS == install ]]; then
	PASSED=1
	exit 0
fi

# ---------------------------------------------------------------------------------- releases
if [[ $SCENARIOS != scale ]]; then
step "2. release under load: mvn deploy with the swarm target"
VERSION_2="swarm-2-$RUN_ID"
set_app_version "$VERSION_2"
release_migration 2026_12_02_100000_create_swarm_markers_table 'CREATE TABLE swarm_markers AS SELECT NOW(3) AS migrated_at'
load_start release
t0=$EPOCHREALTIME
watch_version "$VERSION_2" "$WORK/live-2"
mvn_swarm release-2 success deploy
took="$(elapsed "$t0")"
wait_until "every answer from $VERSION_2" 30 test -s "$WORK/live-2"
live="$(elapsed "$t0" "$(cat "$WORK/live-2")")"
load_stop_expect_no_failure "the release"
TAG2="$(pushed_version)"
VERSION_TAGS+=("$TAG2")
DIGEST2="$(pushed_digest "$TAG2")"
[[ $(task_images app) == "$REPOSITORY:$TAG2@$DIGEST2" ]] || fail "app tasks do not all run $TAG2@$DIGEST2: $(task_images app | xargs)"
[[ $(task_images queue) == "$REPOSITORY:$TAG2@$DIGEST2" && $(task_images scheduler) == "$REPOSITORY:$TAG2@$DIGEST2" ]] ||
	fail "queue/scheduler do not run $TAG2"
[[ $(healthy_tasks app) == 2 ]] || fail "$(healthy_tasks app) healthy app tasks after the release"
[[ $(sql "SELECT COUNT(*) FROM swarm_markers") == 1 ]] || fail "the migration did not run exactly once"
[[ $(sql "SELECT COUNT(*) FROM migrations WHERE migration = '2026_12_02_100000_create_swarm_markers_table'") == 1 ]] ||
	fail "the migration is not recorded exactly once"
grep -q "Running the migrations of $TAG2 once, as the Swarm job $(service migrate)" "$MVN_LOG" || fail "the log does not show the migration job"
[[ -z $(docker service ls -q --filter "name=$(service migrate)") ]] || fail "the migration job was left behind"
! docker inspect "$STACK-release-lock" >/dev/null 2>&1 || fail "the release left its lock container $STACK-release-lock"
push_job "swarm-2-$RUN_ID"
wait_until "the queue on $VERSION_2 processes a job" 60 job_processed "swarm-2-$RUN_ID" "$VERSION_2"
step_s="$(sed -n -E 's/.*Released .* in ([0-9.]+) s.*/\1/p' "$MVN_LOG" | tail -n 1)"
result "release under load: every answer from the new version ${live}s after mvn deploy started; mvn deploy ${took}s (release step ${step_s}s); $LAST_LOAD"
step_done

step "3. broken release: Swarm rolls back by itself"
touch "$APP/BROKEN_HEALTH"
set_app_version "swarm-broken-$RUN_ID"
app_index="$(spec_index app)"
load_start broken
t0=$EPOCHREALTIME
mvn_swarm release-broken failure deploy
took="$(elapsed "$t0")"
load_stop_expect_no_failure "the broken release"
rm -f "$APP/BROKEN_HEALTH"
TAG_BROKEN="$(pushed_version)"
VERSION_TAGS+=("$TAG_BROKEN")
grep -q "Swarm rolled $(service app) back" "$MVN_LOG" || fail "the build does not say Swarm rolled app back"
grep -q "Tasks of the new version that ended:" "$MVN_LOG" || fail "the build does not name the failing task"
grep -q "health unhealthy, last health check (exit" "$MVN_LOG" || fail "the build does not give the failing task's health check"
all_answers_are "$VERSION_2" || fail "$VERSION_2 does not serve after the broken release"
[[ $(task_images app) == "$REPOSITORY:$TAG2@$DIGEST2" ]] || fail "app tasks are not back on $TAG2: $(task_images app | xargs)"
[[ $(registry_digest latest) == "$(registry_digest "$TAG2")" ]] || fail "latest does not name $TAG2 after the broken release"
grep -q "latest in the registry points to $TAG2 again" "$MVN_LOG" || fail "the build does not say latest was moved back"
result "broken release: Swarm rolled back, build failed after ${took}s naming: $(grep -m1 -o 'task [0-9a-z]* (slot [0-9]*): .*' "$MVN_LOG" | cut -c1-220); $LAST_LOAD"
step_done

step "4. rollback to the first version: mvn frankenphp:rollback"
load_start rollback
t0=$EPOCHREALTIME
watch_version "$VERSION_1" "$WORK/live-rollback"
mvn_swarm rollback success frankenphp:rollback -Dfrankenphp.rollback.version="$TAG1"
took="$(elapsed "$t0")"
wait_until "every answer from $VERSION_1" 30 test -s "$WORK/live-rollback"
live="$(elapsed "$t0" "$(cat "$WORK/live-rollback")")"
load_stop_expect_no_failure "the rollback"
[[ $(task_images app) == "$REPOSITORY:$TAG1@"* ]] || fail "app tasks do not run $TAG1: $(task_images app | xargs)"
[[ $(registry_digest latest) == "$(registry_digest "$TAG1")" ]] || fail "latest does not name $TAG1 after the rollback"
result "rollback: every answer from $TAG1 ${live}s after the goal started; goal ${took}s; $LAST_LOAD"
step_done

fi

step "5. replicas 3: the stack deployed again, then a release keeps 3 healthy tasks"
mvn_swarm render-3 success frankenphp:generate -Dfrankenphp.release.replicas=3
cp "$APP/target/frankenphp/docker-stack.yml" "$SERVER/"
on_server "$STACK_DEPLOY" >"$OUT/stack-deploy-3.log" 2>&1 || { cat "$OUT/stack-deploy-3.log" >&2; fail "docker stack deploy (3 replicas) failed"; }
wait_until "3 healthy app tasks" 180 has_healthy_tasks app 3
VERSION_3="swarm-3-$RUN_ID"
release_under_load scale "the release with 3 replicas" "$VERSION_3" release-3 -Dfrankenphp.release.replicas=3
TAG3="$RELEASED_TAG"
[[ $(healthy_tasks app) == 3 && $(running_tasks app) == 3 ]] || fail "not 3 healthy app tasks after the release: $(healthy_tasks app)"
[[ $(task_images app) == "$REPOSITORY:$TAG3@"* ]] || fail "app tasks do not run $TAG3"
grep -q "(3 app tasks)" "$MVN_LOG" || fail "the build does not report 3 app tasks"
all_answers_are "$VERSION_3" || fail "$VERSION_3 does not serve"
result "replicas 3: release in ${RELEASE_TOOK}s, 3 healthy tasks on $TAG3; $LAST_LOAD"
step_done

step "6. failures that change nothing"
app_index="$(spec_index app)"
# Another release holds the manager's lock: a release (and a rollback) fails at once and changes nothing.
docker run -d --name "$STACK-release-lock" --label "com.docker.stack.namespace=$STACK" --label fr.miweb.frankenphp.release-holder=e2e-other-release \
	--network none --entrypoint sleep "$REPOSITORY:$TAG3" 300 >/dev/null
latest_before="$(registry_digest latest)"
for goal in frankenphp:release "frankenphp:rollback -Dfrankenphp.rollback.version=$TAG3"; do
	# shellcheck disable=SC2086 # the goal and its property
	mvn_swarm locked failure $goal
	grep -q "Another release is running on this server: the lock container $STACK-release-lock is held by e2e-other-release" "$MVN_LOG" ||
		fail "$goal under another's lock does not name it: $(grep ERROR "$MVN_LOG" | head -3)"
	[[ $(spec_index app) == "$app_index" ]] || fail "$goal under another's lock changed the app service"
	[[ $(registry_digest latest) == "$latest_before" ]] || fail "$goal under another's lock moved latest in the registry"
done
docker rm -f "$STACK-release-lock" >/dev/null
mvn_swarm no-stack failure frankenphp:release -Dfrankenphp.release.project=nostack$$
grep -q "This Swarm has no stack nostack$$" "$MVN_LOG" || fail "no clear error for a missing stack: $(grep ERROR "$MVN_LOG" | head -3)"
docker service rm "$(service scheduler)" >/dev/null
mvn_swarm missing-service failure frankenphp:release
grep -q "has no service $(service scheduler)" "$MVN_LOG" || fail "no clear error for a missing service: $(grep ERROR "$MVN_LOG" | head -3)"
[[ $(spec_index app) == "$app_index" ]] || fail "a failed release changed the app service"
result "no stack: $(grep -m1 -o 'This Swarm has no stack [^:]*' "$MVN_LOG" 2>/dev/null || echo ok); missing service: named; lock held by another release: refused, naming the holder; app service unchanged"
step_done

if ((SECOND_NODE)); then
step "7. a second node: $NODE2_NAME joins, the stack is deployed again, a release under load spreads app over both nodes"
second_node_join
on_server "$STACK_DEPLOY" >"$OUT/stack-deploy-2-nodes.log" 2>&1 || { cat "$OUT/stack-deploy-2-nodes.log" >&2; fail "docker stack deploy on two nodes failed"; }
wait_until "the proxy on $NODE2_NAME answers /api/health (mode: global, host port $PORT)" 180 node2_health_is_200
wait_until "a scheduler task again" 120 has_running_tasks scheduler 1
VERSION_4="swarm-4-$RUN_ID"
release_under_load two-nodes "the release on two nodes" "$VERSION_4" release-4 -Dfrankenphp.release.replicas=3
TAG4="$RELEASED_TAG"
[[ $(task_images app) == "$REPOSITORY:$TAG4@"* ]] || fail "app tasks do not all run $TAG4: $(task_images app | xargs)"
APP_NODES="$(task_nodes app)"
[[ $APP_NODES == *" $NODE"* && $APP_NODES == *" $NODE2_NAME"* ]] || fail "app tasks are not on both nodes: $APP_NODES"
[[ $(task_nodes mysql) == "1 $NODE" ]] || fail "mysql left the labelled node $NODE: $(task_nodes mysql)"
# Through the manager's proxy, answers come from the worker's tasks too (the overlay network across nodes).
WORKER_HOSTS="$("${NODE2_DOCKER[@]}" ps -q --filter "label=com.docker.swarm.service.name=$(service app)" | cut -c1-12 | xargs)"
[[ -n $WORKER_HOSTS ]] || fail "no app container on $NODE2_NAME"
answered_by_worker=0
answered_by_manager=0
for _ in $(seq 1 30); do
	answer="$(curl -fsS --max-time 3 "http://127.0.0.1:$PORT/api/version")" || fail "GET /api/version through the manager's proxy failed"
	[[ $(jq -r .version <<<"$answer") == "$VERSION_4" ]] || fail "an answer is not from $VERSION_4: $answer"
	if [[ " $WORKER_HOSTS " == *" $(jq -r .host <<<"$answer") "* ]]; then
		answered_by_worker=$((answered_by_worker + 1))
	else
		answered_by_manager=$((answered_by_manager + 1))
	fi
done
((answered_by_worker > 0 && answered_by_manager > 0)) ||
	fail "30 answers through the manager's proxy: $answered_by_worker from $NODE2_NAME's tasks, $answered_by_manager from $NODE's"
[[ $(curl -fsS --max-time 3 "http://$NODE2_ADDR:$PORT/api/version" | jq -r .version) == "$VERSION_4" ]] ||
	fail "the proxy on $NODE2_NAME does not serve $VERSION_4"
result "two nodes: release in ${RELEASE_TOOK}s; app tasks per node: $APP_NODES; mysql on $NODE (label); 30 answers through $NODE's proxy: $answered_by_worker from $NODE2_NAME's tasks, $answered_by_manager from $NODE's; $NODE2_NAME's own proxy serves $VERSION_4; $LAST_LOAD"
step_done
fi

PASSED=1
