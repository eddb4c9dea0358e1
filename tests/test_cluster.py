"""Two app servers sharing PostgreSQL and Redis see each other's edits at once."""

import os
import re

import pytest
from django.db import connection

from .servers import fetch, served_database_url, site_server

pytestmark = [
    pytest.mark.django_db(transaction=True),  # the servers read committed rows
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"),
        reason="needs PostgreSQL and Redis (DATABASE_URL and REDIS_URL)",
    ),
]


def activity_count(server):
    status, _, html = fetch(server.base_url + "/partners/")
    assert status == 200
    return int(re.search(r'aria-label="(\d+) activities with Kuwait', html)[1])


def test_an_edit_is_seen_at_once_through_every_server(make_partner, make_activity):
    kuwait = make_partner(name="Kuwait", slug="kuwait")
    make_activity(partners=[kuwait])
    env = {
        "DATABASE_URL": served_database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "DJANGO_SECRET_KEY": "cluster-test-secret-" + "k" * 40,
        "DJANGO_PAGE_CACHE_SECONDS": "600",
    }
    with site_server(**env) as first, site_server(**env) as second:
        for server in (first, second):  # each page and count now in the cache
            assert activity_count(server) == 1
            assert "Kuwait" in fetch(server.base_url + "/partners/kuwait/")[2]
        kuwait.name = "Kuwait, renamed"
        kuwait.save()
        make_activity(partners=[kuwait])
        for server in (second, first):
            html = fetch(server.base_url + "/partners/kuwait/")[2]
            assert "Kuwait, renamed" in html
            assert activity_count(server) == 2
