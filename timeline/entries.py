"""The timeline as one ordered list of milestone and activity records.

It is a view of the records editors keep, not a second copy: each entry reads its
title, date and precision from the milestone or activity it stands for.
"""

from dataclasses import dataclass

from django.db.models import F, IntegerField, Value
from django.utils.translation import gettext_lazy as _

from partners.models import Activity

from .models import Milestone

MILESTONE, ACTIVITY = 0, 1


@dataclass(frozen=True)
class Entry:
    record: object
    kind: str
    kind_label: str
    anchor: str
    date: object
    when: str
    iso: str
    summary: str
    is_key: bool = False

    @property
    def year(self):
        return self.date.year

    @property
    def title(self):
        return self.record.title

    @property
    def url(self):
        return self.record.get_absolute_url()

    @property
    def partners(self):
        return self.record.partner_list

    @property
    def areas(self):
        return self.record.area_list


def milestone_entry(milestone):
    return Entry(
        record=milestone,
        kind="milestone",
        kind_label=_("Key milestone") if milestone.is_key else _("Milestone"),
        anchor=milestone.slug,
        date=milestone.date,
        when=milestone.when,
        iso=milestone.iso_date,
        summary=milestone.summary,
        is_key=milestone.is_key,
    )


def activity_entry(activity):
    return Entry(
        record=activity,
        kind="activity",
        kind_label=activity.get_kind_display(),
        anchor=f"activity-{activity.slug}",
        date=activity.start_date,
        when=activity.when,
        iso=activity.iso_start,
        summary=activity.summary,
    )


def timeline_keys(milestones, activities):
    """(date, kind, title, pk) of every entry in timeline order, as one query.

    Oldest first; on the same day a milestone comes before an activity. The database
    sorts and pages the union, so a page never loads every record.
    """

    def keys(queryset, date_field, kind):
        return (
            queryset.order_by()
            .prefetch_related(None)
            .annotate(
                d=F(date_field),
                k=Value(kind, output_field=IntegerField()),
                t=F("title"),
                i=F("pk"),
            )
            .values_list("d", "k", "t", "i")
        )

    return (
        keys(milestones, "date", MILESTONE)
        .union(keys(activities, "start_date", ACTIVITY), all=True)
        .order_by("d", "k", "t")
    )


def split_keys(keys):
    milestone_pks = [pk for _, kind, _, pk in keys if kind == MILESTONE]
    activity_pks = [pk for _, kind, _, pk in keys if kind == ACTIVITY]
    return milestone_pks, activity_pks


def entries_for(keys):
    """The entries for one page of keys, in their order, in a constant few queries."""
    milestone_pks, activity_pks = split_keys(keys)
    # Unordered, so SQLite looks the keys up rather than walking a listing index.
    milestones = Milestone.objects.public().for_listing().order_by()
    milestones = milestones.in_bulk(milestone_pks)
    activities = Activity.objects.public().for_listing().order_by()
    activities = activities.in_bulk(activity_pks)
    return [
        milestone_entry(milestones[pk])
        if kind == MILESTONE
        else activity_entry(activities[pk])
        for _, kind, _, pk in keys
        if pk in (milestones if kind == MILESTONE else activities)
    ]
