# Sourced by bench/run.sh: the `release` scenario. The plugin's release to a compose stack
# (`mvn deploy` with <release><target>compose</target> over ssh://) against DEPLOY.md's "update by
# hand" (`mvn deploy` with the release skipped, then `docker-compose pull app queue scheduler` and
# `up -d app queue scheduler`), and the plugin's rollback against DEPLOY.md's manual rollback
# (APP_IMAGE_TAG=<version> in .env.production, `up -d`), side by side on ONE stack, under load.
#
# The stack is set up once, as src/test/e2e/run.sh does it (the e2e fixture app, its stand-in
# images, a first `mvn deploy`, DEPLOY.md's first install with docker-compose 1.29, a compose
# project and an image repository of this run's own). Then:
#   - BENCH_RELEASE_RUNS rounds (3), each releasing a NEW version (app/Version.php changed) once
#     with each way, in a rotating order. Measured from the start of `mvn deploy` to the first
#     answer of /api/version (through the proxy's published port, polled every 0.1 s) that reports
#     the new version; the release step alone (plugin: its "Released ... in X s"; manual: pull +
#     up -d); failed requests of load.sh (wrk, non-200 + socket errors) run for the whole round.
#   - plugin-c1, in the same rotation: the plugin again, with MAVEN_OPTS=-XX:TieredStopAtLevel=1 (C1
#     only; the `.mvn/jvm.config` that docs/deploy.md recommends for the deploying machine). Not the
#     targets' figure: it shows how much of a release or rollback is the JIT compiling in a short JVM.
#   - BENCH_ROLLBACK_RUNS rounds (3): from the newest version back to the one before, with
#     `mvn frankenphp:rollback -Dfrankenphp.rollback.version=<previous>` and with APP_IMAGE_TAG +
#     `up -d`, rotating; each is undone afterwards, untimed and without load (plugin: rollback to
#     the newest; manual: APP_IMAGE_TAG emptied, `up -d`), so every round starts from the newest.
# Everything it creates (containers, volumes, the network if it created it, the local tags of its
# repository, the release lock and migration containers) is removed at the end, on failure too.
#
# Needs, besides run.sh's: docker-compose 1.x, wrk, jq, src/test/infra/setup.sh's sshd and host alias
# frankenphp-server (root's ~/.ssh/config), debootstrap for the stand-in images (cached).

E2E_DIR="$ROOT/src/test/e2e"
REL_WORK="$WORK/release-$RUN_ID"
REL_APP="$REL_WORK/backend-api"
REL_SERVER="$REL_WORK/server"
REL_PROJECT="fpbench$RUN_ID"
REL_IMAGE="bench/release-$RUN_ID"
REL_REPOSITORY="$REGISTRY/$REL_IMAGE"
REL_PORT=""
REL_LOAD=""
REL_WATCH_PID=""
REL_CREATED_NETWORK=""
REL_STARTED=0
REL_TAGS=()     # version tags released, oldest first
REL_STRINGS=()  # the APP_VERSION string of each
REL_SERVE_TIMEOUT=180
# The load during each timed run: about this many requests/s, steady (load.sh's LOAD_RATE), as the
# targets state it ("a steady load of at least 50 requests/s"); empty: flat out, which on this 2-core
# machine keeps both cores busy with the load alone, and Maven, ssh and the engine then queue for CPU.
REL_LOAD_RATE=${BENCH_LOAD_RATE-70}

rel_cid() { docker ps -q --filter "label=com.docker.compose.project=$REL_PROJECT" --filter "label=com.docker.compose.service=$1"; }
rel_version() { curl -fsS --max-time 2 "http://127.0.0.1:$REL_PORT/api/version" 2>/dev/null | jq -r .version 2>/dev/null; }
rel_mysql_healthy() { [[ $(docker inspect --format '{{.State.Health.Status}}' "$(rel_cid mysql)" 2>/dev/null) == healthy ]]; }
rel_has_app() { [[ -n $(rel_cid app) ]]; }

# Waits until COMMAND succeeds, at most TIMEOUT seconds.
rel_wait() { # DESCRIPTION TIMEOUT COMMAND...
	local what="$1" timeout="$2" start=$SECONDS
	shift 2
	until "$@" >/dev/null 2>&1; do
		((SECONDS - start < timeout)) || die "release: timed out after ${timeout}s waiting for: $what"
		sleep 0.5
	done
}

