import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command

from partners.models import Activity

pytestmark = pytest.mark.django_db


def test_create_editor_makes_a_staff_member_of_editors(editor, editor_password):
    assert editor.is_staff and not editor.is_superuser
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]
    assert editor.check_password(editor_password)


def test_create_editor_refuses_weak_passwords_and_duplicates(
    editor, monkeypatch, editor_password
):
    monkeypatch.setattr("sys.stdin", io.StringIO("password\n"))
    with pytest.raises(CommandError, match="too common|too short"):
        call_command("create_editor", "weak", password_stdin=True)
    assert not User.objects.filter(username="weak").exists()
    monkeypatch.setattr("sys.stdin", io.StringIO(editor_password + "\n"))
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_editor", "erin", password_stdin=True)


def test_editors_group_covers_content_and_nothing_else():
    codenames = set(
        Group.objects.get(name="Editors").permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    for model in ["partner", "activity", "cooperationarea", "source"]:
        for action in ["add", "change", "delete", "view"]:
            assert ("partners", f"{action}_{model}") in codenames
    assert ("timeline", "change_milestone") in codenames
    for model in ["activitycitation", "partnercitation", "areacitation"]:
        assert ("partners", f"change_{model}") in codenames
    assert ("timeline", "change_milestonecitation") in codenames
    assert ("content", "change_problemreport") in codenames
    assert {app for app, _ in codenames} == {"content", "partners", "timeline"}


def test_editor_changes_a_partner_summary_and_the_public_page_shows_it(
    editor_client, client, make_source, make_partner
):
    partner = make_partner(name="Kuwait", slug="kuwait")
    source = make_source()
    url = f"/admin/partners/partner/{partner.pk}/change/"
    form = editor_client.get(url)
    assert form.status_code == 200
    data = {
        "name_en": "Kuwait",
        "official_name_en": "State of Kuwait",
        "slug": "kuwait",
        "status": "member",
        "summary_en": "Hosts the NATO-ICI Regional Centre.",
        "profile_en": "Updated profile.",
        "iso_alpha2": "KW",
        "iso_alpha3": "KWT",
        "capital": "Kuwait City",
        "joined": "2004-12-01",
        "joined_precision": "month",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "0",
        "citations-0-source": source.pk,
        "citations-0-passage": "Kuwait hosts the NATO-ICI Regional Centre.",
        "state": "published",
        "publish_at_0": "2026-01-01",
        "publish_at_1": "00:00:00",
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    page = client.get("/partners/kuwait/").content.decode()
    assert "Hosts the NATO-ICI Regional Centre." in page
    assert "December 2004" in page


def test_admin_shows_model_validation_as_messages(editor_client):
    response = editor_client.post(
        "/admin/partners/activity/add/",
        {
            "title_en": "Backwards",
            "slug": "backwards",
            "kind": "course",
            "summary_en": "x",
            "start_date": "2020-05-01",
            "start_precision": "day",
            "end_date": "2020-04-01",
            "end_precision": "day",
            "state": "draft",
            "publish_at_0": "2026-01-01",
            "publish_at_1": "00:00:00",
        },
    )
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()
    assert not Activity.objects.exists()


def test_editor_cannot_open_the_user_or_group_admin(editor_client):
    assert editor_client.get("/admin/auth/user/").status_code == 403
    assert editor_client.get("/admin/auth/group/").status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/admin/partners/activity/",
        "/admin/partners/activity/?year=2019&kind__exact=course",
        "/admin/partners/activity/?q=course",
        "/admin/partners/activity/?year=abcd",
        "/admin/partners/partner/",
        "/admin/partners/source/",
        "/admin/partners/cooperationarea/",
        "/admin/timeline/milestone/",
        "/admin/timeline/milestone/?year=2004",
    ],
)
def test_editor_change_lists_work(
    editor_client, url, make_area, make_partner, make_activity
):
    make_activity(partners=[make_partner()], areas=[make_area()])
    assert editor_client.get(url).status_code == 200


def test_activity_admin_offers_view_on_site_and_autocomplete(
    editor_client, make_activity
):
    activity = make_activity()
    html = editor_client.get(f"/admin/partners/activity/{activity.pk}/change/").content
    assert b"View on site" in html
    assert b"admin-autocomplete" in html
    response = editor_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "partners",
            "model_name": "activity",
            "field_name": "partners",
            "term": "Partner",
        },
    )
    assert response.status_code == 200


def test_admin_login_is_required(client):
    response = client.get("/admin/partners/activity/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
