#!/usr/bin/env python3
"""Writes a synthetic, Laravel-shaped project for bench/run.sh. Deterministic for a given seed.

Layout (defaults give ~1 GB):
  app/ config/ routes/ database/ resources/ public/ lang/ storage/ bootstrap/ tests/   --app-files (3,000)
      PHP-sized files (1-16 KB), plus composer.json, composer.lock, artisan, public/index.php,
      .env (a secret the plugin never sends), .env.example, storage/logs/laravel.log (ignored),
      bootstrap/cache/packages.php (ignored), tests/ (ignored)
  vendor/        --vendor-files (40,000) in ~250 packages, 2-16 KB          (ignored: "vendor")
  node_modules/  --node-files (60,000) in ~600 packages, 1-10 KB           (ignored: "node_modules")
  resources/media/asset-NN.bin   --assets-mb (320) in --asset-count (4) files: sent in the context
  --extra-assets-mb N: only adds resources/media/extra-NN.bin (256 MB each) to an existing tree
                       (the 4 GB variant); --remove-extra removes them.

Prints one JSON line: files and bytes written, by top-level area.
"""
import argparse
import json
import os
import random
import sys

BLOCK = None


def content(rng, size):
    # Slices of one random 4 MB block: incompressible enough, and fast to write.
    start = rng.randrange(0, len(BLOCK) - size) if size < len(BLOCK) else 0
    return BLOCK[start:start + size]


