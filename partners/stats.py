"""Counts of public activities for the comparison matrix and the charts.

Each function takes a queryset of activities the public may see and answers in a
fixed number of queries, whatever the number of rows.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import QueryDict
from django.urls import reverse

from .models import CooperationArea, Partner


def activity_list_url(base=None, **filters):
    """The activity list with ``filters``, added to (or replacing) those in ``base``."""
    query = base.copy() if base is not None else QueryDict(mutable=True)
    for name, value in filters.items():
        query.setlist(name, [str(value)])
    return reverse("partners:activity-list") + "?" + query.urlencode()


def _counts(activities, *fields):
    rows = (
        activities.order_by()
        .values(*fields)
        .annotate(count=Count("pk", distinct=True))
        .values_list(*fields, "count")
    )
    return {tuple(row[:-1]) if len(fields) > 1 else row[0]: row[-1] for row in rows}


@dataclass
class Matrix:
    partners: list
    areas: list
    rows: list = field(default_factory=list)
    area_totals: list = field(default_factory=list)
    total: int = 0


def matrix(activities):
    """Partners down, areas across: activities in each cell, with totals.

    An activity with two partners counts once in each partner's row; the totals count
    each activity once, so they are not the sums of their cells.
    """
    partners = list(Partner.objects.public())
    areas = list(CooperationArea.objects.all())
    cells = _counts(activities, "partners__slug", "areas__slug")
    by_partner = _counts(activities, "partners__slug")
    by_area = _counts(activities, "areas__slug")
    result = Matrix(partners=partners, areas=areas, total=activities.count())
    for partner in partners:
        result.rows.append(
            {
                "partner": partner,
                "total": by_partner.get(partner.slug, 0),
                "url": activity_list_url(partner=partner.slug),
                "cells": [
                    {
                        "area": area,
                        "count": cells.get((partner.slug, area.slug), 0),
                        "url": activity_list_url(partner=partner.slug, area=area.slug),
                    }
                    for area in areas
                ],
            }
        )
    result.area_totals = [
        {
            "area": area,
            "count": by_area.get(area.slug, 0),
            "url": activity_list_url(area=area.slug),
        }
        for area in areas
    ]
    result.without_partner = by_partner.get(None, 0)
    result.without_area = by_area.get(None, 0)
    return result


@dataclass
class Bar:
    label: str
    count: int
    url: str
    y: float = 0
    width: float = 0
    text_y: float = 0
    count_x: float = 0


@dataclass
class BarChart:
    """A horizontal bar chart laid out for SVG: labels left, bars, counts right."""

    id: str
    title: str
    label_heading: str
    bars: list
    label_width: int = 220
    bar_space: int = 340
    bar_height: int = 22
    gap: int = 8

    def __post_init__(self):
        largest = max((bar.count for bar in self.bars), default=0) or 1
        for index, bar in enumerate(self.bars):
            bar.y = index * (self.bar_height + self.gap)
            bar.width = round(self.bar_space * bar.count / largest, 1)
            bar.text_y = round(bar.y + self.bar_height * 0.7, 1)
            bar.count_x = round(self.label_width + bar.width + 6, 1)

    @property
    def width(self):
        return self.label_width + self.bar_space + 60

    @property
    def height(self):
        return max(len(self.bars) * (self.bar_height + self.gap) - self.gap, 0)

    @property
    def label_x(self):
        return self.label_width - 8

    @property
    def total(self):
        return sum(bar.count for bar in self.bars)


def per_year(activities, base=None):
    """Activities by the year they started, every year in the range shown, even 0."""
    years = Counter(
        dict(
            activities.order_by()
            .annotate(year=ExtractYear("start_date"))
            .values("year")
            .annotate(count=Count("pk", distinct=True))
            .values_list("year", "count")
        )
    )
    if not years:
        return []
    return [
        Bar(
            str(year),
            years[year],
            activity_list_url(base, year_from=year, year_to=year),
        )
        for year in range(min(years), max(years) + 1)
    ]


def per_area(activities, base=None):
    counts = _counts(activities, "areas__slug")
    return [
        Bar(
            area.name, counts.get(area.slug, 0), activity_list_url(base, area=area.slug)
        )
        for area in CooperationArea.objects.all()
    ]


def per_partner(activities, base=None):
    counts = _counts(activities, "partners__slug")
    return [
        Bar(
            partner.name,
            counts.get(partner.slug, 0),
            activity_list_url(base, partner=partner.slug),
        )
        for partner in Partner.objects.public()
    ]


def charts(activities, base=None):
    """The three charts; bars link to the activity list, keeping ``base`` filters."""
    return [
        BarChart("per-year", "Activities per year", "Year", per_year(activities, base)),
        BarChart("per-area", "Activities by area", "Area", per_area(activities, base)),
        BarChart(
            "per-partner",
            "Activities by partner",
            "Partner",
            per_partner(activities, base),
        ),
    ]
