#!/usr/bin/env python3
"""Hottest frames of a JFR recording (jdk.ExecutionSample), for bench/run.sh BENCH_PROFILE=1.

  jfr_top.py RECORDING.jfr [N]

Prints: samples per thread; the top N self frames; the top N frames by inclusive samples among
the plugin's (fr.miweb), docker-java's, FreeMarker's and Maven's; and the top N packages by
inclusive samples. `jfr` (from the JDK) must be on the PATH. JFR's default stack depth (64) cuts
deep stacks, so inclusive counts of outer frames are lower bounds.
"""
import collections
import re
import subprocess
import sys

FRAME = re.compile(r"^\s+([\w$.<>]+)\(")


def main():
    path = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", path],
                          capture_output=True, text=True, check=True).stdout
    selfc, incl, pkgs, threads = (collections.Counter() for _ in range(4))
    total = 0
    for event in text.split("jdk.ExecutionSample")[1:]:
        thread = re.search(r'sampledThread = "([^"]*)"', event)
        frames = [m.group(1) for m in (FRAME.match(l) for l in event.splitlines()) if m]
        if not frames:
            continue
        total += 1
        threads[thread.group(1) if thread else "?"] += 1
        selfc[frames[0]] += 1
        for f in set(frames):
            incl[f] += 1
        for p in set(".".join(f.split(".")[:-2]) for f in frames):
            pkgs[p] += 1
    print(f"{total} execution samples")
    print("\n== samples per thread")
    for t, c in threads.most_common(10):
        print(f"{c:6d} {100 * c / total:5.1f}%  {t}")
    print(f"\n== top {n} self frames")
    for f, c in selfc.most_common(n):
        print(f"{c:6d} {100 * c / total:5.1f}%  {f}")
    print(f"\n== top {n} inclusive frames (plugin, docker-java, FreeMarker, Maven)")
    interesting = [(f, c) for f, c in incl.most_common() if f.startswith(("fr.miweb", "com.github.dockerjava",
                                                                          "freemarker", "org.apache.maven"))]
    for f, c in interesting[:n]:
        print(f"{c:6d} {100 * c / total:5.1f}%  {f}")
    print(f"\n== top {n} packages (inclusive)")
    for p, c in pkgs.most_common(n):
        print(f"{c:6d} {100 * c / total:5.1f}%  {p}")


if __name__ == "__main__":
    main()