def write(path, data, mode=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    if mode:
        os.chmod(path, mode)


def big_file(path, size_mb, rng):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        chunk = 4 << 20
        left = size_mb << 20
        while left > 0:
            n = min(chunk, left)
            f.write(content(rng, n) if n < len(BLOCK) else BLOCK[:n])
            left -= n


def spread(rng, root, count, packages, min_kb, max_kb, exts, depth=3):
    """count files under root, in `packages` packages with a few nested directories each."""
    written = 0
    total = 0
    per_pkg = max(1, count // packages)
    pkg = 0
    while written < count:
        vendor = "pkg%03d" % (pkg // 4)
        name = "lib-%04d" % pkg
        n = min(per_pkg, count - written)
        dirs = ["src"] + ["src/" + "/".join("d%d" % rng.randrange(6) for _ in range(rng.randrange(1, depth + 1)))
                          for _ in range(max(1, n // 12))]
        for i in range(n):
            d = dirs[i % len(dirs)]
            size = rng.randrange(min_kb * 1024, max_kb * 1024)
            path = os.path.join(root, vendor, name, d, "f%05d%s" % (i, exts[i % len(exts)]))
            write(path, content(rng, size))
            total += size
        write(os.path.join(root, vendor, name, "package.json"), b'{"name":"%s"}\n' % name.encode())
        written += n + 1
        total += 20
        pkg += 1
    return written, total


def app_tree(rng, out, count, stats):
    areas = [("app/Http/Controllers", 0.12), ("app/Models", 0.08), ("app/Services", 0.10), ("app/Jobs", 0.05),
             ("config", 0.02), ("routes", 0.01), ("database/migrations", 0.08), ("database/seeders", 0.03),
             ("resources/views", 0.20), ("resources/js", 0.10), ("resources/css", 0.03), ("lang/en", 0.03),
             ("public/build/assets", 0.05), ("tests/Feature", 0.06), ("tests/Unit", 0.04)]
    files = 0
    size_total = 0
    for area, share in areas:
        n = max(1, int(count * share))
        for i in range(n):
            sub = "" if i < 40 else "m%02d" % (i // 40)
            size = rng.randrange(1024, 16 * 1024)
            ext = ".blade.php" if "views" in area else ".js" if "js" in area or "assets" in area else \
                ".css" if "css" in area else ".php"
            write(os.path.join(out, area, sub, "F%04d%s" % (i, ext)), content(rng, size))
            files += 1
            size_total += size
    fixed = {
        "composer.json": b'{"name":"bench/laravel","require":{"php":"^8.4","laravel/framework":"^12.0","laravel/octane":"^2.0"}}\n',
        "composer.lock": b'{"packages":[],"packages-dev":[]}\n',
        "artisan": b"#!/usr/bin/env php\n<?php\n",
        "public/index.php": b"<?php\n",
        "bootstrap/app.php": b"<?php\n",
        ".env": b"APP_KEY=base64:secret-that-must-never-ship\nDB_PASSWORD=secret\n",
        ".env.example": b"APP_KEY=\nDB_PASSWORD=\n",
        ".gitignore": b"/vendor\n/node_modules\n.env\n.env.production\n",
        "package.json": b'{"private":true}\n',
        "storage/logs/laravel.log": content(rng, 256 * 1024),
        "bootstrap/cache/packages.php": b"<?php return [];\n",
        "storage/app/.gitignore": b"*\n", "storage/framework/cache/.gitignore": b"*\n",
        "storage/framework/sessions/.gitignore": b"*\n", "storage/framework/views/.gitignore": b"*\n",
        "storage/logs/.gitignore": b"*\n", "bootstrap/cache/.gitignore": b"*\n",
    }
    for name, data in fixed.items():
        write(os.path.join(out, name), data, 0o755 if name == "artisan" else None)
        files += 1
        size_total += len(data)
    stats["app"] = {"files": files, "bytes": size_total}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--app-files", type=int, default=3000)
    p.add_argument("--vendor-files", type=int, default=40000)
    p.add_argument("--node-files", type=int, default=60000)
    p.add_argument("--assets-mb", type=int, default=320)
    p.add_argument("--asset-count", type=int, default=4)
    p.add_argument("--extra-assets-mb", type=int, default=0)
    p.add_argument("--remove-extra", action="store_true")
    a = p.parse_args()
    global BLOCK
    rng = random.Random(a.seed)
    BLOCK = rng.randbytes(4 << 20)
    stats = {}
    media = os.path.join(a.out, "resources", "media")
    if a.remove_extra:
        for f in sorted(os.listdir(media)) if os.path.isdir(media) else []:
            if f.startswith("extra-"):
                os.remove(os.path.join(media, f))
        print(json.dumps({"removedExtra": True}))
        return
    if a.extra_assets_mb:
        n = max(1, a.extra_assets_mb // 256)
        for i in range(n):
            big_file(os.path.join(media, "extra-%02d.bin" % i), a.extra_assets_mb // n, rng)
        print(json.dumps({"extra": {"files": n, "bytes": (a.extra_assets_mb // n) * n << 20}}))
        return
    if os.path.exists(a.out) and os.listdir(a.out):
        sys.exit("refusing to write into non-empty %s" % a.out)
    app_tree(rng, a.out, a.app_files, stats)
    f, b = spread(rng, os.path.join(a.out, "vendor"), a.vendor_files, 250, 2, 16, [".php", ".php", ".json", ".md"])
    write(os.path.join(a.out, "vendor", "autoload.php"), b"<?php\n")
    stats["vendor"] = {"files": f + 1, "bytes": b}
    f, b = spread(rng, os.path.join(a.out, "node_modules"), a.node_files, 600, 1, 10, [".js", ".js", ".d.ts", ".map"])
    stats["node_modules"] = {"files": f, "bytes": b}
    if a.assets_mb and a.asset_count:
        for i in range(a.asset_count):
            big_file(os.path.join(media, "asset-%02d.bin" % i), a.assets_mb // a.asset_count, rng)
        stats["assets"] = {"files": a.asset_count, "bytes": (a.assets_mb // a.asset_count) * a.asset_count << 20}
    stats["total"] = {"files": sum(s["files"] for s in stats.values()), "bytes": sum(s["bytes"] for s in stats.values())}
    print(json.dumps(stats))


if __name__ == "__main__":
    main()
