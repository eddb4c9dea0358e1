"""How each kind of record is written out: a JSON object, its JSON Schema, a CSV row,
an Atom entry, a calendar event. One serializer per model keeps the API, the exports
and the published schemas in step.
"""

import datetime
import json

from django.conf import settings
from django.db import connection
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from . import dates
from .models import Publishable, public, translated_fields

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Schema fragments shared by the record types.
TEXT = {"type": "string"}
MARKDOWN = {"type": "string", "description": "Markdown source, as editors wrote it."}
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
        "properties": {
            "url": URI,
            "title": TEXT,
            "publisher": TEXT,
            "passage": {
                **TEXT,
                "description": "The words of the source that support the record, "
                "verbatim, in the source's language.",
            },
            "passage_en": {
                **TEXT,
                "description": "An English rendering of the passage, or empty.",
            },
        },
        "required": ["url", "title", "publisher", "passage", "passage_en"],
        "additionalProperties": False,
    },
}


def nullable(schema):
    return {"anyOf": [schema, {"type": "null"}]}


META = {
    "type": "object",
    "description": "Where, when and from what the document was made; how to cite it.",
    "properties": {
        "title": TEXT,
        "url": {**URI, "description": "The page these records are on, with filters."},
        "site": URI,
        "generated_at": DATETIME,
        "dataset_version": TEXT,
        "filters": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": TEXT},
        },
        "record_schema": URI,
        "documentation": URI,
        "citation": TEXT,
        # The language of the records' text (BCP 47); English where not translated.
        "language": {"type": "string", "minLength": 2},
        "count": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "pages": {"type": "integer", "minimum": 1},
        "next": nullable(URI),
        "previous": nullable(URI),
    },
    "required": [
        "title",
        "url",
        "site",
        "generated_at",
        "dataset_version",
        "filters",
        "record_schema",
        "documentation",
        "citation",
        "language",
    ],
    "additionalProperties": False,
}


_ISO_LENGTH = {"day": 10, "month": 7, "year": 4}


def partial_iso(value, precision):
    """As ``dates.iso``, without the template date formatter: exports call it a lot."""
    if value is None:
        return None
    return value.isoformat()[: _ISO_LENGTH.get(precision, 10)]


def localised(obj, name, language, read=getattr):
    """A translated field of a row in the language, else its English text."""
    english = read(obj, f"{name}_{settings.LANGUAGE_CODE}", None)
    return read(obj, f"{name}_{language}", None) or english or ""


def cell(item):
    """One listed item in a CSV cell: its name, or its URL and supporting passage."""
    if not isinstance(item, dict):
        return str(item)
    if "name" in item:
        return item["name"]
    passage = item.get("passage") and f' "{item["passage"]}"'
    return item["url"] + (passage or "")


