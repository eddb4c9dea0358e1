import datetime
import re
from contextlib import contextmanager
from unittest.mock import patch

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content import citations, dataset
from content.version import invalidate
from partners.models import Activity, Partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_area, make_partner, make_activity):
    kuwait = make_partner(name="Kuwait", slug="kuwait")
    qatar = make_partner(name="Qatar", slug="qatar")
    draft = make_partner(name="Draftland", slug="draftland", state="draft")
    dialogue = make_area(name="Political dialogue", slug="political-dialogue")
    education = make_area(name="Education", slug="education")
    make_activity(
        slug="a1",
        partners=[kuwait],
        areas=[education],
        start_date=datetime.date(2010, 5, 1),
    )
    make_activity(
        slug="a2",
        partners=[kuwait, qatar],
        areas=[dialogue, education],
        start_date=datetime.date(2012, 5, 1),
    )
    make_activity(slug="a3", partners=[qatar], start_date=datetime.date(2012, 9, 9))
    make_activity(slug="a4", areas=[dialogue], start_date=datetime.date(2012, 1, 1))
    # Hidden records must not move any number.
    make_activity(slug="d1", partners=[kuwait, draft], areas=[dialogue], state="draft")
    make_activity(
        slug="f1",
        partners=[qatar],
        areas=[education],
        start_date=datetime.date(2030, 1, 1),
        publish_at=timezone.now() + datetime.timedelta(days=1),
    )
    make_activity(slug="p1", partners=[draft], areas=[education])
    return {
        "kuwait": kuwait,
        "qatar": qatar,
        "dialogue": dialogue,
        "education": education,
    }


@contextmanager
def time_machine_at(moment):
    with patch("django.utils.timezone.now", return_value=moment):
        yield


def db_count(**filters):
    queryset = Activity.objects.public()
    for name, value in filters.items():
        queryset = queryset.filter(**{name: value})
    return queryset.distinct().count()


def number_in(html, label):
    match = re.search(r'aria-label="(\d+) activit(?:y|ies) ' + re.escape(label), html)
    assert match, label
    return int(match.group(1))


def test_matrix_cells_and_totals_equal_the_database(client, world):
    response = client.get("/compare/")
    assert response.status_code == 200
    html = response.content.decode()
    matrix = response.context["matrix"]
    for row in matrix.rows:
        partner = row["partner"]
        assert row["total"] == db_count(partners=partner)
        for cell in row["cells"]:
            expected = db_count(partners=partner, areas=cell["area"])
            assert cell["count"] == expected
            if expected:
                label = f"with {partner.name} in {cell['area'].name}"
                assert number_in(html, label) == expected
    for total in matrix.area_totals:
        assert total["count"] == db_count(areas=total["area"])
    assert matrix.total == Activity.objects.public().count()
    assert number_in(html, "with Kuwait in Education") == 2
    assert "Draftland" not in html


def test_matrix_cell_links_to_the_filtered_list_with_the_same_count(client, world):
    html = client.get("/compare/").content.decode()
    assert 'href="/activities/?partner=kuwait&amp;area=education"' in html
    listed = client.get("/activities/?partner=kuwait&area=education")
    assert listed.context["page_obj"].paginator.count == 2


def test_chart_numbers_equal_the_database_and_the_table(client, world):
    response = client.get("/charts/")
    assert response.status_code == 200
    html = response.content.decode()
    per_year, per_area, per_partner, _ = response.context["charts"]
    years = {bar.label: bar.count for bar in per_year.bars}
    assert list(years) == [str(year) for year in range(2010, 2020)]
    assert (years["2010"], years["2011"], years["2012"], years["2019"]) == (1, 0, 3, 1)
    for year, count in years.items():
        assert count == Activity.objects.public().filter(start_date__year=year).count()
    assert {bar.label: bar.count for bar in per_area.bars} == {
        "Political dialogue": db_count(areas=world["dialogue"]),
        "Education": db_count(areas=world["education"]),
    }
    assert {bar.label: bar.count for bar in per_partner.bars} == {
        "Kuwait": 2,
        "Qatar": 2,
    }
    # The table beside each chart carries the same numbers, linked to the list.
    assert (
        '<th scope="row">2012</th><td class="num">'
        '<a href="/activities/?year_from=2012&amp;year_to=2012">3</a>'
    ) in html
    assert html.count("<svg") == 4
    assert "<script" not in html and "style=" not in html


