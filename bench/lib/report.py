#!/usr/bin/env python3
"""Turns bench/run.sh's raw JSON lines into the Markdown results file.

  report.py RESULTS.jsonl > RESULTS.md

Ratios are computed per round (the tools of one round ran back to back) and summarised as
median [min-max]; absolute times appear only next to them, as context.
"""
import json
import statistics
import sys
from collections import defaultdict


def load(path):
    rows = []
    for line in open(path):
        line = line.strip()
        if line:
            rows.append(json.loads(line))
    return rows


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, digits=2):
    try:
        return "n/a" if x is None else f"{float(x):.{digits}f}"
    except (TypeError, ValueError):
        return "n/a"


def summary(xs, digits=2):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "n/a"
    return f"{fmt(med(xs), digits)} [{fmt(min(xs), digits)}–{fmt(max(xs), digits)}]"


def verdict(value, limit, lower_is_better=True):
    if value is None:
        return "not measured"
    ok = value <= limit if lower_is_better else value >= limit
    return "**met**" if ok else "**missed**"


def e2e_ratios(rows, scenario, a, b):
    by_round = defaultdict(dict)
    for r in rows:
        if r.get("kind") == "e2e" and r["scenario"] == scenario and r.get("ok"):
            by_round[r["round"]][r["tool"]] = r["seconds"]
    return [t[a] / t[b] for t in by_round.values() if a in t and b in t]


def e2e_times(rows, scenario, tool):
    return [r["seconds"] for r in rows if r.get("kind") == "e2e" and r["scenario"] == scenario
            and r["tool"] == tool and r.get("ok")]


def e2e_failures(rows):
    return [r for r in rows if r.get("kind") == "e2e" and not r.get("ok")]


def phases(rows, scenario, tool):
    acc = defaultdict(list)
    for r in rows:
        if r.get("kind") == "e2e" and r["scenario"] == scenario and r["tool"] == tool and r.get("ok"):
            for k, v in (r.get("phases") or {}).items():
                acc[k].append(v)
    return {k: med(v) for k, v in acc.items()}


def release_rows(rows, scenario, tool=None):
    return [r for r in rows if r.get("kind") == "release" and r["scenario"] == scenario
            and (tool is None or r["tool"] == tool)]


def release_ratios(rows, scenario, tool="plugin"):
    by_round = defaultdict(dict)
    for r in release_rows(rows, scenario):
        if r.get("ok") and r.get("toServing") is not None:
            by_round[r["round"]][r["tool"]] = r["toServing"]
    return [t[tool] / t["manual"] for t in by_round.values() if tool in t and "manual" in t]


RELEASE_WAYS = {"plugin": "plugin", "plugin-c1": "plugin, C1 only (`-XX:TieredStopAtLevel=1`)", "manual": "DEPLOY.md by hand"}


def failed_text(rs):
    fails = [(r.get("load") or {}).get("failed") for r in rs]
    rps = [(r.get("load") or {}).get("rps") for r in rs]
    known = [f for f in fails if f is not None]
    return (f"{sum(known)} failed in {len(known)} runs (per run: {', '.join('?' if f is None else str(f) for f in fails)}) at "
            f"{fmt(min((x for x in rps if x is not None), default=None), 0)}–{fmt(max((x for x in rps if x is not None), default=None), 0)} req/s"
            + (f"; load unknown in {len(fails) - len(known)} run(s), wrk exited early" if len(known) < len(fails) else ""))


def failed_verdict(rs):
    loads = [r.get("load") or {} for r in rs]
    known = [l for l in loads if l.get("failed") is not None]
    if not known:
        return "not measured"
    if any(l["failed"] > 0 or (l.get("rps") or 0) < 50 for l in known):
        return "**missed**"
    return "**met**" if len(known) == len(loads) else f"**met** in the {len(known)} runs measured"


