# Sourced by run.sh: the releases the plugin performs itself (<release><target>compose</target>),
# each under a steady load through the stack's proxy, counting every request that is not a 200.
# Runs after run.sh's own scenarios, on the same stack, fixture copy and registry.
#
#   1. mvn deploy over ssh:// (the real sshd of setup.sh, host alias frankenphp-server): 0 failed
#      requests, the new version serves, app/queue/scheduler on its image, its migration ran exactly
#      once and before the new app container started, a job longer than the swap completes once.
#   2. mvn frankenphp:rollback (no version: the one before) under load: 0 failed requests.
#   3. mvn frankenphp:release over tcp:// with mutual TLS (setup.sh's endpoint): 0 failed requests.
#   4. A broken release (health check never passes): fails within the deadline with the container's
#      log, the old version serves throughout, 0 failed requests.
#   5. A failing migration: the release stops with the migration's error, nothing is swapped.
#   6. Unknown host key, refused key, unreachable host: a clear failure within seconds, nothing changes.
#   7. Two releases at once: the second fails at once on the server's lock. Then the first is killed
#      (SIGKILL, as a crashed CI runner) while it waits for the health check: the lock goes with it,
#      the old version keeps serving, and the next frankenphp:release finishes the job. One app
#      container, on the new version, and no failed request from the first start to the end.
#   8. A rollback killed while the old queue worker finishes a running job (its workers step): the
#      next rollback finishes it. One queue worker and one scheduler, on the rolled-back image, the
#      job completed exactly once, one app container, and no failed request.

RELEASE_RESULTS=()
CURRENT_LOAD=""
readonly TLS_CERT_PATH=/var/lib/frankenphp-it/docker-tls/client
readonly RELEASE_HEALTH_TIMEOUT_S=25

# mvn in the fixture with the release configuration; the log goes to $OUT/mvn-LABEL.log.
mvn_release() { # LABEL EXPECT(success|failure) GOAL/ARGS...
	local label=$1 expect=$2 rc=0
	shift 2
	RELEASE_LOG="$OUT/mvn-$label.log"
	log "mvn $* ($label, expecting $expect), log: $RELEASE_LOG"
	(cd "$APP" && E2E_REGISTRY_PASSWORD="$(cat "$PASSWORD_FILE")" "$ROOT/mvnw" -B -s "$WORK/settings.xml" \
		-De2e.publishedPort="$PORT" -Dfrankenphp.release.project="$PROJECT" \
		-Dfrankenphp.release.target=compose -Dfrankenphp.release.dockerHost=ssh://frankenphp-server \
		-Dfrankenphp.release.healthTimeout="${RELEASE_HEALTH_TIMEOUT_S}s" -Dfrankenphp.release.drainTimeout=10s \
		"$@" >"$RELEASE_LOG" 2>&1) || rc=$?
	if grep -qF "$(cat "$PASSWORD_FILE")" "$RELEASE_LOG"; then fail "the registry password is in $RELEASE_LOG"; fi
	if [[ $expect == success && $rc != 0 ]]; then
		tail -n 60 "$RELEASE_LOG" >&2
		fail "mvn $* ($label) failed"
	fi
	if [[ $expect == failure && $rc == 0 ]]; then
		tail -n 40 "$RELEASE_LOG" >&2
		fail "mvn $* ($label) succeeded, but it should have failed"
	fi
}

long_job_reserved() { [[ $(sql "SELECT COUNT(*) FROM jobs WHERE reserved_at IS NOT NULL") -ge 1 ]]; }
app_count() { docker ps -q --filter "label=com.docker.compose.project=$PROJECT" --filter "label=com.docker.compose.service=app" | wc -l; }
# Seconds (from the log line "Released ... in X s" / "Rolled back ... in X s").
step_seconds() { sed -n -E 's/.*(Released|Rolled back) .* in ([0-9.]+) s.*/\2/p' "$RELEASE_LOG" | tail -n 1; }

