import datetime
import re

import pytest

from partners.models import Activity, Partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(make_area, make_partner, make_activity):
    """Activities spread over two partners, two areas, two kinds and three years."""
    qatar = make_partner(name="Qatar", slug="qatar")
    kuwait = make_partner(name="Kuwait", slug="kuwait")
    maritime = make_area(name="Maritime security", slug="maritime-security")
    training = make_area(name="Education and training", slug="education-training")
    rows = {
        "qatar_maritime_2015": make_activity(
            title="Doha maritime conference",
            kind=Activity.Kind.CONFERENCE,
            partners=[qatar],
            areas=[maritime],
            start_date=datetime.date(2015, 3, 1),
        ),
        "kuwait_training_2019": make_activity(
            title="Lessons Learned course",
            kind=Activity.Kind.COURSE,
            partners=[kuwait],
            areas=[training],
            start_date=datetime.date(2019, 4, 8),
            location="Kuwait City",
        ),
        "both_maritime_2024": make_activity(
            title="Maritime security course",
            kind=Activity.Kind.COURSE,
            partners=[qatar, kuwait],
            areas=[maritime, training],
            start_date=datetime.date(2024, 6, 2),
            body="Taught by a MARCOM mobile training team.",
        ),
        "draft": make_activity(
            title="Draft with Qatar",
            partners=[qatar],
            areas=[maritime],
            state=Activity.State.DRAFT,
        ),
    }
    return rows


def titles(client, params):
    response = client.get("/activities/", params)
    assert response.status_code == 200, response.content.decode()[:500]
    return sorted(activity.title for activity in response.context["activities"])


def expected(catalogue, *keys):
    return sorted(catalogue[key].title for key in keys)


@pytest.mark.parametrize(
    ("params", "keys"),
    [
        ({}, ["qatar_maritime_2015", "kuwait_training_2019", "both_maritime_2024"]),
        ({"partner": "qatar"}, ["qatar_maritime_2015", "both_maritime_2024"]),
        ({"partner": "kuwait"}, ["kuwait_training_2019", "both_maritime_2024"]),
        (
            {"area": "education-training"},
            ["kuwait_training_2019", "both_maritime_2024"],
        ),
        ({"kind": "conference"}, ["qatar_maritime_2015"]),
        ({"year_from": "2019"}, ["kuwait_training_2019", "both_maritime_2024"]),
        ({"year_to": "2019"}, ["qatar_maritime_2015", "kuwait_training_2019"]),
        ({"year_from": "2016", "year_to": "2020"}, ["kuwait_training_2019"]),
        ({"q": "marcom"}, ["both_maritime_2024"]),
        ({"q": "kuwait city"}, ["kuwait_training_2019"]),
        ({"partner": "qatar", "area": "education-training"}, ["both_maritime_2024"]),
        ({"partner": "qatar", "kind": "course"}, ["both_maritime_2024"]),
        (
            {"partner": "kuwait", "year_to": "2020", "q": "course"},
            ["kuwait_training_2019"],
        ),
        (
            {"partner": ["qatar", "kuwait"]},
            ["qatar_maritime_2015", "kuwait_training_2019", "both_maritime_2024"],
        ),
        (
            {"kind": ["conference", "course"], "area": "maritime-security"},
            ["qatar_maritime_2015", "both_maritime_2024"],
        ),
        ({"partner": "kuwait", "kind": "conference"}, []),
    ],
)
def test_filters_return_exactly_the_matching_public_activities(
    client, catalogue, params, keys
):
    assert titles(client, params) == expected(catalogue, *keys)


def test_filtering_by_each_partner_shows_exactly_its_activities(client, catalogue):
    for partner in Partner.objects.all():
        shown = titles(client, {"partner": partner.slug})
        assert shown == sorted(
            partner.activities.public().values_list("title", flat=True)
        )


def test_empty_result_says_so(client, catalogue):
    response = client.get("/activities/", {"q": "nothing matches this"})
    assert "No activities match these filters" in response.content.decode()
    assert "0 activities" in response.content.decode()


def test_filter_state_lives_in_the_url(client, catalogue):
    html = client.get(
        "/activities/", {"partner": "qatar", "q": "course"}
    ).content.decode()
    assert re.search(r'<input[^>]+value="qatar"[^>]+checked', html)
    assert not re.search(r'<input[^>]+value="kuwait"[^>]+checked', html)
    assert 'name="q" value="course"' in html


@pytest.mark.parametrize(
    "params",
    [
        {"partner": "atlantis"},
        {"area": "<script>alert(1)</script>"},
        {"kind": "invasion"},
        {"year_from": "abc"},
        {"year_from": str(2**64)},
        {"year_to": "-99999999999999999999"},
        {"year_from": "1e10"},
        {"year_from": "2020", "year_to": "2010"},
        {"q": "x" * 201},
        {"q": "nul\x00byte"},
        {"partner": "\u202eqatar"},
    ],
)
def test_bad_filter_input_gives_a_clear_400_not_a_500(client, catalogue, params):
    response = client.get("/activities/", params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Some filters could not be used" in html
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": "😀 émoji ‮"},
        {"q": "' OR 1=1 --"},
        {"q": "%_"},
        {"unknown": "1"},
        {"year_from": "٢٠١٩"},
    ],
)
def test_odd_but_valid_text_is_answered_politely(client, catalogue, params):
    response = client.get("/activities/", params)
    assert response.status_code == 200


def test_timeline_rejects_unknown_partner_with_400(client, catalogue):
    response = client.get("/timeline/", {"partner": "atlantis"})
    assert response.status_code == 400
    assert "Some filters could not be used" in response.content.decode()
