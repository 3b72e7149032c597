#!/usr/bin/env bash
# Side-by-side benchmarks of frankenphp-maven-plugin against deploy.sh (Docker CLI) and fabric8's
# docker-maven-plugin 0.49.0. Every comparison is measured in one run, alternating the tools round
# by round (rotating which goes first), and reported as per-round ratios: median and min-max.
#
#   bash bench/run.sh                 # everything (about 20-25 minutes on 2 cores)
#   BENCH_ONLY="render overhead" bash bench/run.sh       # some scenarios only
#
# Scenarios (BENCH_ONLY picks among them; default all):
#   cold      build + push without layer cache, a fresh repository per run (plugin, CLI, fabric8)
#   nochange  the same deploy again with nothing changed (cache warm, same repository)
#   context   build context of a synthetic ~1 GB Laravel tree: the plugin's BuildContext in a JVM
#             capped at -Xmx256m vs tar over the same files; files walked (strace); CLI, fabric8 and
#             the plugin's mvn package sending the context to a fake daemon (bench/sink); the 4 GB variant
#   render    JMH: DeploymentFiles.render warm (and first call in a fresh JVM)
#   overhead  mvn generate-resources with the plugin vs the same pom without it (and with frankenphp.skip)
#   release   on one compose stack of the e2e fixture, under load (src/test/e2e/load.sh): the plugin's
#             release over ssh:// (mvn deploy, <release><target>compose</target>) vs DEPLOY.md's update by
#             hand (mvn deploy, then docker-compose pull + up -d), and mvn frankenphp:rollback vs
#             APP_IMAGE_TAG + up -d (bench/release/release.sh; about 8-10 minutes)
#
# Knobs (environment): BENCH_WORK (/var/tmp/frankenphp-bench: generated trees, logs; ~6 GB at peak),
# BENCH_COLD_RUNS (5), BENCH_NOCHANGE_RUNS (5), BENCH_CONTEXT_RUNS (5), BENCH_SINK_RUNS (3), BENCH_UPLOAD_RUNS (8),
# BENCH_OVERHEAD_RUNS (10), BENCH_CONTEXT_4G (1: run the 4 GB variant), BENCH_JMH_ARGS
# ("-wi 5 -i 5 -w 1 -r 1 -f 1"), BENCH_NO_INSTALL (1: do not reinstall the plugin first),
# BENCH_REGISTRY (registry.frankenphp.test:5443), BENCH_PROFILE (1: also profile one plugin deploy,
# summary in bench/results/<date>-profile.txt), BENCH_RELEASE_RUNS (3), BENCH_ROLLBACK_RUNS (3),
# BENCH_LOAD_RATE (70: the release scenario's load, steady at about 70 requests/s; empty: flat out).
#
# Needs: src/test/infra/setup.sh done (engine, TLS + htpasswd registry, stand-in images), Java 17,
# python3, strace, GNU time. Writes bench/results/<UTC date>.md (tables) and <UTC date>.jsonl (raw).
set -uo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
MVNW="$ROOT/mvnw"
WORK="${BENCH_WORK:-/var/tmp/frankenphp-bench}"
REGISTRY="${BENCH_REGISTRY:-registry.frankenphp.test:5443}"
PASSWORD_FILE=/var/lib/frankenphp-it/registry-password
COLD_RUNS="${BENCH_COLD_RUNS:-5}"
NOCHANGE_RUNS="${BENCH_NOCHANGE_RUNS:-5}"
CONTEXT_RUNS="${BENCH_CONTEXT_RUNS:-5}"
SINK_RUNS="${BENCH_SINK_RUNS:-3}"
UPLOAD_RUNS="${BENCH_UPLOAD_RUNS:-8}"
OVERHEAD_RUNS="${BENCH_OVERHEAD_RUNS:-10}"
CONTEXT_4G="${BENCH_CONTEXT_4G:-1}"
JMH_ARGS="${BENCH_JMH_ARGS:--wi 5 -i 5 -w 1 -r 1 -f 1}"
RELEASE_RUNS="${BENCH_RELEASE_RUNS:-3}"
ROLLBACK_RUNS="${BENCH_ROLLBACK_RUNS:-3}"
ONLY="${BENCH_ONLY:-cold nochange context render overhead release}"
SINK_PORT="${BENCH_SINK_PORT:-23750}"
STAMP="$(date -u +%Y-%m-%dT%H%M%SZ)"
RESULTS="$BENCH_DIR/results"
RAW="$RESULTS/$STAMP.jsonl"
REPORT="$RESULTS/$STAMP.md"
LOGS="$WORK/logs/$STAMP"
RUN_ID="$(date -u +%m%d%H%M%S)"
JAR="$BENCH_DIR/java/target/frankenphp-bench.jar"
E2E="$WORK/e2e"   # build + push project: Laravel-sized tree, no large assets
CTX="$WORK/ctx"   # context project: the same plus ~320 MB of assets (~1 GB in all)
GEN_ARGS_E2E="--assets-mb 0"
GEN_ARGS_CTX=""
# Maven logs with timestamps, for bench/lib/phases.py.
MAVEN_TS_OPTS="-Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSZ"

