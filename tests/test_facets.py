"""Facet counts, tags, the summary sentence, sorting and the canonical address."""

import datetime
import re
from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from partners.filters import ActivityFilter
from partners.models import Activity, CooperationArea, Partner

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]


@pytest.fixture
def catalogue(make_area, make_partner, make_activity):
    """Activities over three partners, two areas, three kinds and five years, plus a
    draft that no count may include."""
    qatar = make_partner(name="Qatar", slug="qatar")
    kuwait = make_partner(name="Kuwait", slug="kuwait")
    make_partner(name="Bahrain", slug="bahrain")
    maritime = make_area(name="Maritime security", slug="maritime-security")
    training = make_area(name="Education and training", slug="education-training")
    rows = [
        ("Doha conference", "conference", [qatar], [maritime], 2015),
        ("Kuwait course", "course", [kuwait], [training], 2019),
        ("Joint course", "course", [qatar, kuwait], [maritime, training], 2024),
        ("Naval exercise", "exercise", [kuwait], [maritime], 2021),
        ("Unattached course", "course", [], [], 2012),
    ]
    for title, kind, partners, areas, year in rows:
        make_activity(
            title=title,
            kind=kind,
            partners=partners,
            areas=areas,
            start_date=datetime.date(year, 5, 1),
        )
    make_activity(title="Draft", partners=[qatar, kuwait], areas=[maritime])
    Activity.objects.filter(title="Draft").update(state=Activity.State.DRAFT)


def result_count(client, params):
    response = client.get("/activities/", params)
    assert response.status_code == 200
    return response.context["paginator"].count


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"partner": ["qatar", "kuwait"]},
        {"kind": ["course", "exercise"], "area": "maritime-security"},
        {"q": "course", "year_to": "2020"},
        {"partner": "bahrain"},
    ],
)
def test_the_result_count_read_off_the_type_counts_is_the_true_count(
    client, catalogue, params
):
    query = QueryDict(urlencode(params, doseq=True))
    matching = ActivityFilter(query, queryset=Activity.objects.public()).qs
    assert result_count(client, params) == matching.count()


def facet_counts(client, params):
    facets = client.get("/activities/", params).context["facets"]
    return {
        name: {option.value: option.count for option in options}
        for name, options in facets.items()
    }


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"partner": "qatar"},
        {"partner": ["qatar", "kuwait"], "area": "maritime-security"},
        {"kind": "course", "year_from": "2013"},
        {"area": ["maritime-security", "education-training"], "q": "course"},
        {"partner": "bahrain"},
    ],
)
def test_each_facet_count_equals_the_result_of_choosing_that_option(
    client, catalogue, params
):
    """A count tells what choosing the option alone in its facet would give, with
    every other facet's choices kept: checked against the database each time."""
    counts = facet_counts(client, params)
    for facet, options in counts.items():
        for value, count in options.items():
            narrowed = {**params, facet: value}
            assert count == result_count(client, narrowed), (facet, value)


def test_facet_counts_without_filters(client, catalogue):
    counts = facet_counts(client, {})
    assert counts["partner"] == {"qatar": 2, "kuwait": 3, "bahrain": 0}
    assert counts["area"] == {"maritime-security": 3, "education-training": 2}
    assert counts["kind"]["course"] == 3
    assert counts["kind"]["conference"] == 1
    assert counts["kind"]["operation"] == 0


def test_options_within_a_facet_add_up_and_facets_narrow(client, catalogue):
    assert result_count(client, {"partner": "qatar"}) == 2
    assert result_count(client, {"partner": ["qatar", "kuwait"]}) == 4
    both = {"partner": ["qatar", "kuwait"], "kind": "course"}
    assert result_count(client, both) == 2


def test_the_panel_shows_counts_and_keeps_choices_checked(client, catalogue):
    html = client.get(
        "/activities/", {"partner": "qatar", "area": "maritime-security"}
    ).content.decode()
    assert re.search(r'value="qatar" id="id_partner_\d+" checked', html)
    assert re.search(r'value="kuwait" id="id_partner_\d+">', html)
    assert re.search(r'Kuwait <span class="facet__count">2<', html)
    assert "(any of)" in html and "results match <strong>all</strong>" in html


