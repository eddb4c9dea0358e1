"""The comparison matrix and the charts, laid out from the counts in counts.py."""

import textwrap
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
    lines: list = field(default_factory=list)
    text_y: float = 0
    bar_y: float = 0
    count_x: float = 0


# Text is measured by an upper bound of a sans-serif character's advance (0.62 em),
# so a label laid out here is never wider in a browser than the room made for it.
CHAR_WIDTH = 0.62


@dataclass
class BarChart:
    """A horizontal bar chart laid out for SVG, bars linked to the list they count.

    Short labels (years) sit left of their bars; when the longest would take more
    than a third of the width, each label goes on its own lines above its bar,
    wrapped to the width, so no label is ever cut at any width the chart is shown.
    """

    id: str
    title: str
    label_heading: str
    bars: list
    width: int = 400
    font_size: int = 14
    bar_height: int = 18
    gap: int = 10
    count_space: int = 40
    template = "includes/bar_chart.html"
    svg_template = "includes/bar_chart_svg.html"

    def __post_init__(self):
        em = self.font_size * CHAR_WIDTH
        longest = max((len(bar.label) for bar in self.bars), default=0)
        self.labels_left = longest * em + 8 <= self.width / 3
        self.label_width = round(longest * em + 8) if self.labels_left else 0
        self.bar_space = self.width - self.label_width - self.count_space
        line_height = round(self.font_size * 1.25)
        largest = max((bar.count for bar in self.bars), default=0) or 1
        y = 0
        for bar in self.bars:
            if self.labels_left:
                bar.lines = [bar.label]
                bar.bar_y = y
                bar.text_y = round(y + self.bar_height * 0.75, 1)
            else:
                bar.lines = textwrap.wrap(bar.label, int(self.width // em)) or [""]
                bar.text_y = round(y + self.font_size, 1)
                bar.bar_y = y + len(bar.lines) * line_height + 2
            bar.y = bar.bar_y
            bar.width = round(self.bar_space * bar.count / largest, 1)
            bar.count_x = round(self.label_width + bar.width + 6, 1)
            bar.line_height = line_height
            y = bar.bar_y + self.bar_height + self.gap
        self.height = max(y - self.gap, 0)

    @property
    def label_x(self):
        return self.label_width - 8

    @property
    def total(self):
        return sum(bar.count for bar in self.bars)

    def table(self):
        """The chart's numbers as rows, for its CSV."""
        return [[self.label_heading, "Activities"]] + [
            [bar.label, bar.count] for bar in self.bars
        ]


@dataclass
class Panel:
    label: str
    url: str
    y: float
    columns: list


@dataclass
class SmallMultiples:
    """Activities per year, one small column chart a partner, on one scale."""

    id: str
    title: str
    years: list
    partners: list
    counts: dict
    base: object = None
    width: int = 400
    font_size: int = 14
    panel_height: int = 44
    template = "includes/small_multiples.html"
    svg_template = "includes/small_multiples_svg.html"

    def __post_init__(self):
        largest = max(self.counts.values(), default=0) or 1
        step = self.width / max(len(self.years), 1)
        self.column_width = round(step * 0.8, 2)
        title_space, axis_space = self.font_size + 6, self.font_size + 8
        self.panels = []
        y = 0
        for partner in self.partners:
            top = y + title_space
            columns = []
            for index, year in enumerate(self.years):
                count = self.counts.get((partner.pk, year), 0)
                height = round(self.panel_height * count / largest, 1)
                columns.append(
                    {
                        "year": year,
                        "count": count,
                        "x": round(index * step + step * 0.1, 2),
                        "y": round(top + self.panel_height - height, 1),
                        "height": height,
                    }
                )
            self.panels.append(
                Panel(
                    str(partner),
                    activity_list_url(self.base, partner=partner.slug),
                    y,
                    columns,
                )
            )
            y = top + self.panel_height + axis_space
        self.height = y
        self.axis_offset = title_space + self.panel_height + self.font_size + 2
        self.title_offset = self.font_size

    @property
    def first_year(self):
        return self.years[0] if self.years else None

    @property
    def last_year(self):
        return self.years[-1] if self.years else None

    @property
    def rows(self):
        """Years down, partners across, for the table."""
        return [
            {
                "year": year,
                "cells": [
                    {
                        "count": self.counts.get((partner.pk, year), 0),
                        "url": activity_list_url(
                            self.base,
                            partner=partner.slug,
                            year_from=year,
                            year_to=year,
                        ),
                    }
                    for partner in self.partners
                ],
            }
            for year in self.years
        ]

    def table(self):
        return [["Year", *(str(partner) for partner in self.partners)]] + [
            [row["year"], *(cell["count"] for cell in row["cells"])]
            for row in self.rows
        ]


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


def per_partner_and_year(filterset, partners, base=None):
    found = counts.selection(filterset, "partner", "year")
    years = [year for _, year in found]
    span = list(range(min(years), max(years) + 1)) if years else []
    return SmallMultiples(
        "per-partner-year",
        "Activities per year, by partner",
        span,
        [partner for partner in partners if any(k[0] == partner.pk for k in found)],
        found,
        base,
    )


def charts(filterset, base=None):
    """The charts of the activities the filterset selects; bars link to the
    activity list, keeping ``base`` filters."""
    areas = CooperationArea.objects.all()
    partners = list(Partner.objects.public())
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
        per_partner_and_year(filterset, partners, base),
    ]
