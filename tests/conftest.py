import atexit
import datetime
import io
import itertools
import os
import shutil
import tempfile

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Settings refuse to start without a secret when DEBUG is off, as in production.
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")
# Without Redis the cache is files: the tests' own, never those of a site being served.
if "DJANGO_CACHE_DIR" not in os.environ:
    os.environ["DJANGO_CACHE_DIR"] = tempfile.mkdtemp(prefix="ici-test-cache-")
    atexit.register(shutil.rmtree, os.environ["DJANGO_CACHE_DIR"], True)

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


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # The manifest storage needs collectstatic; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


def _create(model, fields, overrides, partners=(), areas=(), sources=()):
    """A record of `model` from `fields` and `overrides`, linked to the given
    partners, areas and sources."""
    record = model.objects.create(**{**fields, **overrides})
    record.partners.set(partners)
    record.areas.set(areas)
    # Cited as published records are: each source with its passage.
    record.sources.set(sources, through_defaults={"passage": SUPPORTING_PASSAGE})
    return record


# Factories: a test asks for `make_partner` and calls it, `make_partner(name=...)`.
# Every record gets the next number of one counter, so names and slugs never clash.


@pytest.fixture
def make_source():
    def make_source(**overrides):
        n = next(_serial)
        fields = {
            "title": f"Source {n}",
            "publisher": "NATO",
            "url": f"https://www.nato.int/cps/en/natohq/news_{n}.htm",
            "confidence": Source.Confidence.HIGH,
        }
        return Source.objects.create(**{**fields, **overrides})

    return make_source


@pytest.fixture
def make_area():
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

    return make_area


@pytest.fixture
def make_partner():
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

    return make_partner


@pytest.fixture
def make_activity():
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
        return _create(Activity, fields, overrides, partners, areas, sources)

    return make_activity


@pytest.fixture
def make_milestone():
    def make_milestone(partners=(), areas=(), sources=(), **overrides):
        n = next(_serial)
        fields = {
            "title": f"Milestone {n}",
            "slug": f"milestone-{n}",
            "date": datetime.date(2004, 6, 28),
            "summary": f"Summary of milestone {n}.",
            "state": Milestone.State.PUBLISHED,
        }
        return _create(Milestone, fields, overrides, partners, areas, sources)

    return make_milestone


@pytest.fixture
def one_of_each(make_source, make_area, make_partner, make_activity, make_milestone):
    """One public record of every kind, linked, at known addresses: partner kuwait,
    area training, activity course, milestone istanbul, and the source they cite."""
    source = make_source()
    partner = make_partner(slug="kuwait")
    area = make_area(slug="training")
    activity = make_activity(
        slug="course", partners=[partner], areas=[area], sources=[source]
    )
    milestone = make_milestone(slug="istanbul", partners=[partner], sources=[source])
    return {
        "source": source,
        "partner": partner,
        "area": area,
        "activity": activity,
        "milestone": milestone,
    }


@pytest.fixture
def public_urls(one_of_each):
    """One page of every public kind, with a little content on it."""
    partner, area = one_of_each["partner"], one_of_each["area"]
    activity, milestone = one_of_each["activity"], one_of_each["milestone"]
    return [
        "/",
        "/about/",
        "/partners/",
        partner.get_absolute_url(),
        "/areas/",
        area.get_absolute_url(),
        "/activities/",
        "/activities/?kind=course&year_from=2000",
        activity.get_absolute_url(),
        "/timeline/",
        milestone.get_absolute_url(),
        "/sources/",
        "/no-such-page/",
    ]


# The course an editor adds in the admin, unless a test says otherwise.
NEW_ACTIVITY = {
    "title": "Maritime security course",
    "slug": "maritime-security-course",
    "kind": "course",
    "summary": "A MARCOM course at the NATO-ICI Regional Centre.",
    "body": "First text.",
    "start_date": "2024-06-02",
    "start_precision": "day",
    "end_date": "2024-06-06",
    "end_precision": "day",
    "location": "Kuwait City",
    "state": "draft",
}


SUPPORTING_PASSAGE = "The words of the source that support the record."


