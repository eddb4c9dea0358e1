#!/usr/bin/env python3
"""Where an uncached page's time goes: the database, the templates, or the Python
around them (middleware, views, the ORM building queries and model instances).

    DATABASE_URL=sqlite:////tmp/bench-1000.sqlite3 \\
        .venv/bin/python scripts/page_costs.py

Calls the WSGI application in this process, as gunicorn does, for the pages that
scripts/benchmark.py loads (page cache off, DEBUG off), and prints the median over
--runs requests of each part. Template time counts the rendering alone: the queries a
template sets off count as database time (executing them; rows are fetched as they
are read), the model instances they build as template time. One process on an idle
machine: under wrk, with every core busy, the same page costs more.
"""

import argparse
import io
import os
import statistics
import sys
import time
from urllib.parse import urlsplit

from benchmark import ROOT, collect_static, default_pages, server_env


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    return parser.parse_args()


class Meter:
    """Seconds spent in database calls and in template rendering, per request."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.database = self.templates = 0.0
        self.queries = 0
        self.rendering = 0  # nesting depth: included templates render inside others

    def database_call(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.database += elapsed
            self.queries += 1
            if self.rendering:
                self.templates -= elapsed  # rendering's queries are the database's

    def timed_render(self, render):
        meter = self

        def timed(template, *args, **kwargs):
            meter.rendering += 1
            started = time.perf_counter()
            try:
                return render(template, *args, **kwargs)
            finally:
                meter.rendering -= 1
                if not meter.rendering:
                    meter.templates += time.perf_counter() - started

        return timed


def request(application, url):
    parts = urlsplit(url)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    statuses = []
    body = application(environ, lambda status, headers: statuses.append(status))
    b"".join(body)
    body.close()
    if not statuses[0].startswith("200"):
        sys.exit(f"{url} answered {statuses[0]}")


def main():
    args = parse_args()
    env = server_env(argparse.Namespace(uncached=True))
    pages = default_pages(env)
    collect_static(env)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ici_site.settings")
    sys.path.insert(0, str(ROOT))

    from django.db import connection
    from django.template.backends.django import Template

    from ici_site.wsgi import application

    meter = Meter()
    Template.render = meter.timed_render(Template.render)
    print(
        f"{env['DATABASE_URL'].split('://')[0]}, page cache off, median of "
        f"{args.runs} requests in one process\n"
    )
    print("| page | total ms | database ms (queries) | templates ms | Python ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    with connection.execute_wrapper(meter.database_call):
        for name, url in pages:
            for _ in range(5):  # warm up: connections, compiled templates
                request(application, url)
            samples = []
            for _ in range(args.runs):
                meter.reset()
                started = time.perf_counter()
                request(application, url)
                total = time.perf_counter() - started
                samples.append((total, meter.database, meter.templates, meter.queries))
            total, database, templates, queries = (
                statistics.median(sample[i] for sample in samples) for i in range(4)
            )
            python = total - database - templates
            print(
                f"| {name} | {total * 1e3:.1f} | {database * 1e3:.1f} ({queries:.0f}) "
                f"| {templates * 1e3:.1f} | {python * 1e3:.1f} |"
            )


if __name__ == "__main__":
    main()