def release_targets(rows, w):
    if not any(r.get("kind") == "release" for r in rows):
        return
    for scenario, label in (("release", "Release, mvn deploy start → new version serving"),
                            ("rollback", "Rollback, command start → old version serving")):
        for tool in ("plugin", "plugin-c1"):
            ratios = release_ratios(rows, scenario, tool)
            if ratios:
                w(f"| {label}: {RELEASE_WAYS[tool]} / DEPLOY.md by hand | (info) | {summary(ratios)} (n={len(ratios)}) | |")
    rel_plugin = release_rows(rows, "release", "plugin")
    if rel_plugin:
        w(f"| Release under load (plugin), failed requests | 0 at ≥ 50 req/s | {failed_text(rel_plugin)} | "
          f"{failed_verdict(rel_plugin)} |")
        steps = [r.get("stepSeconds") for r in rel_plugin if r.get("ok")]
        known = [x for x in steps if x is not None]
        w(f"| Release step (plugin's \"Released … in X s\"), stand-in images | ≤ 15 s, every release | {summary(known, 1)} s "
          f"(n={len(known)}) | {verdict(max(known) if known else None, 15)} |")
    rb_plugin = release_rows(rows, "rollback", "plugin")
    if rb_plugin:
        serving = [r.get("toServing") for r in rb_plugin if r.get("ok")]
        steps = [r.get("stepSeconds") for r in rb_plugin if r.get("ok")]
        whole = [r.get("commandSeconds") for r in rb_plugin if r.get("ok")]
        w(f"| Rollback (plugin), mvn start → old version serving | ≤ 10 s, every rollback | {summary(serving, 1)} s (n={len(serving)}) | "
          f"{verdict(max((x for x in serving if x is not None), default=None), 10)} |")
        w(f"| Rollback (plugin), its own \"Rolled back … in X s\" | ≤ 10 s, every rollback | {summary(steps, 1)} s; whole mvn "
          f"{summary(whole, 1)} s | {verdict(max((x for x in steps if x is not None), default=None), 10)} |")
        w(f"| Rollback under load (plugin), failed requests | 0 at ≥ 50 req/s | {failed_text(rb_plugin)} | "
          f"{failed_verdict(rb_plugin)} |")
    for scenario, what in (("release", "Release step"), ("rollback", "Rollback step")):
        c1 = [r for r in release_rows(rows, scenario, "plugin-c1") if r.get("ok")]
        if c1:
            w(f"| {what} and mvn start → serving, {RELEASE_WAYS['plugin-c1']} | (info) | step "
              f"{summary([r.get('stepSeconds') for r in c1], 1)} s, to serving {summary([r.get('toServing') for r in c1], 1)} s; "
              f"{failed_text(c1)} | |")


