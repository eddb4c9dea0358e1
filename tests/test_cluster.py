"""The cluster as deploy/ ships it: two gunicorn app servers behind nginx, sharing
PostgreSQL and Redis."""

import os
import re
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

import ici_site.cache

from .servers import (
    NGINX,
    ROOT,
    Browser,
    cluster,
    collect_static,
    fetch,
    nginx_command,
    redis_server,
    served_database_url,
    stop,
    wait_for_status,
)

# Under CI a missing nginx fails the tests: .ci/run installs it.
needs_nginx = pytest.mark.skipif(
    not Path(NGINX).exists() and not os.environ.get("CI"),
    reason="needs nginx (apt-get install nginx; .ci/run does)",
)


def needs_cluster(test):
    """A test of the running cluster: PostgreSQL, Redis and nginx."""
    for mark in [
        pytest.mark.django_db(transaction=True),  # the servers read committed rows
        pytest.mark.skipif(
            connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"),
            reason="the cluster shares PostgreSQL and Redis (set DATABASE_URL="
            "postgres://... and REDIS_URL)",
        ),
        needs_nginx,
    ]:
        test = mark(test)
    return test


@needs_nginx
def test_the_shipped_nginx_configuration_is_valid(tmp_path):
    command = nginx_command(tmp_path, [8001, 8002], 8080)
    site = (tmp_path / "ici.conf").read_text()
    assert site.count("server 127.0.0.1:800") == 2 and "10.0.0." not in site
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


@pytest.fixture(scope="module")
def static_files():
    collect_static()


@pytest.fixture
def environment(static_files):
    """What every app server is given, as deploy/ici.service gives it."""
    return {
        "DATABASE_URL": served_database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "DJANGO_SECRET_KEY": "cluster-test-secret-" + "k" * 40,
        "DJANGO_BEHIND_PROXY": "true",
        "DJANGO_PAGE_CACHE_SECONDS": "600",
        "WEB_CONCURRENCY": "2",
    }


def activity_count(base_url, partner):
    status, _, html = fetch(base_url + "/partners/")
    assert status == 200
    return int(
        re.search(rf'aria-label="(\d+) activit(?:y|ies) with {partner.name}', html)[1]
    )


def edit_title(editor, server, activity, activity_form, title):
    """The editor changes the activity's title in the admin of `server`."""
    status, _, html = editor.submit(
        f"{server.base_url}/admin/partners/activity/{activity.pk}/change/",
        activity_form(activity, title=title),
    )
    assert status == 200 and "was changed successfully" in html


@pytest.fixture
def editor_browser(admin_user):
    # pytest-django's admin: the Editors group is gone once a transactional test ends.
    browser = Browser()
    browser.signed_in = lambda server: browser.sign_in(
        server.base_url, admin_user.username, "password"
    )
    return browser


@needs_cluster
def test_an_edit_saved_through_one_server_is_seen_at_once_through_the_other(
    environment, one_of_each, activity_form, editor_browser, make_activity
):
    activity, kuwait = one_of_each["activity"], one_of_each["partner"]
    page = activity.get_absolute_url()
    with cluster(**environment) as (servers, proxy):
        first, second = servers
        for base_url in (first.base_url, second.base_url, proxy.base_url):
            assert activity.title in fetch(base_url + page)[2]  # now cached
            assert activity_count(base_url, kuwait) == 1
        editor_browser.signed_in(first)
        edit_title(editor_browser, first, activity, activity_form, "Renamed course")
        make_activity(partners=[kuwait])  # an edit from elsewhere (the ORM)
        for base_url in (second.base_url, proxy.base_url, first.base_url):
            assert "Renamed course" in fetch(base_url + page)[2]
            assert activity_count(base_url, kuwait) == 2


@needs_cluster
def test_a_sign_in_on_one_server_holds_on_the_other(environment, editor_browser):
    with cluster(**environment) as (servers, proxy):
        first, second = servers
        editor_browser.signed_in(first)
        for base_url in (second.base_url, proxy.base_url):
            status, address, html = editor_browser.get(base_url + "/admin/")
            assert (status, address) == (200, base_url + "/admin/")
            assert "Log out" in html
        # And an anonymous reader is still sent to the sign-in page.
        _, address, _ = Browser().get(second.base_url + "/admin/")
        assert "/admin/login/" in address


