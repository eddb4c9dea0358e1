"""The timeline as one ordered list of milestone and activity records.

It is a view of the records editors keep, not a second copy: each entry reads its
title, date and precision from the milestone or activity it stands for.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


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
        return self.record.partners.all()

    @property
    def areas(self):
        return self.record.areas.all()


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


def merged(milestones, activities):
    """Oldest first; on the same day a milestone comes before an activity."""
    entries = [milestone_entry(m) for m in milestones]
    entries += [activity_entry(a) for a in activities]
    return sorted(entries, key=lambda e: (e.date, e.kind != "milestone", e.title))
