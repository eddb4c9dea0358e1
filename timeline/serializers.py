"""Milestones as data (see content.serializers)."""

from content.serializers import (
    DATETIME,
    MARKDOWN,
    PARTIAL_DATE,
    PRECISION,
    REFERENCE,
    REFERENCE_FIELDS,
    SOURCE_FIELDS,
    SOURCES,
    TEXT,
    URI,
    Serializer,
    partial_iso,
)
from content.text import render_markdown

from .models import Milestone


class MilestoneSerializer(Serializer):
    name, plural, title = "milestone", "milestones", "Milestone"
    model = Milestone
    html_url_name = "timeline:milestone-detail"
    relations = {
        "partners": REFERENCE_FIELDS,
        "areas": REFERENCE_FIELDS,
        "sources": SOURCE_FIELDS,
    }
    properties = {
        "slug": TEXT,
        "title": TEXT,
        "date": PARTIAL_DATE,
        "date_precision": PRECISION,
        "summary": MARKDOWN,
        "is_key": {"type": "boolean"},
        "partners": REFERENCE,
        "areas": REFERENCE,
        "sources": SOURCES,
        "html_url": URI,
        "api_url": URI,
        "published_at": DATETIME,
        "updated_at": DATETIME,
    }
    csv_columns = [column for column in properties if column != "api_url"]
    computed = {"date": lambda obj: partial_iso(obj.date, obj.date_precision)}

    def feed_item(self, obj, related):
        return {
            **super().feed_item(obj, related),
            "title": obj.title,
            # A milestone's summary is Markdown: the sanitising renderer makes it HTML.
            "description": render_markdown(obj.summary),
        }

    def event(self, obj, related):
        when = (obj.date, obj.date_precision)
        return self.all_day_event(obj, related, obj.title, obj.summary, when, when)
