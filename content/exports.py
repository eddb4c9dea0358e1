"""Every list in every format: the same URL and filters as the HTML page, plus
``?format=csv|json|atom|metadata`` (and ``ics`` where records have dates to put in a
calendar).

CSV, JSON and iCalendar stream all matching rows, a batch at a time with each batch's
relations read in one query per relation, so memory stays flat however large the
result. Each export carries its provenance: JSON in its ``meta`` block, CSV through a
``Link: <…format=metadata>; rel="describedby"`` header and ``X-Dataset-Version`` (the
file itself stays a plain table for any tool).
"""

import csv
import hashlib
import json
import os
import tempfile
from itertools import islice
from pathlib import Path

import icalendar
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import (
    FileResponse,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed

from . import citations, dataset, throttle, version

CHUNK_SIZE = 2000
FEED_LIMIT = 50
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "metadata": "application/json",
    "atom": "application/atom+xml; charset=utf-8",
    "ics": "text/calendar; charset=utf-8",
}
# Parameters that choose how a list is shown, not which records are in it.
PRESENTATION = {"format", "page"}
# Downloads of every record: limited per client, and a whole list's built once per
# version of the content, then served from a file.
DOWNLOADS = {"csv", "json", "ics"}


def to_json(value):
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


def bad_request(message, errors=None):
    body = {"error": message}
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=400)


def applied_filters(request, filterset=None):
    """The filters that shaped a list, as given, for its provenance."""
    if filterset is None:
        return {}
    return {
        name: values
        for name in filterset.filters
        if (values := [value for value in request.GET.getlist(name) if value])
    }


def with_format(request, fmt):
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = fmt
    return request.build_absolute_uri(request.path) + "?" + query.urlencode()


def metadata(request, serializer, title, filters, count=None, language=None):
    """The provenance block every export carries."""
    citation = citations.for_request(request, title)
    meta = {
        "title": f"{title} ({settings.SITE_NAME})",
        "url": citation.url,
        "site": request.build_absolute_uri("/"),
        "generated_at": timezone.now(),
        "dataset_version": citation.version,
        "filters": filters,
        "record_schema": request.build_absolute_uri(
            reverse("api:schema", args=[serializer.name])
        ),
        "documentation": request.build_absolute_uri(reverse("data")),
        "citation": citation.apa(),
        "language": language or translation.get_language() or settings.LANGUAGE_CODE,
    }
    if count is not None:
        meta["count"] = count
    return meta


def digest(*parts):
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


def _batched(parts, size=500, joiner=""):
    """Fewer, larger chunks for the response: one per few hundred rows."""
    iterator = iter(parts)
    while batch := joiner.join(islice(iterator, size)):
        yield batch


class Echo:
    """A file-like object for csv.writer that hands each row back instead."""

    def write(self, value):
        return value


# A spreadsheet reads a cell starting with one of these as a formula (OWASP's "CSV
# injection"): such cells get a leading apostrophe, as spreadsheet-safe writers do.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class CsvWriter:
    """A CSV writer whose writerow returns the line, every cell spreadsheet-safe:
    every CSV the site writes, public or in the admin, goes through it."""

    def __init__(self):
        self.writer = csv.writer(Echo())

    def writerow(self, row):
        return self.writer.writerow([spreadsheet_safe(value) for value in row])


