"""The dataset's version: the moment of the latest change to anything the public sees.

It is the latest ``updated_at`` among public records, or the moment a scheduled record
went live if that is later, so publishing, editing and a scheduled item going live all
move it forward (deleting a record does not). It names the dataset in exports and
citations, and is cached under the content version.
"""

import datetime
from dataclasses import dataclass

from django.db import DatabaseError
from django.db.models import Max
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from . import version
from .models import Content, Publishable, content_models, public


def latest_change():
    """The latest public change (None when nothing is public)."""
    moments = []
    for model in content_models():
        if not issubclass(model, Content) or not getattr(model, "in_dataset", True):
            continue
        fields = {"edited": Max("updated_at")}
        if issubclass(model, Publishable):
            fields["published"] = Max("publish_at")
        moments += public(model).aggregate(**fields).values()
    return max(filter(None, moments), default=None)


@dataclass(frozen=True)
class Version:
    """The latest public change: ``label`` names it in exports and citations."""

    changed: datetime.datetime | None

    @property
    def label(self):
        if self.changed is None:
            return "empty"
        return self.changed.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def date(self):
        return timezone.localdate(self.changed) if self.changed else None

    def __str__(self):
        return self.label


def current(request=None):
    """The version, read once per request however many places show it."""
    if request is None:
        return Version(version.cached("dataset-version", latest_change))
    if not hasattr(request, "_dataset_version"):
        request._dataset_version = current()
    return request._dataset_version


class Unavailable:
    """What the footer shows when the database cannot answer."""

    label = "unavailable"
    date = None

    def __str__(self):
        return self.label


def for_footer(request):
    # The footer also frames the "database unavailable" page: it must not fail too.
    try:
        return current(request)
    except DatabaseError:
        return Unavailable()


def context_processor(request):
    return {"dataset_version": SimpleLazyObject(lambda: for_footer(request))}