def load(base_url, pages, statuses, stop_loading):
    while not stop_loading.is_set():
        for page in pages:
            statuses.append(fetch(base_url + page)[0])


@needs_cluster
def test_a_server_killed_under_load_loses_no_request(environment, public_urls):
    pages = [url for url in public_urls if url != "/no-such-page/"]
    statuses, stop_loading = [], threading.Event()
    with cluster(**environment) as (servers, proxy):
        home = fetch(proxy.base_url + "/")[2]
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', home)[1]
        arguments = [proxy.base_url, pages, statuses, stop_loading]
        loaders = [threading.Thread(target=load, args=arguments) for _ in range(4)]
        for loader in loaders:
            loader.start()
        time.sleep(1.5)
        stop(servers[0], signal.SIGKILL)
        served_before_kill = len(statuses)
        time.sleep(2)
        stop_loading.set()
        for loader in loaders:
            loader.join()
        assert served_before_kill > 20 and len(statuses) > served_before_kill + 20
        assert set(statuses) == {200}, [s for s in statuses if s != 200][:5]
        # nginx did meet the dead server, and sent its requests to the other.
        assert f"127.0.0.1:{servers[0].port}" in proxy.error_log.read_text()

        # Static files come from nginx itself, with no app server left at all.
        stop(servers[1], signal.SIGKILL)
        assert fetch(proxy.base_url + "/")[0] == 502
        status, headers, css = fetch(proxy.base_url + stylesheet)
        assert status == 200 and "immutable" in headers["Cache-Control"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        collected = ROOT / "staticfiles" / stylesheet.removeprefix("/static/")
        assert css == collected.read_text()


@needs_cluster
def test_with_redis_stopped_every_page_is_served_and_healthz_says_so(
    environment, public_urls, one_of_each, activity_form, editor_browser
):
    activity = one_of_each["activity"]
    page = activity.get_absolute_url()
    with redis_server() as redis:
        environment["REDIS_URL"] = redis.url
        with cluster(**environment) as (servers, proxy):
            first, second = servers
            editor_browser.signed_in(first)
            for base_url in (first.base_url, second.base_url):
                assert activity.title in fetch(base_url + page)[2]

            redis.stop()
            for url in public_urls:
                expected = 404 if url == "/no-such-page/" else 200
                assert fetch(proxy.base_url + url)[0] == expected, url
            for server in servers:
                status, _, body = fetch(server.base_url + "/healthz")
                assert status == 503
                assert '"cache": "failing"' in body and '"database": "ok"' in body
            edit_title(editor_browser, first, activity, activity_form, "In outage")
            assert "In outage" in fetch(second.base_url + page)[2]

            redis.start()
            time.sleep(ici_site.cache.RETRY_SECONDS + 1)  # each worker tries again
            for server in servers:
                wait_for_status(server.base_url + "/healthz", {200})
            for base_url in (first.base_url, second.base_url):
                assert "In outage" in fetch(base_url + page)[2]  # cached again
            edit_title(editor_browser, first, activity, activity_form, "After outage")
            for base_url in (second.base_url, proxy.base_url):
                assert "After outage" in fetch(base_url + page)[2]


def trickling_clients(port, count):
    """Clients that send the start of their request headers, and never the rest."""
    clients = []
    for _ in range(count):
        client = socket.create_connection(("127.0.0.1", port))
        client.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        clients.append(client)
    return clients


def answers_within(port, seconds):
    with socket.create_connection(("127.0.0.1", port), timeout=seconds) as client:
        client.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        try:
            return client.recv(12).startswith(b"HTTP/1.1 200")
        except TimeoutError:
            return False


@needs_cluster
def test_clients_trickling_their_headers_hold_nginx_and_no_app_worker(environment):
    with cluster(**environment) as (servers, proxy):
        first = servers[0]
        proxy_port = int(proxy.base_url.rsplit(":", 1)[1])
        # Twice as many slow clients as there are workers in the whole cluster.
        slow = trickling_clients(proxy_port, 8)
        try:
            assert answers_within(proxy_port, 5)
            # Straight to an app server, two such clients hold both its workers:
            # why the app servers must be reachable only from nginx.
            slow += trickling_clients(first.port, 2)
            assert not answers_within(first.port, 2)
        finally:
            for client in slow:
                client.close()
