#!/usr/bin/env python3
"""Splits one plugin release (or rollback) into its steps, from its timestamped Maven log.

  release_phases.py LOG [LIVE_EPOCH]   ->  one JSON object on stdout (seconds)

LOG is an `mvn deploy` or `mvn frankenphp:rollback` log written with bench/run.sh's MAVEN_TS_OPTS
(ISO timestamps, milliseconds). LIVE_EPOCH is when /api/version first reported the new version.

  connect        release mojo start until "Pulling" (Maven's mojo setup, the ssh tunnel, the engine)
  pull           "Pulling" until the migrations start (or, for a rollback, until the new container starts)
  migrate        the one-off migration container, until "Started <slot> ...; waiting for its health check"
  healthWait     the plugin's "Healthy after X s" (its own measure)
  workers        "Healthy" until the scheduler restarted: queueStop is "The old worker stopped after
                 X s", the rest is the new worker's start and the scheduler's stop (up to 10 s) and start
  handover       the scheduler restarted until the old app container is removed: what is left of the
                 2 s Caddy is given to see the new container, then the drain; retire is the plugin's own
                 "drained and stopped in X s"
  finish         until "Released"/"Rolled back" (verify, tag latest, registry)
  releaseStep    the plugin's "Released ... in X s" / "Rolled back ... in X s"
  releaseStartToServing  release mojo start until LIVE_EPOCH
  servingBeforeStepEnd   LIVE_EPOCH until the step's end line: how long the release went on after
                 the new version was already serving
"""
import json
import re
import sys
from datetime import datetime

TS = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}) ")


def ts(line):
    m = TS.match(line)
    return datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp() if m else None


def main():
    lines = [(ts(l), l.rstrip("\n")) for l in open(sys.argv[1], errors="replace")]
    lines = [(t, l) for t, l in lines if t is not None]
    live = float(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] not in ("", "null") else None

    def first(pattern):
        rx = re.compile(pattern)
        return next(((t, l) for t, l in lines if rx.search(l)), (None, None))

    start, _ = first(r"--- frankenphp:[^:]+:(release|rollback) ")
    pulling, _ = first(r"(Pulling .* on the server|is already on the server; no pull needed)")
    migrate, _ = first(r"Running the migrations of ")
    started, _ = first(r"Started \S+ on \S+; waiting for its health check")
    healthy, healthy_line = first(r"Healthy after [0-9.]+ s")
    # The old app container; a candidate that never got healthy is removed under a "-retired-" name.
    removed, removed_line = first(r"Removed \S+-app \(.*drained and stopped in")
    queue_stopped, queue_line = first(r"The old worker stopped after [0-9.]+ s")
    restarted, _ = first(r"Restarted \S+ on ")
    end, end_line = first(r"(Released|Rolled back) .* in [0-9.]+ s")

    def d(a, b):
        return round(b - a, 3) if a is not None and b is not None else None

    def num(line, pattern):
        m = re.search(pattern, line or "")
        return float(m.group(1)) if m else None

    out = {
        "connect": d(start, pulling),
        "pull": d(pulling, migrate or started),
        "migrate": d(migrate, started),
        "healthWait": num(healthy_line, r"Healthy after ([0-9.]+) s"),
        "workers": d(healthy, restarted),
        "queueStop": num(queue_line, r"stopped after ([0-9.]+) s"),
        "handover": d(restarted, removed),
        "retire": num(removed_line, r"drained and stopped in ([0-9.]+) s"),
        "finish": d(removed, end),
        "releaseStep": num(end_line, r" in ([0-9.]+) s"),
        "releaseStartToServing": d(start, live),
        "servingBeforeStepEnd": d(live, end),
    }
    # The plugin's own account of its steps ("Steps: pull 3.4 s, lock and inspect 6.1 s, ...").
    _, steps_line = first(r"Steps: ")
    if steps_line:
        for name, seconds in re.findall(r"([a-z][a-z ]*?) ([0-9.]+) s", steps_line.split("Steps: ", 1)[1]):
            out["step " + name.strip()] = float(seconds)
    print(json.dumps({k: v for k, v in out.items() if v is not None}))


if __name__ == "__main__":
    main()