T0=$SECONDS
log() { printf '[bench %s +%ss] %s\n' "$(date -u +%H:%M:%S)" "$((SECONDS - T0))" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
wants() { [[ " $ONLY " == *" $1 "* ]]; }

mkdir -p "$RESULTS" "$LOGS" || die "cannot create $RESULTS or $LOGS"
: >"$RAW"

# One JSON object per line into the raw file: record KEY=VALUE... (numbers and JSON kept as is).
record() {
	python3 - "$RAW" "$@" <<'EOF'
import json, sys
out, pairs = sys.argv[1], sys.argv[2:]
obj = {}
for p in pairs:
    k, _, v = p.partition("=")
    try:
        obj[k] = json.loads(v)
    except ValueError:
        obj[k] = v
with open(out, "a") as f:
    f.write(json.dumps(obj) + "\n")
EOF
}

# timed LOG CMD... : runs CMD with output to LOG; sets ELAPSED (s), RSS_KB (peak of the largest
# process, GNU time), CPU_S (user + system seconds of the process and its waited-for children), RC,
# START_NS, END_NS.
timed() {
	local logfile="$1"
	shift
	START_NS=$(date +%s%N)
	/usr/bin/time -f '%M %U %S' -o "$logfile.time" "$@" >"$logfile" 2>&1
	RC=$?
	END_NS=$(date +%s%N)
	ELAPSED=$(awk -v a="$START_NS" -v b="$END_NS" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	local usage
	usage=$(tail -n 1 "$logfile.time" 2>/dev/null)
	if [[ $usage =~ ^([0-9]+)\ ([0-9.]+)\ ([0-9.]+)$ ]]; then
		RSS_KB=${BASH_REMATCH[1]}
		CPU_S=$(awk -v u="${BASH_REMATCH[2]}" -v s="${BASH_REMATCH[3]}" 'BEGIN { printf "%.2f", u + s }')
	else
		RSS_KB=0
		CPU_S=0
	fi
}

# ------------------------------------------------------------------------------- preparation
check_prerequisites() {
	for tool in java python3 strace docker curl; do
		command -v "$tool" >/dev/null || die "$tool is missing"
	done
	[[ -x /usr/bin/time ]] || die "GNU time (/usr/bin/time) is missing: apt-get install time"
	timeout 20 docker info >/dev/null 2>&1 || die "the Docker engine does not answer: run src/test/infra/setup.sh"
	[[ -r $PASSWORD_FILE ]] || die "$PASSWORD_FILE missing: run src/test/infra/setup.sh"
	local status
	status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "https://$REGISTRY/v2/" || true)
	[[ $status == 401 ]] || die "https://$REGISTRY/v2/ answers '$status', not 401: run src/test/infra/setup.sh"
	for image in dunglas/frankenphp:1-php8.4-bookworm composer:2; do
		docker image inspect "$image" >/dev/null 2>&1 || die "$image missing: run src/test/infra/setup.sh"
	done
}

build_tools() {
	if [[ ${BENCH_NO_INSTALL:-0} != 1 ]]; then
		log "installing the plugin (./mvnw -B -q -o install -DskipTests -Dinvoker.skip)"
		(cd "$ROOT" && "$MVNW" -B -q -o install -DskipTests -Dinvoker.skip) >"$LOGS/install.log" 2>&1 ||
			die "plugin install failed (see $LOGS/install.log)"
	fi
	if wants context || wants render; then
		log "building bench/java (JMH + context driver)"
		if ! "$MVNW" -B -q -o -f "$BENCH_DIR/java/pom.xml" package >"$LOGS/bench-java.log" 2>&1; then
			log "offline build failed; retrying online (first run: JMH and the shade plugin from Maven Central)"
			"$MVNW" -B -q -f "$BENCH_DIR/java/pom.xml" package >"$LOGS/bench-java.log" 2>&1 ||
				die "bench/java build failed (see $LOGS/bench-java.log)"
		fi
	fi
	if { wants cold || wants nochange || wants context; } && [[ ! -d $HOME/.m2/repository/io/fabric8/docker-maven-plugin/0.49.0 ]]; then
		log "fetching fabric8 docker-maven-plugin 0.49.0 from Maven Central"
		"$MVNW" -B -q -f "$BENCH_DIR/fabric8/pom.xml" docker:help >"$LOGS/fabric8-fetch.log" 2>&1 ||
			die "could not fetch fabric8 (see $LOGS/fabric8-fetch.log)"
	fi
}

write_credentials() {
	# Maven side (plugin and fabric8): a settings.xml <server> whose id is the registry.
	(umask 077 && {
		printf '<settings>\n  <servers>\n    <server>\n      <id>%s</id>\n' "$REGISTRY"
		printf '      <username>frankenphp-it</username>\n      <password>%s</password>\n' "$(<"$PASSWORD_FILE")"
		printf '    </server>\n  </servers>\n</settings>\n'
	} >"$WORK/settings.xml")
	# CLI side: docker login once, into a config of its own (as on the machine deploy.sh runs on).
	mkdir -p "$WORK/docker-config"
	DOCKER_CONFIG="$WORK/docker-config" docker login -u frankenphp-it --password-stdin "$REGISTRY" \
		<"$PASSWORD_FILE" >"$LOGS/docker-login.log" 2>&1 || die "docker login failed (see $LOGS/docker-login.log)"
}

# prepare_project DIR GENERATOR_ARGS: generates the tree once (kept between runs when the generator
# and its arguments did not change), renders the deployment files with the plugin, and lays the
# rendered .dockerignore and php.ini where the CLI expects them, and fabric8's translation.
prepare_project() {
	local dir="$1" args="$2" key
	key="$(cat "$BENCH_DIR/gen/gen_laravel.py" | sha256sum | cut -c1-16) $args"
	if [[ ! -f $dir/.bench-generated || $(<"$dir/.bench-generated") != "$key" ]]; then
		log "generating $dir ($args)"
		rm -rf "$dir"
		# shellcheck disable=SC2086
		python3 "$BENCH_DIR/gen/gen_laravel.py" --out "$dir" $args >"$dir.gen.json" || die "generator failed"
		echo "$key" >"$dir/.bench-generated"
	fi
	cp "$BENCH_DIR/project/pom.xml" "$dir/pom.xml"
	(cd "$dir" && "$MVNW" -B -q -o generate-resources) >"$LOGS/render-$(basename "$dir").log" 2>&1 ||
		die "rendering in $dir failed"
	cp "$dir/target/frankenphp/.dockerignore" "$dir/.dockerignore"
	mkdir -p "$dir/docker/php"
	cp "$dir/target/frankenphp/docker/php/php.ini" "$dir/docker/php/php.ini"
	python3 "$BENCH_DIR/fabric8/dockerignore-to-ant.py" "$dir" "$dir/.dockerignore" >"$dir/.maven-dockerignore"
}

machine_info() {
	record kind=machine date="\"$STAMP\"" nproc="$(nproc)" \
		memGb="$(awk '/MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)" \
		cpu="\"$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)\"" \
		kernel="\"$(uname -r)\"" \
		engine="\"$(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')\"" \
		dockerCli="\"$(docker version --format '{{.Client.Version}}' 2>/dev/null)\"" \
		java="\"$(java -version 2>&1 | head -n 1 | tr -d '"')\"" \
		maven="\"$("$MVNW" -v 2>/dev/null | head -n 1 | sed 's/\x1b\[[0-9;]*m//g')\"" \
		pluginCommit="\"$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null) $(git -C "$ROOT" status --porcelain src/main 2>/dev/null | wc -l | tr -d ' ') changed files in src/main\"" \
		loadStart="\"$(cut -d' ' -f1-3 /proc/loadavg)\""
}

# ----------------------------------------------------------------------------- build + push
# run_tool SCENARIO ROUND TOOL REPOSITORY NOCACHE(true|false) PROJECT
run_tool() {
	local scenario="$1" round="$2" tool="$3" repo="$4" nocache="$5" project="$6"
	local logfile="$LOGS/$scenario-$round-$tool.log" phases ok
	case $tool in
	plugin | plugin-c1)
		# plugin-c1: the same with MAVEN_OPTS=-XX:TieredStopAtLevel=1 (C1 only), a user-side JVM setting for
		# short Maven runs; not part of the targets, it shows how much of the gap is JIT compilation.
		local jvm="$MAVEN_TS_OPTS"
		[[ $tool == plugin-c1 ]] && jvm="$jvm -XX:TieredStopAtLevel=1"
		(cd "$project" && MAVEN_OPTS="$jvm" timed "$logfile" "$MVNW" -B -o -s "$WORK/settings.xml" deploy \
			-Dfrankenphp.imageName="$repo" -Dfrankenphp.noCache="$nocache"
		echo "$ELAPSED $RSS_KB $RC $START_NS $END_NS $CPU_S" >"$logfile.result")
		;;
	cli)
		local flag=""
		[[ $nocache == true ]] && flag=--no-cache
		(DOCKER_CONFIG="$WORK/docker-config" BENCH_MARKS=1 timed "$logfile" "$BENCH_DIR/cli/deploy.sh" "$project" "$REGISTRY" "$repo" $flag
		echo "$ELAPSED $RSS_KB $RC $START_NS $END_NS $CPU_S" >"$logfile.result")
		;;
	fabric8)
		(cd "$BENCH_DIR/fabric8" && MAVEN_OPTS="$MAVEN_TS_OPTS" timed "$logfile" "$MVNW" -B -o -s "$WORK/settings.xml" \
			docker:build docker:push -Dbench.context="$project" -Dbench.registry="$REGISTRY" -Dbench.image="$repo" \
			-Dbench.version="$(date -u +%Y%m%d-%H%M%S)" -Dbench.created="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
			-Ddocker.noCache="$nocache"
		echo "$ELAPSED $RSS_KB $RC $START_NS $END_NS $CPU_S" >"$logfile.result")
		;;
	esac
	read -r ELAPSED RSS_KB RC START_NS END_NS CPU_S <"$logfile.result"
	ok=false
	if [[ $RC == 0 ]]; then
		case $tool in
		plugin | plugin-c1) grep -q "Pushed .*:latest (sha256:" "$logfile" && ok=true ;;
		cli) [[ $(grep -c "digest: sha256:" "$logfile") -ge 2 ]] && ok=true ;;
		fabric8) [[ $(grep -c "Pushed .* in " "$logfile") -ge 1 ]] && grep -q "BUILD SUCCESS" "$logfile" && ok=true ;;
		esac
	fi
	phases=$(python3 "$BENCH_DIR/lib/phases.py" "${tool%-c1}" "$logfile" "$START_NS" "$END_NS" 2>/dev/null || echo '{}')
	record kind=e2e scenario="$scenario" round="$round" tool="$tool" seconds="$ELAPSED" rssKb="$RSS_KB" cpuSeconds="$CPU_S" \
		ok="$ok" repository="\"$repo\"" phases="$phases" log="\"$logfile\""
	log "  $scenario round $round $tool: ${ELAPSED}s ok=$ok"
	[[ $ok == true ]] || log "  FAILED: see $logfile"
}

