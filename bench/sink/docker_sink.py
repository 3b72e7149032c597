#!/usr/bin/env python3
"""A fake Docker daemon that only swallows build contexts: bench/run.sh's "context sink".

It answers just enough of the Engine API (1.41) for `docker build` (classic builder), the plugin's
docker-java client and fabric8's docker-maven-plugin to send a build context and believe the build
succeeded: /_ping, /version, /info, image inspect, and POST /build, whose body (the tar) is read and
counted, never stored. So the three clients' client-side context creation and upload can be timed
on the same tree without the daemon's own work (extracting the context, running steps) in the way.

For every POST /build it appends one JSON line to --log:
  {"client": user agent, "bytes": tar bytes received, "firstByte": t, "lastByte": t, "seconds": ..., "query": ...}
(t in seconds since the epoch; "seconds" = lastByte - request start).

Usage: docker_sink.py --port 23750 --log sink.jsonl     (then DOCKER_HOST=tcp://127.0.0.1:23750)
"""
import argparse
import json
import socketserver
import threading
import time
import urllib.parse

API = "1.41"
FAKE_ID = "sha256:" + "b" * 64
BUF = bytearray(1 << 20)
LOCK = threading.Lock()


class Handler(socketserver.StreamRequestHandler):
    rbufsize = 1 << 20

    def handle(self):
        while True:
            line = self.rfile.readline(65537)
            if not line:
                return
            if line in (b"\r\n", b"\n"):
                continue
            started = time.time()
            try:
                method, target, _ = line.decode("latin-1").split(" ", 2)
            except ValueError:
                return
            headers = {}
            while True:
                h = self.rfile.readline(65537)
                if h in (b"\r\n", b"\n", b""):
                    break
                k, _, v = h.decode("latin-1").partition(":")
                headers[k.strip().lower()] = v.strip()
            if headers.get("expect", "").lower() == "100-continue":
                self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                self.wfile.flush()
            count, first, last = self.read_body(headers)
            url = urllib.parse.urlsplit(target)
            path = url.path
            # strip /v1.xx prefix
            parts = path.split("/")
            if len(parts) > 1 and parts[1].startswith("v1."):
                path = "/" + "/".join(parts[2:])
            keep = self.route(method, path, url.query, headers, count, first, last, started)
            if not keep or headers.get("connection", "").lower() == "close":
                return

    def read_body(self, headers):
        count, first, last = 0, None, None
        self.chunks = 0
        view = memoryview(BUF)
        if headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size_line = self.rfile.readline(1024)
                if not size_line:
                    break
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                if first is None:
                    first = time.time()
                self.chunks += 1
                remaining = size
                while remaining:
                    n = self.rfile.readinto(view[:min(remaining, len(BUF))])
                    if not n:
                        return count, first, time.time()
                    remaining -= n
                    count += n
                self.rfile.readline(16)
            last = time.time()
        else:
            remaining = int(headers.get("content-length", "0") or 0)
            if remaining:
                first = time.time()
            while remaining:
                n = self.rfile.readinto(view[:min(remaining, len(BUF))])
                if not n:
                    break
                remaining -= n
                count += n
            last = time.time()
        return count, first, last

    def send(self, status, body=b"", content_type="application/json", extra=None):
        reason = {200: "OK", 201: "Created", 404: "Not Found", 204: "No Content"}.get(status, "OK")
        head = [f"HTTP/1.1 {status} {reason}", f"Api-Version: {API}", "Docker-Experimental: false",
                "Ostype: linux", "Server: Docker/20.10.24 (linux) bench-context-sink",
                f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
        head += extra or []
        self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        self.wfile.flush()

    def route(self, method, path, query, headers, count, first, last, started):
        q = urllib.parse.parse_qs(query)
        if path == "/_ping":
            self.send(200, b"" if method == "HEAD" else b"OK", "text/plain; charset=utf-8")
        elif path == "/version":
            self.send(200, json.dumps({"Version": "20.10.24", "ApiVersion": API, "MinAPIVersion": "1.12",
                                       "Os": "linux", "Arch": "amd64", "KernelVersion": "bench",
                                       "GitCommit": "bench", "GoVersion": "go1.19"}).encode())
        elif path == "/info":
            self.send(200, json.dumps({"ID": "bench", "Name": "bench-context-sink", "ServerVersion": "20.10.24",
                                       "OSType": "linux", "Architecture": "x86_64", "IndexServerAddress":
                                       "https://index.docker.io/v1/", "RegistryConfig": {}}).encode())
        elif path == "/build" and method == "POST":
            tags = q.get("t", [])
            entry = {"client": headers.get("user-agent", "?"), "bytes": count, "start": started,
                     "firstByte": first, "lastByte": last, "seconds": (last or started) - started,
                     "chunks": self.chunks, "dockerfile": q.get("dockerfile", [""])[0], "tags": tags}
            with LOCK:
                with open(ARGS.log, "a") as log:
                    log.write(json.dumps(entry) + "\n")
            lines = [{"stream": "Step 1/1 : (bench context sink: %d bytes received)\n" % count},
                     {"aux": {"ID": FAKE_ID}},
                     {"stream": "Successfully built %s\n" % FAKE_ID[7:19]}]
            lines += [{"stream": "Successfully tagged %s\n" % t} for t in tags]
            self.send(200, "".join(json.dumps(l) + "\r\n" for l in lines).encode())
        elif path.startswith("/images/") and path.endswith("/json") and method == "GET":
            name = urllib.parse.unquote(path[len("/images/"):-len("/json")])
            self.send(200, json.dumps({"Id": FAKE_ID, "RepoTags": [name], "RepoDigests": [], "Created":
                                       "2026-01-01T00:00:00Z", "Config": {"Labels": {}}, "Size": 1,
                                       "Os": "linux", "Architecture": "amd64"}).encode())
        elif path.startswith("/images/") and method == "DELETE":
            self.send(200, b"[]")
        elif path.startswith("/images/") and path.endswith("/tag") and method == "POST":
            self.send(201, b"")
        elif path == "/auth" and method == "POST":
            self.send(200, json.dumps({"Status": "Login Succeeded"}).encode())
        else:
            self.send(404, json.dumps({"message": "bench context sink: %s %s not supported" % (method, path)}).encode())
        return True


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=23750)
    parser.add_argument("--log", required=True)
    ARGS = parser.parse_args()
    with Server(("127.0.0.1", ARGS.port), Handler) as server:
        server.serve_forever()
