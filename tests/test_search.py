"""Site search: ranked, highlighted, polite, on whichever database runs the tests."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.models import Activity
from timeline.models import Milestone

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL full-text search: runs when DATABASE_URL names PostgreSQL",
)


@pytest.fixture
def corpus(make_area, make_partner, make_activity, make_milestone):
    qatar = make_partner(
        name="Qatar",
        slug="qatar",
        summary="Joined in 2005; hosts a maritime conference series.",
    )
    area = make_area(
        name="Maritime security",
        slug="maritime-security",
        summary="Patrols, training and information sharing at sea.",
    )
    make_activity(
        title="Maritime security course",
        slug="maritime-security-course",
        summary="A course on maritime security for officers.",
        partners=[qatar],
        areas=[area],
    )
    make_activity(
        title="Cyber defence seminar",
        slug="cyber-seminar",
        summary="Officers discussed cyber defence; one session touched on maritime "
        "threats.",
    )
    make_milestone(
        title="Regional centre opens",
        slug="regional-centre-opens",
        summary="The NATO-ICI Regional Centre opened in Kuwait.",
        date=datetime.date(2017, 1, 24),
    )
    make_activity(
        title="Draft maritime plan",
        slug="draft-maritime-plan",
        state=Activity.State.DRAFT,
    )
    make_milestone(
        title="Draft maritime milestone",
        slug="draft-maritime-milestone",
        state=Milestone.State.DRAFT,
    )


def hits(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return response, [hit.title for hit in response.context["hits"]]


def test_search_finds_every_kind_and_never_drafts(client, corpus):
    response, titles = hits(client, "maritime")
    kinds = {hit.kind for hit in response.context["hits"]}
    assert kinds == {"partner", "area", "activity"}
    assert not any("Draft" in title for title in titles)
    assert "Draft maritime" not in response.content.decode()
    _, titles = hits(client, "regional centre")
    assert [str(title) for title in titles] == [
        "<mark>Regional</mark> <mark>centre</mark> opens"
    ]


def test_a_word_in_the_title_ranks_above_a_passing_mention(client, corpus):
    response, _ = hits(client, "maritime")
    order = [hit.object.slug for hit in response.context["hits"]]
    assert order.index("maritime-security-course") < order.index("cyber-seminar")
    assert order.index("maritime-security") < order.index("cyber-seminar")


def test_matched_words_are_highlighted_and_editor_text_is_escaped(
    client, make_activity
):
    make_activity(
        title="Course <script>alert(1)</script>",
        summary="Harbour <b>protection</b> training.",
    )
    response = client.get("/search/", {"q": "harbour"})
    html = response.content.decode()
    assert "<mark>Harbour</mark>" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>protection</b>" not in html


def test_every_word_must_match(client, corpus):
    _, titles = hits(client, "maritime cyber")
    assert [str(title) for title in titles] == ["<mark>Cyber</mark> defence seminar"]


def test_empty_query_invites_a_search(client, corpus):
    for params in ({}, {"q": ""}, {"q": "   "}, {"q": "?!…"}):
        response = client.get("/search/", params)
        assert response.status_code == 200
        assert response.context["hits"] == []
    assert "Type a word or two" in client.get("/search/", {"q": " "}).content.decode()


def test_no_match_is_said_politely(client, corpus):
    response = client.get("/search/", {"q": "zeppelin"})
    assert response.status_code == 200
    assert "Nothing matches “zeppelin”" in response.content.decode()


@pytest.mark.parametrize("query", ["x" * 201, "nul\x00byte"])
def test_too_long_or_invalid_queries_are_a_clear_400(client, corpus, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["' OR 1=1 --", "%_", "😀 émoji", "\u202emaritime", "a " * 90, "-maritime", '"'],
)
def test_odd_queries_are_answered(client, corpus, query):
    assert client.get("/search/", {"q": query}).status_code == 200


def test_search_runs_a_constant_number_of_queries(
    client, corpus, django_assert_max_num_queries, make_activity, make_milestone
):
    with CaptureQueriesContext(connection) as few:
        client.get("/search/", {"q": "maritime"})
    for n in range(30):
        make_activity(title=f"Maritime patrol {n}", partners=[], areas=[])
        make_milestone(title=f"Maritime milestone {n}")
    with django_assert_max_num_queries(len(few)):
        client.get("/search/", {"q": "maritime"})
    # One per kind of record, and five for the dataset version in the footer
    # (read from the cache where there is a content version).
    assert len(few) <= 9


def test_header_search_box_on_every_page(client, corpus):
    html = client.get("/").content.decode()
    assert 'role="search"' in html
    assert 'action="/search/"' in html


@on_postgres
def test_postgres_search_stems_words_and_ranks_them(client, corpus):
    _, titles = hits(client, "courses")  # stemmed: "courses" finds "course"
    assert "<mark>course</mark>" in str(titles[0]).lower()
    response, _ = hits(client, "officers")
    assert response.context["hits"][0].rank > 0


def test_results_can_be_narrowed_to_one_kind_with_counts(client, corpus):
    response = client.get("/search/", {"q": "maritime"})
    assert response.context["kinds"] == [
        ("partner", "Partners", 1),
        ("area", "Cooperation areas", 1),
        ("activity", "Activities", 2),
    ]
    html = response.content.decode()
    assert 'href="?q=maritime&amp;kind=activity">Activities' in html
    narrowed = client.get("/search/", {"q": "maritime", "kind": "activity"})
    assert {hit.kind for hit in narrowed.context["hits"]} == {"activity"}
    assert len(narrowed.context["hits"]) == 2
    assert narrowed.context["total"] == 4
    assert 'aria-current="page">Activities' in narrowed.content.decode()
    assert "2 of 4 results for “maritime”" in narrowed.content.decode()


def test_unknown_kind_is_a_clear_400(client, corpus):
    response = client.get("/search/", {"q": "maritime", "kind": "weapon"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