# The tools in a rotating order: round 1 plugin cli fabric8, round 2 cli fabric8 plugin, ...
rotation() {
	local round="$1"
	shift
	local tools=("$@")
	((${#tools[@]})) || tools=(plugin cli fabric8)
	local i n=${#tools[@]}
	for ((i = 0; i < n; i++)); do echo "${tools[$(((round - 1 + i) % n))]}"; done
}

scenario_cold() {
	log "cold build + push: $COLD_RUNS rounds (no layer cache, fresh repository each run)"
	local round tool
	for round in $(seq 1 "$COLD_RUNS"); do
		for tool in $(rotation "$round"); do
			run_tool cold "$round" "$tool" "bench/cold-$tool-$RUN_ID-$round" true "$E2E"
		done
	done
}

scenario_nochange() {
	log "no-change re-run: 1 priming run per tool, then $NOCHANGE_RUNS rounds"
	local round tool
	for tool in plugin cli fabric8 plugin-c1; do
		run_tool nochange-prime 0 "$tool" "bench/nochange-$tool-$RUN_ID" false "$E2E"
	done
	for round in $(seq 1 "$NOCHANGE_RUNS"); do
		for tool in $(rotation "$round" plugin cli fabric8 plugin-c1); do
			run_tool nochange "$round" "$tool" "bench/nochange-$tool-$RUN_ID" false "$E2E"
		done
	done
}

# Maven's and the JVM's own start, without any plugin: what every mvn invocation pays.
maven_baseline() {
	log "baseline: mvn -o validate on a pom without plugins, ${COLD_RUNS} runs"
	local dir="$WORK/baseline" round
	mkdir -p "$dir"
	cp "$BENCH_DIR/project/pom-without-plugin.xml" "$dir/pom.xml"
	for round in $(seq 1 "$COLD_RUNS"); do
		(cd "$dir" && timed "$LOGS/baseline-$round.log" "$MVNW" -B -o validate
		echo "$ELAPSED $RSS_KB $RC $CPU_S" >"$LOGS/baseline-$round.result")
		read -r ELAPSED RSS_KB RC CPU_S <"$LOGS/baseline-$round.result"
		(timed "$LOGS/baseline-docker-$round.log" docker version --format '{{.Server.Version}}'
		echo "$ELAPSED $RSS_KB $RC" >"$LOGS/baseline-docker-$round.result")
		local docker_elapsed
		read -r docker_elapsed _ _ <"$LOGS/baseline-docker-$round.result"
		record kind=baseline round="$round" mavenValidate="$ELAPSED" mavenCpuSeconds="$CPU_S" mavenRssKb="$RSS_KB" dockerVersion="$docker_elapsed"
	done
}

# --------------------------------------------------------------------------------- context
start_sink() {
	: >"$WORK/sink.jsonl"
	python3 "$BENCH_DIR/sink/docker_sink.py" --port "$SINK_PORT" --log "$WORK/sink.jsonl" >"$LOGS/sink.log" 2>&1 &
	SINK_PID=$!
	local i
	for i in $(seq 1 50); do
		curl -s -o /dev/null "http://127.0.0.1:$SINK_PORT/_ping" && return
		sleep 0.1
	done
	die "the context sink did not start (see $LOGS/sink.log)"
}

stop_sink() {
	if [[ -n ${SINK_PID:-} ]]; then
		kill "$SINK_PID" 2>/dev/null
		wait "$SINK_PID" 2>/dev/null
		SINK_PID=""
	fi
}

# The plugin's BuildContext, streamed as the plugin streams it, in a fresh JVM capped at HEAP.
context_driver() { # LABEL ROUND HEAP
	local label="$1" round="$2" heap="$3" logfile="$LOGS/context-$1-$2-plugin-$3"
	timed "$logfile.log" java "-Xmx$heap" "-Xlog:gc:file=$logfile.gc" -cp "$JAR" \
		fr.miweb.maven.frankenphp.bench.ContextDriver "$CTX" "$CTX/target/frankenphp" stream
	local json afterGc
	json=$(grep '^{' "$logfile.log" | tail -n 1)
	# Largest heap occupancy after any collection, from the GC log ("12M->3M(256M)").
	afterGc=$(grep -Eo '[0-9]+M->[0-9]+M' "$logfile.gc" 2>/dev/null | sed 's/.*->//; s/M//' | sort -n | tail -n 1)
	local ok=false
	[[ $RC == 0 && -n $json ]] && ok=true
	[[ -n $json ]] || json='{}'
	record kind=context variant="$label" round="$round" tool=plugin heap="\"$heap\"" seconds="$ELAPSED" \
		rssKb="$RSS_KB" ok="$ok" maxHeapAfterGcMb="${afterGc:-0}" driver="$json"
	log "  context $label round $round plugin (-Xmx$heap): ${ELAPSED}s"
}

# The same, 6 times in one JVM: the last run shows BuildContext once the JIT has compiled it.
context_driver_warm() { # LABEL
	local label="$1" logfile="$LOGS/context-$1-warm"
	timed "$logfile.log" java -Xmx256m -cp "$JAR" fr.miweb.maven.frankenphp.bench.ContextDriver "$CTX" "$CTX/target/frankenphp" stream 6
	local json
	json=$(grep '^{' "$logfile.log" | tail -n 1)
	[[ -n $json ]] || json='{}'
	record kind=context-warm variant="$label" driver="$json"
	log "  context $label plugin, 6 runs in one JVM: $(grep -o '"seconds":[0-9.]*,"earlierRuns":\[[0-9.,]*\]' <<<"$json")"
}

context_tar() { # LABEL ROUND
	local label="$1" round="$2" logfile="$LOGS/context-$1-$2-tar"
	timed "$logfile.log" sh -c "tar -C '$CTX' --no-recursion -cf - -T '$WORK/ctx-$label.list' | wc -c"
	record kind=context variant="$label" round="$round" tool=tar seconds="$ELAPSED" rssKb="$RSS_KB" \
		ok="$([[ $RC == 0 ]] && echo true || echo false)" tarBytes="$(tail -n 1 "$logfile.log" | tr -dc 0-9)"
	log "  context $label round $round tar: ${ELAPSED}s"
}

# The entries the plugin sends that exist in the tree (not the rendered overlays): tar's file list.
context_list() { # LABEL
	local label="$1"
	java -Xmx256m -cp "$JAR" fr.miweb.maven.frankenphp.bench.ContextDriver "$CTX" "$CTX/target/frankenphp" \
		"file:$WORK/ctx-$label.tar" >"$LOGS/context-$label-list.log" 2>&1 || die "context listing failed"
	tar -tf "$WORK/ctx-$label.tar" | sed 's#/$##' | (cd "$CTX" && while IFS= read -r p; do
		[[ -e $p || -L $p ]] && printf '%s\n' "$p"
	done) >"$WORK/ctx-$label.list"
	rm -f "$WORK/ctx-$label.tar"
}

# One run per tool under strace: which paths under the tree each one touched.
context_walked() {
	log "  files walked (strace, one run per tool)"
	local out="$LOGS/strace"
	mkdir -p "$out"
	local trace="-f -qq -e trace=%stat,%lstat,openat,open"
	strace $trace -o "$out/plugin.txt" java -Xmx256m -cp "$JAR" fr.miweb.maven.frankenphp.bench.ContextDriver \
		"$CTX" "$CTX/target/frankenphp" stream >/dev/null 2>&1
	strace $trace -o "$out/tar.txt" sh -c "tar -C '$CTX' --no-recursion -cf - -T '$WORK/ctx-1g.list' | wc -c" >/dev/null 2>&1
	(cd "$CTX" && DOCKER_HOST="tcp://127.0.0.1:$SINK_PORT" DOCKER_BUILDKIT=0 strace $trace -o "$out/cli.txt" \
		docker build -q -t bench/walk:1 -f target/frankenphp/Dockerfile . >/dev/null 2>&1)
	(cd "$BENCH_DIR/fabric8" && DOCKER_HOST="tcp://127.0.0.1:$SINK_PORT" strace $trace -o "$out/fabric8.txt" \
		"$MVNW" -B -o -s "$WORK/settings.xml" docker:build -Dbench.context="$CTX" -Dbench.image=bench/walk \
		-Dbench.version=walk >/dev/null 2>&1)
	local tool
	for tool in plugin tar cli fabric8; do
		local cwd="$CTX"
		[[ $tool == fabric8 ]] && cwd="$BENCH_DIR/fabric8"
		record kind=walked tool="$tool" walked="$(python3 "$BENCH_DIR/lib/walked.py" "$out/$tool.txt" "$CTX" "$cwd")"
	done
	rm -rf "$out"
}

# The three real clients sending the same tree to the fake daemon.
context_sink_round() { # LABEL ROUND
	local label="$1" round="$2" tool logfile lines
	for tool in $(rotation "$round"); do
		logfile="$LOGS/sink-$label-$round-$tool.log"
		lines=$(wc -l <"$WORK/sink.jsonl")
		case $tool in
		plugin)
			(cd "$CTX" && DOCKER_HOST="tcp://127.0.0.1:$SINK_PORT" timed "$logfile" "$MVNW" -B -o package \
				-Dfrankenphp.imageName=bench/sink
			echo "$ELAPSED $RSS_KB $RC $START_NS $CPU_S" >"$logfile.result") ;;
		cli)
			(cd "$CTX" && DOCKER_HOST="tcp://127.0.0.1:$SINK_PORT" DOCKER_BUILDKIT=0 timed "$logfile" \
				docker build -t "$REGISTRY/bench/sink:1" -t "$REGISTRY/bench/sink:latest" -f target/frankenphp/Dockerfile .
			echo "$ELAPSED $RSS_KB $RC $START_NS $CPU_S" >"$logfile.result") ;;
		fabric8)
			(cd "$BENCH_DIR/fabric8" && DOCKER_HOST="tcp://127.0.0.1:$SINK_PORT" timed "$logfile" "$MVNW" -B -o \
				-s "$WORK/settings.xml" docker:build -Dbench.context="$CTX" -Dbench.image=bench/sink -Dbench.version=1
			echo "$ELAPSED $RSS_KB $RC $START_NS $CPU_S" >"$logfile.result") ;;
		esac
		read -r ELAPSED RSS_KB RC START_NS CPU_S <"$logfile.result"
		local upload ok=false
		upload=$(tail -n +"$((lines + 1))" "$WORK/sink.jsonl" | tail -n 1)
		[[ $RC == 0 && -n $upload ]] && ok=true
		[[ -n $upload ]] || upload='{}'
		record kind=sink variant="$label" round="$round" tool="$tool" seconds="$ELAPSED" rssKb="$RSS_KB" \
			ok="$ok" startNs="$START_NS" cpuSeconds="$CPU_S" upload="$upload"
		log "  sink $label round $round $tool: ${ELAPSED}s"
	done
}

# The plugin's upload path in one warm JVM (docker-java + BuildContextStream) against the sink, raw and
# through ImageBuilder, alternating; then the CLI's upload of the same tree, for scale.
context_upload_paths() {
	local runs=$((UPLOAD_RUNS + 1)) logfile="$LOGS/upload-paths"
	log "  upload path in a warm JVM: $runs alternating rounds of (plugin stream, ImageBuilder)"
	(cd "$CTX" && DOCKER_HOST="tcp://127.0.0.1:$SINK_PORT" timed "$logfile.log" java -Xmx256m -cp "$JAR" \
		fr.miweb.maven.frankenphp.bench.UploadDriver "$CTX" "$CTX/target/frankenphp" "$runs" original,imagebuilder)
	local json
	json=$(grep '^{' "$logfile.log" | tail -n 1)
	[[ -n $json ]] || json='{}'
	record kind=upload paths="$json"
	local round
	for round in $(seq 1 "$UPLOAD_RUNS"); do
		(cd "$CTX" && DOCKER_HOST="tcp://127.0.0.1:$SINK_PORT" DOCKER_BUILDKIT=0 timed "$logfile-cli-$round.log" \
			docker build -t "$REGISTRY/bench/sink:1" -f target/frankenphp/Dockerfile .)
		record kind=upload cli="$(tail -n 1 "$WORK/sink.jsonl")"
	done
}

scenario_context() {
	log "context: 1 GB tree"
	context_list 1g
	local round
	for round in $(seq 1 "$CONTEXT_RUNS"); do
		if ((round % 2)); then
			context_driver 1g "$round" 256m
			context_tar 1g "$round"
		else
			context_tar 1g "$round"
			context_driver 1g "$round" 256m
		fi
	done
	context_driver 1g 1 32m # the bound: does it still run in a 32 MB heap?
	context_driver_warm 1g
	start_sink
	context_walked
	for round in $(seq 1 "$SINK_RUNS"); do
		context_sink_round 1g "$round"
	done
	context_upload_paths
	stop_sink
	if [[ $CONTEXT_4G == 1 ]]; then
		log "context: 4 GB variant (+3 GB of assets in the context)"
		python3 "$BENCH_DIR/gen/gen_laravel.py" --out "$CTX" --extra-assets-mb 3072 >"$LOGS/gen-4g.json" || die "4 GB variant failed"
		context_list 4g
		for round in $(seq 1 "$CONTEXT_RUNS"); do
			if ((round % 2)); then
				context_driver 4g "$round" 256m
				context_tar 4g "$round"
			else
				context_tar 4g "$round"
				context_driver 4g "$round" 256m
			fi
		done
		context_driver 4g 1 32m
		context_driver_warm 4g
		start_sink
		context_sink_round 4g 1
		stop_sink
		python3 "$BENCH_DIR/gen/gen_laravel.py" --out "$CTX" --remove-extra >/dev/null
	fi
	rm -rf "$BENCH_DIR/fabric8/target/docker" # fabric8's copies of the context tar (up to 3.6 GB)
	record kind=tree label=1g gen="$(cat "$CTX.gen.json")" du="\"$(du -sh "$CTX" | cut -f1)\""
}

# ---------------------------------------------------------------------------------- render
scenario_render() {
	log "render: JMH ($JMH_ARGS), then first call in fresh JVMs"
	# shellcheck disable=SC2086
	java -jar "$JAR" 'fr.miweb.maven.frankenphp.bench.RenderBenchmark' $JMH_ARGS -rf json -rff "$LOGS/jmh-render.json" \
		>"$LOGS/jmh-render.log" 2>&1 || log "JMH render failed (see $LOGS/jmh-render.log)"
	java -jar "$JAR" 'fr.miweb.maven.frankenphp.bench.RenderColdBenchmark' -rf json -rff "$LOGS/jmh-cold.json" \
		>"$LOGS/jmh-cold.log" 2>&1 || log "JMH cold render failed (see $LOGS/jmh-cold.log)"
	python3 - "$LOGS/jmh-render.json" "$LOGS/jmh-cold.json" >>"$RAW" <<'EOF'
import json, sys
for path in sys.argv[1:]:
    try:
        data = json.load(open(path))
    except (OSError, ValueError):
        continue
    for b in data:
        m = b["primaryMetric"]
        raw = [x for fork in m.get("rawData", []) for x in fork]
        print(json.dumps({"kind": "jmh", "benchmark": b["benchmark"].split(".")[-1], "mode": b["mode"],
                          "score": m["score"], "error": m.get("scoreError"), "unit": m["scoreUnit"],
                          "min": min(raw) if raw else None, "max": max(raw) if raw else None, "n": len(raw)}))
EOF
}

scenario_overhead() {
	log "Maven overhead of generate: $OVERHEAD_RUNS rounds of (with plugin, without, with frankenphp.skip)"
	local dir="$WORK/overhead" round variant
	mkdir -p "$dir/with" "$dir/without" "$dir/skip"
	cp "$BENCH_DIR/project/pom.xml" "$dir/with/pom.xml"
	cp "$BENCH_DIR/project/pom.xml" "$dir/skip/pom.xml"
	cp "$BENCH_DIR/project/pom-without-plugin.xml" "$dir/without/pom.xml"
	(cd "$dir/with" && "$MVNW" -B -q -o generate-resources >/dev/null 2>&1) # first render: files written once
	for round in $(seq 1 "$OVERHEAD_RUNS"); do
		local order=(with without skip)
		((round % 2)) || order=(without skip with)
		for variant in "${order[@]}"; do
			local extra=()
			[[ $variant == skip ]] && extra=(-Dfrankenphp.skip=true)
			(cd "$dir/$variant" && timed "$LOGS/overhead-$round-$variant.log" "$MVNW" -B -o generate-resources "${extra[@]}"
			echo "$ELAPSED $RSS_KB $RC $CPU_S" >"$LOGS/overhead-$round-$variant.result")
			read -r ELAPSED RSS_KB RC CPU_S <"$LOGS/overhead-$round-$variant.result"
			record kind=overhead round="$round" variant="$variant" seconds="$ELAPSED" rssKb="$RSS_KB" cpuSeconds="$CPU_S" \
				ok="$([[ $RC == 0 ]] && echo true || echo false)"
		done
	done
}

# A CPU profile of one plugin no-change deploy (BENCH_PROFILE=1): async-profiler when its jar is in the
# local repository (tools.profiler:async-profiler:3.0 from Maven Central: ./mvnw dependency:get
# -Dartifact=tools.profiler:async-profiler:3.0), JFR otherwise.
profile_plugin() {
	local jar="$HOME/.m2/repository/tools/profiler/async-profiler/3.0/async-profiler-3.0.jar" opts summary
	if [[ -f $jar ]]; then
		log "profile: async-profiler (cpu, 1 ms) of one plugin no-change deploy"
		mkdir -p "$WORK/async-profiler"
		(cd "$WORK/async-profiler" && unzip -q -o "$jar" 'linux-x64/*')
		opts="-agentpath:$WORK/async-profiler/linux-x64/libasyncProfiler.so=start,event=cpu,interval=1ms,threads,collapsed,file=$LOGS/plugin-deploy.collapsed"
		summary=(python3 "$BENCH_DIR/lib/collapsed_top.py" "$LOGS/plugin-deploy.collapsed")
	else
		log "profile: JFR of one plugin no-change deploy"
		opts="-XX:StartFlightRecording=filename=$LOGS/plugin-deploy.jfr,settings=profile"
		summary=(python3 "$BENCH_DIR/lib/jfr_top.py" "$LOGS/plugin-deploy.jfr")
	fi
	(cd "$E2E" && MAVEN_OPTS="$opts" "$MVNW" -B -o -s "$WORK/settings.xml" deploy \
		-Dfrankenphp.imageName="bench/nochange-plugin-$RUN_ID" >"$LOGS/profile.log" 2>&1)
	"${summary[@]}" >"$RESULTS/$STAMP-profile.txt" 2>&1 && record kind=profile file="\"$RESULTS/$STAMP-profile.txt\""
}

# Local tags of this run's images (the registry keeps its copies).
cleanup_images() {
	docker images --format '{{.Repository}}:{{.Tag}}' | grep -E "^$REGISTRY/bench/.*-$RUN_ID" |
		xargs -r docker image rm >/dev/null 2>&1 || true
}

# -------------------------------------------------------------------------------------- main
main() {
	log "results: $REPORT; logs: $LOGS"
	check_prerequisites
	mkdir -p "$WORK"
	build_tools
	write_credentials
	machine_info
	if wants cold || wants nochange; then
		prepare_project "$E2E" "$GEN_ARGS_E2E"
		maven_baseline
	fi
	wants cold && scenario_cold
	wants nochange && scenario_nochange
	if wants context; then
		prepare_project "$CTX" "$GEN_ARGS_CTX"
		scenario_context
	fi
	wants render && scenario_render
	wants overhead && scenario_overhead
	wants release && scenario_release
	if [[ ${BENCH_PROFILE:-0} == 1 ]] && { wants cold || wants nochange; }; then profile_plugin; fi
	cleanup_images
	record kind=end loadEnd="\"$(cut -d' ' -f1-3 /proc/loadavg)\"" seconds="$((SECONDS - T0))"
	python3 "$BENCH_DIR/lib/report.py" "$RAW" >"$REPORT" || die "report failed"
	log "done in $((SECONDS - T0))s: $REPORT"
	cat "$REPORT"
}

# shellcheck source=bench/release/release.sh
source "$BENCH_DIR/release/release.sh"

cleanup_all() {
	stop_sink
	release_cleanup
}
trap cleanup_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
main "$@"
