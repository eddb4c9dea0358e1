"""Every count of public records the site shows, in one place.

Counts are ORM aggregates over the link tables and indexed columns, cached under the
content version (content.version), so each is computed once per change of content
however many readers ask. An activity with several partners or areas counts once for
each of them; totals count each activity once.
"""

from django.db.models import Count
from django.db.models.functions import ExtractYear

from content.filters import without
from content.version import cached

from .models import Activity

# The many-to-many fields records are filtered and counted by, by filter name.
LINKS = {"partner": "partners", "area": "areas"}


def tally(records, *by):
    """{key: how many of `records` have it}, the key a partner pk, an area pk, a kind
    or a start "year" (`by`), or a tuple of them when `by` names several. `records`
    must hold each record once, as public() and the filters (subqueries) do."""
    records = records.order_by()
    if "year" in by:
        records = records.annotate(year=ExtractYear("start_date"))
    columns = [LINKS.get(name, name) for name in by]
    rows = (
        records.values_list(*columns).annotate(n=Count("*")).values_list(*columns, "n")
    )
    if len(by) == 1:
        return {key: n for key, n in rows if key is not None}
    return {tuple(keys): n for *keys, n in rows if None not in keys}


def _cached_tally(key, records, *by):
    return cached(
        ("tally", records.model._meta.label, key, by), lambda: tally(records, *by)
    )


def totals(by):
    """{partner or area pk (`by`): how many public activities it has}."""
    return _cached_tally("all", Activity.objects.public(), by)


def with_totals(objects, by):
    """The partners or areas (`by`) given, each with its ``activity_count``."""
    counts = totals(by)
    objects = list(objects)
    for obj in objects:
        obj.activity_count = counts.get(obj.pk, 0)
    return objects


def of_partner(partner):
    """(How many public activities the partner has, {area pk: how many of them})."""
    activities = Activity.objects.public().filter(partners=partner)
    return totals("partner").get(partner.pk, 0), _cached_tally(
        ("partner", partner.pk), activities, "area"
    )


def facet(filterset, name, records=None):
    """{option of filter `name`: how many of `records` (the filterset's own public
    records by default) match the filterset's other filters and that option}."""
    records = filterset.queryset if records is None else records
    others = [pair for pair in filterset.params() if pair[0] not in (name, "sort")]
    return _cached_tally(("facet", others), without(filterset, name, records), name)


def selection(filterset, *by):
    """tally() of the records the filterset selects, cached by its filters."""
    return _cached_tally(("selection", filterset.params()), filterset.qs, *by)


def matrix():
    """Public activities by (partner pk, area pk), by partner, by area (None: with
    none), and in all."""

    def count():
        activities = Activity.objects.public()
        return {
            "cells": tally(activities, "partner", "area"),
            "partner": dict(
                activities.order_by().values_list("partners").annotate(n=Count("*"))
            ),
            "area": dict(
                activities.order_by().values_list("areas").annotate(n=Count("*"))
            ),
            "total": activities.count(),
        }

    return cached(("matrix",), count)
