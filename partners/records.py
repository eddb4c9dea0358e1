"""How each kind of record is written out: a JSON record, its JSON Schema, a CSV row,
an Atom entry. One description per model keeps the API, the exports and the published
schemas in step.
"""

from django.db.models import Prefetch
from django.urls import reverse

from . import dates
from .models import Activity, CooperationArea, Partner, Source

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Schema fragments shared by the record types.
TEXT = {"type": "string"}
URI = {"type": "string", "format": "uri"}
DATETIME = {"type": "string", "format": "date-time"}
DATE = {"type": "string", "format": "date"}
PARTIAL_DATE = {
    "type": "string",
    "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
    "description": "ISO 8601 at the precision the sources give: YYYY, YYYY-MM or "
    "YYYY-MM-DD.",
}
PRECISION = {"enum": ["day", "month", "year"]}
REFERENCE = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"slug": TEXT, "name": TEXT},
        "required": ["slug", "name"],
        "additionalProperties": False,
    },
}
SOURCES = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"url": URI, "title": TEXT, "publisher": TEXT},
        "required": ["url", "title", "publisher"],
        "additionalProperties": False,
    },
}


def nullable(schema):
    return {"anyOf": [schema, {"type": "null"}]}


def references(objects):
    return [{"slug": obj.slug, "name": obj.name} for obj in objects]


def sources(objects):
    return [
        {"url": source.url, "title": source.title, "publisher": source.publisher}
        for source in objects
    ]