def flatten(value):
    """A JSON value as one CSV cell: lists become '; '-separated names or sources."""
    if type(value) is str:  # most cells: answer them first
        return value
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(cell(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def one_parameter(ids):
    """A subquery of these ids in one query parameter: building and parsing a few
    thousand placeholders per batch costs more than the query itself."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))


class Serializer:
    """A model as data. Subclasses declare ``properties`` and write ``record``."""

    registry = {}

    name = ""  # singular, also the schema's file name
    plural = ""
    title = ""
    model = None
    lookup = "slug"
    properties = {}
    csv_columns = []
    # Many-to-many fields written into each record: name -> the related fields given.
    relations = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.name:
            Serializer.registry[cls.name] = cls

    def __init__(self, request):
        self.request = request
        # Records answer in the active language, English where it has no text.
        self._language = translation.get_language() or settings.LANGUAGE_CODE
        self._translated = set(translated_fields(self.model))
        self._site = request.build_absolute_uri("/").rstrip("/")
        # Reverse once per request, not once per record of a large export.
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
        """Everything the public may see."""
        return public(cls.model)

    def batches(self, queryset, chunk_size=2000):
        """Every object a batch at a time, each batch with its relations.

        Relations come from the link tables as plain values, one query per relation
        per batch: far cheaper than prefetching model instances, and memory stays flat.
        """
        # Plain rows, not model instances: records read only field values, and
        # skipping model construction halves the time of a large export.
        fields = [field.attname for field in self.model._meta.concrete_fields]
        rows = queryset.prefetch_related(None).values_list(*fields, named=True)
        batch = []
        for obj in rows.iterator(chunk_size=chunk_size):
            batch.append(obj)
            if len(batch) == chunk_size:
                yield batch, self.related(batch)
                batch = []
        if batch:
            yield batch, self.related(batch)

    def iterate(self, queryset, chunk_size=2000):
        """The record of every object, streamed."""
        for batch, related in self.batches(queryset, chunk_size):
            for obj in batch:
                yield self.serialize(obj, related[obj.id])

    def serialize_all(self, objects):
        related = self.related(objects)
        return [self.serialize(obj, related[obj.id]) for obj in objects]

    def related(self, objects):
        """{pk: {relation: [dicts of the related fields]}} for the given objects."""
        result = {obj.id: {name: [] for name in self.relations} for obj in objects}
        if not objects:
            return result
        for name, fields in self.relations.items():
            field = self.model._meta.get_field(name)
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            related_model = field.related_model
            ordering = related_model._meta.ordering
            links = field.remote_field.through.objects.filter(
                **{f"{source}__in": one_parameter(list(result))}
            ).order_by(*(f"{target}__{column}" for column in ordering))
            if issubclass(related_model, Publishable):
                public = related_model.objects.public().values("pk")
                links = links.filter(**{f"{target}__in": public})
            # Columns of the link itself (a citation's passage), else of its target
            # (a translated one in the active language and in English).
            own = {f.name for f in links.model._meta.concrete_fields}
            translated = set(translated_fields(related_model)) - own
            columns = [
                column
                for c in fields
                for column in (
                    [f"{c}_{self._language}", f"{c}_{settings.LANGUAGE_CODE}"]
                    if c in translated
                    else [c]
                )
            ]
            lookups = [c if c in own else f"{target}__{c}" for c in columns]
            for owner, *values in links.values_list(source, *lookups):
                row = dict(zip(columns, values, strict=True))
                result[owner][name].append(
                    {
                        c: localised(row, c, self._language, dict.get)
                        if c in translated
                        else row[c]
                        for c in fields
                    }
                )
        return result

    # Properties that are not the object's attribute of the same name: name ->
    # function of the object (a plain row of its fields, in exports).
    computed = {}

    def serialize(self, obj, related):
        record = {}
        for name in self.properties:
            if name in self.relations:
                record[name] = related[name]
            elif name in self.computed:
                record[name] = self.computed[name](obj)
            elif name in ("html_url", "api_url"):
                record[name] = getattr(self, name)(obj)
            elif name == "published_at":
                record[name] = obj.publish_at
            elif name in self._translated:
                record[name] = localised(obj, name, self._language)
            else:
                record[name] = getattr(obj, name)
        return record

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

    @classmethod
    def document_schema(cls, schema_url, record_schema_url):
        """A whole JSON document: ``meta`` and one record or a list of them."""
        record = {"$ref": record_schema_url}
        return {
            "$schema": SCHEMA_DIALECT,
            "$id": schema_url,
            "title": f"{cls.title}: a JSON export or API response",
            "type": "object",
            "properties": {
                "meta": META,
                "data": {"oneOf": [record, {"type": "array", "items": record}]},
            },
            "required": ["meta", "data"],
            "additionalProperties": False,
        }

    def feed_item(self, obj, related):
        return {
            "title": str(obj),
            "link": self.html_url(obj),
            "unique_id": self.html_url(obj),
            # Atom summaries are HTML: plain text is escaped before it gets there.
            "description": escape(getattr(obj, "summary", "")),
            "pubdate": getattr(obj, "publish_at", None),
            "updateddate": obj.updated_at,
            "categories": [
                item["name"]
                for name in ("partners", "areas")
                for item in related.get(name, [])
            ],
        }

    def all_day_event(self, obj, related, title, description, start, end):
        """A calendar event over whole days, from ``start`` to ``end`` inclusive:
        (date, precision) pairs, a partial date spanning its month or year."""
        (first, first_precision), (last, last_precision) = start, end
        partial = {first_precision, last_precision} - {dates.DatePrecision.DAY}
        if partial:
            description += (
                "\n\nThe sources give these dates only to the "
                + " and ".join(sorted(partial))
                + "; the event spans the whole period."
            )
        return {
            "uid": f"{self.name}-{obj.slug}@{self.request.get_host()}",
            "summary": title,
            "description": description,
            "start": first,
            "end": dates.period_end(last, last_precision) + datetime.timedelta(days=1),
            "url": self.html_url(obj),
            "stamp": obj.updated_at,
            "categories": [partner["name"] for partner in related.get("partners", [])],
        }


REFERENCE_FIELDS = ("slug", "name")
SOURCE_FIELDS = ("url", "title", "publisher", "passage", "passage_en")