def release_details(rows, w):
    if not any(r.get("kind") == "release" for r in rows):
        return
    w("## Release to a compose stack")
    w("")
    rates = {r["load"].get("steadyRate") for r in rows if r.get("kind") == "release" and "steadyRate" in (r.get("load") or {})}
    pace = ("steady, " + "/".join(str(x) for x in sorted(rates)) + " req/s asked (BENCH_LOAD_RATE)") if rates and None not in rates \
        else "flat out (BENCH_LOAD_RATE empty: each connection sends as soon as it has its answer)"
    w("One stack (the e2e fixture, stand-in images), load.sh (wrk, 4 connections, " + pace + ") on /api/health through the "
      "proxy's published port during each run. *To serving*: from the start of the command (`mvn deploy`, or the rollback command) to the first "
      "/api/version answer (polled every 0.1 s) reporting the version. *Step*: plugin, its own \"Released/Rolled back … in X s\"; "
      "by hand, `pull` + `up -d app queue scheduler` (release) or `up -d` (rollback). *Step start → serving*: plugin, from the "
      "release mojo's start; by hand, from the start of `pull`.")
    w("")
    w("| Scenario | Way | To serving s | mvn / command s | Step s | Step start → serving s | Failed requests (per run) | req/s | Max latency s |")
    w("|---|---|---|---|---|---|---|---|---|")
    for scenario in ("release", "rollback"):
        for tool in RELEASE_WAYS:
            rs = [r for r in release_rows(rows, scenario, tool) if r.get("ok")]
            if not rs:
                continue
            loads = [r.get("load") or {} for r in rs]
            w(f"| {scenario} | {RELEASE_WAYS[tool]} | {summary([r.get('toServing') for r in rs])} | "
              f"{summary([r.get('mvnSeconds', r.get('commandSeconds')) for r in rs])} | {summary([r.get('stepSeconds') for r in rs])} | "
              f"{summary([r.get('stepToServing') for r in rs])} | {sum(l.get('failed') or 0 for l in loads)} "
              f"({', '.join('?' if l.get('failed') is None else str(l.get('failed')) for l in loads)}) | {summary([l.get('rps') for l in loads], 0)} | "
              f"{summary([l.get('maxLatencyS') for l in loads])} |")
    w("")
    order = ["connect", "pull", "migrate", "healthWait", "workers", "queueStop", "handover", "retire", "finish",
             "releaseStep", "releaseStartToServing", "servingBeforeStepEnd"]
    for scenario, tool in (("release", "plugin"), ("rollback", "plugin"), ("release", "plugin-c1"), ("rollback", "plugin-c1")):
        rs = [r for r in release_rows(rows, scenario, tool) if r.get("ok") and r.get("phases")]
        who = "Plugin" if tool == "plugin" else "Plugin, C1 only,"
        if rs:
            acc = defaultdict(list)
            for r in rs:
                for k, v in r["phases"].items():
                    acc[k].append(v)
            w(f"{who} {scenario} steps, from its log (median [min–max] s): "
              + ", ".join(f"{k} {summary(acc[k], 1)}" for k in order if k in acc) + ".")
            w("")
            own = [k for k in acc if k.startswith("step ")]
            if own:
                w(f"{who} {scenario}, its own \"Steps:\" line (median [min–max] s): "
                  + ", ".join(f"{k[5:]} {summary(acc[k], 1)}" for k in own) + ".")
                w("")
    statuses = [f"{r['scenario']} {r['round']} {r['tool']}: statuses {r['load'].get('statuses')}, "
                + ", ".join(f"{k} {r['load'].get(k)}" for k in ("connect_errors", "read_errors", "write_errors", "timeout_errors"))
                for r in rows if r.get("kind") == "release" and (r.get("load") or {}).get("failed")]
    if statuses:
        w("Failed requests by status or socket error: " + "; ".join(statuses) + ".")
        w("")
    loadavg = [r.get("loadavg") for r in rows if r.get("kind") == "release"]
    if loadavg:
        w("Load average after each run: " + "; ".join(str(x) for x in loadavg) + ".")
        w("")


