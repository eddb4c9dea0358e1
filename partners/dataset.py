"""The dataset's version: the moment of the latest change to anything the public sees.

Every content model carries an ``updated_at`` field; the version is the latest of those
among public records, or the moment a scheduled record went live if that is later. So
publishing, editing and a scheduled item going live all move it forward (deleting a
record does not). Models are found through the app registry, so this module needs no
import of the apps that build on ``partners``.
"""

import datetime
import functools
from dataclasses import dataclass

from django.apps import apps
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .cache import VERSION_KEY

CACHE_SECONDS = 600


def content_models():
    return [
        model
        for model in apps.get_models()
        if any(field.name == "updated_at" for field in model._meta.concrete_fields)
    ]


def public_queryset(model, now=None):
    manager = model._default_manager
    return manager.public(now) if hasattr(manager, "public") else manager.all()


def latest_of(queryset, field):
    """The latest value of ``field`` in the queryset, as a one-row values query.

    Ordered and sliced inside a subquery, so the database reads it off an index on
    (state, field) instead of scanning every row, and the outer query can join a union.
    """
    top = queryset.order_by(f"-{field}").values("pk")[:1]
    return (
        queryset.model._default_manager.filter(pk__in=top)
        .order_by()
        .values_list(field, flat=True)
    )


def latest_changes(now=None):
    """Each content model's latest public edit, and each publishable one's latest
    publication, as one union query: the latest change is the latest of them, since
    a publishable record changed at the later of its edit and its publication."""
    latest = []
    for model in content_models():
        queryset = public_queryset(model, now)
        latest.append(latest_of(queryset, "updated_at"))
        if any(field.name == "publish_at" for field in model._meta.concrete_fields):
            latest.append(latest_of(queryset, "publish_at"))
    return latest[0].union(*latest[1:], all=True)


# Stands for "now" in the compiled union; each run puts the present in its place.
_NOW = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)


@functools.cache
def _compiled(alias):
    """latest_changes() as SQL, built once per process: building and compiling its
    eight parts took several times longer than the database takes to answer them."""
    sql, params = latest_changes(_NOW).query.sql_with_params()
    return sql, params, connections[alias].ops.adapt_datetimefield_value(_NOW)


def latest_change():
    """The latest public change, in one query (None when nothing is public)."""
    sql, params, marker = _compiled(DEFAULT_DB_ALIAS)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [now if param == marker else param for param in params])
        values = [_aware(value) for (value,) in cursor.fetchall() if value]
    return max(values, default=None)


def _aware(value):
    # A raw cursor gives SQLite's datetimes as UTC text.
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Version:
    """The latest public change: ``label`` names it in exports and citations."""

    changed: datetime.datetime | None

    @property
    def label(self):
        if self.changed is None:
            return "empty"
        return self.changed.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def date(self):
        return timezone.localdate(self.changed) if self.changed else None

    def __str__(self):
        return self.label


CACHE_KEY = "dataset-version"


def cached_latest_change():
    """latest_change(), kept beside the page cache's content version when there is one.

    Reading it scans every public row: too slow for every page at 100 000 activities.
    The content version (cache.py) changes with any content change and when a scheduled
    item comes due, so a version stored under it is never stale. With no content
    version (page cache off) or no cache at all, it is read afresh.
    """
    try:
        found = cache.get_many([VERSION_KEY, CACHE_KEY])
    except Exception:
        return latest_change()
    stored = found.get(VERSION_KEY)
    if not stored or (
        stored["until"] is not None and timezone.now() >= stored["until"]
    ):
        return latest_change()
    if CACHE_KEY in found and found[CACHE_KEY][0] == stored["version"]:
        return found[CACHE_KEY][1]
    latest = latest_change()
    try:
        cache.set(CACHE_KEY, (stored["version"], latest), CACHE_SECONDS)
    except Exception:
        pass  # a failing cache costs speed, never the page
    return latest


def current(request=None):
    """The version, read once per request however many places show it; without a
    request, computed afresh."""
    if request is None:
        return Version(latest_change())
    if not hasattr(request, "_dataset_version"):
        request._dataset_version = Version(cached_latest_change())
    return request._dataset_version


class Unavailable:
    """What the footer shows when the database cannot answer."""

    label = "unavailable"
    date = None

    def __str__(self):
        return self.label


def for_footer(request):
    # The footer also frames the "database unavailable" page: it must not fail too.
    try:
        return current(request)
    except DatabaseError:
        return Unavailable()


def context_processor(request):
    return {"dataset_version": SimpleLazyObject(lambda: for_footer(request))}
