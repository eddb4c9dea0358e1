"""The partner profile's key-facts box, computed from the records."""

import datetime

import pytest

from content.dates import DatePrecision
from partners.models import Activity, Partner

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]


@pytest.fixture
def kuwait(make_area, make_partner, make_activity, make_milestone):
    kuwait = make_partner(
        name="Kuwait",
        slug="kuwait",
        joined=datetime.date(2005, 1, 1),
        joined_precision=DatePrecision.MONTH,
    )
    other = make_partner(name="Qatar", slug="qatar")
    maritime = make_area(name="Maritime security", slug="maritime")
    training = make_area(name="Training", slug="training")
    make_area(name="Cyber defence", slug="cyber")
    make_activity(
        title="Old course",
        partners=[kuwait],
        areas=[training],
        start_date=datetime.date(2012, 1, 1),
    )
    make_activity(
        title="Newest patrol",
        partners=[kuwait, other],
        areas=[maritime, training],
        start_date=datetime.date(2024, 6, 2),
    )
    make_activity(title="Qatar only", partners=[other], areas=[maritime])
    make_activity(
        title="Newer draft",
        partners=[kuwait],
        areas=[maritime],
        start_date=datetime.date(2025, 1, 1),
        state=Activity.State.DRAFT,
    )
    make_milestone(title="Kuwait joins", partners=[kuwait])
    return kuwait


def facts(client, partner):
    response = client.get(partner.get_absolute_url())
    assert response.status_code == 200
    return response


def test_key_facts_count_public_activities_per_area(client, kuwait):
    response = facts(client, kuwait)
    by_area = {area.name: area.activity_count for area in response.context["areas"]}
    assert by_area == {"Maritime security": 1, "Training": 2}
    html = response.content.decode()
    assert (
        'href="/activities/?partner=kuwait&amp;area=training">Training</a>: 2' in html
    )
    assert "Cyber defence" not in html


def test_key_facts_name_the_latest_public_activity(client, kuwait):
    response = facts(client, kuwait)
    assert response.context["latest_activity"].title == "Newest patrol"
    html = response.content.decode()
    latest = html.index("Latest activity")
    assert html.index("Newest patrol", latest) < html.index("</aside>")
    assert "Newer draft" not in html


def test_key_facts_show_status_and_join_date_at_its_precision(client, kuwait):
    html = facts(client, kuwait).content.decode()
    assert '<time datetime="2005-01">January 2005</time>' in html
    assert "ICI partner" in html
    assert html.index("Key facts") < html.index("Profile")


def test_profile_without_activities_has_no_empty_facts(client, make_partner):
    oman = make_partner(
        name="Oman", slug="oman", status=Partner.Status.DIALOGUE, joined=None
    )
    html = facts(client, oman).content.decode()
    assert "Has not joined" in html
    assert "Latest activity" not in html and "By area" not in html
