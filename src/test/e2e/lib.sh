# Sourced by run.sh (and, through it, release-scenarios.sh) and swarm-scenarios.sh: logging, steps,
# bounded waits, the load generator, reading DEPLOY.md's commands as a server operator would, and
# writing a Laravel migration into the fixture copy.
# Expects: LOG_TAG (e2e, swarm), T0, TIMINGS=(), SCRIPT_DIR, OUT, HEALTH_URL, SERVER,
# DOCKER_CONFIG_DIR, REGISTRY, REGISTRY_USER, PASSWORD_FILE, IMAGE_NAME, set by the caller.

FAILURE=""
elapsed() { awk -v a="$1" -v b="${2:-$EPOCHREALTIME}" 'BEGIN { printf "%.1f", b - a }'; }
log() { printf '[%s %s +%ss] %s\n' "$LOG_TAG" "$(date -u +%H:%M:%S)" "$(elapsed "$T0")" "$*" >&2; }
fail() {
	FAILURE="$*"
	log "FAILED: $*"
	exit 1
}
step() {
	STEP="$*"
	STEP_T0=$EPOCHREALTIME
	printf '\n[%s %s +%ss] ==> %s\n' "$LOG_TAG" "$(date -u +%H:%M:%S)" "$(elapsed "$T0")" "$STEP" >&2
}
step_done() {
	local took
	took="$(elapsed "$STEP_T0")"
	TIMINGS+=("$(printf '%7ss  %s' "$took" "$STEP")")
	log "done in ${took}s: $STEP"
}

# Waits until COMMAND succeeds, at most TIMEOUT seconds; prints how long it took.
wait_until() { # DESCRIPTION TIMEOUT COMMAND...
	local description="$1" timeout="$2" start=$EPOCHREALTIME
	shift 2
	until "$@" >/dev/null 2>&1; do
		if awk -v e="$(elapsed "$start")" -v t="$timeout" 'BEGIN { exit !(e >= t) }'; then
			fail "timed out after ${timeout}s waiting for: $description"
		fi
		sleep 0.5
	done
	log "ok after $(elapsed "$start")s: $description"
}

# The load generator (load.sh) on the health path, through the published port.
load_start() { # LABEL
	CURRENT_LOAD="$OUT/load-$1"
	bash "$SCRIPT_DIR/load.sh" start "$HEALTH_URL" "$CURRENT_LOAD" >/dev/null
}
# Stops the load; fails unless every request got a 200. Keeps the summary in LAST_LOAD.
load_stop_expect_no_failure() { # LABEL
	local summary rc=0
	summary="$(bash "$SCRIPT_DIR/load.sh" stop "$CURRENT_LOAD")" || rc=$?
	CURRENT_LOAD=""
	log "load during $1: $summary"
	((rc == 0)) || fail "the load during $1 stayed below the minimum rate or could not be read (exit $rc): $summary"
	[[ $summary == *" failed=0 "* ]] || fail "requests failed during $1: $summary"
	LAST_LOAD="$(sed -E 's/^LOAD_SUMMARY //; s/ (non200|connect_errors|read_errors|write_errors|timeout_errors|statuses)=[^ ]*//g' <<<"$summary")"
}

# The manifest digest a tag names in the registry (the password goes to curl on stdin, never argv).
registry_digest() { # TAG
	printf 'user = "%s:%s"\n' "$REGISTRY_USER" "$(cat "$PASSWORD_FILE")" |
		curl -fsS -K - -I -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
			"https://$REGISTRY/v2/$IMAGE_NAME/manifests/$1" | tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p'
}

# A command line of the generated DEPLOY.md (first match in a code block), run as the operator would.
deploy_md() { # REGEX
	local line
	line="$(awk -v re="$1" '/^```/ { block = !block; next } block && $0 ~ re { print; exit }' "$SERVER/DEPLOY.md")"
	[[ -n $line ]] || fail "no line matching /$1/ in a code block of the generated DEPLOY.md"
	printf '%s\n' "$line"
}
on_server() {
	log "server\$ $1"
	(cd "$SERVER" && DOCKER_CONFIG="$DOCKER_CONFIG_DIR" bash -c "$1")
}

# A Laravel migration in the fixture copy, whose up() runs one SQL statement (no single quote in it).
release_migration() { # NAME SQL
	cat >"$APP/database/migrations/$1.php" <<EOF
<?php

use Illuminate\Database\Migrations\Migration;
use Illuminate\Support\Facades\DB;

return new class extends Migration
{
    public function up()
    {
        DB::statement('$2');
    }
};
EOF
}

# Whether PID is a live run of SCRIPT (a pid taken from a left-over resource's name: after a reboot it may
# belong to any process).
is_live_run() { # PID SCRIPT
	[[ -r /proc/$1/cmdline ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF "$2"
}