# The stack at rest on VERSION: one app container, healthy, serving VERSION through the proxy; queue
# and scheduler running on the image of app; no release lock left.
rel_steady() { # VERSION
	local apps
	apps=$(rel_cid app)
	[[ $(wc -w <<<"$apps") == 1 ]] || return 1
	[[ $(docker inspect --format '{{.State.Health.Status}}' "$apps") == healthy ]] || return 1
	[[ $(rel_version) == "$1" ]] || return 1
	local image service
	image=$(docker inspect --format '{{.Image}}' "$apps")
	for service in queue scheduler; do
		[[ $(docker inspect --format '{{.State.Running}} {{.Image}}' "$(rel_cid "$service")" 2>/dev/null) == "true $image" ]] || return 1
	done
	! docker inspect "$REL_PROJECT-release-lock" >/dev/null 2>&1
}

# A command line of a fenced code block of the generated DEPLOY.md (as src/test/e2e/run.sh reads it).
rel_deploy_md() { # REGEX
	local line
	line="$(awk -v re="$1" '/^```/ { block = !block; next } block && $0 ~ re { print; exit }' "$REL_SERVER/DEPLOY.md")"
	[[ -n $line ]] || die "release: no line matching /$1/ in a code block of the generated DEPLOY.md"
	printf '%s\n' "$line"
}
# DEPLOY.md's `docker compose -p <project> ...` as docker-compose 1.29.
rel_compose_v1() {
	[[ $1 == "docker compose -p $REL_PROJECT "* ]] || die "release: not a docker compose command for project $REL_PROJECT: $1"
	printf 'docker-compose %s\n' "${1#docker compose }"
}
rel_on_server() { # COMMAND LOGFILE
	(cd "$REL_SERVER" && DOCKER_CONFIG="$WORK/docker-config" bash -c "$1") >>"$2" 2>&1
}
rel_set_env() { # KEY VALUE: in .env.production
	grep -q "^$1=" "$REL_SERVER/.env.production" || die "release: $1 is not in .env.production"
	sed -i "s|^$1=.*|$1=$2|" "$REL_SERVER/.env.production"
}
rel_set_app_version() { # STRING: baked into app/Version.php, as src/test/e2e/run.sh's set_app_version
	sed -i "s/public const APP_VERSION = '[^']*';/public const APP_VERSION = '$1';/" "$REL_APP/app/Version.php"
	grep -q "APP_VERSION = '$1'" "$REL_APP/app/Version.php" || die "release: could not set APP_VERSION in app/Version.php"
}

