"""The activity tally that facet counts and profiles read: exact after every write,
and public-only when read, whatever is drafted or scheduled."""

import datetime
import io
from urllib.parse import urlencode

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from partners import tally
from partners.filters import ActivityFilter, without
from partners.models import Activity, ActivityTally, counts_by

from .conftest import make_activity, make_area, make_partner

pytestmark = pytest.mark.django_db


def test_every_kind_of_write_keeps_the_tally_exact():
    qatar, kuwait, bahrain = make_partner(), make_partner(), make_partner()
    maritime, training = make_area(), make_area()
    course = make_activity(partners=[qatar, kuwait], areas=[maritime])
    make_activity(partners=[kuwait], areas=[maritime, training], kind="exercise")
    assert tally.differences() == {}
    assert ActivityTally.objects.exists()

    writes = [
        lambda: course.partners.add(bahrain),
        lambda: course.areas.add(training),
        lambda: course.partners.remove(qatar),
        lambda: course.areas.clear(),
        lambda: setattr(course, "kind", "conference") or course.save(),
        lambda: (
            setattr(course, "start_date", datetime.date(2007, 3, 1)) or course.save()
        ),
        lambda: Activity.objects.update(kind="dialogue"),  # no save() signals
        lambda: Activity.partners.through.objects.bulk_create(
            [Activity.partners.through(activity=course, partner=qatar)]
        ),
        lambda: training.delete(),  # its links go with it
        lambda: kuwait.delete(),
        lambda: course.delete(),
        lambda: Activity.objects.all().delete(),
    ]
    for number, write in enumerate(writes):
        write()
        assert tally.differences() == {}, f"write {number}"


def test_check_tally_finds_a_wrong_tally_and_repairs_it():
    make_activity(partners=[make_partner()], areas=[make_area()])
    out = io.StringIO()
    call_command("check_tally", stdout=out)
    assert "exact" in out.getvalue()

    ActivityTally.objects.filter(partner_key=0).update(total=7)
    with pytest.raises(CommandError, match="disagree"):
        call_command("check_tally", stdout=out)
    assert tally.differences()  # checking alone changes nothing
    call_command("check_tally", "--repair", stdout=out)
    assert "were wrong: rebuilt" in out.getvalue()
    assert tally.differences() == {}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's triggers")
def test_the_sqlite_tally_triggers_survive_every_migration():
    # A later migration that rebuilds a table on SQLite would drop them silently.
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        triggers = {name for (name,) in cursor.fetchall()}
    assert {
        f"{tally.TABLE}_{name}_{action}"
        for name in tally.TRIGGER_TABLES
        for action in ("insert", "delete")
    } | {f"{tally.TABLE}_activity_update"} <= triggers


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's triggers")
def test_the_postgresql_tally_triggers_are_installed():
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        triggers = {name for (name,) in cursor.fetchall()}
    assert {f"{tally.TABLE}_{name}" for name in tally.TRIGGER_TABLES} <= triggers


@pytest.fixture
def mixed():
    """Public, draft and scheduled activities over two partners and two areas."""
    qatar, kuwait = make_partner(slug="qatar"), make_partner(slug="kuwait")
    maritime, training = make_area(slug="maritime"), make_area(slug="training")
    soon = timezone.now() + datetime.timedelta(hours=1)
    rows = [
        ([qatar], [maritime], "course", 2015, {}),
        ([qatar, kuwait], [maritime, training], "course", 2019, {}),
        ([kuwait], [training], "exercise", 2021, {}),
        ([], [], "course", 2021, {}),
        ([qatar], [maritime], "course", 2019, {"state": Activity.State.DRAFT}),
        ([qatar, kuwait], [training], "exercise", 2015, {"publish_at": soon}),
    ]
    for partners, areas, kind, year, extra in rows:
        make_activity(
            partners=partners,
            areas=areas,
            kind=kind,
            start_date=datetime.date(year, 6, 1),
            **extra,
        )
    return soon


QUERIES = [
    {},
    {"partner": "qatar"},
    {"partner": "kuwait", "area": "training"},
    {"partner": ["qatar", "kuwait"], "kind": "course"},
    {"area": "maritime", "year_from": "2016", "year_to": "2020"},
    {"kind": ["course", "exercise"], "year_to": "2015"},
    {"q": "activity", "partner": "qatar"},
    {"q": "summary", "kind": "course", "year_from": "2016"},
]


def tally_and_live_counts(params):
    query = QueryDict(urlencode(params, doseq=True))
    filterset = ActivityFilter(query, queryset=Activity.objects.public())
    assert filterset.is_valid()
    for name in ("partner", "area", "kind"):
        live = counts_by(without(filterset, name, Activity.objects.public()), name)
        yield name, filterset.tally_scope(name), filterset.activity_counts(name), live


@pytest.mark.parametrize("params", QUERIES)
def test_facet_counts_from_the_tally_equal_a_live_count(mixed, params, monkeypatch):
    for moment in (timezone.now(), mixed + datetime.timedelta(seconds=1)):
        # The scheduled activity joins the counts once its time comes, unwritten.
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        for name, scope, counted, live in tally_and_live_counts(params):
            assert {k: n for k, n in counted.items() if n} == live, (name, moment)
            two_partners = isinstance(params.get("partner"), list)
            # Two partners at once: the other facets are counted live.
            assert (scope is None) == (two_partners and name != "partner")


def test_a_partner_profile_counts_public_activities_by_area(client, mixed, settings):
    settings.PAGE_CACHE_SECONDS = 0
    context = client.get("/partners/qatar/").context
    # The draft (maritime) and the scheduled activity (training) are left out.
    assert context["activity_count"] == 2
    assert {area.slug: area.activity_count for area in context["areas"]} == {
        "maritime": 2,
        "training": 1,
    }
