"""The comparison matrix and the charts, laid out from the counts in counts.py."""

from dataclasses import dataclass, field

from django.http import QueryDict
from django.urls import reverse

from . import counts
from .models import CooperationArea, Partner


def activity_list_url(base=None, **filters):
    """The activity list with ``filters``, added to (or replacing) those in ``base``."""
    query = base.copy() if base is not None else QueryDict(mutable=True)
    for name, value in filters.items():
        query.setlist(name, [str(value)])
    return reverse("partners:activity-list") + "?" + query.urlencode()


@dataclass
class Matrix:
    partners: list
    areas: list
    rows: list = field(default_factory=list)
    area_totals: list = field(default_factory=list)
    total: int = 0


def matrix():
    """Partners down, areas across: public activities in each cell, with totals.

    An activity with two partners counts once in each partner's row; the totals count
    each activity once, so they are not the sums of their cells.
    """
    partners = list(Partner.objects.public())
    areas = list(CooperationArea.objects.all())
    found = counts.matrix()
    cells, by_partner, by_area = found["cells"], found["partner"], found["area"]
    result = Matrix(partners=partners, areas=areas, total=found["total"])
    for partner in partners:
        result.rows.append(
            {
                "partner": partner,
                "total": by_partner.get(partner.pk, 0),
                "url": activity_list_url(partner=partner.slug),
                "cells": [
                    {
                        "area": area,
                        "count": cells.get((partner.pk, area.pk), 0),
                        "url": activity_list_url(partner=partner.slug, area=area.slug),
                    }
                    for area in areas
                ],
            }
        )
    result.area_totals = [
        {
            "area": area,
            "count": by_area.get(area.pk, 0),
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


def per_year(filterset, base=None):
    """Activities by the year they started, every year in the range shown, even 0."""
    years = counts.selection(filterset, "year")
    if not years:
        return []
    return [
        Bar(
            str(year),
            years.get(year, 0),
            activity_list_url(base, year_from=year, year_to=year),
        )
        for year in range(min(years), max(years) + 1)
    ]


def per_link(filterset, name, objects, base=None):
    """Activities by partner or area (`name`), in the order of `objects`."""
    found = counts.selection(filterset, name)
    return [
        Bar(str(obj), found.get(obj.pk, 0), activity_list_url(base, **{name: obj.slug}))
        for obj in objects
    ]


def charts(filterset, base=None):
    """The three charts of the activities the filterset selects; bars link to the
    activity list, keeping ``base`` filters."""
    areas = CooperationArea.objects.all()
    partners = Partner.objects.public()
    return [
        BarChart("per-year", "Activities per year", "Year", per_year(filterset, base)),
        BarChart(
            "per-area",
            "Activities by area",
            "Area",
            per_link(filterset, "area", areas, base),
        ),
        BarChart(
            "per-partner",
            "Activities by partner",
            "Partner",
            per_link(filterset, "partner", partners, base),
        ),
    ]
