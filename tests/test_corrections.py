"""Corrections in the open: when each record last changed, a public list of the
corrections editors noted, and a way for readers to report a problem."""

import pytest
from django.utils.html import escape

from content.models import Change, ProblemReport
from partners.models import Activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(make_activity, make_source):
    return make_activity(title="Harbour course", sources=[make_source()])


def correct(editor_client, activity_form, activity, note, **changes):
    form = activity_form(activity, change_note=note, **changes)
    response = editor_client.post(
        f"/admin/partners/activity/{activity.pk}/change/", form
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_every_record_page_says_when_it_last_changed_and_how_to_report(
    client, published
):
    html = client.get(published.get_absolute_url()).content.decode()
    assert "Last changed" in html
    assert f'datetime="{published.updated_at.isoformat()}' in html
    assert f'href="/report/?page={published.get_absolute_url()}"' in html


def test_a_noted_correction_is_listed_with_its_note_and_in_the_feed(
    client, editor_client, activity_form, published
):
    correct(editor_client, activity_form, published, "Date corrected to May 2019.")
    html = client.get("/changes/").content.decode()
    assert "Date corrected to May 2019." in html
    assert published.get_absolute_url() in html
    assert "erin" not in html  # editors' names are never shown
    feed = client.get("/changes/feed/").content.decode()
    assert "Date corrected to May 2019." in feed


def test_changes_of_drafts_are_never_listed(client, make_activity):
    draft = make_activity(title="Secret draft", state=Activity.State.DRAFT)
    Change.objects.create(record=draft, note="Draft fixed.")
    assert "Draft fixed." not in client.get("/changes/").content.decode()
    assert "Draft fixed." not in client.get("/changes/feed/").content.decode()


def test_a_save_without_a_note_is_not_listed(
    client, editor_client, activity_form, published
):
    correct(editor_client, activity_form, published, "", title="Harbour course II")
    assert not Change.objects.exists()


def report(client, **fields):
    return client.post(
        "/report/", {"page": "/activities/harbour/", "message": "Wrong date.", **fields}
    )


def test_a_reader_reports_a_problem_without_an_account(client):
    form = client.get("/report/", {"page": "/activities/harbour/"})
    assert '<label for="id_message">' in form.content.decode()
    response = report(client)
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    stored = ProblemReport.objects.get()
    assert (stored.page, stored.message, stored.status) == (
        "/activities/harbour/",
        "Wrong date.",
        ProblemReport.Status.OPEN,
    )
    assert "127.0.0.1" not in stored.client  # a digest, not the address


def test_the_report_form_needs_a_csrf_token(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert report(strict).status_code == 403
    assert not ProblemReport.objects.exists()


def test_a_filled_honeypot_stores_nothing(client):
    assert report(client, website="https://spam.example").status_code == 200
    assert not ProblemReport.objects.exists()


def test_reports_from_one_address_are_limited(client):
    for _ in range(5):
        assert report(client).status_code == 200
    limited = report(client)
    assert limited.status_code == 429
    assert "Too many reports" in limited.content.decode()
    assert ProblemReport.objects.count() == 5


@pytest.mark.parametrize(
    ("fields", "named"),
    [({"message": ""}, "id_message"), ({"page": "https://evil.example/"}, "page")],
)
def test_a_bad_report_is_a_400_naming_the_field(client, fields, named):
    response = report(client, **fields)
    assert response.status_code == 400
    assert named in response.content.decode()
    assert not ProblemReport.objects.exists()


def test_editors_read_reports_escaped_and_close_them(editor_client, client):
    report(client, message="<script>alert(1)</script> wrong")
    stored = ProblemReport.objects.get()
    page = editor_client.get(f"/admin/content/problemreport/{stored.pk}/change/")
    html = page.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert escape("<script>alert(1)</script>") in html
    editor_client.post(
        "/admin/content/problemreport/",
        {"action": "close", "_selected_action": [stored.pk]},
    )
    stored.refresh_from_db()
    assert stored.status == ProblemReport.Status.CLOSED
