#!/bin/sh
# The hand-kept deploy.sh the plugin replaces, made comparable: the same rendered Dockerfile,
# .dockerignore and php.ini (bench/run.sh copies the last two where the Docker CLI expects them:
# ./.dockerignore and ./docker/php/php.ini), the classic builder (DOCKER_BUILDKIT=0, as the plugin
# uses the Engine API's /build), the same labels as the plugin sets, then `docker push` of the
# version tag and of latest. Credentials come from `docker login` done once beforehand
# (DOCKER_CONFIG), as on a machine where deploy.sh is run.
#
#   deploy.sh PROJECT_DIR REGISTRY NAME [--no-cache]
set -eu
project="$1" registry="$2" name="$3" no_cache="${4:-}"
cd "$project"
image="$registry/$name"
version="$(date -u +%Y%m%d-%H%M%S)"
created="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
export DOCKER_BUILDKIT=0
docker build $no_cache \
	--label "org.opencontainers.image.title=frankenphp-bench" \
	--label "org.opencontainers.image.version=$version" \
	--label "org.opencontainers.image.created=$created" \
	-t "$image:$version" -t "$image:latest" -f target/frankenphp/Dockerfile .
# Phase markers for bench/lib/phases.py (only when the harness asks for them).
if [ -n "${BENCH_MARKS:-}" ]; then echo "@@ built $(date +%s%N)"; fi
docker push "$image:$version"
docker push "$image:latest"
if [ -n "${BENCH_MARKS:-}" ]; then echo "@@ pushed $(date +%s%N)"; fi
