import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from content import dates
from content.dates import DatePrecision
from partners.models import Activity, Partner, Source
from timeline.models import Milestone

pytestmark = pytest.mark.django_db


def test_activity_end_before_start_is_refused(make_activity):
    activity = make_activity(start_date=datetime.date(2019, 4, 8))
    activity.end_date = datetime.date(2019, 4, 7)
    with pytest.raises(ValidationError) as error:
        activity.full_clean()
    assert "end_date" in error.value.message_dict


def test_activity_end_year_may_contain_a_later_start_month(make_activity):
    activity = make_activity(
        start_date=datetime.date(2004, 5, 1),
        start_precision=DatePrecision.MONTH,
        end_date=datetime.date(2004, 1, 1),
        end_precision=DatePrecision.YEAR,
    )
    activity.full_clean()


def test_clean_truncates_dates_to_their_precision(make_activity):
    activity = make_activity(
        start_date=datetime.date(2005, 2, 16), start_precision=DatePrecision.MONTH
    )
    activity.full_clean()
    assert activity.start_date == datetime.date(2005, 2, 1)
    assert activity.when == "February 2005"


@pytest.mark.parametrize(
    ("alpha2", "alpha3"),
    [("kw", "KWT"), ("K", "KWT"), ("KW", "KW"), ("K1", "KWT"), ("KW", "QAT")],
)
def test_malformed_iso_codes_are_refused(alpha2, alpha3, make_partner):
    partner = make_partner()
    partner.iso_alpha2, partner.iso_alpha3 = alpha2, alpha3
    with pytest.raises(ValidationError):
        partner.full_clean()


def test_duplicate_slug_is_refused(make_activity):
    make_activity(slug="nirc-course")
    with pytest.raises(ValidationError) as error:
        Activity(
            title="Another",
            slug="nirc-course",
            kind=Activity.Kind.COURSE,
            start_date=datetime.date(2020, 1, 1),
            summary="x",
        ).full_clean()
    assert "slug" in error.value.message_dict


def test_dialogue_partner_cannot_have_joined(make_partner):
    partner = make_partner(status=Partner.Status.DIALOGUE, joined=None)
    partner.full_clean()
    partner.joined = datetime.date(2005, 1, 1)
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert "joined" in error.value.message_dict


@pytest.mark.parametrize(
    ("value", "precision", "expected_display", "expected_iso"),
    [
        (
            datetime.date(2005, 2, 16),
            DatePrecision.DAY,
            "16 February 2005",
            "2005-02-16",
        ),
        (datetime.date(2005, 2, 1), DatePrecision.MONTH, "February 2005", "2005-02"),
        (datetime.date(2014, 1, 1), DatePrecision.YEAR, "2014", "2014"),
    ],
)
def test_dates_show_only_their_known_precision(
    value, precision, expected_display, expected_iso
):
    assert dates.display(value, precision) == expected_display
    assert dates.iso(value, precision) == expected_iso


@pytest.mark.parametrize(
    ("start", "start_precision", "end", "end_precision", "expected"),
    [
        ((2024, 6, 2), "day", (2024, 6, 6), "day", "2–6 June 2024"),
        ((2004, 5, 1), "month", (2004, 12, 1), "month", "May–December 2004"),
        ((2018, 1, 22), "day", (2018, 1, 22), "day", "22 January 2018"),
        (
            (2016, 9, 26),
            "day",
            (2016, 10, 1),
            "day",
            "26 September 2016 – 1 October 2016",
        ),
    ],
)
def test_date_ranges_read_naturally(
    start, start_precision, end, end_precision, expected
):
    assert (
        dates.display_range(
            datetime.date(*start), start_precision, datetime.date(*end), end_precision
        )
        == expected
    )


def test_public_excludes_drafts_and_future_items(make_activity):
    visible = make_activity()
    make_activity(state=Activity.State.DRAFT)
    make_activity(publish_at=timezone.now() + datetime.timedelta(days=1))
    assert list(Activity.objects.public()) == [visible]


def test_milestones_and_partners_share_the_public_rule(make_partner, make_milestone):
    make_partner(state=Partner.State.DRAFT)
    shown = make_partner()
    make_milestone(state=Milestone.State.DRAFT)
    milestone = make_milestone()
    assert list(Partner.objects.public()) == [shown]
    assert list(Milestone.objects.public()) == [milestone]


def test_scheduled_is_what_public_leaves_out_of_the_published(make_activity):
    make_activity()
    make_activity(state=Activity.State.DRAFT)
    scheduled = make_activity(publish_at=timezone.now() + datetime.timedelta(days=1))
    published = Activity.objects.filter(state=Activity.State.PUBLISHED)
    assert set(Activity.objects.scheduled()) == {scheduled}
    assert set(Activity.objects.scheduled()) | set(Activity.objects.public()) == set(
        published
    )


def test_sources_cited_by_several_querysets_in_one_query(
    django_assert_num_queries, make_source, make_activity, make_milestone
):
    cited_by_activity, cited_by_milestone, _unused = (
        make_source(),
        make_source(),
        make_source(),
    )
    make_activity(sources=[cited_by_activity])
    make_milestone(sources=[cited_by_milestone])
    with django_assert_num_queries(1):
        cited = set(
            Source.objects.cited_by(Activity.objects.all(), Milestone.objects.all())
        )
    assert cited == {cited_by_activity, cited_by_milestone}


def test_every_public_model_has_an_address(
    make_source, make_area, make_partner, make_activity, make_milestone
):
    source, area, partner = make_source(), make_area(), make_partner()
    activity, milestone = make_activity(), make_milestone()
    assert area.get_absolute_url() == f"/areas/{area.slug}/"
    assert partner.get_absolute_url() == f"/partners/{partner.slug}/"
    assert activity.get_absolute_url() == f"/activities/{activity.slug}/"
    assert milestone.get_absolute_url() == f"/timeline/{milestone.slug}/"
    assert source.get_absolute_url() == f"/sources/#source-{source.pk}"