def test_summary_sentence_describes_the_result(client, catalogue):
    params = {
        "partner": ["qatar", "kuwait"],
        "area": "maritime-security",
        "kind": "course",
        "year_from": "2015",
        "year_to": "2024",
    }
    response = client.get("/activities/", params)
    assert response.context["summary"] == (
        "1 activity of type course in Maritime security with Kuwait or Qatar, "
        "2015 to 2024"
    )
    assert "1 activity of type course" in response.content.decode()
    assert client.get("/activities/").context["summary"] == "5 activities"


def test_each_tag_removes_exactly_its_own_value(client, catalogue):
    response = client.get(
        "/activities/",
        {"partner": ["qatar", "kuwait"], "area": "maritime-security", "sort": "title"},
    )
    tags = {tag.label: tag.remove_query for tag in response.context["active_filters"]}
    assert tags == {
        "Partner: Kuwait": "partner=qatar&area=maritime-security&sort=title",
        "Partner: Qatar": "partner=kuwait&area=maritime-security&sort=title",
        "Cooperation area: Maritime security": (
            "partner=kuwait&partner=qatar&sort=title"
        ),
    }
    html = response.content.decode()
    assert (
        'href="/activities/?partner=kuwait&amp;area=maritime-security&amp;sort=title"'
        in html
    )
    assert 'href="/activities/">Clear all filters' in html


def test_one_canonical_address_per_filter_state(client, catalogue):
    shuffled = "/activities/?area=maritime-security&partner=qatar&partner=kuwait&q="
    ordered = "/activities/?partner=kuwait&partner=qatar&area=maritime-security"
    for url in (shuffled, ordered, ordered + "&sort=newest&page=1"):
        html = client.get(url).content.decode()
        assert (
            '<link rel="canonical" href="http://testserver/activities/?partner=kuwait'
            '&amp;partner=qatar&amp;area=maritime-security">'
        ) in html, url


def test_canonical_address_keeps_the_page_number(client, catalogue, make_activity):
    for n in range(25):
        make_activity(title=f"Filler {n}")
    html = client.get("/activities/", {"page": 2}).content.decode()
    assert '<link rel="canonical" href="http://testserver/activities/?page=2">' in html


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        ("", "Joint course", "Unattached course"),
        ("newest", "Joint course", "Unattached course"),
        ("oldest", "Unattached course", "Joint course"),
        ("title", "Doha conference", "Unattached course"),
    ],
)
def test_sorting(client, catalogue, sort, first, last):
    titles = [
        a.title
        for a in client.get("/activities/", {"sort": sort}).context["activities"]
    ]
    assert (titles[0], titles[-1]) == (first, last)


def test_unknown_sort_is_a_clear_400(client, catalogue):
    response = client.get("/activities/", {"sort": "price"})
    assert response.status_code == 400
    assert "Sort by" in response.content.decode()


def test_unfiltered_counts_equal_each_option_s_public_activities_in_the_database(
    client, catalogue
):
    counts = facet_counts(client, {})
    public = Activity.objects.public()
    for partner in Partner.objects.public():
        assert (
            counts["partner"][partner.slug] == public.filter(partners=partner).count()
        )
    for area in CooperationArea.objects.all():
        assert counts["area"][area.slug] == public.filter(areas=area).count()
    for kind in Activity.Kind:
        assert counts["kind"][kind.value] == public.filter(kind=kind).count()


def test_pagination_marks_the_current_page_and_keeps_every_filter(
    client, catalogue, make_activity
):
    for n in range(25):
        make_activity(title=f"Filler {n}", kind=Activity.Kind.COURSE)
    html = client.get(
        "/activities/", {"kind": "course", "sort": "title", "page": 2}
    ).content.decode()
    assert 'href="?kind=course&amp;sort=title&amp;page=1" rel="prev"' in html
    assert 'href="?kind=course&amp;sort=title&amp;page=2" aria-current="page"' in html
    assert 'aria-label="Pages"' in html
