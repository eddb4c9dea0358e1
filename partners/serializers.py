"""Partners, areas, activities and sources as data (see content.serializers)."""

from django.urls import reverse

from content.serializers import (
    DATE,
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
    nullable,
    partial_iso,
)

from .models import Activity, CooperationArea, Partner, Source


class SourceSerializer(Serializer):
    name, plural, title = "source", "sources", "Source"
    model = Source
    lookup = "id"
    properties = {
        "id": {"type": "integer"},
        "title": TEXT,
        "publisher": TEXT,
        "url": {**URI, "description": "The document itself."},
        "published": nullable(DATE),
        "accessed": nullable(DATE),
        "confidence": {"enum": list(Source.Confidence.values)},
        "language": {"type": "string", "description": "ISO 639 code."},
        "html_url": URI,
        "api_url": URI,
        "updated_at": DATETIME,
    }
    csv_columns = list(properties)

    def __init__(self, request):
        super().__init__(request)
        self._list_url = self._site + reverse("partners:source-list")

    def html_url(self, obj):
        return f"{self._list_url}#source-{obj.id}"


class AreaSerializer(Serializer):
    name, plural, title = "area", "areas", "Cooperation area"
    model = CooperationArea
    html_url_name = "partners:area-detail"
    relations = {"sources": SOURCE_FIELDS}
    properties = {
        "slug": TEXT,
        "name": TEXT,
        "summary": TEXT,
        "description": MARKDOWN,
        "position": {"type": "integer"},
        "sources": SOURCES,
        "html_url": URI,
        "api_url": URI,
        "updated_at": DATETIME,
    }
    csv_columns = list(properties)


class PartnerSerializer(Serializer):
    name, plural, title = "partner", "partners", "Partner"
    model = Partner
    html_url_name = "partners:partner-detail"
    relations = {"sources": SOURCE_FIELDS}
    properties = {
        "slug": TEXT,
        "name": TEXT,
        "official_name": TEXT,
        "iso_alpha2": {"type": "string", "pattern": "^[A-Z]{2}$"},
        "iso_alpha3": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "status": {"enum": list(Partner.Status.values)},
        "joined": nullable(PARTIAL_DATE),
        "joined_precision": PRECISION,
        "capital": TEXT,
        "summary": TEXT,
        "profile": MARKDOWN,
        "sources": SOURCES,
        "html_url": URI,
        "api_url": URI,
        "published_at": DATETIME,
        "updated_at": DATETIME,
    }
    csv_columns = list(properties)
    computed = {"joined": lambda obj: partial_iso(obj.joined, obj.joined_precision)}


class ActivitySerializer(Serializer):
    name, plural, title = "activity", "activities", "Activity"
    model = Activity
    html_url_name = "partners:activity-detail"
    relations = {
        "partners": REFERENCE_FIELDS,
        "areas": REFERENCE_FIELDS,
        "sources": SOURCE_FIELDS,
    }
    properties = {
        "slug": TEXT,
        "title": TEXT,
        "kind": {"enum": list(Activity.Kind.values)},
        "start": PARTIAL_DATE,
        "start_precision": PRECISION,
        "end": nullable(PARTIAL_DATE),
        "end_precision": PRECISION,
        "location": TEXT,
        "summary": TEXT,
        "body": MARKDOWN,
        "partners": REFERENCE,
        "areas": REFERENCE,
        "sources": SOURCES,
        "html_url": URI,
        "api_url": URI,
        "published_at": DATETIME,
        "updated_at": DATETIME,
    }
    csv_columns = [column for column in properties if column != "api_url"]
    computed = {
        "start": lambda obj: partial_iso(obj.start_date, obj.start_precision),
        "end": lambda obj: partial_iso(obj.end_date, obj.end_precision),
    }

    def feed_item(self, obj, related):
        item = super().feed_item(obj, related)
        item["categories"].insert(0, obj.get_kind_display())
        return item

    def event(self, obj, related):
        start = (obj.start_date, obj.start_precision)
        end = (obj.end_date, obj.end_precision) if obj.end_date else start
        return self.all_day_event(obj, related, obj.title, obj.summary, start, end)
