import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import Activity, Partner
from timeline.models import Milestone

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_source, make_area, make_partner, make_activity, make_milestone):
    """A member, a dialogue state, an area, an activity and a milestone, sourced."""
    source = make_source(title="NATO ICI topic page")
    kuwait = make_partner(name="Kuwait", slug="kuwait", summary="First to join.")
    kuwait.sources.set([source])
    oman = make_partner(
        name="Oman", slug="oman", status=Partner.Status.DIALOGUE, joined=None
    )
    area = make_area(name="Political and strategic dialogue", slug="political-dialogue")
    area.sources.set([source])
    activity = make_activity(
        title="Lessons Learned course",
        partners=[kuwait],
        areas=[area],
        sources=[source],
        location="Kuwait City",
    )
    milestone = make_milestone(
        title="NATO-ICI Regional Centre opens",
        partners=[kuwait],
        areas=[area],
        sources=[source],
        is_key=True,
    )
    return {
        "source": source,
        "kuwait": kuwait,
        "oman": oman,
        "area": area,
        "activity": activity,
        "milestone": milestone,
    }


def test_home_tells_members_from_dialogue_states(client, world, site_pages):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Istanbul Summit" in html
    members = html.index("ICI partners")
    dialogue = html.index("In dialogue, not members")
    assert members < html.index(">Kuwait<") < dialogue < html.index(">Oman<")
    assert "Lessons Learned course" in html
    assert "NATO-ICI Regional Centre opens" in html
    assert "NATO ICI topic page" in html  # the page lists its sources


def test_partner_profile_shows_status_activities_milestones_and_sources(client, world):
    response = client.get("/partners/kuwait/")
    assert response.status_code == 200
    for text in [
        "Kuwait",
        "ICI partner",
        "16 February 2005",
        "Lessons Learned course",
        "NATO-ICI Regional Centre opens",
        "NATO ICI topic page",
        "First to join.",
    ]:
        assert text in response.content.decode()


def test_dialogue_partner_profile_says_it_has_not_joined(client, world):
    response = client.get("/partners/oman/")
    assert "Has not joined" in response.content.decode()
    assert "In dialogue, not a member" in response.content.decode()


