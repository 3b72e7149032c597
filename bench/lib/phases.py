#!/usr/bin/env python3
"""Splits one measured run's wall time into phases, from its log.

  phases.py TOOL LOG START_NS END_NS   ->  one JSON object on stdout

Maven logs must carry timestamps (bench/run.sh sets
-Dorg.slf4j.simpleLogger.showDateTime=true with an ISO format); deploy.sh's runs are wrapped by the
harness, which writes "@@ <name> <epoch ns>" marker lines into the log.
  plugin : startup (JVM + Maven until the first frankenphp mojo), generate, buildSetup (build mojo start
           until "Building": Docker connection, credentials, login check), build ("Building" until "Built"),
           push (push mojo start until the last "Pushed"), rest.
  fabric8: startup (until docker:build starts), tar (until "Created docker-build.tar"), build (until
           "Built image" / tag), push (docker:push start until its end), rest.
  cli    : build (docker build), push (both docker push), rest.
"""
import json
import re
import sys
from datetime import datetime

TS = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}) ")


def ts(line):
    m = TS.match(line)
    if not m:
        return None
    return datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()


def first(lines, pattern, after=0.0):
    rx = re.compile(pattern)
    for t, line in lines:
        if t is not None and t >= after and rx.search(line):
            return t
    return None


def last(lines, pattern):
    rx = re.compile(pattern)
    found = None
    for t, line in lines:
        if t is not None and rx.search(line):
            found = t
    return found


def spans(points, start, end):
    """points: ordered [(name, t)], each phase runs from its point to the next one."""
    out = {}
    marks = [("start", start)] + [(n, t) for n, t in points if t is not None] + [("end", end)]
    for (name, t), (_, t_next) in zip(marks, marks[1:]):
        out[name] = round(t_next - t, 3)
    return out


def main():
    tool, log, start_ns, end_ns = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    start, end = start_ns / 1e9, end_ns / 1e9
    lines = []
    markers = {}
    for raw in open(log, errors="replace"):
        raw = raw.rstrip("\n")
        if raw.startswith("@@ "):
            _, name, ns = raw.split()
            markers[name] = int(ns) / 1e9
            continue
        lines.append((ts(raw), raw))
    if tool == "plugin":
        points = [
            ("generate", first(lines, r"--- frankenphp:.*:generate")),
            ("buildSetup", first(lines, r"--- frankenphp:.*:build")),
            ("build", first(lines, r"\[INFO\] Building .* and .*:latest from")),
            ("pushSetup", first(lines, r"--- frankenphp:.*:push")),
            ("push", first(lines, r"\[INFO\] Pushing .* then ")),
            ("rest", last(lines, r"\[INFO\] Pushed .*:latest")),
        ]
        result = spans(points, start, end)
        result["startup"] = result.pop("start")
        # build ends at "Built sha256"; the record write and mojo switch are counted in pushSetup
    elif tool == "fabric8":
        points = [
            ("tar", first(lines, r"--- docker:.*:build")),
            ("build", first(lines, r"Created docker-build\.tar")),
            ("push", first(lines, r"--- docker:.*:push")),
            ("rest", last(lines, r"Pushed .* in ")),
        ]
        result = spans(points, start, end)
        result["startup"] = result.pop("start")
    else:
        points = [("push", markers.get("built")), ("rest", markers.get("pushed"))]
        result = spans(points, start, end)
        result["build"] = result.pop("start")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