def test_charts_answer_the_activity_filters(client, world):
    response = client.get("/charts/", {"partner": "kuwait"})
    per_year, per_area, per_partner, _ = response.context["charts"]
    assert {bar.label: bar.count for bar in per_year.bars} == {
        "2010": 1,
        "2011": 0,
        "2012": 1,
    }
    assert {bar.label: bar.count for bar in per_area.bars} == {
        "Political dialogue": 1,
        "Education": 2,
    }
    # Counting by partner sees every partner of the selected activities.
    assert {bar.label: bar.count for bar in per_partner.bars} == {
        "Kuwait": 2,
        "Qatar": 1,
    }
    html = response.content.decode()
    assert (
        'href="/activities/?partner=kuwait&amp;year_from=2012&amp;year_to=2012"' in html
    )
    assert 'href="/activities/?partner=qatar"' in html


@pytest.mark.parametrize("query", ["year_from=abc", "partner=nowhere", "year_to=1"])
def test_charts_with_bad_filters_answer_400(client, world, query):
    assert client.get(f"/charts/?{query}").status_code == 400


def test_longest_bar_fills_the_chart_and_others_scale(client, world):
    per_year = client.get("/charts/").context["charts"][0]
    widths = {bar.label: bar.width for bar in per_year.bars}
    assert widths["2012"] == per_year.bar_space
    assert widths["2010"] == pytest.approx(per_year.bar_space / 3, abs=0.1)
    assert widths["2011"] == 0


def test_charts_and_matrix_work_with_no_data(client):
    assert client.get("/charts/").status_code == 200
    assert client.get("/compare/").status_code == 200


# Dataset version


def test_dataset_version_is_the_latest_public_change(world):
    public = Activity.objects.public().latest("updated_at")
    draft = Activity.objects.get(slug="d1")
    Activity.objects.filter(pk=draft.pk).update(
        updated_at=public.updated_at + datetime.timedelta(days=5)
    )
    version = dataset.current()
    assert version.changed >= public.updated_at
    assert version.changed < public.updated_at + datetime.timedelta(days=5)


def test_publishing_moves_the_dataset_version_forward(world):
    before = dataset.current()
    later = timezone.now() + datetime.timedelta(days=2)
    Partner.objects.filter(slug="kuwait").update(updated_at=later)
    invalidate()  # as every bulk write must
    assert dataset.current().changed == later
    assert dataset.current().label != before.label


def test_a_scheduled_item_going_live_moves_the_version_to_that_moment(world):
    before = dataset.current().changed
    live = before + datetime.timedelta(hours=2)
    Activity.objects.filter(slug="f1").update(publish_at=live)
    invalidate()  # as every bulk write must
    assert dataset.current().changed == before  # still scheduled
    with time_machine_at(live + datetime.timedelta(minutes=1)):
        assert dataset.current().changed == live


def test_footer_shows_the_dataset_version_on_every_page(client, world):
    label = dataset.current().label
    for url in ["/", "/activities/", "/partners/kuwait/", "/data/", "/methodology/"]:
        assert label in client.get(url).content.decode(), url


def test_dataset_version_of_an_empty_site(client):
    assert "empty" in client.get("/data/").content.decode()


# Citations


@pytest.mark.parametrize(
    "url, title",
    [
        ("/activities/a1/", "Activity"),
        ("/partners/kuwait/", "Kuwait"),
        ("/activities/?partner=kuwait&page=1", "Activities"),
        ("/timeline/", "Timeline"),
    ],
)
def test_pages_offer_citations_with_access_date_and_version(
    client, world, url, title, make_milestone
):
    make_milestone(slug="m1")
    response = client.get(url)
    html = response.content.decode()
    version = dataset.current().label
    today = timezone.localdate()
    assert "<summary>Cite this</summary>" in html
    assert html.count(version) >= 5  # footer and all four formats
    assert today.strftime("%B %-d, %Y") in html  # APA and Chicago
    assert f"urldate = {{{today.isoformat()}}}" in html  # BibTeX
    assert f"Y2  - {today:%Y/%m/%d}" in html  # RIS
    assert "page=1" not in html.split("Cite this")[1]


@pytest.mark.parametrize(
    "url, api",
    [
        ("/activities/a1/", "/api/v1/activities/a1/"),
        ("/partners/kuwait/", "/api/v1/partners/kuwait/"),
        ("/areas/education/", "/api/v1/areas/education/"),
        ("/timeline/m1/", "/api/v1/milestones/m1/"),
    ],
)
def test_record_pages_link_to_their_record_in_the_api(
    client, world, url, api, make_milestone
):
    make_milestone(slug="m1")
    assert f'href="{api}"'.encode() in client.get(url).content
    assert client.get(api).status_code == 200


