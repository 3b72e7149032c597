#!/usr/bin/env python3
"""Summarises an async-profiler collapsed CPU profile (`threads,collapsed`) of one `mvn deploy`.

  collapsed_top.py PROFILE.collapsed

Prints CPU milliseconds (1 sample = 1 ms at interval=1ms) per thread, then the main thread split
into Maven's own work and the plugin's phases, and what the upload thread does.
"""
import collections
import sys

lines = [l.rstrip("\n").rsplit(" ", 1) for l in open(sys.argv[1]) if l.strip()]
threads = collections.Counter()
for stack, n in lines:
    threads[stack.split(";")[0].split(" tid=")[0].strip("[")] += int(n)
total = sum(threads.values())
print(f"{total} CPU samples (ms) in all threads")
for t, c in threads.most_common(12):
    print(f"  {c:6d}  {t}")


def split(thread, buckets):
    c = collections.Counter()
    for stack, n in lines:
        frames = stack.split(";")
        if not frames[0].startswith("[" + thread):
            continue
        hit = "other"
        for label, keys in buckets:
            if any(k in f for f in frames for k in keys):
                hit = label
                break
        c[hit] += int(n)
    print(f"\n{thread}: {sum(c.values())} ms")
    for k, v in c.most_common():
        print(f"  {v:6d}  {k}")


split("main", [
    ("plugin: generate (render + write)", ["GenerateMojo"]),
    ("plugin: Docker connection (docker-java, HttpClient, Jackson init + /version probe)", ["DockerConnection.open", "AbstractDockerMojo.connect"]),
    ("plugin: credentials + login check", ["CredentialResolver", "checkLogin", "AbstractDockerMojo.credentials"]),
    ("plugin: image build (waiting on the daemon's stream)", ["ImageBuilder.build"]),
    ("plugin: push", ["ImagePublisher", "PushMojo"]),
    ("plugin: other", ["fr/miweb", "fr.miweb"]),
    ("maven: plugin extension realm (scanning the plugin's dependencies)", ["setupExtensionsRealm"]),
    ("maven: container + CLI start", ["MavenCli.container"]),
    ("maven: project building", ["DefaultProjectBuilder", "DefaultGraphBuilder"]),
    ("maven: other", ["org/apache/maven", "org.apache.maven"]),
])
split("frankenphp-build-context-tar", [
    ("file content copy", ["copyContent"]), ("tar headers", ["putArchiveEntry"]),
    ("ignore rules", ["DockerIgnore"]), ("stat", ["FileMetadata.read"]), ("listing", ["listNames"]),
])
split("docker-java-stream", [
    ("HttpClient chunked writes to the socket", ["ChunkedOutputStream"]), ("reading the context pipe", ["BuildContextStream.read"]),
    ("JSON", ["jackson"]),
])
