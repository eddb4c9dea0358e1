#!/usr/bin/env python3
"""Load-test the main public pages under gunicorn (DEBUG off) with wrk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ici_bench \\
    REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python scripts/benchmark.py --connections 32 --runs 3

Serves the database named by DATABASE_URL (fill one with
`manage.py generate_synthetic_content`)
and loads each page, and a static file from the same server, with wrk in turn. Each
round measures every URL once; the table gives medians over rounds of req/s, p50 and
p99 latency, and of each page's req/s as a ratio to the static file's in the same
round, so a noisy shared machine moves page and baseline together. --uncached turns
the page cache off. --embedded serves instead what `python3.11 dev.py serve` serves:
db.sqlite3 with the site's own content, no Redis, dev.py's gunicorn command (workers
from deploy/gunicorn.conf.py); --runserver serves that with Django's development
server, as `serve` did before issue 17. --url adds or replaces pages (e.g. a CSV
export); --stream-url downloads one large response and reports its time and the
worker's memory growth.
"""

import argparse
import os
import re
import runpy
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import dev  # noqa: E402  (the newcomer's commands)

VENV_BIN = ROOT / ".venv" / "bin"
STATIC = "/static/css/site.css"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8600)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="per worker")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=5, help="seconds per URL")
    parser.add_argument("--runs", type=int, default=3, help="rounds over all URLs")
    parser.add_argument("--uncached", action="store_true", help="page cache off")
    parser.add_argument(
        "--embedded",
        action="store_true",
        help="what dev.py serve serves: db.sqlite3, no Redis, its gunicorn command",
    )
    parser.add_argument(
        "--runserver",
        action="store_true",
        help="with --embedded: Django's development server instead of gunicorn",
    )
    parser.add_argument(
        "--url",
        action="append",
        metavar="[NAME=]PATH",
        help="a page to load instead of the defaults (repeatable)",
    )
    parser.add_argument("--also", action="append", metavar="[NAME=]PATH", default=[])
    parser.add_argument("--stream-url", metavar="PATH")
    return parser.parse_args()


def server_env(args):
    env = {**os.environ}
    if args.embedded:
        for name in ("DATABASE_URL", "REDIS_URL"):
            env.pop(name, None)
    elif not env.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to the database to serve (see --help).")
    elif args.runserver:
        sys.exit("--runserver goes with --embedded.")
    env = {
        **env,
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_LOG_LEVEL": "WARNING",
        # wrk is one client: the per-client limits on search and exports would
        # answer it 429 instead of measuring the pages.
        "DJANGO_RATE_LIMITS": "off",
    }
    env.setdefault("DJANGO_SECRET_KEY", "benchmark-only-secret-key")
    if args.uncached:
        env["DJANGO_PAGE_CACHE_SECONDS"] = "0"
    return env


