"""`dev.py serve`, the newcomer's site: gunicorn with a worker per half core, and a
page cache in files that every worker reads, without Redis."""

import os
import runpy
import subprocess
import sys

import pytest
from django.http import HttpResponse

import dev
from ici_site.cache import PageFileCache

from .servers import ROOT, fetch, site_server


@pytest.fixture
def serve_steps(monkeypatch):
    """What `dev.py serve` runs, recorded instead of run: its setup steps, then the
    command that replaces it."""
    steps = []
    monkeypatch.setattr(dev, "ensure_virtualenv", lambda: None)
    monkeypatch.setattr(dev, "run", lambda *args, **kwargs: steps.append(args))
    monkeypatch.setattr(dev.os, "chdir", lambda path: None)
    monkeypatch.setattr(
        dev.os, "execve", lambda path, argv, env: steps.append((path, argv, env))
    )
    dev.serve()
    return steps


def test_serve_sets_up_then_runs_gunicorn_with_the_deploy_configuration(
    serve_steps,
):
    *setup, (path, argv, env) = serve_steps
    assert [step[2] for step in setup if len(step) > 2] == [
        "compilemessages",
        "migrate",
        "load_content",
        "collectstatic",
    ]
    assert path == argv[0] == str(ROOT / ".venv" / "bin" / "gunicorn")
    assert argv[argv.index("--bind") + 1] == dev.ADDRESS
    assert argv[argv.index("--config") + 1] == str(ROOT / "deploy/gunicorn.conf.py")
    assert "runserver" not in str(serve_steps)
    assert env["DJANGO_SECRET_KEY"]


def test_gunicorn_runs_two_workers_per_core_unless_told(monkeypatch):
    config = str(ROOT / "deploy" / "gunicorn.conf.py")
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    settings = runpy.run_path(config)
    assert settings["workers"] == 2 * len(os.sched_getaffinity(0))
    assert settings["wsgi_app"] == "ici_site.wsgi"
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert runpy.run_path(config)["workers"] == 3


def manage(env, *args, stdin=None):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        text=True,
        check=True,
        capture_output=True,
    )


UPDATE = """
from partners.models import Partner
Partner.objects.filter(slug="kuwait").update(name={name!r})
"""
SAVE = """
from partners.models import Partner
partner = Partner.objects.get(slug="kuwait")
partner.name = {name!r}
partner.save()
"""


@pytest.fixture(scope="module")
def site_database(tmp_path_factory):
    """A database file of the newcomer's kind (SQLite), with one partner."""
    path = tmp_path_factory.mktemp("embedded") / "db.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{path}",
        "REDIS_URL": "",
        "DJANGO_SECRET_KEY": "embedded-test-secret",
    }
    manage(env, "migrate", "--no-input")
    create = """
import datetime
from partners.models import Partner
Partner.objects.create(
    name="Kuwait", official_name="State of Kuwait", slug="kuwait", iso_alpha2="KW",
    iso_alpha3="KWT", status="member", joined=datetime.date(2005, 12, 12),
    capital="Kuwait City", summary="A summary.", profile="A profile.",
    state="published",
)
"""
    manage(env, "shell", "-c", create)
    return env


def test_an_edit_in_one_process_is_seen_at_once_by_every_other_without_redis(
    site_database, tmp_path
):
    # The settings' default without REDIS_URL, in a directory of this test's own.
    env = {**site_database, "DJANGO_CACHE_DIR": str(tmp_path / "cache")}
    page = "/partners/kuwait/"
    with site_server(**env) as first, site_server(**env) as second:
        for server in (first, second):
            status, _, html = fetch(server.base_url + page)
            assert status == 200 and "Kuwait" in html, (status, html[:500])
        # A write that sends no signal leaves the stored pages in place: each
        # process serves the page from the files, built before the write.
        manage(env, "shell", "-c", UPDATE.format(name="Unsignalled"))
        for server in (second, first):
            status, _, html = fetch(server.base_url + page)
            assert status == 200 and "Unsignalled" not in html, (status, html[:500])
        # A save in a third process (an editor's worker) drops the content version
        # in the same files: every process sees the edit at once.
        manage(env, "shell", "-c", SAVE.format(name="Kuwait renamed"))
        for server in (second, first):
            status, _, html = fetch(server.base_url + page)
            assert status == 200 and "Kuwait renamed" in html, (status, html[:500])


def test_the_file_cache_stores_pages_uncompressed_and_expires_them(tmp_path):
    files = PageFileCache(str(tmp_path), {})
    page = HttpResponse("<p>Kuwait</p>" * 500)
    files.set("page", ("version-1", page), 60)
    [stored] = tmp_path.glob("*.djcache")
    assert b"<p>Kuwait</p>" * 500 in stored.read_bytes()  # read without inflating
    version, again = files.get("page")
    assert version == "version-1" and again.content == page.content
    assert files.get_many(["page", "missing"]).keys() == {"page"}
    assert files.touch("page", 60) and not files.touch("missing", 60)
    assert files.get("page")[1].content == page.content
    files.set("page", ("version-1", page), 0)  # expires at once
    assert files.get("page", "gone") == "gone" and not list(tmp_path.glob("*"))
