"""The timeline: milestones and activities as one list by year, with anchors."""

import datetime

import pytest

from content.dates import DatePrecision
from partners.models import Activity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]


@pytest.fixture
def history(make_area, make_partner, make_activity, make_milestone):
    qatar = make_partner(name="Qatar", slug="qatar")
    kuwait = make_partner(name="Kuwait", slug="kuwait")
    maritime = make_area(name="Maritime security", slug="maritime-security")
    make_milestone(
        title="Initiative launched",
        slug="launch",
        date=datetime.date(2004, 6, 28),
        is_key=True,
    )
    make_milestone(
        title="Qatar joins",
        slug="qatar-joins",
        date=datetime.date(2005, 1, 1),
        date_precision=DatePrecision.YEAR,
        partners=[qatar],
    )
    make_activity(
        title="Doha maritime conference",
        slug="doha-conference",
        kind=Activity.Kind.CONFERENCE,
        start_date=datetime.date(2015, 3, 1),
        start_precision=DatePrecision.MONTH,
        partners=[qatar],
        areas=[maritime],
    )
    make_activity(
        title="Kuwait maritime course",
        slug="kuwait-course",
        start_date=datetime.date(2015, 6, 2),
        partners=[kuwait],
        areas=[maritime],
    )
    make_activity(title="Draft activity", slug="draft", state=Activity.State.DRAFT)


def entry_titles(client, params=None):
    response = client.get("/timeline/", params or {})
    assert response.status_code == 200
    return [entry.title for entry in response.context["entries"]]


def test_timeline_merges_milestones_and_activities_oldest_first(client, history):
    assert entry_titles(client) == [
        "Initiative launched",
        "Qatar joins",
        "Doha maritime conference",
        "Kuwait maritime course",
    ]


def test_each_entry_has_its_own_anchor_and_year_group(client, history):
    html = client.get("/timeline/").content.decode()
    for anchor in ["launch", "qatar-joins", "activity-doha-conference"]:
        assert f'id="{anchor}"' in html
        assert f'href="#{anchor}"' in html
    assert html.index('id="year-2005"') < html.index("Qatar joins")
    assert html.index("Qatar joins") < html.index('id="year-2015"')
    assert html.count('<h3 id="year-') == 3
    assert 'href="#year-2015"' in html  # the year index


def test_dates_keep_their_precision(client, history):
    html = client.get("/timeline/").content.decode()
    assert '<time datetime="2015-03">March 2015</time>' in html
    assert '<time datetime="2005">2005</time>' in html
    assert '<time datetime="2004-06-28">28 June 2004</time>' in html


def test_partner_and_area_filters_apply_to_both_kinds(client, history):
    assert entry_titles(client, {"partner": "qatar"}) == [
        "Qatar joins",
        "Doha maritime conference",
    ]
    assert entry_titles(client, {"area": "maritime-security"}) == [
        "Doha maritime conference",
        "Kuwait maritime course",
    ]
    both = {"partner": ["qatar", "kuwait"], "area": "maritime-security"}
    assert entry_titles(client, both) == [
        "Doha maritime conference",
        "Kuwait maritime course",
    ]


def test_milestones_only(client, history):
    assert entry_titles(client, {"milestones_only": "on"}) == [
        "Initiative launched",
        "Qatar joins",
    ]


def test_timeline_needs_no_javascript_and_hides_drafts(client, history):
    html = client.get("/timeline/").content.decode()
    assert "<script" not in html
    assert "Draft activity" not in html


def test_activity_page_links_to_its_timeline_entry(client, history):
    html = client.get("/activities/doha-conference/").content.decode()
    assert 'href="/timeline/#activity-doha-conference"' in html


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"partner": "qatar"},
        {"area": "maritime-security"},
        {"partner": ["qatar", "kuwait"], "milestones_only": "on"},
    ],
)
def test_each_facet_count_equals_the_entries_that_choosing_it_gives(
    client, history, params
):
    facets = client.get("/timeline/", params).context["facets"]
    for facet, options in facets.items():
        for option in options:
            chosen = client.get("/timeline/", {**params, facet: option.value}).context
            # Counted without listing: the entries listed (one page) agree.
            assert option.count == chosen["paginator"].count, (facet, option)
            assert option.count == len(chosen["entries"]), (facet, option)


def test_facet_counts_add_milestones_and_activities(client, history):
    html = client.get("/timeline/").content.decode()
    assert 'Qatar <span class="facet__count">2<' in html
    assert '2<span class="visually-hidden"> entries' in html


def test_pages_of_the_timeline_follow_on_in_order_without_loading_everything(
    client, django_assert_max_num_queries, make_activity, make_milestone
):
    for day in range(1, 61):
        make_activity(
            title=f"Activity {day:02d}",
            start_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=day),
        )
    make_milestone(title="Milestone first", date=datetime.date(2019, 1, 1))
    with django_assert_max_num_queries(23):  # nothing cached
        first = client.get("/timeline/").context["entries"]
    second = client.get("/timeline/", {"page": 2}).context["entries"]
    titles = [entry.title for entry in first] + [entry.title for entry in second]
    assert len(first) == 50 and len(second) == 11
    assert titles == ["Milestone first"] + [
        f"Activity {day:02d}" for day in range(1, 61)
    ]
