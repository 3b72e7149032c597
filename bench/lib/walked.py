#!/usr/bin/env python3
"""Counts what a process touched under a directory, from `strace -f -e trace=%stat,%lstat,openat,open`.

  walked.py STRACE_OUT ROOT [CWD]  ->  {"pathsTouched": n, "inVendor": n, "inNodeModules": n}

pathsTouched: distinct paths strictly below ROOT that were stat'ed or opened (a file archived is
typically both; a directory listed is opened). inVendor / inNodeModules: those strictly inside
ROOT/vendor/ and ROOT/node_modules/, the two directories the .dockerignore excludes: 0 means the
walker never descended into them (it may still stat the directory itself, as Docker's does).
Relative paths are resolved against CWD (default ROOT).
"""
import json
import os
import re
import sys

CALL = re.compile(r'^\d+\s+(?:\d+:\d+:\d+\.\d+\s+)?(\w+)\((?:AT_FDCWD, |\d+, )?"([^"]*)"')


def main():
    trace, root = sys.argv[1], os.path.realpath(sys.argv[2])
    cwd = os.path.realpath(sys.argv[3]) if len(sys.argv) > 3 else root
    seen = set()
    for line in open(trace, errors="replace"):
        m = CALL.match(line)
        if not m:
            continue
        path = m.group(2)
        if not path or "<unfinished" in line and '"' not in line:
            continue
        if not path.startswith("/"):
            path = os.path.join(cwd, path)
        path = os.path.normpath(path)
        if path.startswith(root + "/"):
            seen.add(path[len(root) + 1:])
    print(json.dumps({
        "pathsTouched": len(seen),
        "inVendor": sum(1 for p in seen if p.startswith("vendor/")),
        "inNodeModules": sum(1 for p in seen if p.startswith("node_modules/")),
    }))


if __name__ == "__main__":
    main()