# mvn in the fixture, offline, with timestamps; the release properties of this run. Sets RC.
# REL_JVM_OPTS: more MAVEN_OPTS, for the round's way (plugin-c1).
rel_mvn() { # LOGFILE ARGS...
	local logfile="$1"
	shift
	(cd "$REL_APP" && MAVEN_OPTS="$MAVEN_TS_OPTS${REL_JVM_OPTS:+ $REL_JVM_OPTS}" "$MVNW" -B -o -s "$WORK/settings.xml" \
		-De2e.imageName="$REL_IMAGE" -De2e.publishedPort="$REL_PORT" -Dfrankenphp.release.project="$REL_PROJECT" \
		-Dfrankenphp.release.target=compose -Dfrankenphp.release.dockerHost=ssh://frankenphp-server "$@") >"$logfile" 2>&1
	RC=$?
}

# The MAVEN_OPTS a plugin way adds: plugin-c1 stops the JIT at C1.
rel_jvm_opts() { # TOOL
	[[ $1 == plugin-c1 ]] && echo "-XX:TieredStopAtLevel=1"
	return 0
}

# Polls /api/version every 0.1 s in the background; writes the epoch time at which it first reports
# VERSION into FILE.
rel_watch() { # VERSION FILE
	rm -f "$2"
	(
		trap 'exit 0' TERM
		while :; do
			if [[ $(rel_version) == "$1" ]]; then
				printf '%s\n' "$EPOCHREALTIME" >"$2"
				exit 0
			fi
			sleep 0.1
		done
	) &
	REL_WATCH_PID=$!
}
rel_watch_wait() { # FILE: waits for the watcher (at most REL_SERVE_TIMEOUT s); true when it saw the version
	local start=$SECONDS
	while [[ ! -s $1 ]] && ((SECONDS - start < REL_SERVE_TIMEOUT)); do sleep 0.1; done
	rel_watch_stop
	[[ -s $1 ]]
}
rel_watch_stop() {
	if [[ -n $REL_WATCH_PID ]]; then
		kill "$REL_WATCH_PID" 2>/dev/null
		wait "$REL_WATCH_PID" 2>/dev/null
		REL_WATCH_PID=""
	fi
}

rel_load_start() { # OUTDIR
	REL_LOAD="$1"
	LOAD_RATE="$REL_LOAD_RATE" bash "$E2E_DIR/load.sh" start "http://127.0.0.1:$REL_PORT/api/health" "$REL_LOAD" 2>>"$LOGS/release-load.log" ||
		die "release: load.sh start failed (see $LOGS/release-load.log)"
}
# Stops the load; sets LOAD_JSON (load.sh's summary as JSON, plus wrk's maximum latency).
rel_load_stop() {
	local summary
	summary="$(bash "$E2E_DIR/load.sh" stop "$REL_LOAD" 2>>"$LOGS/release-load.log")"
	if [[ $summary != LOAD_SUMMARY* ]]; then
		# wrk gone before the end of the run (no summary: its output is buffered): the run's load is unknown.
		LOAD_JSON='{"error": "wrk exited before the end of the run, no summary"}'
		log "  load: wrk exited before the end of the run (see $LOGS/release-load.log); failed requests unknown"
		REL_LOAD=""
		return
	fi
	LOAD_JSON=$(python3 - "$summary" "$REL_LOAD/wrk.out" "$REL_LOAD_RATE" <<'EOF'
import json, re, sys
line, wrk_out, rate = sys.argv[1], sys.argv[2], sys.argv[3]
obj = {"steadyRate": int(rate) if rate else None}
for pair in line.split()[1:]:
    k, _, v = pair.partition("=")
    try:
        obj[k] = json.loads(v)
    except ValueError:
        obj[k] = v
try:
    m = re.search(r"^\s*Latency\s+\S+\s+\S+\s+([0-9.]+)(us|ms|s|m)\b", open(wrk_out).read(), re.M)
    if m:
        obj["maxLatencyS"] = float(m.group(1)) * {"us": 1e-6, "ms": 1e-3, "s": 1, "m": 60}[m.group(2)]
except OSError:
    pass
print(json.dumps(obj) if obj else "{}")
EOF
)
	REL_LOAD=""
}

# ------------------------------------------------------------------------------------- setup
release_setup() {
	local tool
	for tool in docker-compose wrk jq ssh; do
		command -v "$tool" >/dev/null || die "release: $tool is missing (src/test/infra/setup.sh)"
	done
	[[ $(docker-compose version --short) == 1.* ]] || die "release: docker-compose 1.x expected"
	timeout 30 env DOCKER_HOST=ssh://frankenphp-server docker version --format '{{.Server.Version}}' >/dev/null 2>&1 ||
		die "release: ssh://frankenphp-server does not reach the engine (src/test/infra/setup.sh)"
	log "release: stand-in images (src/test/e2e/images/build.sh)"
	bash "$E2E_DIR/images/build.sh" >"$LOGS/release-images.log" 2>&1 || die "release: stand-in images failed (see $LOGS/release-images.log)"

	REL_STARTED=1
	mkdir -p "$REL_WORK" "$REL_SERVER"
	cp -a "$E2E_DIR/fixture/backend-api" "$REL_APP"
	rm -rf "$REL_APP/target" "$REL_APP/vendor"
	local plugin_version
	plugin_version="$(sed -n 's:^  <version>\(.*\)</version>:\1:p;T;q' "$ROOT/pom.xml")"
	sed -i "/<artifactId>frankenphp-maven-plugin<\/artifactId>/{n;s:<version>.*</version>:<version>$plugin_version</version>:}" "$REL_APP/pom.xml"
	grep -q "<version>$plugin_version</version>" "$REL_APP/pom.xml" || die "release: could not set the plugin version in the fixture pom"
	local candidate
	for _ in $(seq 1 50); do
		candidate=$((20000 + RANDOM % 20000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
			REL_PORT=$candidate
			break
		fi
	done
	[[ -n $REL_PORT ]] || die "release: no free port"

	log "release: first mvn deploy of the fixture (project $REL_PROJECT, image $REL_REPOSITORY, port $REL_PORT)"
	rel_set_app_version "bench-0-$RUN_ID"
	rel_mvn "$LOGS/release-setup-deploy.log" deploy -Dfrankenphp.release.skip=true
	((RC == 0)) || die "release: first mvn deploy failed (see $LOGS/release-setup-deploy.log)"
	REL_TAGS+=("$(jq -r .version "$REL_APP/target/frankenphp/image.json")")
	REL_STRINGS+=("bench-0-$RUN_ID")

	log "release: first install as DEPLOY.md describes (docker-compose 1.29)"
	local f slog="$LOGS/release-server.log"
	for f in docker-compose.prod.yml .env.production.example Caddyfile DEPLOY.md; do
		cp "$REL_APP/target/frankenphp/$f" "$REL_SERVER/"
	done
	REL_UP="$(rel_compose_v1 "$(rel_deploy_md '^docker compose .* up -d$')")"
	REL_PULL="$(rel_compose_v1 "$(rel_deploy_md '^docker compose .* pull app queue scheduler$')")"
	REL_UPDATE="$(rel_compose_v1 "$(rel_deploy_md '^docker compose .* up -d app queue scheduler$')")"
	local migrate network_cmd network keygen app_key
	migrate="$(rel_compose_v1 "$(rel_deploy_md '^docker compose .* artisan migrate')")"
	network_cmd="$(rel_deploy_md '^docker network create ')"
	network="${network_cmd#docker network create }"
	keygen="$(rel_deploy_md 'key:generate --show')"
	keygen="${keygen#*APP_KEY: }"
	log "release: from DEPLOY.md: $REL_PULL | $REL_UPDATE | $REL_UP"
	if ! docker network inspect "$network" >/dev/null 2>&1; then
		rel_on_server "$network_cmd" "$slog" || die "release: $network_cmd failed"
		REL_CREATED_NETWORK="$network"
	fi
	rel_on_server "$(rel_deploy_md '^cp \.env\.production\.example ')" "$slog"
	app_key="$(cd "$REL_SERVER" && DOCKER_CONFIG="$WORK/docker-config" bash -c "$keygen" 2>>"$slog" | tr -d '\r' | tail -n 1)"
	[[ $app_key =~ ^base64: ]] || die "release: DEPLOY.md's key:generate gave no key (see $slog)"
	rel_set_env APP_KEY "$app_key"
	rel_set_env DB_PASSWORD "db-$(openssl rand -hex 12)"
	rel_set_env DB_ROOT_PASSWORD "root-$(openssl rand -hex 12)"
	rel_on_server "$(rel_deploy_md '^chmod 600 ')" "$slog"
	rel_on_server "$REL_UP" "$slog" || die "release: $REL_UP failed (see $slog)"
	rel_wait "mysql healthy" 180 rel_mysql_healthy
	rel_wait "app container" 60 rel_has_app
	rel_on_server "$migrate </dev/null" "$slog" || die "release: migrations failed (see $slog)"
	rel_wait "the first version serving, steady" 120 rel_steady "bench-0-$RUN_ID"
	log "release: stack $REL_PROJECT up on port $REL_PORT"
}

# --------------------------------------------------------------------------------- releases
# release_round ROUND TOOL: a new version, released by TOOL (plugin | plugin-c1 | manual), under load.
release_round() {
	local round="$1" tool="$2" version="bench-$1-$2-$RUN_ID" base="$LOGS/release-$1-$2"
	rel_wait "steady on ${REL_STRINGS[-1]} before round $round $tool" 120 rel_steady "${REL_STRINGS[-1]}"
	rel_set_app_version "$version"
	rel_load_start "$base-load"
	sleep 1
	rel_watch "$version" "$base.live"
	local t0 t_mvn t_step0="" t_step1="" ok=true
	t0=$EPOCHREALTIME
	if [[ $tool == plugin* ]]; then
		REL_JVM_OPTS="$(rel_jvm_opts "$tool")" rel_mvn "$base.log" deploy
		t_mvn=$EPOCHREALTIME
	else
		rel_mvn "$base.log" deploy -Dfrankenphp.release.skip=true
		t_mvn=$EPOCHREALTIME
		if ((RC == 0)); then
			t_step0=$EPOCHREALTIME
			rel_on_server "$REL_PULL" "$base.compose.log" && rel_on_server "$REL_UPDATE" "$base.compose.log" || RC=$?
			t_step1=$EPOCHREALTIME
		fi
	fi
	((RC == 0)) || ok=false
	rel_watch_wait "$base.live" || ok=false
	sleep 2
	rel_load_stop
	local tag
	tag="$(jq -r .version "$REL_APP/target/frankenphp/image.json")"
	REL_TAGS+=("$tag")
	REL_STRINGS+=("$version")
	local live=null to_serving=null step=null step_to_serving=null phases='{}'
	[[ -s $base.live ]] && live=$(<"$base.live")
	if [[ $live != null ]]; then
		to_serving=$(awk -v a="$t0" -v b="$live" 'BEGIN { printf "%.3f", b - a }')
	fi
	if [[ $tool == plugin* ]]; then
		step=$(sed -n -E 's/.*Released .* in ([0-9.]+) s.*/\1/p' "$base.log" | tail -n 1)
		[[ -n $step ]] || step=null
		phases=$(python3 "$BENCH_DIR/lib/release_phases.py" "$base.log" "$live" 2>/dev/null || echo '{}')
		step_to_serving=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get("releaseStartToServing","null"))' "$phases" 2>/dev/null || echo null)
	elif [[ -n $t_step0 ]]; then
		step=$(awk -v a="$t_step0" -v b="$t_step1" 'BEGIN { printf "%.3f", b - a }')
		[[ $live != null ]] && step_to_serving=$(awk -v a="$t_step0" -v b="$live" 'BEGIN { printf "%.3f", b - a }')
	fi
	record kind=release scenario=release round="$round" tool="$tool" ok="$ok" version="\"$version\"" tag="\"$tag\"" \
		toServing="$to_serving" mvnSeconds="$(awk -v a="$t0" -v b="$t_mvn" 'BEGIN { printf "%.3f", b - a }')" \
		stepSeconds="$step" stepToServing="$step_to_serving" load="$LOAD_JSON" phases="$phases" log="\"$base.log\"" \
		loadavg="\"$(cut -d' ' -f1-3 /proc/loadavg)\""
	log "  release round $round $tool: serving after ${to_serving}s (step ${step}s, step start to serving ${step_to_serving}s); load $(jq -c '{rps, failed, maxLatencyS}' <<<"$LOAD_JSON") ok=$ok"
	[[ $ok == true ]] || die "release round $round $tool failed (see $base.log)"
}

# rollback_round ROUND TOOL: from the newest version back to the one before, then undone.
rollback_round() {
	local round="$1" tool="$2" base="$LOGS/rollback-$1-$2"
	local new_tag="${REL_TAGS[-1]}" new_str="${REL_STRINGS[-1]}" old_tag="${REL_TAGS[-2]}" old_str="${REL_STRINGS[-2]}"
	rel_wait "steady on $new_str before rollback round $round $tool" 120 rel_steady "$new_str"
	rel_load_start "$base-load"
	sleep 1
	rel_watch "$old_str" "$base.live"
	local t0 t1 ok=true
	t0=$EPOCHREALTIME
	if [[ $tool == plugin* ]]; then
		REL_JVM_OPTS="$(rel_jvm_opts "$tool")" rel_mvn "$base.log" frankenphp:rollback -Dfrankenphp.rollback.version="$old_tag"
	else
		rel_set_env APP_IMAGE_TAG "$old_tag"
		RC=0
		rel_on_server "$REL_UP" "$base.log" || RC=$?
	fi
	t1=$EPOCHREALTIME
	((RC == 0)) || ok=false
	rel_watch_wait "$base.live" || ok=false
	sleep 2
	rel_load_stop
	local live=null to_serving=null step=null step_to_serving=null phases='{}'
	[[ -s $base.live ]] && live=$(<"$base.live")
	[[ $live != null ]] && to_serving=$(awk -v a="$t0" -v b="$live" 'BEGIN { printf "%.3f", b - a }')
	if [[ $tool == plugin* ]]; then
		step=$(sed -n -E 's/.*Rolled back .* in ([0-9.]+) s.*/\1/p' "$base.log" | tail -n 1)
		[[ -n $step ]] || step=null
		phases=$(python3 "$BENCH_DIR/lib/release_phases.py" "$base.log" "$live" 2>/dev/null || echo '{}')
		step_to_serving=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get("releaseStartToServing","null"))' "$phases" 2>/dev/null || echo null)
	else
		step=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
		step_to_serving=$to_serving
	fi
	record kind=release scenario=rollback round="$round" tool="$tool" ok="$ok" version="\"$old_str\"" tag="\"$old_tag\"" \
		toServing="$to_serving" commandSeconds="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" \
		stepSeconds="$step" stepToServing="$step_to_serving" load="$LOAD_JSON" phases="$phases" log="\"$base.log\"" loadavg="\"$(cut -d' ' -f1-3 /proc/loadavg)\""
	log "  rollback round $round $tool: $old_str serving after ${to_serving}s (step ${step}s); load $(jq -c '{rps, failed, maxLatencyS}' <<<"$LOAD_JSON") ok=$ok"
	[[ $ok == true ]] || die "rollback round $round $tool failed (see $base.log)"
	# Undone, untimed and without load, so that the next round starts from the newest version again.
	if [[ $tool == plugin* ]]; then
		rel_mvn "$base-undo.log" frankenphp:rollback -Dfrankenphp.rollback.version="$new_tag"
		((RC == 0)) || die "release: undoing rollback round $round failed (see $base-undo.log)"
	else
		rel_set_env APP_IMAGE_TAG ""
		rel_on_server "$REL_UP" "$base-undo.log" || die "release: unpinning after rollback round $round failed (see $base-undo.log)"
	fi
}

scenario_release() {
	log "release: one compose stack; $RELEASE_RUNS release rounds and $ROLLBACK_RUNS rollback rounds (plugin, plugin-c1, DEPLOY.md by hand), under load"
	release_setup
	local round tool
	for round in $(seq 1 "$RELEASE_RUNS"); do
		for tool in $(rotation "$round" plugin plugin-c1 manual); do
			release_round "$round" "$tool"
		done
	done
	for round in $(seq 1 "$ROLLBACK_RUNS"); do
		for tool in $(rotation "$round" plugin plugin-c1 manual); do
			rollback_round "$round" "$tool"
		done
	done
	release_cleanup
}

# ---------------------------------------------------------------------------------- cleanup
release_cleanup() {
	((REL_STARTED)) || return 0
	REL_STARTED=0
	rel_watch_stop
	[[ -n $REL_LOAD ]] && bash "$E2E_DIR/load.sh" stop "$REL_LOAD" >/dev/null 2>&1
	REL_LOAD=""
	log "release: cleanup (compose project $REL_PROJECT, its volumes, local tags of $REL_REPOSITORY)"
	if [[ -f $REL_SERVER/docker-compose.prod.yml && -f $REL_SERVER/.env.production ]]; then
		(cd "$REL_SERVER" && docker-compose -p "$REL_PROJECT" --env-file .env.production -f docker-compose.prod.yml \
			down -v --remove-orphans --timeout 10 >/dev/null 2>&1)
	fi
	# The plugin's own containers: retired ones carry the compose labels; the lock and migrations their names.
	{
		docker ps -aq --filter "label=com.docker.compose.project=$REL_PROJECT"
		docker ps -aq --filter "name=^$REL_PROJECT-"
	} | sort -u | xargs -r docker rm -f >/dev/null 2>&1
	docker volume ls -q --filter "label=com.docker.compose.project=$REL_PROJECT" | xargs -r docker volume rm >/dev/null 2>&1
	if [[ -n $REL_CREATED_NETWORK ]] && [[ $(docker network inspect --format '{{len .Containers}}' "$REL_CREATED_NETWORK" 2>/dev/null) == 0 ]]; then
		docker network rm "$REL_CREATED_NETWORK" >/dev/null 2>&1
	fi
	docker images --format '{{.Repository}}:{{.Tag}}' | grep -F "$REL_REPOSITORY:" | xargs -r docker image rm >/dev/null 2>&1
	rm -rf "$REL_WORK"
	return 0
}
