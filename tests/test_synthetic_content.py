import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ici_site.synthetic import SyntheticContent
from partners.models import Activity, Partner
from timeline.models import Milestone

pytestmark = pytest.mark.django_db


@pytest.fixture
def synthetic_database(monkeypatch):
    # Tests run on pytest's own test database: name it, as a benchmark run would.
    monkeypatch.setenv("DATABASE_URL", "sqlite:///synthetic.sqlite3")


def generate(**options):
    out = io.StringIO()
    call_command("generate_synthetic_content", stdout=out, **options)
    return out.getvalue()


def test_generate_dataset_fills_an_empty_named_database_with_progress(
    synthetic_database,
):
    output = generate(activities=1200, milestones=30, sources=40)
    assert Activity.objects.count() == 1200
    assert Milestone.objects.count() == 30
    assert Partner.objects.filter(status=Partner.Status.DIALOGUE).count() == 2
    assert "activities [##########          ] 600/1200" not in output  # batches of 2000
    assert "activities [####################] 1200/1200" in output
    assert "milestones [####################] 30/30" in output
    public = Activity.objects.public()
    assert 1000 < public.count() < 1200  # a few drafts and scheduled items
    years = set(public.dates("start_date", "year"))
    assert len(years) >= 18
    assert set(public.values_list("kind", flat=True)) == set(Activity.Kind.values)
    for partner in Partner.objects.all():
        assert partner.activities.exists()
    assert all(a.title.startswith("Synthetic") for a in Activity.objects.all()[:50])


def test_generate_dataset_refuses_without_database_url(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(CommandError, match="Set DATABASE_URL"):
        generate(activities=5, milestones=1)
    assert not Activity.objects.exists()


def test_generate_dataset_refuses_the_site_sqlite_file(
    synthetic_database, monkeypatch, settings
):
    monkeypatch.setitem(
        connection.settings_dict, "NAME", settings.BASE_DIR / "db.sqlite3"
    )
    with pytest.raises(CommandError, match="db.sqlite3"):
        generate(activities=5, milestones=1)
    assert not Activity.objects.exists()


def test_generate_dataset_refuses_a_database_holding_content(
    synthetic_database, make_partner
):
    make_partner(name="Kuwait")
    with pytest.raises(CommandError, match="already holds content"):
        generate(activities=5, milestones=1)
    assert list(Partner.objects.values_list("name", flat=True)) == ["Kuwait"]
    assert not Activity.objects.exists()


def test_public_pages_run_the_same_queries_with_10_and_1000_activities(
    client, uncached_pages
):
    dataset = SyntheticContent(seed=1)
    dataset.create_base(sources=50)
    dataset.create_activities(10)
    dataset.create_milestones(10)
    activity = Activity.objects.public().order_by("pk").first()
    partner, area = activity.partners.first(), activity.areas.first()
    milestone = Milestone.objects.public().order_by("pk").first()
    urls = [
        "/",
        "/partners/",
        partner.get_absolute_url(),
        "/areas/",
        area.get_absolute_url(),
        "/activities/",
        f"/activities/?partner={partner.slug}",
        f"/activities/?partner={partner.slug}&area={area.slug}"
        f"&year_from={activity.start_date.year}&year_to={activity.start_date.year}",
        "/activities/?q=synthetic+course",
        activity.get_absolute_url(),
        "/timeline/",
        milestone.get_absolute_url(),
        "/sources/",
    ]

    def queries():
        counts = {}
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200, url
            counts[url] = len(captured)
        return counts

    few = queries()
    dataset.create_activities(990)
    dataset.create_milestones(990)
    assert Activity.objects.count() == 1000
    assert queries() == few
    # With nothing cached: five of them the dataset version in the footer, one per
    # facet count (the timeline counts milestones and activities apart).
    assert max(few.values()) <= 22