def test_partner_list_counts_only_public_activities(client, world, make_activity):
    make_activity(partners=[world["kuwait"]], state=Activity.State.DRAFT)
    response = client.get("/partners/")
    kuwait = next(p for p in response.context["partners"] if p.slug == "kuwait")
    assert kuwait.activity_count == 1


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/areas/", "Political and strategic dialogue"),
        ("/areas/political-dialogue/", "Lessons Learned course"),
        ("/activities/", "Lessons Learned course"),
        ("/timeline/", "NATO-ICI Regional Centre opens"),
        ("/sources/", "NATO ICI topic page"),
        ("/about/", "https://www.nato.int/cps/en/natohq/topics_58787.htm"),
    ],
)
def test_public_pages_answer_with_their_content(client, world, url, expected):
    response = client.get(url)
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_activity_page_shows_facts_and_sources(client, world):
    response = client.get(world["activity"].get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kuwait City" in html and "8 April 2019" in html
    assert world["source"].url in html


def test_milestone_page_and_timeline_anchor(client, world):
    milestone = world["milestone"]
    response = client.get(milestone.get_absolute_url())
    assert response.status_code == 200
    assert f'href="/timeline/#{milestone.slug}"' in response.content.decode()
    timeline = client.get("/timeline/").content.decode()
    assert f'id="{milestone.slug}"' in timeline
    assert '<h3 id="year-2004"' in timeline


def test_timeline_is_chronological_and_grouped_by_year(client, make_milestone):
    make_milestone(title="Later", date=datetime.date(2017, 1, 24))
    make_milestone(title="Earlier", date=datetime.date(2004, 6, 28))
    html = client.get("/timeline/").content.decode()
    assert html.index('id="year-2004"') < html.index("Earlier")
    assert html.index("Earlier") < html.index('id="year-2017"') < html.index("Later")


def test_timeline_filters_by_partner_and_area(client, world, make_milestone):
    make_milestone(title="Unrelated milestone")
    response = client.get(
        "/timeline/", {"partner": "kuwait", "area": "political-dialogue"}
    )
    titles = [entry.title for entry in response.context["entries"]]
    assert titles == ["NATO-ICI Regional Centre opens", "Lessons Learned course"]


@pytest.mark.parametrize(
    "url",
    [
        "/partners/atlantis/",
        "/areas/nowhere/",
        "/activities/no-such-activity/",
        "/timeline/no-such-milestone/",
        "/no/such/page/",
        "/partners/%F0%9F%98%80/",
    ],
)
def test_unknown_addresses_give_the_friendly_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_drafts_are_not_public_anywhere(
    client, world, make_partner, make_activity, make_milestone
):
    draft = make_activity(
        title="Secret draft activity", partners=[world["kuwait"]], areas=[world["area"]]
    )
    draft.state = Activity.State.DRAFT
    draft.save()
    make_milestone(title="Secret draft milestone", state=Milestone.State.DRAFT)
    hidden_partner = make_partner(name="Hidden partner", state=Partner.State.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(hidden_partner.get_absolute_url()).status_code == 404
    for url in [
        "/",
        "/activities/",
        "/timeline/",
        "/partners/",
        "/partners/kuwait/",
        "/areas/political-dialogue/",
    ]:
        html = client.get(url).content.decode()
        assert "Secret draft" not in html, url
        assert "Hidden partner" not in html, url


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def add_rows(world, make_source, make_activity, make_milestone):
    """Adds `count` activities and milestones linked to the world's records."""

    def add_rows(count):
        for _ in range(count):
            make_activity(
                partners=[world["kuwait"], world["oman"]],
                areas=[world["area"]],
                sources=[make_source()],
            )
            make_milestone(partners=[world["kuwait"]], areas=[world["area"]])

    return add_rows


PAGES = [
    "/",
    "/partners/",
    "/partners/kuwait/",
    "/areas/",
    "/areas/political-dialogue/",
    "/activities/",
    "/activities/?partner=kuwait&area=political-dialogue&year_from=2000",
    "/timeline/",
    "/timeline/?partner=kuwait",
    "/sources/",
]


@pytest.mark.parametrize("url", PAGES)
def test_page_queries_do_not_grow_with_rows(
    client, world, url, django_assert_max_num_queries, uncached_pages, add_rows
):
    add_rows(3)
    few = _page_queries(client, url)
    add_rows(30)
    with django_assert_max_num_queries(few):
        client.get(url)
    # With nothing cached: five for the dataset version in the footer, one per facet
    # count (the timeline counts milestones and activities apart), the page's rows
    # and their partners, areas and sources.
    assert few <= 22


def test_activity_detail_queries_are_bounded(
    client,
    world,
    django_assert_max_num_queries,
    uncached_pages,
    make_source,
    make_partner,
):
    activity = world["activity"]
    activity.partners.add(make_partner(), make_partner())
    activity.sources.add(make_source(), make_source())
    # The activity, its partners, areas, citations and their sources, and the dataset
    # version (five).
    with django_assert_max_num_queries(10):
        assert client.get(activity.get_absolute_url()).status_code == 200


def test_list_pages_are_paginated_and_keep_filters(client, world, add_rows):
    add_rows(25)
    response = client.get("/activities/", {"partner": "kuwait"})
    html = response.content.decode()
    assert response.context["page_obj"].paginator.count == 26
    assert 'href="?partner=kuwait&amp;page=2"' in html
    assert 'rel="next"' in html
    assert (
        client.get("/activities/", {"partner": "kuwait", "page": 2}).status_code == 200
    )


@pytest.mark.parametrize("page", ["99999", "0", "-1", "abc", str(2**64), "1e9", "２"])
def test_impossible_page_numbers_give_404(client, world, page):
    assert client.get("/activities/", {"page": page}).status_code == 404


def test_static_stylesheet_is_linked(client, world):
    assert reverse("home") == "/"
    assert "css/site.css" in client.get("/").content.decode()


def test_server_error_page_is_friendly(client, world, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("partners.views.PartnerListView.get_queryset", explode)
    client.raise_request_exception = False
    response = client.get("/partners/")
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.content.decode()
    assert "boom" not in response.content.decode()


def test_home_queries_do_not_grow_with_key_milestones(
    client, world, django_assert_max_num_queries, make_milestone
):
    make_milestone(partners=[world["kuwait"]], is_key=True)
    few = _page_queries(client, "/")
    for _ in range(10):
        make_milestone(partners=[world["kuwait"], world["oman"]], is_key=True)
    with django_assert_max_num_queries(few):
        client.get("/")