def citation_rows(activity, cited):
    """The admin's inline rows of an activity's sources: the saved ones kept (with a
    passage) or marked deleted, then new ones; `cited` is [(source pk, passage)]."""
    saved = list(activity.citations.all()) if activity else []
    wanted = dict(cited)
    rows = [
        {"id": c.pk, "activity": activity.pk, "source": c.source_id,
         "passage": wanted.get(c.source_id) or c.passage or SUPPORTING_PASSAGE,
         **({} if c.source_id in wanted else {"DELETE": "on"})}
        for c in saved
    ]  # fmt: skip
    known = {c.source_id for c in saved}
    rows += [{"source": pk, "passage": p} for pk, p in cited if pk not in known]
    data = {
        "citations-TOTAL_FORMS": str(len(rows)),
        "citations-INITIAL_FORMS": str(len(saved)),
    }
    for index, row in enumerate(rows):
        data.update({f"citations-{index}-{name}": v for name, v in row.items()})
    return data


@pytest.fixture
def activity_form():
    """The admin form for an activity, as an editor would submit it: the change form
    of a saved `activity`, or without one the add form of NEW_ACTIVITY (links go in
    the overrides), with `overrides` (partners and areas as primary keys; `sources`
    as primary keys, each given a passage, or `citations` as (pk, passage) pairs)."""

    def activity_form(activity=None, **overrides):
        if activity is None:
            fields = NEW_ACTIVITY
        else:
            fields = {
                "title": activity.title,
                "slug": activity.slug,
                "kind": activity.kind,
                "summary": activity.summary,
                "body": activity.body,
                "location": activity.location,
                "start_date": activity.start_date.isoformat(),
                "start_precision": activity.start_precision,
                "end_date": activity.end_date.isoformat() if activity.end_date else "",
                "end_precision": activity.end_precision,
                "partners": [partner.pk for partner in activity.partners.all()],
                "areas": [area.pk for area in activity.areas.all()],
                "state": activity.state,
            }
        if "citations" in overrides:
            cited = overrides.pop("citations")
        elif "sources" in overrides:
            cited = [(pk, SUPPORTING_PASSAGE) for pk in overrides.pop("sources")]
        elif activity:
            cited = [(c.source_id, c.passage) for c in activity.citations.all()]
        else:
            cited = []
        data = {
            **fields,
            "publish_at_0": "2020-01-01",
            "publish_at_1": "00:00:00",
            **citation_rows(activity, cited),
            **overrides,
        }
        # The form holds every language of the translated fields; these are English.
        return {english_name(key): value for key, value in data.items()}

    return activity_form


def english_name(key):
    """A translated field's name in the admin form, which has one per language."""
    return f"{key}_en" if key in {"title", "summary"} else key


@pytest.fixture
def editor_password():
    return "correct-horse-battery-staple-42"


@pytest.fixture
def editor(editor_password):
    call_command(
        "create_editor",
        "erin",
        stdin=io.StringIO(editor_password + "\n"),
        password_stdin=True,
        stdout=io.StringIO(),
    )
    return User.objects.get(username="erin")


@pytest.fixture
def editor_client(editor):
    """The editor signed in, on a client of its own: `client` stays anonymous."""
    editor_client = Client()
    editor_client.force_login(editor)
    return editor_client


@pytest.fixture(autouse=True)
def empty_cache():
    # Rolled-back test rows send no signals, so no test may see another's cached pages.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def stored_exports(settings, tmp_path):
    # Whole-list downloads are written to files: each test in a folder of its own.
    settings.STORED_EXPORTS_DIR = tmp_path / "exports"
    return settings.STORED_EXPORTS_DIR


@pytest.fixture
def page_cache(settings):
    settings.CONTENT_VERSION_SECONDS = settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def uncached_pages(settings):
    # Nothing cached, neither pages nor counts, on every backend: for tests that
    # read a view's context, ask for the same address twice or count queries.
    settings.PAGE_CACHE_SECONDS = settings.CONTENT_VERSION_SECONDS = 0


@pytest.fixture
def site_pages(db):
    """The home, about and methodology prose (Page records) from the fixtures."""
    call_command("loaddata", "pages", verbosity=0)
