import datetime
import itertools
import os

import pytest

# Settings refuse to start without a secret when DEBUG is off, as in production.
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")

from partners.models import Activity, CooperationArea, Partner, Source  # noqa: E402
from timeline.models import Milestone  # noqa: E402

_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # The manifest storage needs collectstatic; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


def make_source(**overrides):
    n = next(_serial)
    fields = {
        "title": f"Source {n}",
        "publisher": "NATO",
        "url": f"https://www.nato.int/cps/en/natohq/news_{n}.htm",
        "confidence": Source.Confidence.HIGH,
    }
    return Source.objects.create(**{**fields, **overrides})


def make_area(**overrides):
    n = next(_serial)
    fields = {
        "name": f"Area {n}",
        "slug": f"area-{n}",
        "summary": f"Summary of area {n}.",
        "description": f"Description of area {n}.",
        "position": n,
    }
    return CooperationArea.objects.create(**{**fields, **overrides})


def make_partner(**overrides):
    n = next(_serial)
    # Two letters from the serial, wrapping so codes stay two and three letters long
    # however many partners the whole run creates.
    letters = "A" + chr(ord("A") + n % 676 // 26) + chr(ord("A") + n % 26)
    fields = {
        "name": f"Partner {n}",
        "official_name": f"State of Partner {n}",
        "slug": f"partner-{n}",
        "iso_alpha2": letters[1:],
        "iso_alpha3": letters[1:] + "X",
        "status": Partner.Status.MEMBER,
        "joined": datetime.date(2005, 2, 16),
        "capital": f"Capital {n}",
        "summary": f"Summary of partner {n}.",
        "profile": f"Profile of partner {n}.",
        "state": Partner.State.PUBLISHED,
    }
    return Partner.objects.create(**{**fields, **overrides})


def make_activity(partners=(), areas=(), sources=(), **overrides):
    n = next(_serial)
    fields = {
        "title": f"Activity {n}",
        "slug": f"activity-{n}",
        "kind": Activity.Kind.COURSE,
        "start_date": datetime.date(2019, 4, 8),
        "summary": f"Summary of activity {n}.",
        "body": f"Body of activity {n}.",
        "state": Activity.State.PUBLISHED,
    }
    activity = Activity.objects.create(**{**fields, **overrides})
    activity.partners.set(partners)
    activity.areas.set(areas)
    activity.sources.set(sources)
    return activity


def make_milestone(partners=(), areas=(), sources=(), **overrides):
    n = next(_serial)
    fields = {
        "title": f"Milestone {n}",
        "slug": f"milestone-{n}",
        "date": datetime.date(2004, 6, 28),
        "summary": f"Summary of milestone {n}.",
        "state": Milestone.State.PUBLISHED,
    }
    milestone = Milestone.objects.create(**{**fields, **overrides})
    milestone.partners.set(partners)
    milestone.areas.set(areas)
    milestone.sources.set(sources)
    return milestone
