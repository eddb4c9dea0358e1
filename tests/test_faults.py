"""Faults: oversized requests, an unavailable database, a cache that is down, logs."""

import json
import logging
import os
import sqlite3
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection

import ici_site.cache
from ici_site.logs import JsonFormatter
from partners.views import PartnerListView

from .servers import ROOT, TcpProxy, fetch, served_database_url, site_server

pytestmark = pytest.mark.django_db


# Oversized requests


def test_an_oversized_query_string_is_refused_with_400(client):
    response = client.get("/activities/", {"q": "x" * 5000})
    assert response.status_code == 400
    assert "The address is too long" in response.content.decode()


def test_too_many_parameters_are_refused_with_400(client):
    response = client.get("/activities/?" + "kind=course&" * 600)
    assert response.status_code == 400
    assert "could not be understood" in response.content.decode()


def test_an_oversized_body_is_refused_with_413_before_it_is_read(client):
    body = "x" * (1_048_576 + 1)
    response = client.post(
        "/admin/login/", data=body, content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()


# The database


@pytest.fixture
def database_locked(monkeypatch):
    def locked(view):
        raise OperationalError("database is locked")

    monkeypatch.setattr(PartnerListView, "get_queryset", locked)


def test_a_locked_database_gives_a_friendly_503_with_retry_after(
    client, database_locked, caplog
):
    response = client.get("/partners/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "temporarily unavailable" in html and "Traceback" not in html
    [record] = [r for r in caplog.records if r.name == "ici_site.middleware"]
    line = json.loads(JsonFormatter().format(record))
    assert (
        line["message"] == "Database unavailable: OperationalError: database is locked"
    )
    assert line["request_id"] == response["X-Request-ID"]


def test_errors_are_logged_as_json_with_the_request_id_and_no_cookies(
    client, monkeypatch, caplog
):
    def broken(view):
        raise RuntimeError("a bug")

    monkeypatch.setattr(PartnerListView, "get_queryset", broken)
    client.raise_request_exception = False
    client.cookies["sessionid"] = "secret-session-value"
    response = client.get("/partners/", HTTP_X_REQUEST_ID="lb-0123456789")
    assert response.status_code == 500
    assert response["X-Request-ID"] == "lb-0123456789"
    [record] = [r for r in caplog.records if r.name == "django.request"]
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "ERROR" and line["status"] == 500
    assert line["request_id"] == "lb-0123456789"
    assert "RuntimeError: a bug" in line["exception"]
    assert "secret-session-value" not in json.dumps(line)


def test_an_unsafe_request_id_from_outside_is_replaced(client):
    response = client.get("/", HTTP_X_REQUEST_ID="evil\nINFO forged log line")
    assert response["X-Request-ID"] != "evil\nINFO forged log line"
    assert len(response["X-Request-ID"]) == 32


def test_a_missing_or_locked_sqlite_database_gives_503_until_it_returns(tmp_path):
    database = tmp_path / "not-yet" / "db.sqlite3"
    secret = "fault-test-secret-" + "k" * 40
    env = {"DATABASE_URL": f"sqlite:///{database}", "DJANGO_SECRET_KEY": secret}
    env["DJANGO_PAGE_CACHE_SECONDS"] = "0"  # cached pages would outlive the outage
    with site_server(**env) as server:
        status, headers, html = fetch(server.base_url + "/partners/")
        assert status == 503
        assert headers["Retry-After"] == "30"
        assert "temporarily unavailable" in html
        failed = [headers["X-Request-ID"]]

        database.parent.mkdir()
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
            cwd=ROOT,
            env={**os.environ, **env},
            check=True,
            capture_output=True,
        )
        status, _, html = fetch(server.base_url + "/partners/")
        assert status == 200 and "Partners" in html

        # Another process holds the database (a long write): readers wait, then 503.
        locker = sqlite3.connect(database, isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")
        status, headers, _ = fetch(server.base_url + "/partners/")
        assert status == 503 and headers["Retry-After"] == "30"
        failed.append(headers["X-Request-ID"])
        locker.execute("ROLLBACK")
        locker.close()
        assert fetch(server.base_url + "/partners/")[0] == 200

    lines = server.stderr.read().splitlines()
    logs = [json.loads(line) for line in lines if line.startswith("{")]
    causes = [line for line in logs if line["logger"] == "ici_site.middleware"]
    assert [line["request_id"] for line in causes] == failed
    assert [line["message"] for line in causes] == [
        "Database unavailable: OperationalError: unable to open database file",
        "Database unavailable: OperationalError: database is locked",
    ]
    assert secret not in json.dumps(logs)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (run with DATABASE_URL=postgres://...)",
)
def test_site_recovers_when_postgresql_comes_back():
    # A persistent connection through a proxy we can cut, as if the server restarted.
    proxy = TcpProxy(connection.settings_dict["PORT"] or 5432).start()
    env = {
        "DATABASE_URL": served_database_url(port=proxy.port),
        "DJANGO_SECRET_KEY": "fault-test-secret-" + "k" * 40,
    }
    env["DJANGO_PAGE_CACHE_SECONDS"] = "0"  # cached pages would outlive the outage
    try:
        with site_server(**env) as server:
            assert fetch(server.base_url + "/partners/")[0] == 200
            proxy.stop()
            status, headers, _ = fetch(server.base_url + "/partners/")
            assert status == 503 and headers["Retry-After"] == "30"
            proxy.start()
            assert fetch(server.base_url + "/partners/")[0] == 200
    finally:
        proxy.stop()


# The cache


@pytest.fixture
def fresh_outage_state(monkeypatch):
    monkeypatch.setattr(ici_site.cache, "_outages", {})
    monkeypatch.setattr(ici_site.cache, "RETRY_SECONDS", 0)


def tolerant_cache_at(url):
    return {
        "default": {
            "BACKEND": "ici_site.cache.TolerantRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def cache_log(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "ici_site.cache"]


def test_pages_serve_uncached_when_the_cache_is_down_and_it_is_logged_once(
    client, settings, caplog, fresh_outage_state, make_partner
):
    settings.CACHES = tolerant_cache_at("redis://127.0.0.1:1/7")
    make_partner(name="Kuwait", slug="kuwait")
    caplog.set_level(logging.WARNING)
    for url in ["/", "/partners/", "/partners/kuwait/", "/partners/"]:
        assert client.get(url).status_code == 200
    cache.set("key", "value")
    assert cache.get("key", "fallback") == "fallback"
    assert cache.get_or_set("computed", 42) == 42
    assert cache.get_many(["a", "b"]) == {}
    assert cache.delete("key") is False
    [message] = cache_log(caplog)
    assert message.startswith("Cache unavailable at redis://127.0.0.1:1/7")


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis (run with REDIS_URL set)"
)
def test_the_cache_is_used_again_when_redis_comes_back(
    settings, caplog, fresh_outage_state
):
    redis_url = os.environ["REDIS_URL"]
    redis_port = int(redis_url.split(":")[2].split("/")[0])
    database = redis_url.rsplit("/", 1)[1]
    proxy = TcpProxy(redis_port).start()
    settings.CACHES = tolerant_cache_at(f"redis://127.0.0.1:{proxy.port}/{database}")
    try:
        cache.set("ici-fault-test", "stored")
        assert cache.get("ici-fault-test") == "stored"
        proxy.stop()
        assert cache.get("ici-fault-test") is None
        assert cache.get("ici-fault-test") is None
        proxy.start()
        assert cache.get("ici-fault-test") == "stored"
        cache.delete("ici-fault-test")
    finally:
        proxy.stop()
    assert [message.split(" at ")[0] for message in cache_log(caplog)] == [
        "Cache unavailable",
        "Cache available again",
    ]
