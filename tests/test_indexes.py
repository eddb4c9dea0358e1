"""The public listings read their pages off an index, on each database backend."""

import pytest
from django.db import connection

from partners.models import Activity
from timeline.models import Milestone

pytestmark = pytest.mark.django_db


def plan(queryset):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A handful of test rows would otherwise be read sequentially.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            # Nor would it walk an index for the order of so few rows: ask whether
            # an index can give the order at all.
            cursor.execute("SET LOCAL enable_sort = off")
    return queryset.explain()


@pytest.mark.parametrize(
    ("queryset", "index"),
    [
        (lambda: Activity.objects.public()[:20], "activity_public_listing"),
        (lambda: Milestone.objects.public()[:100], "milestone_public_listing"),
    ],
)
def test_public_listing_pages_come_off_the_index_without_sorting(queryset, index):
    explained = plan(queryset())
    assert index in explained
    assert "TEMP B-TREE FOR ORDER BY" not in explained  # SQLite
    assert "Sort" not in explained  # PostgreSQL


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_postgresql_plans_requests_without_parallel_workers_or_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
