"""Dates known only to the day, the month or the year.

Sources often give "February 2005" or just "2004". We store the first day of that
period plus its precision, and always display it at that precision, never inventing
a day or a month the source did not give.
"""

import calendar
from functools import lru_cache

from django.db import models
from django.utils.dateformat import format as date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


_DISPLAY = {
    DatePrecision.DAY: "j F Y",
    DatePrecision.MONTH: "F Y",
    DatePrecision.YEAR: "Y",
}
_ISO = {DatePrecision.DAY: "Y-m-d", DatePrecision.MONTH: "Y-m", DatePrecision.YEAR: "Y"}


def truncate(value, precision):
    """The first day of the period a partial date stands for."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    return value


def period_end(value, precision):
    """The last day of the period, so "2004" ends after "May 2004" starts."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return value.replace(month=12, day=31)
    if precision == DatePrecision.MONTH:
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    return value


def display(value, precision):
    """'16 February 2005', 'February 2005' or '2005', month names in the page's
    language ('16 février 2005', '16 فبراير 2005')."""
    return _display(value, precision, get_language())


# Pure for a language, and the same dates recur on every page of a list.
@lru_cache(maxsize=8192)
def _display(value, precision, language):
    if value is None:
        return ""
    return date_format(value, _DISPLAY.get(precision, "j F Y"))


@lru_cache(maxsize=8192)
def iso(value, precision):
    """ISO 8601 at the known precision: '2005-02-16', '2005-02' or '2005'."""
    if value is None:
        return ""
    return date_format(value, _ISO.get(precision, "Y-m-d"))


def display_range(start, start_precision, end, end_precision):
    """'2–6 June 2024', 'May–December 2004' or '22 January 2018 – 23 January 2018'."""
    first = display(start, start_precision)
    if end is None or (end == start and end_precision == start_precision):
        return first
    if start_precision == end_precision == DatePrecision.DAY and (
        (start.year, start.month) == (end.year, end.month)
    ):
        return f"{start.day}–{display(end, end_precision)}"
    if (
        start_precision == end_precision == DatePrecision.MONTH
        and start.year == end.year
    ):
        return f"{date_format(start, 'F')}–{display(end, end_precision)}"
    return f"{first} – {display(end, end_precision)}"