class Export:
    def __init__(self, request, serializer, queryset, title, filters):
        self.request = request
        self.serializer = serializer(request)
        self.queryset = queryset
        self.title = title
        self.filters = filters
        self.version = dataset.current(request).label
        # Streamed bodies are written after the view returns: keep its language.
        self.language = translation.get_language() or settings.LANGUAGE_CODE

    def response(self, fmt):
        if fmt in DOWNLOADS and self.whole_list():
            return self.stored(fmt)
        return getattr(self, fmt)()

    def whole_list(self):
        """Nothing but the format in the address: every reader gets the same file."""
        return not any(
            any(values)
            for name, values in self.request.GET.lists()
            if name not in PRESENTATION
        )

    def stored(self, fmt):
        """The whole list, built into a file once per content version (which every
        change, unpublishing and deleting included, replaces, and which ends when a
        scheduled record goes live) and served from it until the next one.

        Without content versions (DJANGO_CONTENT_CACHE_SECONDS=0) it is built afresh.
        """
        current, _ = version.current()
        if current is None:
            return getattr(self, fmt)()
        site = self.request.build_absolute_uri(self.request.path)
        folder = Path(settings.STORED_EXPORTS_DIR) / digest(site, fmt)
        path = folder / f"{digest(current, self.version)}.{fmt}"
        try:
            file = path.open("rb")
        except FileNotFoundError:
            file = self.build(getattr(self, fmt)(), folder, path)
        return FileResponse(
            file,
            as_attachment=True,
            filename=self.filename(fmt),
            content_type=CONTENT_TYPES[fmt],
            headers=self.headers(fmt),
        )

    @staticmethod
    def build(response, folder, path):
        """The streamed response written to `path`, whole or not at all, and the
        files of earlier versions removed; returned open, so that another worker
        removing it meanwhile (for a newer version) cannot take it away."""
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=folder, suffix=".part")
        file = os.fdopen(handle, "w+b")
        try:
            for chunk in response.streaming_content:
                file.write(chunk)
        except BaseException:
            file.close()
            os.unlink(name)
            raise
        file.seek(0)
        os.replace(name, path)
        for older in folder.glob(f"*{path.suffix}"):
            if older != path:
                older.unlink(missing_ok=True)
        return file

    def filename(self, extension):
        slug = self.serializer.plural
        return f"{slug}-{self.version.replace(':', '')}.{extension}"

    def headers(self, extension):
        return {
            "Content-Disposition": f'attachment; filename="{self.filename(extension)}"',
            "Link": f'<{with_format(self.request, "metadata")}>; rel="describedby"; '
            'type="application/json"',
            "X-Dataset-Version": self.version,
            "Content-Language": self.language,
        }

    def rows(self):
        return self.serializer.iterate(self.queryset, chunk_size=CHUNK_SIZE)

    def meta(self, count=True):
        return metadata(
            self.request,
            self.serializer,
            self.title,
            self.filters,
            self.queryset.count() if count else None,
            language=self.language,
        )

    def metadata(self):
        return JsonResponse(self.meta(), json_dumps_params={"ensure_ascii": False})

    def csv(self):
        writer = CsvWriter()

        def lines():
            yield writer.writerow(self.serializer.csv_columns)
            for record in self.rows():
                yield writer.writerow(self.serializer.csv_row(record))

        return StreamingHttpResponse(
            _batched(lines()),
            content_type=CONTENT_TYPES["csv"],
            headers=self.headers("csv"),
        )

    def json(self):
        def chunks():
            yield '{"meta": ' + to_json(self.meta()) + ', "data": ['
            separator = ""
            for record in self.rows():
                yield separator + to_json(record)
                separator = ","
            yield "]}"

        return StreamingHttpResponse(
            _batched(chunks()),
            content_type=CONTENT_TYPES["json"],
            headers=self.headers("json"),
        )

    def atom(self):
        """The newest published records first, as feed readers expect."""
        meta = self.meta(count=False)
        feed = Atom1Feed(
            title=meta["title"],
            link=meta["url"],
            description=meta["citation"],
            feed_url=self.request.build_absolute_uri(),
            language="en",
            author_name=settings.SITE_NAME,
        )
        # Newest published first; records without a publishing date, by last change.
        fields = {field.name for field in self.queryset.model._meta.concrete_fields}
        newest_first = "-publish_at" if "publish_at" in fields else "-updated_at"
        newest = self.queryset.prefetch_related(None).order_by(newest_first, "-pk")
        newest = list(newest[:FEED_LIMIT])
        related = self.serializer.related(newest)
        for obj in newest:
            feed.add_item(**self.serializer.feed_item(obj, related[obj.id]))
        response = HttpResponse(content_type=CONTENT_TYPES["atom"])
        feed.write(response, "utf-8")
        response["X-Dataset-Version"] = self.version
        response["Content-Language"] = self.language
        return response

    def ics(self):
        """An iCalendar file of every record, streamed like CSV. The ``icalendar``
        library writes each part, folding and escaping lines as RFC 5545 requires."""
        calendar = icalendar.Calendar()
        calendar.add("prodid", f"-//{settings.SITE_NAME}//{self.title}//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", f"{self.title} ({settings.SITE_NAME})")
        calendar.add("x-wr-caldesc", self.meta(count=False)["citation"])
        calendar.add("x-dataset-version", self.version)
        end = b"END:VCALENDAR\r\n"
        head = calendar.to_ical()[: -len(end)]

        def parts():
            yield head
            for batch, related in self.serializer.batches(self.queryset, CHUNK_SIZE):
                for obj in batch:
                    yield self.event(self.serializer.event(obj, related[obj.id]))
            yield end

        return StreamingHttpResponse(
            _batched(parts(), joiner=b""),
            content_type=CONTENT_TYPES["ics"],
            headers=self.headers("ics"),
        )

    @staticmethod
    def event(event):
        item = icalendar.Event()
        for name in ("uid", "summary", "description", "url"):
            item.add(name, event[name])
        item.add("dtstamp", event["stamp"])
        item.add("dtstart", event["start"])
        item.add("dtend", event["end"])
        if event["categories"]:
            item.add("categories", event["categories"])
        return item.to_ical()


class ExportMixin:
    """Answer ``?format=`` on a list view with its records in that format.

    Filters go through the view's own filterset, so every format lists exactly what
    the HTML page lists; invalid filters or an unknown format answer 400.
    """

    serializer = None
    export_title = ""
    formats = ("csv", "json", "atom", "metadata")
    export_class = Export

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format", "")
        if fmt in ("", "html"):
            return super().get(request, *args, **kwargs)
        if fmt not in self.formats:
            return bad_request(
                f"Unknown format. Use one of: html, {', '.join(self.formats)}."
            )
        queryset = self.get_queryset()
        filterset = None
        if filterset_class := getattr(self, "filterset_class", None):
            filterset = self.get_filterset(filterset_class)
            if not filterset.is_valid():
                return bad_request(
                    "Some filters could not be used.", filterset.errors.get_json_data()
                )
            queryset = filterset.qs
        if fmt in DOWNLOADS and (seconds := throttle.retry_after(request, "export")):
            response = JsonResponse(
                {"error": throttle.message("export", seconds)}, status=429
            )
            response["Retry-After"] = str(seconds)
            return response
        export = self.export_class(
            request,
            self.serializer,
            queryset,
            self.export_title,
            applied_filters(request, filterset),
        )
        return export.response(fmt)