def default_pages(env):
    """The main pages, with slugs and filters that exist in the served database."""
    script = """
from partners import counts
from partners.models import Activity, Partner
totals = counts.totals("partner")
partner = max(Partner.objects.public(), key=lambda p: totals.get(p.pk, 0))
public = Activity.objects.public().filter(partners=partner).order_by("pk")
activity = public[public.count() // 2]
area = activity.areas.first()
year = activity.start_date.year
print(partner.slug, area.slug, year, activity.slug)
"""
    output = subprocess.run(
        [VENV_BIN / "python", "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    partner, area, year, activity = output[-4:]
    return [
        ("home", "/"),
        ("partner list", "/partners/"),
        ("partner profile", f"/partners/{partner}/"),
        ("activity list", "/activities/"),
        ("activities by partner", f"/activities/?partner={partner}"),
        (
            "activities by partner+area+year",
            f"/activities/?partner={partner}&area={area}"
            f"&year_from={year}&year_to={year}",
        ),
        ("activity page", f"/activities/{activity}/"),
        ("timeline", "/timeline/"),
        # Words the synthetic activities hold: courses in one of 60 cities.
        ("words filter", "/activities/?q=course+city+12"),
        ("site search", "/search/?q=course+city+12"),
        ("area list", "/areas/"),
        ("area page", f"/areas/{area}/"),
        ("sources", "/sources/"),
        ("partners x areas", "/compare/"),
        ("charts", "/charts/"),
    ]


def named(specs):
    return [tuple(s.split("=", 1)) if "=" in s.split("?")[0] else (s, s) for s in specs]


def collect_static(env):
    subprocess.run(
        [VENV_BIN / "python", "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def server_command(args):
    address = f"127.0.0.1:{args.port}"
    if args.runserver:
        return [VENV_BIN / "python", "manage.py", "runserver", address]
    if args.embedded:
        return dev.gunicorn_command(address)
    return [
        VENV_BIN / "gunicorn",
        "ici_site.wsgi",
        f"--bind={address}",
        f"--workers={args.workers}",
        f"--threads={args.threads}",
        "--log-level=warning",
    ]


def start_server(args, env):
    if not args.embedded:  # dev.prepare collected them
        collect_static(env)
    server = subprocess.Popen(
        server_command(args),
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL if args.runserver else None,
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"{base(args)}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.2)
    stop(args, server)
    sys.exit("the server did not answer /healthz")


def stop(args, server):
    if args.runserver:  # its autoreloader serves from a child, in the same group
        os.killpg(server.pid, signal.SIGTERM)
    else:  # gunicorn's master stops its workers
        server.terminate()
    server.wait(timeout=30)


def base(args):
    return f"http://127.0.0.1:{args.port}"


def to_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:  # wrk prints no latency when no request finished
        return float("nan")
    value, unit = match.groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def wrk(args, path):
    output = subprocess.run(
        [
            "wrk",
            "--threads=2",
            f"--connections={args.connections}",
            f"--duration={args.duration}s",
            "--timeout=10s",
            "--latency",
            base(args) + path,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    timeouts = re.search(r"timeout (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(latency(output, "50")),
        "p99": to_ms(latency(output, "99")),
        "errors": int(errors.group(1)) if errors else 0,
        "timeouts": int(timeouts.group(1)) if timeouts else 0,
    }


def latency(output, percentile):
    match = re.search(rf"^\s+{percentile}%\s+(\S+)", output, re.MULTILINE)
    return match.group(1) if match else ""


def worker_rss_kb(server):
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text()
    sizes = {}
    for pid in children.split():
        status = Path(f"/proc/{pid}/status").read_text()
        sizes[pid] = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    return sizes


def measure_stream(args, server, path):
    """Download one response; report time, size and the largest worker RSS growth."""
    before = worker_rss_kb(server)
    peak = dict(before)
    done = threading.Event()

    def sample():
        while not done.is_set():
            for pid, kb in worker_rss_kb(server).items():
                peak[pid] = max(peak.get(pid, 0), kb)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started, size = time.perf_counter(), 0
    with urllib.request.urlopen(base(args) + path, timeout=120) as response:
        while chunk := response.read(65536):
            size += len(chunk)
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    growth = max(peak[pid] - before.get(pid, peak[pid]) for pid in peak)
    return elapsed, size, growth / 1024


def main():
    args = parse_args()
    env = server_env(args)
    if args.embedded:  # as `dev.py serve` does first
        dev.prepare(env)
    named_pages = named(args.url) if args.url else default_pages(env) + named(args.also)
    pages = [path for _, path in named_pages]
    server = start_server(args, env)
    try:
        for path in [STATIC, *pages]:  # warm up: fill caches, open connections
            urllib.request.urlopen(base(args) + path, timeout=60).read()
        rounds = []
        for run in range(args.runs):
            print(f"round {run + 1}/{args.runs}", file=sys.stderr, flush=True)
            # The static file is measured again just before each page, so each ratio
            # compares two measurements seconds apart on this shared machine.
            rounds.append(
                {path: (wrk(args, STATIC), wrk(args, path)) for path in pages}
            )
        report(args, pages, rounds, {p: n for n, p in named_pages})
        if args.stream_url:
            elapsed, size, growth = measure_stream(args, server, args.stream_url)
            print(
                f"\nstream {args.stream_url}: {size / 1e6:.1f} MB in {elapsed:.2f} s, "
                f"largest worker RSS growth {growth:.1f} MB"
            )
    finally:
        stop(args, server)


def report(args, pages, rounds, names):
    off = {
        os.environ.get(f"DJANGO_{name}_CACHE_SECONDS") for name in ("PAGE", "CONTENT")
    }
    mode = "uncached" if args.uncached or "0" in off else "cached"
    if args.runserver:
        served = "sqlite (dev.py serve's configuration), runserver"
    elif args.embedded:
        config = dev.gunicorn_command("-")[2]
        workers = runpy.run_path(config)["workers"]
        served = f"sqlite (dev.py serve's configuration), gunicorn, {workers} workers"
    else:
        served = (
            f"{os.environ['DATABASE_URL'].split('://')[0]}, {args.workers} gunicorn "
            f"workers of {args.threads} thread(s)"
        )
    print(
        f"\n{served}, {mode}, {args.connections} connections, "
        f"median of {args.runs} rounds of {args.duration} s per URL\n"
    )
    print("| page | req/s | p50 ms | p99 ms | ratio to static | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    statics = [static for measured in rounds for static, _ in measured.values()]
    rows = [("static file (every measurement)", statics, [1.0] * len(statics))]
    for path in pages:
        pairs = [measured[path] for measured in rounds]
        # A static run that wrk could not measure (0 req/s) gives no ratio.
        ratios = [
            page["rps"] / static["rps"] if static["rps"] else float("nan")
            for static, page in pairs
        ]
        rows.append((names[path], [page for _, page in pairs], ratios))
    for name, results, ratios in rows:
        errors = sum(r["errors"] + r["timeouts"] for r in results)
        print(
            f"| {name} | {statistics.median(r['rps'] for r in results):.0f} "
            f"| {statistics.median(r['p50'] for r in results):.1f} "
            f"| {statistics.median(r['p99'] for r in results):.1f} "
            f"| {statistics.median(ratios):.2f} | {errors} |"
        )


if __name__ == "__main__":
    main()
