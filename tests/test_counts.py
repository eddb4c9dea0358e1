"""Every count the site shows (partners.counts): public records only, cached under
the content version, and fresh after any change."""

import datetime

import pytest
from django.utils import timezone

from content.version import invalidate
from partners import counts
from partners.models import Activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def versioned(settings):
    settings.CONTENT_VERSION_SECONDS = 600


def test_totals_leave_out_drafts_scheduled_items_and_milestones(
    make_area, make_partner, make_activity, make_milestone
):
    partner, area = make_partner(), make_area()
    make_activity(partners=[partner], areas=[area])
    make_activity(partners=[partner], areas=[area], state=Activity.State.DRAFT)
    make_activity(
        partners=[partner],
        areas=[area],
        publish_at=timezone.now() + datetime.timedelta(days=1),
    )
    make_milestone(partners=[partner], areas=[area])
    assert counts.totals("partner") == {partner.pk: 1}
    assert counts.totals("area") == {area.pk: 1}


def test_a_partners_counts_hold_only_its_public_activities(
    make_area, make_partner, make_activity
):
    partner, other = make_partner(), make_partner()
    area, second = make_area(), make_area()
    make_activity(partners=[partner, other], areas=[area, second])
    make_activity(partners=[partner])
    make_activity(partners=[other], areas=[area])
    make_activity(partners=[partner], areas=[area], state=Activity.State.DRAFT)
    total, by_area = counts.of_partner(partner)
    assert total == 2
    assert by_area == {area.pk: 1, second.pk: 1}


def test_the_matrix_counts_an_activity_in_each_of_its_cells_and_once_in_total(
    make_area, make_partner, make_activity
):
    kuwait, qatar, area = make_partner(), make_partner(), make_area()
    make_activity(partners=[kuwait, qatar], areas=[area])
    make_activity(partners=[kuwait])
    found = counts.matrix()
    assert found["cells"] == {(kuwait.pk, area.pk): 1, (qatar.pk, area.pk): 1}
    assert found["partner"] == {kuwait.pk: 2, qatar.pk: 1}
    assert found["area"] == {area.pk: 1, None: 1}
    assert found["total"] == 2


def test_counts_come_from_the_cache_until_content_changes(
    versioned, django_assert_num_queries, make_partner, make_activity
):
    partner = make_partner()
    make_activity(partners=[partner])
    assert counts.totals("partner") == {partner.pk: 1}
    with django_assert_num_queries(0):
        assert counts.totals("partner") == {partner.pk: 1}
    make_activity(partners=[partner])  # a save drops the content version
    assert counts.totals("partner") == {partner.pk: 2}


def test_counts_follow_a_link_change_and_a_bulk_write_that_invalidates(
    versioned, make_partner, make_activity
):
    partner, other = make_partner(), make_partner()
    activity = make_activity(partners=[partner])
    assert counts.totals("partner") == {partner.pk: 1}
    activity.partners.add(other)  # m2m_changed drops the version
    assert counts.totals("partner") == {partner.pk: 1, other.pk: 1}
    Activity.objects.update(state=Activity.State.DRAFT)  # no signal
    invalidate()
    assert counts.totals("partner") == {}


def test_a_scheduled_activity_is_counted_once_its_moment_passes(
    versioned, settings, make_partner, make_activity
):
    partner = make_partner()
    soon = timezone.now() + datetime.timedelta(seconds=1)
    make_activity(partners=[partner], publish_at=soon)
    assert counts.totals("partner") == {}
    later = soon + datetime.timedelta(seconds=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        assert counts.totals("partner") == {partner.pk: 1}