# Polls /api/version every 0.2 s; prints the first epoch time at which it reports VERSION.
watch_version() { # VERSION FILE
	(
		trap 'exit 0' TERM
		while :; do
			if [[ $(curl -fsS --max-time 1 "http://127.0.0.1:$PORT/api/version" 2>/dev/null | jq -r .version 2>/dev/null) == "$1" ]]; then
				printf '%s\n' "$EPOCHREALTIME" >"$2"
				exit 0
			fi
			sleep 0.2
		done
	) &
	WATCH_PID=$!
}

release_scenarios() {
	local tag3 image3 t0 live mysql_before app_before seconds

	step "release: mvn deploy over ssh:// under load (migration, long job, swap)"
	wait_until "app healthy before the release" "$APP_HEALTHY_TIMEOUT" is_healthy app
	mysql_before="$(cid mysql)"
	mkdir -p "$APP/database/migrations"
	# The release's migration: a Laravel migration, which the release runs before the swap.
	release_migration 2026_12_02_000000_create_release_markers_table 'CREATE TABLE release_markers AS SELECT NOW(3) AS migrated_at'
	# A job that outlasts the swap, reserved by the old worker before the release starts. 100 s: the
	# release reaches its workers step 50 to 90 s after the job starts (mvn, build, push, swap), and
	# the job must still run then; the compose stop grace period (90 s) covers what is left of it.
	push_job "long-job-$RUN_ID" 100
	wait_until "the long job is reserved by the old worker" "$JOB_TIMEOUT" long_job_reserved
	VERSION_STRING_3="e2e-3-$RUN_ID"
	set_app_version "$VERSION_STRING_3"
	load_start release
	sleep 1
	watch_version "$VERSION_STRING_3" "$WORK/live-3"
	t0=$EPOCHREALTIME
	mvn_release release-3 success deploy
	kill "$WATCH_PID" 2>/dev/null || :
	wait "$WATCH_PID" 2>/dev/null || :
	sleep 1
	load_stop_expect_no_failure "the release over ssh"
	[[ -s $WORK/live-3 ]] || fail "the new version $VERSION_STRING_3 never answered /api/version"
	live="$(awk -v a="$t0" -v b="$(cat "$WORK/live-3")" 'BEGIN { printf "%.1f", b - a }')"
	seconds="$(step_seconds)"
	tag3="$(jq -r .version "$APP/target/frankenphp/image.json")"
	VERSION_TAGS+=("$tag3")
	image3="$(docker image inspect --format '{{.Id}}' "$REPOSITORY:$tag3")"
	version_is "$VERSION_STRING_3" || fail "the app does not report $VERSION_STRING_3 after the release"
	[[ $(app_count) == 1 ]] || fail "$(app_count) app containers run after the release, not 1"
	for service in app queue scheduler; do
		[[ $(image_of "$service") == "$image3" ]] || fail "$service does not run the released image $image3"
	done
	[[ $(cid mysql) == "$mysql_before" ]] || fail "the release touched the mysql container"
	[[ $(sql "SELECT COUNT(*) FROM migrations WHERE migration = '2026_12_02_000000_create_release_markers_table'") == 1 ]] ||
		fail "the release's migration is not recorded exactly once"
	[[ $(sql_count release_markers) == 1 ]] || fail "the release's migration did not run exactly once"
	local migrated started
	migrated="$(sql "SELECT UNIX_TIMESTAMP(migrated_at) FROM release_markers")"
	started="$(date -d "$(docker inspect --format '{{.State.StartedAt}}' "$(cid app)")" +%s.%N)"
	awk -v m="$migrated" -v s="$started" 'BEGIN { exit !(m < s) }' || fail "the migration ran after the new app container started ($migrated >= $started)"
	grep -qE "The old worker stopped after ([5-9]|[1-9][0-9]|[1-9][0-9][0-9])\.[0-9] s" "$RELEASE_LOG" ||
		fail "the old worker did not wait for its running job (it should stop only once the 100 s job is done)"
	wait_until "the long job, started before the release, completed" 60 job_processed "long-job-$RUN_ID" "$VERSION_STRING_2"
	[[ $(sql "SELECT COUNT(*) FROM processed_jobs WHERE item = 'long-job-$RUN_ID'") == 1 ]] || fail "the long job ran more than once"
	grep -q "Production engine: ssh://frankenphp-server" "$RELEASE_LOG" || fail "the log does not name the ssh engine"
	RELEASE_RESULTS+=("release over ssh (mvn deploy): new version serving ${live}s after mvn started; release step ${seconds}s; $LAST_LOAD")
	step_done

	step "rollback: mvn frankenphp:rollback under load"
	load_start rollback
	sleep 1
	t0=$EPOCHREALTIME
	mvn_release rollback success frankenphp:rollback
	local took_rollback
	took_rollback="$(elapsed "$t0")"
	sleep 1
	load_stop_expect_no_failure "the rollback"
	version_is "$VERSION_STRING_2" || fail "the app does not report $VERSION_STRING_2 after the rollback"
	[[ $(app_count) == 1 ]] || fail "$(app_count) app containers run after the rollback, not 1"
	[[ $(image_of app) == "$IMAGE2" ]] || fail "app does not run release 2's image after the rollback"
	[[ $(registry_digest latest) == "$(registry_digest "$TAG2")" ]] || fail "latest in the registry does not name $TAG2 after the rollback"
	RELEASE_RESULTS+=("rollback (mvn frankenphp:rollback): ${took_rollback}s with Maven, rollback step $(step_seconds)s; $LAST_LOAD")
	step_done

	step "release over tcp:// with TLS: mvn frankenphp:release (the recorded build) under load"
	load_start release-tls
	sleep 1
	mvn_release release-tls success frankenphp:release -Dfrankenphp.release.dockerHost=tcp://127.0.0.1:2376 \
		-Dfrankenphp.release.certPath="$TLS_CERT_PATH"
	sleep 1
	load_stop_expect_no_failure "the release over TLS"
	version_is "$VERSION_STRING_3" || fail "the app does not report $VERSION_STRING_3 after the TLS release"
	[[ $(image_of app) == "$image3" ]] || fail "app does not run $image3 after the TLS release"
	grep -q "TLS with the client certificate in $TLS_CERT_PATH" "$RELEASE_LOG" || fail "the log does not name the TLS engine"
	RELEASE_RESULTS+=("release over tcp:// + TLS (frankenphp:release, no rebuild): release step $(step_seconds)s; $LAST_LOAD")
	step_done

	step "broken release: the new image never gets healthy"
	app_before="$(cid app)"
	touch "$APP/BROKEN_HEALTH"
	set_app_version "e2e-broken-$RUN_ID"
	load_start broken
	sleep 1
	t0=$EPOCHREALTIME
	mvn_release release-broken failure deploy
	local took_broken
	took_broken="$(elapsed "$t0")"
	sleep 1
	load_stop_expect_no_failure "the broken release"
	rm -f "$APP/BROKEN_HEALTH"
	VERSION_TAGS+=("$(jq -r .version "$APP/target/frankenphp/image.json")")
	grep -q "did not go live" "$RELEASE_LOG" || fail "the broken release's failure does not say it did not go live"
	grep -q "Last health check (exit 22): curl: (22) The requested URL returned error: 500" "$RELEASE_LOG" ||
		fail "the broken release's failure does not show the last health check"
	grep -q "Last lines of $PROJECT-app-" "$RELEASE_LOG" || fail "the broken release's failure does not show the container's log"
	[[ $(cid app) == "$app_before" ]] || fail "the broken release changed the serving app container"
	version_is "$VERSION_STRING_3" || fail "$VERSION_STRING_3 no longer serves after the broken release"
	[[ $(app_count) == 1 ]] || fail "$(app_count) app containers run after the broken release"
	grep -q "latest in the registry points to $tag3 again" "$RELEASE_LOG" || fail "the broken release does not say latest was moved back"
	[[ $(registry_digest latest) == "$(registry_digest "$tag3")" ]] || fail "latest in the registry does not name $tag3 after the broken release"
	RELEASE_RESULTS+=("broken release: failed after ${took_broken}s with Maven (health deadline ${RELEASE_HEALTH_TIMEOUT_S}s); $LAST_LOAD")
	step_done

	step "failing migration: the release stops, nothing is swapped"
	release_migration 2026_12_02_000001_broken 'CREATE TABLE this is not sql'
	set_app_version "e2e-badmigration-$RUN_ID"
	mvn_release release-bad-migration failure deploy
	rm -f "$APP/database/migrations/2026_12_02_000001_broken.php"
	VERSION_TAGS+=("$(jq -r .version "$APP/target/frankenphp/image.json")")
	grep -q "migrations of .* failed" "$RELEASE_LOG" || fail "the failure does not say the migrations failed"
	grep -q "syntax" "$RELEASE_LOG" || fail "the failure does not show the migration's error"
	[[ $(cid app) == "$app_before" ]] || fail "a failed migration swapped the app container"
	version_is "$VERSION_STRING_3" || fail "$VERSION_STRING_3 no longer serves after the failed migration"
	RELEASE_RESULTS+=("failing migration: stopped before the swap, $VERSION_STRING_3 kept serving")
	step_done

	step "ssh failures: unknown host key, refused key, unreachable host"
	local host expected
	for pair in "frankenphp-server-unknown-hostkey:host key" "frankenphp-server-wrong-key:refused the key" \
		"frankenphp-server-unreachable:unreachable"; do
		host="${pair%%:*}"
		expected="${pair#*:}"
		t0=$EPOCHREALTIME
		mvn_release "ssh-$host" failure frankenphp:release -Dfrankenphp.release.dockerHost="ssh://$host"
		grep -q "$expected" "$RELEASE_LOG" || fail "ssh://$host: the failure does not say '$expected'"
		RELEASE_RESULTS+=("ssh://$host: failed in $(elapsed "$t0")s with Maven: $(grep -m1 -o "Cannot reach the Docker engine.*" "$RELEASE_LOG" | cut -c1-140)")
	done
	[[ $(cid app) == "$app_before" ]] || fail "a failed connection changed the app container"
	step_done

	step "two releases at once, then the first one killed during its health wait; the next release finishes"
	local version6="e2e-6-$RUN_ID" first_log="$OUT/mvn-release-killed.log" first_pid
	set_app_version "$version6"
	# Healthy 40 s after its first check: the first release is still waiting when the second one starts.
	echo 40 >"$APP/SLOW_START"
	# Built and pushed, without a release: the two releases below release this recorded build.
	mvn_release build-6 success deploy -Dfrankenphp.release.skip=true
	rm -f "$APP/SLOW_START"
	VERSION_TAGS+=("$(jq -r .version "$APP/target/frankenphp/image.json")")
	load_start interrupted
	sleep 1
	(cd "$APP" && E2E_REGISTRY_PASSWORD="$(cat "$PASSWORD_FILE")" exec "$ROOT/mvnw" -B -s "$WORK/settings.xml" \
		-De2e.publishedPort="$PORT" -Dfrankenphp.release.project="$PROJECT" \
		-Dfrankenphp.release.target=compose -Dfrankenphp.release.dockerHost=ssh://frankenphp-server \
		-De2e.marker="killed-$RUN_ID" frankenphp:release >"$first_log" 2>&1) &
	first_pid=$!
	wait_until "the first release waits for the health check" 60 grep -q "waiting for its health check" "$first_log"
	mvn_release release-concurrent failure frankenphp:release
	grep -q "Another release is running on this server" "$RELEASE_LOG" || fail "the second release does not name the lock"
	# SIGKILL, as a crashed runner: no shutdown hook, no cleanup. ssh's children notice their closed input.
	pkill -KILL -f "e2e.marker=killed-$RUN_ID" || fail "no Maven process of the first release to kill"
	wait "$first_pid" 2>/dev/null || :
	wait_until "the killed release's lock is gone" 20 bash -c "! docker inspect '$PROJECT-release-lock' >/dev/null 2>&1"
	log "app containers after the kill: $(docker ps --filter "label=com.docker.compose.project=$PROJECT" --filter label=com.docker.compose.service=app --format '{{.Names}}' | xargs)"
	mvn_release release-after-kill success frankenphp:release -Dfrankenphp.release.healthTimeout=90s
	# Depending on how far the killed one's candidate got: removed (still starting), or its swap finished.
	grep -qE "Removing $PROJECT-app-next, a new app container an interrupted release left unhealthy|Finishing the swap of an interrupted release" \
		"$RELEASE_LOG" || fail "the release after the killed one did not settle the candidate it left"
	sleep 1
	load_stop_expect_no_failure "two releases at once, a killed one and the next"
	version_is "$version6" || fail "$version6 does not serve after the release that followed the killed one"
	[[ $(app_count) == 1 ]] || fail "$(app_count) app containers run after the release that followed the killed one"
	RELEASE_RESULTS+=("concurrent release refused by the lock; release killed during its health wait, then finished by the next: $LAST_LOAD")
	step_done

	step "a rollback killed while the old queue worker finishes its job; the next rollback finishes"
	local killed_log="$OUT/mvn-rollback-killed.log" killed_pid
	push_job "kill-job-$RUN_ID" 30
	wait_until "the job is reserved by the worker of $version6" "$JOB_TIMEOUT" long_job_reserved
	load_start killed-workers
	sleep 1
	(cd "$APP" && E2E_REGISTRY_PASSWORD="$(cat "$PASSWORD_FILE")" exec "$ROOT/mvnw" -B -s "$WORK/settings.xml" \
		-De2e.publishedPort="$PORT" -Dfrankenphp.release.project="$PROJECT" \
		-Dfrankenphp.release.target=compose -Dfrankenphp.release.dockerHost=ssh://frankenphp-server \
		-De2e.marker="killed-workers-$RUN_ID" frankenphp:rollback -Dfrankenphp.rollback.version="$tag3" >"$killed_log" 2>&1) &
	killed_pid=$!
	wait_until "the rollback waits for the old worker's job" 120 grep -q "stopping the old worker" "$killed_log"
	pkill -KILL -f "e2e.marker=killed-workers-$RUN_ID" || fail "no Maven process of the rollback to kill"
	wait "$killed_pid" 2>/dev/null || :
	log "containers after the kill: $(docker ps -a --filter "label=com.docker.compose.project=$PROJECT" --format '{{.Names}}={{.State}}' | sort | xargs)"
	mvn_release rollback-after-kill success frankenphp:rollback -Dfrankenphp.rollback.version="$tag3"
	grep -qE "_queue_1 runs [0-9-]+ already \(an interrupted release started it\)" "$RELEASE_LOG" ||
		fail "the rollback after the killed one did not keep the queue worker the killed one had started"
	sleep 1
	load_stop_expect_no_failure "a rollback killed during its workers step, and the next one"
	version_is "$VERSION_STRING_3" || fail "$VERSION_STRING_3 does not serve after the rollback that followed the killed one"
	[[ $(app_count) == 1 ]] || fail "$(app_count) app containers run after the rollback that followed the killed one"
	local service count
	for service in queue scheduler; do
		count="$(docker ps -aq --filter "label=com.docker.compose.project=$PROJECT" --filter "label=com.docker.compose.service=$service" | wc -l)"
		[[ $count == 1 ]] || fail "$count $service containers exist after the rollback that followed the killed one, not 1"
		[[ $(image_of "$service") == "$image3" ]] || fail "$service does not run $tag3's image after the rollback that followed the killed one"
	done
	wait_until "the job, running when the rollback was killed, completed" 60 job_processed "kill-job-$RUN_ID" "$version6"
	[[ $(sql "SELECT COUNT(*) FROM processed_jobs WHERE item = 'kill-job-$RUN_ID'") == 1 ]] || fail "the job ran more than once"
	RELEASE_RESULTS+=("rollback killed while the old worker finished its job, then finished by the next: $LAST_LOAD")
	step_done
}
