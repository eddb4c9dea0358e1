import datetime
import io
import itertools
import os

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Settings refuse to start without a secret when DEBUG is off, as in production.
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")

from partners.models import Activity, CooperationArea, Partner, Source  # noqa: E402
from timeline.models import Milestone  # noqa: E402

# Hostile-input tests send real requests: few examples, no per-example deadline on
# shared machines, the same examples on every CI run, no example database on disk.
hypothesis_settings.register_profile(
    "ici",
    max_examples=25,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ici"))

_serial = itertools.count(1)

STRONG_PASSWORD = "correct-horse-battery-staple-42"


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
    # Two of the letters A-J, so never a real code that a test names; wrapping at
    # 100 keeps them two letters however many partners earlier tests made.
    letters = "".join(chr(ord("A") + int(digit)) for digit in f"{n % 100:02d}")
    fields = {
        "name": f"Partner {n}",
        "official_name": f"State of Partner {n}",
        "slug": f"partner-{n}",
        "iso_alpha2": letters,
        "iso_alpha3": letters + "X",
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


@pytest.fixture
def editor():
    call_command(
        "create_editor",
        "erin",
        stdin=io.StringIO(STRONG_PASSWORD + "\n"),
        password_stdin=True,
        stdout=io.StringIO(),
    )
    return User.objects.get(username="erin")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture(autouse=True)
def empty_cache():
    # Rolled-back test rows send no signals, so no test may see another's cached pages.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page_cache(settings):
    settings.CONTENT_VERSION_SECONDS = settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def uncached_pages(settings):
    # Nothing cached, neither pages nor counts, on every backend: for tests that
    # read a view's context, ask for the same address twice or count queries.
    settings.PAGE_CACHE_SECONDS = settings.CONTENT_VERSION_SECONDS = 0
