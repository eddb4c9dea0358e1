"""Milestones as data: JSON record and schema, CSV row, Atom entry, calendar event."""

import datetime

from partners import dates
from partners.records import (
    DATETIME,
    PARTIAL_DATE,
    PRECISION,
    REFERENCE,
    SOURCES,
    TEXT,
    URI,
    RecordType,
    cited_sources_prefetch,
    references,
    sources,
)

from .models import Milestone


class MilestoneRecord(RecordType):
    name, plural, title = "milestone", "milestones", "Milestone"
    model = Milestone
    html_url_name = "timeline:milestone-detail"
    properties = {
        "slug": TEXT,
        "title": TEXT,
        "date": PARTIAL_DATE,
        "date_precision": PRECISION,
        "when": {**TEXT, "description": "The date as the site shows it."},
        "summary": TEXT,
        "is_key": {"type": "boolean"},
        "partners": REFERENCE,
        "areas": REFERENCE,
        "sources": SOURCES,
        "html_url": URI,
        "api_url": URI,
        "published_at": DATETIME,
        "updated_at": DATETIME,
    }
    csv_columns = [column for column in properties if column not in {"when", "api_url"}]

    @classmethod
    def queryset(cls):
        return cls.for_export(Milestone.objects.public().for_listing())

    @classmethod
    def for_export(cls, queryset):
        return queryset.prefetch_related(cited_sources_prefetch())

    def record(self, obj):
        return {
            "slug": obj.slug,
            "title": obj.title,
            "date": obj.iso_date,
            "date_precision": obj.date_precision,
            "when": obj.when,
            "summary": obj.summary,
            "is_key": obj.is_key,
            "partners": references(obj.partners.all()),
            "areas": references(obj.areas.all()),
            "sources": sources(obj.sources.all()),
            "html_url": self.html_url(obj),
            "api_url": self.api_url(obj),
            "published_at": obj.publish_at,
            "updated_at": obj.updated_at,
        }

    def feed_item(self, obj):
        return {
            **super().feed_item(obj),
            "title": obj.title,
            "categories": [partner.name for partner in obj.partners.all()]
            + [area.name for area in obj.areas.all()],
        }

    def event(self, obj):
        """An all-day event over the whole period the date is known to."""
        end = dates.period_end(obj.date, obj.date_precision)
        precision = ""
        if obj.date_precision != dates.DatePrecision.DAY:
            precision = f"\n\nThe sources give this date to the {obj.date_precision}."
        return {
            "uid": f"milestone-{obj.slug}@{self.request.get_host()}",
            "summary": obj.title,
            "description": obj.summary + precision,
            "start": obj.date,
            "end": end + datetime.timedelta(days=1),
            "url": self.html_url(obj),
            "stamp": obj.updated_at,
            "categories": [partner.name for partner in obj.partners.all()],
        }