def main():
    rows = load(sys.argv[1])
    machine = next((r for r in rows if r.get("kind") == "machine"), {})
    end = next((r for r in rows if r.get("kind") == "end"), {})
    out = []
    w = out.append
    w(f"# Benchmark results {machine.get('date', '')}")
    w("")
    w("Produced by `bash bench/run.sh` (method: docs/performance.md). Every ratio is computed per round, the tools "
      "of a round having run back to back in a rotating order, and given as **median [min–max]** over the rounds.")
    w("")
    w(f"- Machine: {machine.get('nproc')} CPUs ({machine.get('cpu')}), {machine.get('memGb')} GB, kernel {machine.get('kernel')}")
    w(f"- Docker Engine {machine.get('engine')}, CLI {machine.get('dockerCli')}; {machine.get('java')}; {machine.get('maven')}")
    w(f"- Plugin: commit {machine.get('pluginCommit')}")
    w(f"- Load average at start {machine.get('loadStart')}, at end {end.get('loadEnd')}; total run time {end.get('seconds')} s")
    w("")

    # ------------------------------------------------------------------ targets
    cold_cli = e2e_ratios(rows, "cold", "plugin", "cli")
    cold_f8 = e2e_ratios(rows, "cold", "plugin", "fabric8")
    nc_cli = e2e_ratios(rows, "nochange", "plugin", "cli")
    nc_f8 = e2e_ratios(rows, "nochange", "plugin", "fabric8")
    cold_plugin = e2e_times(rows, "cold", "plugin")
    nc_plugin = e2e_times(rows, "nochange", "plugin")
    rerun = [x / med(cold_plugin) for x in nc_plugin] if cold_plugin and nc_plugin else []

    ctx = [r for r in rows if r.get("kind") == "context"]
    walked = {r["tool"]: r["walked"] for r in rows if r.get("kind") == "walked"}

    def ctx_rounds(variant):
        by_round = defaultdict(dict)
        for r in ctx:
            if r["variant"] == variant and r.get("ok") and r.get("heap", "256m") in ("256m", None):
                by_round[r["round"]][r["tool"]] = r
        return [v for v in by_round.values() if "plugin" in v and "tar" in v]

    def throughput(variant, inside_jvm):
        ratios = []
        for v in ctx_rounds(variant):
            d = v["plugin"]["driver"]
            p_time = d["seconds"] if inside_jvm else v["plugin"]["seconds"]
            p_rate = d["tarBytes"] / p_time
            t_rate = v["tar"]["tarBytes"] / v["tar"]["seconds"]
            ratios.append(p_rate / t_rate)
        return ratios

    heap_runs = [r for r in ctx if r["tool"] == "plugin" and r.get("heap") == "256m"]
    peak_used = max((r["driver"].get("peakHeapUsedMb", 0) for r in heap_runs if r.get("ok")), default=None)
    after_gc = max((r.get("maxHeapAfterGcMb", 0) for r in heap_runs if r.get("ok")), default=None)
    heap_ok_all = all(r.get("ok") for r in heap_runs) if heap_runs else None

    jmh = {r["benchmark"]: r for r in rows if r.get("kind") == "jmh"}
    render = jmh.get("renderAll")

    over = defaultdict(dict)
    over_cpu = defaultdict(dict)
    for r in rows:
        if r.get("kind") == "overhead" and r.get("ok"):
            over[r["round"]][r["variant"]] = r["seconds"]
            over_cpu[r["round"]][r["variant"]] = r.get("cpuSeconds")
    overhead_cpu_ms = [(v["with"] - v["without"]) * 1000 for v in over_cpu.values()
                       if v.get("with") is not None and v.get("without") is not None]
    overhead_ms = [(v["with"] - v["without"]) * 1000 for v in over.values() if "with" in v and "without" in v]
    skip_ms = [(v["skip"] - v["without"]) * 1000 for v in over.values() if "skip" in v and "without" in v]

    w("## Targets")
    w("")
    w("| What | Target | Measured | Verdict |")
    w("|---|---|---|---|")
    if any(r.get("kind") == "e2e" for r in rows):
        w(f"| Cold build + push, plugin / CLI | ≤ 1.05 | {summary(cold_cli)} (n={len(cold_cli)}) | {verdict(med(cold_cli), 1.05)} |")
        w(f"| Cold build + push, plugin / fabric8 | ≤ 0.90 | {summary(cold_f8)} (n={len(cold_f8)}) | {verdict(med(cold_f8), 0.90)} |")
        w(f"| No-change re-run, plugin / CLI | ≤ 1.05 | {summary(nc_cli)} (n={len(nc_cli)}) | {verdict(med(nc_cli), 1.05)} |")
        w(f"| No-change re-run, plugin / fabric8 | ≤ 0.90 | {summary(nc_f8)} (n={len(nc_f8)}) | {verdict(med(nc_f8), 0.90)} |")
        other_rerun = []
        for tool in ("cli", "fabric8"):
            c, n = e2e_times(rows, "cold", tool), e2e_times(rows, "nochange", tool)
            if c and n:
                other_rerun.append(f"{tool} {fmt(med(n) / med(c))}")
        w(f"| Plugin no-change re-run / plugin cold run | ≤ 0.15 | {summary(rerun)} (each re-run / median cold; same ratio for "
          f"{', '.join(other_rerun) or 'n/a'}) | {verdict(med(rerun), 0.15)} |")
    p_walk = walked.get("plugin")
    if p_walk:
        d1 = next((r["driver"] for r in heap_runs if r["variant"] == "1g" and r.get("ok")), {})
        sent = d1.get("filesSent", 0) + d1.get("directoriesSent", 0)
        w(f"| Context: excluded directories not descended into | files walked ≈ files included | "
          f"{d1.get('entriesWalked')} entries walked for {sent} entries sent; strace: {p_walk['pathsTouched']} paths touched, "
          f"{p_walk['inVendor']} in vendor/, {p_walk['inNodeModules']} in node_modules/ | "
          f"{'**met**' if p_walk['inVendor'] == 0 and p_walk['inNodeModules'] == 0 else '**missed**'} |")
    for variant, label in (("1g", "1 GB tree"), ("4g", "4 GB tree")):
        t_in = throughput(variant, True)
        t_proc = throughput(variant, False)
        if t_in:
            w(f"| Context throughput / tar, {label} (writeTo time, first run in a fresh JVM) | ≥ 0.80 | {summary(t_in)} | {verdict(med(t_in), 0.80, False)} |")
            w(f"| Context throughput / tar, {label} (whole java process, JVM start included) | (info) | {summary(t_proc)} | |")
            warm = next((r["driver"] for r in rows if r.get("kind") == "context-warm" and r["variant"] == variant and r["driver"]), None)
            tars = [r for r in ctx if r["variant"] == variant and r["tool"] == "tar" and r.get("ok")]
            if warm and tars:
                tar_rate = med([r["tarBytes"] / r["seconds"] for r in tars])
                runs = warm.get("earlierRuns", []) + [warm["seconds"]]
                w(f"| Context throughput / tar, {label} (6th run in one JVM, JIT warm; ÷ median tar) | (info) | "
                  f"{fmt(warm['tarBytes'] / warm['seconds'] / tar_rate)} (runs 1–6: {', '.join(fmt(x) for x in runs)} s) | |")
    if heap_runs:
        w(f"| Context peak heap, -Xmx256m, 1 GB and 4 GB trees | ≤ 256 MB | all {len(heap_runs)} runs completed: {heap_ok_all}; "
          f"peak heap used {fmt(peak_used, 1)} MB (garbage included), largest heap after GC {fmt(after_gc, 0)} MB | "
          f"{'**met**' if heap_ok_all else '**missed**'} |")
    if render:
        w(f"| Render all templates, warm (JMH renderAll) | ≤ 20 ms | {fmt(render['score'], 2)} ± {fmt(render['error'], 2)} ms "
          f"[{fmt(render['min'], 2)}–{fmt(render['max'], 2)}] | {verdict(render['score'], 20)} |")
    if overhead_ms:
        w(f"| Maven overhead of the plugin's generate (with − without, per round) | ≤ 300 ms | {summary(overhead_ms, 0)} ms (n={len(overhead_ms)}) | {verdict(med(overhead_ms), 300)} |")
    release_targets(rows, w)
    w("")

    # ------------------------------------------------------------------ details: e2e
    if any(r.get("kind") == "e2e" for r in rows):
        w("## Build + push")
        w("")
        w("Median [min–max] seconds per tool (context for the ratios above), and the median of each phase.")
        w("")
        w("| Scenario | Tool | Wall s | Client CPU s | Peak RSS MB | Phases (median s) |")
        w("|---|---|---|---|---|---|")
        for scenario in ("cold", "nochange"):
            for tool in ("plugin", "cli", "fabric8", "plugin-c1"):
                times = e2e_times(rows, scenario, tool)
                if not times:
                    continue
                mine = [r for r in rows if r.get("kind") == "e2e" and r["scenario"] == scenario
                        and r["tool"] == tool and r.get("ok")]
                rss = [r["rssKb"] / 1024 for r in mine]
                cpu = [r.get("cpuSeconds") for r in mine]
                ph = phases(rows, scenario, tool)
                order = ["startup", "generate", "buildSetup", "tar", "build", "pushSetup", "push", "rest"]
                ph_text = ", ".join(f"{k} {fmt(ph[k])}" for k in order if k in ph)
                w(f"| {scenario} | {tool} | {summary(times)} | {summary(cpu)} | {fmt(med(rss), 0)} | {ph_text} |")
        base = [r for r in rows if r.get("kind") == "baseline"]
        if base:
            w("")
            w(f"Fixed costs, measured in the same run: `mvn -o validate` on a pom without any plugin (JVM + Maven start) "
              f"{summary([r['mavenValidate'] for r in base])} s wall, {summary([r.get('mavenCpuSeconds') for r in base])} s CPU; "
              f"`docker version` (CLI start + one API call) "
              f"{summary([r['dockerVersion'] for r in base], 3)} s.")
        fails = e2e_failures(rows)
        if fails:
            w("")
            w("Failed runs (left out of the ratios): " + ", ".join(f"{r['scenario']} {r['round']} {r['tool']} ({r['log']})" for r in fails))
        w("")

    # ------------------------------------------------------------------ details: context
    if ctx:
        tree = next((r for r in rows if r.get("kind") == "tree"), None)
        w("## Build context")
        w("")
        if tree:
            g = tree["gen"]
            w(f"Synthetic tree ({tree['du']} on disk): " + ", ".join(f"{k} {v['files']} files / {v['bytes'] / 1e6:.0f} MB" for k, v in g.items()) + ".")
            w("")
        w("| Tree | Tool | Heap cap | Wall s (process) | writeTo s (in JVM) | MB/s (in JVM) | Tar bytes | Entries walked / sent | Peak heap used MB | Heap after GC MB | Peak RSS MB |")
        w("|---|---|---|---|---|---|---|---|---|---|---|")
        for variant in ("1g", "4g"):
            for heap in ("256m", "32m"):
                runs = [r for r in ctx if r["variant"] == variant and r["tool"] == "plugin" and r.get("heap") == heap]
                if not runs:
                    continue
                good = [r for r in runs if r.get("ok")]
                d = good[0]["driver"] if good else {}
                w(f"| {variant} | plugin BuildContext | {heap} | {summary([r['seconds'] for r in good])} | "
                  f"{summary([r['driver']['seconds'] for r in good])} | {summary([r['driver']['mbPerSecond'] for r in good], 0)} | "
                  f"{d.get('tarBytes')} | {d.get('entriesWalked')} / {d.get('filesSent', 0) + d.get('directoriesSent', 0)} | "
                  f"{fmt(max((r['driver']['peakHeapUsedMb'] for r in good), default=None), 1)} | "
                  f"{fmt(max((r.get('maxHeapAfterGcMb', 0) for r in good), default=None), 0)} | "
                  f"{fmt(max((r['rssKb'] / 1024 for r in good), default=None), 0)} | "
                  + ("" if len(good) == len(runs) else f"({len(runs) - len(good)} failed)"))
            tars = [r for r in ctx if r["variant"] == variant and r["tool"] == "tar" and r.get("ok")]
            if tars:
                w(f"| {variant} | tar --no-recursion -T list \\| wc -c | | {summary([r['seconds'] for r in tars])} | | "
                  f"{summary([r['tarBytes'] / 1048576 / r['seconds'] for r in tars], 0)} | {tars[0]['tarBytes']} | | | | "
                  f"{fmt(max(r['rssKb'] / 1024 for r in tars), 0)} |")
        w("")
        if walked:
            w("Files walked, from one run of each tool under `strace -f` (distinct paths under the tree that were stat'ed or opened):")
            w("")
            w("| Tool | Paths touched | Inside vendor/ | Inside node_modules/ |")
            w("|---|---|---|---|")
            for tool in ("plugin", "tar", "cli", "fabric8"):
                if tool in walked:
                    x = walked[tool]
                    w(f"| {tool} | {x['pathsTouched']} | {x['inVendor']} | {x['inNodeModules']} |")
            w("")
        sink = [r for r in rows if r.get("kind") == "sink"]
        if sink:
            w("The three real clients sending the tree to a fake daemon (bench/sink/docker_sink.py, which reads and counts the "
              "build context, nothing else). *Upload* is the sink's time from the request to the last byte of the context; "
              "*to first byte* is when the context started to arrive, after the process started. Ratios per round, plugin over the other.")
            w("")
            w("| Tree | Tool | Process wall s | Upload s | Process start → first byte s | Bytes | Peak RSS MB | plugin/tool wall | plugin/tool upload |")
            w("|---|---|---|---|---|---|---|---|---|")
            for variant in ("1g", "4g"):
                by_round = defaultdict(dict)
                for r in sink:
                    if r["variant"] == variant and r.get("ok"):
                        by_round[r["round"]][r["tool"]] = r
                for tool in ("plugin", "cli", "fabric8"):
                    rs = [v[tool] for v in by_round.values() if tool in v]
                    if not rs:
                        continue
                    ratio_wall = [v["plugin"]["seconds"] / v[tool]["seconds"] for v in by_round.values() if tool in v and "plugin" in v]
                    ratio_up = [v["plugin"]["upload"]["seconds"] / v[tool]["upload"]["seconds"] for v in by_round.values()
                                if tool in v and "plugin" in v]
                    w(f"| {variant} | {tool} | {summary([r['seconds'] for r in rs])} | {summary([r['upload']['seconds'] for r in rs])} | "
                      f"{summary([r['upload']['firstByte'] - r['startNs'] / 1e9 for r in rs if r['upload'].get('firstByte')])}"
                      f" | {rs[0]['upload']['bytes']} | {fmt(med([r['rssKb'] / 1024 for r in rs]), 0)} | "
                      f"{'' if tool == 'plugin' else summary(ratio_wall)} | {'' if tool == 'plugin' else summary(ratio_up)} |")
            w("")

    up = next((r["paths"] for r in rows if r.get("kind") == "upload" and "paths" in r), None)
    cli_up = [r["cli"]["seconds"] for r in rows if r.get("kind") == "upload" and "cli" in r]
    if up and up.get("original"):
        orig, built = up["original"][1:], up.get("imagebuilder", [])[1:]  # the first round warms the JIT
        w("### The plugin's upload path, warm")
        w("")
        w("One JVM posting the 1 GB tree's context to the sink again and again through the plugin's own path (docker-java's "
          "zerodep transport reading `BuildContext.openStream()`), alternating with the same through `ImageBuilder`; "
          "first round left out (JIT warm-up). Then the CLI, same tree, same sink.")
        w("")
        w(f"- plugin stream: {summary(orig)} s per upload; through ImageBuilder: {summary(built)} s")
        w(f"- Docker CLI `docker build` (whole process): {summary(cli_up)} s per upload (sink-measured); "
          f"plugin stream / CLI {fmt(med(orig) / med(cli_up)) if cli_up else 'n/a'}, through ImageBuilder / CLI {fmt(med(built) / med(cli_up)) if cli_up and built else 'n/a'} (ratio of medians)")
        w("")

    # ------------------------------------------------------------------ details: render
    if jmh:
        w("## Render (JMH)")
        w("")
        w("| Benchmark | Mode | Score | Error | Min–max | Unit |")
        w("|---|---|---|---|---|---|")
        for name, r in jmh.items():
            w(f"| {name} | {r['mode']} | {fmt(r['score'], 3)} | {fmt(r['error'], 3)} | {fmt(r['min'], 3)}–{fmt(r['max'], 3)} | {r['unit']} |")
        w("")
    if over:
        w("## Maven overhead of generate")
        w("")
        withs = [v["with"] for v in over.values() if "with" in v]
        withouts = [v["without"] for v in over.values() if "without" in v]
        skips = [v["skip"] for v in over.values() if "skip" in v]
        w(f"`mvn -o generate-resources`, {len(over)} rounds alternating: with the plugin {summary(withs)} s, without it "
          f"{summary(withouts)} s, with the plugin and `-Dfrankenphp.skip=true` {summary(skips)} s. Per-round differences: "
          f"with − without {summary(overhead_ms, 0)} ms; skip − without (loading the plugin as a build extension and its "
          f"mojo, rendering nothing) {summary(skip_ms, 0)} ms. In CPU time (user + system of the mvn process, less "
          f"sensitive to other load on the machine): with − without {summary(overhead_cpu_ms, 0)} ms.")
        w("")
    release_details(rows, w)
    print("\n".join(out))


if __name__ == "__main__":
    main()