def flatten(value):
    """A JSON value as one CSV cell: lists become '; '-separated names or URLs."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(
            item.get("name") or item.get("url") if isinstance(item, dict) else str(item)
            for item in value
        )
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class RecordType:
    """A model as data. Subclasses declare ``properties`` and write ``record``."""

    registry = {}

    name = ""  # singular, also the schema's file name
    plural = ""
    title = ""
    model = None
    lookup = "slug"
    properties = {}
    csv_columns = []

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.name:
            RecordType.registry[cls.name] = cls

    def __init__(self, request):
        self.request = request
        self._site = request.build_absolute_uri("/").rstrip("/")
        # Reverse once per request, not once per record: exports run to 100 000 rows.
        self._html_url = (
            self._url_template(self.html_url_name) if self.html_url_name else ""
        )
        self._api_url = self._url_template(f"api:{self.name}-detail")

    html_url_name = ""

    def _url_template(self, url_name):
        marker = "0000000000"
        path = reverse(url_name, args=[marker])
        return self._site + path.replace(marker, "{}")

    def html_url(self, obj):
        return self._html_url.format(getattr(obj, self.lookup))

    def api_url(self, obj):
        return self._api_url.format(getattr(obj, self.lookup))

    @classmethod
    def queryset(cls):
        """Everything the public may see, with what records need prefetched."""
        raise NotImplementedError

    @classmethod
    def for_export(cls, queryset):
        return queryset

    def record(self, obj):
        raise NotImplementedError

    def csv_row(self, record):
        return [flatten(record[column]) for column in self.csv_columns]

    @classmethod
    def schema(cls, schema_url=""):
        return {
            "$schema": SCHEMA_DIALECT,
            "$id": schema_url,
            "title": cls.title,
            "type": "object",
            "properties": cls.properties,
            "required": list(cls.properties),
            "additionalProperties": False,
        }

    def feed_item(self, obj):
        return {
            "title": str(obj),
            "link": self.html_url(obj),
            "unique_id": self.html_url(obj),
            "description": getattr(obj, "summary", ""),
            "pubdate": getattr(obj, "publish_at", None),
            "updateddate": obj.updated_at,
        }


class SourceRecord(RecordType):
    name, plural, title = "source", "sources", "Source"
    model = Source
    lookup = "pk"
    properties = {
        "id": {"type": "integer"},
        "title": TEXT,
        "publisher": TEXT,
        "url": {**URI, "description": "The document itself."},
        "published": nullable(DATE),
        "accessed": nullable(DATE),
        "confidence": {"enum": list(Source.Confidence.values)},
        "html_url": URI,
        "api_url": URI,
        "updated_at": DATETIME,
    }
    csv_columns = list(properties)

    def html_url(self, obj):
        return self._site + obj.get_absolute_url()

    @classmethod
    def queryset(cls):
        return Source.objects.all()

    def record(self, obj):
        return {
            "id": obj.pk,
            "title": obj.title,
            "publisher": obj.publisher,
            "url": obj.url,
            "published": obj.published,
            "accessed": obj.accessed,
            "confidence": obj.confidence,
            "html_url": self.html_url(obj),
            "api_url": self.api_url(obj),
            "updated_at": obj.updated_at,
        }


class AreaRecord(RecordType):
    name, plural, title = "area", "areas", "Cooperation area"
    model = CooperationArea
    html_url_name = "partners:area-detail"
    properties = {
        "slug": TEXT,
        "name": TEXT,
        "summary": TEXT,
        "description": TEXT,
        "position": {"type": "integer"},
        "sources": SOURCES,
        "html_url": URI,
        "api_url": URI,
        "updated_at": DATETIME,
    }
    csv_columns = list(properties)

    @classmethod
    def queryset(cls):
        return CooperationArea.objects.prefetch_related("sources")

    def record(self, obj):
        return {
            "slug": obj.slug,
            "name": obj.name,
            "summary": obj.summary,
            "description": obj.description,
            "position": obj.position,
            "sources": sources(obj.sources.all()),
            "html_url": self.html_url(obj),
            "api_url": self.api_url(obj),
            "updated_at": obj.updated_at,
        }


class PartnerRecord(RecordType):
    name, plural, title = "partner", "partners", "Partner"
    model = Partner
    html_url_name = "partners:partner-detail"
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
        "profile": TEXT,
        "sources": SOURCES,
        "html_url": URI,
        "api_url": URI,
        "published_at": DATETIME,
        "updated_at": DATETIME,
    }
    csv_columns = list(properties)

    @classmethod
    def queryset(cls):
        return Partner.objects.public().prefetch_related("sources")

    @classmethod
    def for_export(cls, queryset):
        return queryset.prefetch_related("sources")

    def record(self, obj):
        return {
            "slug": obj.slug,
            "name": obj.name,
            "official_name": obj.official_name,
            "iso_alpha2": obj.iso_alpha2,
            "iso_alpha3": obj.iso_alpha3,
            "status": obj.status,
            "joined": dates.iso(obj.joined, obj.joined_precision) or None,
            "joined_precision": obj.joined_precision,
            "capital": obj.capital,
            "summary": obj.summary,
            "profile": obj.profile,
            "sources": sources(obj.sources.all()),
            "html_url": self.html_url(obj),
            "api_url": self.api_url(obj),
            "published_at": obj.publish_at,
            "updated_at": obj.updated_at,
        }


def cited_sources_prefetch():
    return Prefetch(
        "sources", queryset=Source.objects.only("url", "title", "publisher")
    )


class ActivityRecord(RecordType):
    name, plural, title = "activity", "activities", "Activity"
    model = Activity
    html_url_name = "partners:activity-detail"
    properties = {
        "slug": TEXT,
        "title": TEXT,
        "kind": {"enum": list(Activity.Kind.values)},
        "start": PARTIAL_DATE,
        "start_precision": PRECISION,
        "end": nullable(PARTIAL_DATE),
        "end_precision": PRECISION,
        "when": {**TEXT, "description": "The dates as the site shows them."},
        "location": TEXT,
        "summary": TEXT,
        "body": TEXT,
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
        return cls.for_export(Activity.objects.public().for_listing())

    @classmethod
    def for_export(cls, queryset):
        return queryset.prefetch_related(cited_sources_prefetch())

    def record(self, obj):
        return {
            "slug": obj.slug,
            "title": obj.title,
            "kind": obj.kind,
            "start": obj.iso_start,
            "start_precision": obj.start_precision,
            "end": dates.iso(obj.end_date, obj.end_precision) or None,
            "end_precision": obj.end_precision,
            "when": obj.when,
            "location": obj.location,
            "summary": obj.summary,
            "body": obj.body,
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
            "categories": [obj.get_kind_display()]
            + [partner.name for partner in obj.partners.all()]
            + [area.name for area in obj.areas.all()],
        }