def test_citation_of_a_filtered_view_names_its_filters(client, world):
    html = client.get(
        "/activities/?q=&partner=kuwait&partner=qatar&kind=course&year_from="
    ).content
    assert b"Activities (partner: kuwait, qatar; kind: course)" in html
    assert b"/activities/?partner=kuwait&amp;partner=qatar&amp;kind=course</p>" in html


def test_citation_formats_carry_access_date_version_and_url():
    cited = citations.Citation(
        title="Activities & exercises_2024",
        url="https://ici.example.org/activities/?partner=kuwait",
        accessed=datetime.date(2026, 11, 27),
        version="2026-11-20T08:00:00Z",
        published=datetime.date(2026, 11, 20),
    )
    assert cited.apa() == (
        "ICI Reference. (2026). Activities & exercises_2024 "
        "(Version 2026-11-20T08:00:00Z) [Data set]. Retrieved November 27, 2026, "
        "from https://ici.example.org/activities/?partner=kuwait"
    )
    assert "Accessed November 27, 2026." in cited.chicago()
    assert "2026-11-20T08:00:00Z" in cited.chicago()
    bibtex = cited.bibtex()
    assert bibtex.startswith("@misc{ici-activities-exercises-2024-20261127,")
    assert r"title = {Activities \& exercises\_2024}" in bibtex
    assert "urldate = {2026-11-27}" in bibtex
    assert "version = {2026-11-20T08:00:00Z}" in bibtex
    assert bibtex.count("{") == bibtex.count("}")
    ris = cited.ris().splitlines()
    assert ris[0] == "TY  - DATA"
    assert "Y2  - 2026/11/27" in ris
    assert "ET  - 2026-11-20T08:00:00Z" in ris
    assert ris[-1] == "ER  - "


# Export links on pages


def test_list_pages_link_to_every_format_keeping_filters(client, world):
    html = client.get("/activities/?partner=kuwait&page=1").content.decode()
    for fmt in ["csv", "json", "atom"]:
        assert f'href="/activities/?partner=kuwait&amp;format={fmt}"' in html
    assert 'rel="alternate" type="application/atom+xml"' in html
    assert "format=ics" in client.get("/timeline/").content.decode()


def test_partner_page_offers_its_activities_as_data_and_feed(client, world):
    html = client.get("/partners/kuwait/").content.decode()
    assert 'href="/activities/?partner=kuwait&amp;format=csv"' in html
    assert (
        'type="application/atom+xml" title="Activities with Kuwait (Atom)" '
        'href="/activities/?partner=kuwait&amp;format=atom"'
    ) in html


# Data and methodology pages


def test_data_page_documents_formats_api_and_schemas(client, world):
    html = client.get("/data/").content.decode()
    for text in [
        "?format=csv",
        "?format=json",
        "?format=atom",
        "?format=ics",
        "/api/v1/activities/",
        "/api/v1/schemas/activity.json",
        'rel="describedby"',
        "X-Dataset-Version",
    ]:
        assert text in html, text
    assert "<script" not in html and "style=" not in html


def test_methodology_page_explains_gaps_and_precision(client, site_pages):
    html = client.get("/methodology/").content.decode()
    assert "No recorded activity is not evidence of no activity" in html
    assert "precision" in html


@pytest.mark.parametrize(
    "url", ["/compare/", "/charts/", "/charts/?partner=kuwait", "/data/"]
)
def test_data_pages_queries_do_not_grow_with_rows(
    client,
    world,
    url,
    django_assert_max_num_queries,
    uncached_pages,
    make_area,
    make_partner,
    make_activity,
):
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for year in range(1990, 2000):
        make_activity(
            partners=[world["kuwait"], make_partner()],
            areas=[world["dialogue"], make_area()],
            start_date=datetime.date(year, 1, 1),
        )
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200
    # With nothing cached; five are the dataset version, one a chart each.
    assert len(few) <= 17


def test_footer_survives_a_database_that_cannot_answer(rf, monkeypatch):
    def fail():
        raise OperationalError("database is locked")

    monkeypatch.setattr(dataset, "latest_change", fail)
    context = dataset.context_processor(rf.get("/"))
    assert context["dataset_version"].label == "unavailable"


def test_dataset_version_is_cached_until_content_changes(client, world, settings):
    settings.CONTENT_VERSION_SECONDS = 600
    settings.PAGE_CACHE_SECONDS = 0  # only the version's own cache, not whole pages
    client.get("/data/")
    with CaptureQueriesContext(connection) as again:
        client.get("/data/")
    assert len(again) == 0  # the version came from the cache
    kuwait = Partner.objects.get(slug="kuwait")
    kuwait.save()
    kuwait.refresh_from_db()
    label = dataset.Version(kuwait.updated_at).label
    assert label in client.get("/data/").content.decode()
