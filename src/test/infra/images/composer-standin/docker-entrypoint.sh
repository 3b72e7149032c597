#!/bin/sh
# TEST STAND-IN for the composer:2 image's /docker-entrypoint.sh (frankenphp-maven-plugin ITs):
# like the real one, runs composer when the first argument is an option or not a command.
set -e

if [ "${1#-}" != "$1" ] || ! command -v "$1" > /dev/null 2>&1; then
	set -- /usr/bin/composer "$@"
fi

exec "$@"
