"""Editors' workflow: drafts, scheduling, preview, history, restore, safe text."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from reversion.models import Version

from content.text import render_markdown
from ici_site.sitemaps import PublicSitemap
from partners.models import Activity, Partner
from timeline.models import Milestone

pytestmark = pytest.mark.django_db

# Public pages that list recent or filtered activities.
ACTIVITY_LISTS = ["/", "/activities/"]
PUBLIC_OUTPUTS = [*ACTIVITY_LISTS, "/timeline/", "/partners/", "/areas/", "/sources/"]


def changelist_action(client, model, action, objects):
    return client.post(
        f"/admin/partners/{model}/",
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
    )


# Rich text ---------------------------------------------------------------------

XSS_PAYLOADS = [
    "<script>alert('x')</script>",
    '<img src="x" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    "<iframe src='https://evil.example'></iframe>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<svg onload="alert(1)"></svg>',
    "<style>body{display:none}</style>",
    "<p style=\"background:url('javascript:alert(1)')\">x</p>",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markdown_rendering_removes_every_script_vector(payload):
    html = render_markdown(f"Before\n\n{payload}\n\nAfter").lower()
    for danger in [
        "<script",
        "onerror",
        "onclick",
        "onload",
        "javascript:",
        "<iframe",
        "data:text",
        "<style",
        "style=",
    ]:
        assert danger not in html
    assert "before" in html and "after" in html


def test_markdown_keeps_formatting_and_marks_links_noopener():
    html = render_markdown(
        "A **bold** [NATO](https://www.nato.int) claim.\n\n- one\n- two"
    )
    assert "<strong>bold</strong>" in html
    assert '<a href="https://www.nato.int" rel="noopener">NATO</a>' in html
    assert "<li>one</li>" in html


@pytest.mark.parametrize(
    ("make", "field"),
    [
        ("make_activity", "body"),
        ("make_partner", "profile"),
        ("make_milestone", "summary"),
    ],
)
def test_editor_text_is_sanitised_on_public_pages(client, request, make, field):
    make = request.getfixturevalue(make)
    obj = make(**{field: "Safe words. " + " ".join(XSS_PAYLOADS)})
    html = client.get(obj.get_absolute_url()).content.decode()
    assert "Safe words." in html
    assert "alert(" not in html
    assert "onerror" not in html


def test_admin_explains_the_text_format_beside_each_rich_field(editor_client):
    for url in [
        "/admin/partners/activity/add/",
        "/admin/partners/partner/add/",
        "/admin/timeline/milestone/add/",
    ]:
        assert "Markdown:" in editor_client.get(url).content.decode()


# Publication and preview ---------------------------------------------------------


def test_draft_is_404_to_the_public_and_previewable_by_editors(
    client, editor_client, make_activity
):
    draft = make_activity(title="Draft course", state=Activity.State.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Draft, not public." in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_scheduled_item_is_hidden_until_its_moment(client, make_milestone):
    later = timezone.now() + datetime.timedelta(hours=2)
    scheduled = make_milestone(title="Scheduled milestone", publish_at=later)
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert "Scheduled milestone" not in client.get("/timeline/").content.decode()
    Milestone.objects.filter(pk=scheduled.pk).update(
        publish_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_staff_without_content_permission_cannot_preview(client, make_partner):
    stranger = User.objects.create_user("sam", password="x", is_staff=True)
    client.force_login(stranger)
    draft = make_partner(state=Partner.State.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_public_page_of_a_published_item_has_no_banner(editor_client, make_activity):
    activity = make_activity()
    html = editor_client.get(activity.get_absolute_url()).content.decode()
    assert "Draft, not public" not in html


def test_publish_and_unpublish_actions(
    editor_client, client, make_source, make_activity
):
    sourced = make_activity(state=Activity.State.DRAFT, sources=[make_source()])
    unsourced = make_activity(state=Activity.State.DRAFT)
    response = changelist_action(
        editor_client, "activity", "publish", [sourced, unsourced]
    )
    assert response.status_code == 302
    sourced.refresh_from_db()
    unsourced.refresh_from_db()
    assert sourced.state == Activity.State.PUBLISHED
    assert unsourced.state == Activity.State.DRAFT
    page = editor_client.get("/admin/partners/activity/").content.decode()
    assert "Not published, a source or its passage is missing" in page
    changelist_action(editor_client, "activity", "unpublish", [sourced])
    sourced.refresh_from_db()
    assert sourced.state == Activity.State.DRAFT


def test_change_list_shows_and_filters_by_state(editor_client, make_activity):
    make_activity(title="Live one")
    make_activity(title="Draft one", state=Activity.State.DRAFT)
    html = editor_client.get("/admin/partners/activity/", {"state__exact": "draft"})
    html = html.content.decode()
    assert "Draft one" in html and "Live one" not in html
    assert "column-state" in html


def test_admin_refuses_to_publish_an_activity_without_sources(
    editor_client, make_area, make_partner, activity_form
):
    partner, area = make_partner(), make_area()
    data = activity_form(
        partners=[partner.pk], areas=[area.pk], sources=[], state="published"
    )
    response = editor_client.post("/admin/partners/activity/add/", data)
    assert response.status_code == 200
    assert "Add at least one source before publishing" in response.content.decode()
    assert not Activity.objects.exists()
    data["state"] = "draft"
    assert editor_client.post("/admin/partners/activity/add/", data).status_code == 302


# History, restore, recover ----------------------------------------------------------


def test_restore_an_earlier_version_restores_the_public_text(
    editor_client, client, make_source, make_area, make_partner, activity_form
):
    source, partner, area = make_source(), make_partner(), make_area()
    data = activity_form(
        partners=[partner.pk], areas=[area.pk], sources=[source.pk], state="published"
    )
    assert editor_client.post("/admin/partners/activity/add/", data).status_code == 302
    activity = Activity.objects.get()
    data = activity_form(activity)  # the change form, with its saved source
    url = f"/admin/partners/activity/{activity.pk}/change/"
    editor_client.post(url, {**data, "body": "Second text."})
    editor_client.post(url, {**data, "body": "Third text."})
    versions = Version.objects.get_for_object(activity).order_by("pk")
    assert [v.field_dict["body"] for v in versions] == [
        "First text.",
        "Second text.",
        "Third text.",
    ]
    history = editor_client.get(f"/admin/partners/activity/{activity.pk}/history/")
    assert "erin" in history.content.decode()
    compare = editor_client.get(
        f"/admin/partners/activity/{activity.pk}/history/compare/",
        {"version_id1": versions[0].pk, "version_id2": versions[2].pk},
    )
    assert compare.status_code == 200
    assert "First text." in compare.content.decode()

    revision_url = f"/admin/partners/activity/{activity.pk}/history/{versions[0].pk}/"
    form = editor_client.get(revision_url)
    assert form.status_code == 200 and "First text." in form.content.decode()
    assert editor_client.post(revision_url, data).status_code == 302
    assert "First text." in client.get(activity.get_absolute_url()).content.decode()


def test_deleted_activity_is_recovered_with_its_links(
    editor_client, client, make_source, make_area, make_partner, activity_form
):
    source, partner, area = make_source(), make_partner(), make_area()
    data = activity_form(
        partners=[partner.pk], areas=[area.pk], sources=[source.pk], state="published"
    )
    editor_client.post("/admin/partners/activity/add/", data)
    activity = Activity.objects.get()
    data = activity_form(activity)  # as the recover form shows it again
    url = activity.get_absolute_url()
    delete = editor_client.post(
        f"/admin/partners/activity/{activity.pk}/delete/", {"post": "yes"}
    )
    assert delete.status_code == 302
    assert client.get(url).status_code == 404

    recover_list = editor_client.get("/admin/partners/activity/recover/")
    assert "Maritime security course" in recover_list.content.decode()
    version = Version.objects.get_deleted(Activity).get()
    recover_url = f"/admin/partners/activity/recover/{version.pk}/"
    assert editor_client.get(recover_url).status_code == 200
    assert editor_client.post(recover_url, data).status_code == 302

    recovered = Activity.objects.get()
    assert list(recovered.partners.all()) == [partner]
    assert list(recovered.areas.all()) == [area]
    assert list(recovered.sources.all()) == [source]
    assert client.get(url).status_code == 200


# Provenance and staff tools ---------------------------------------------------------


def test_content_health_lists_what_needs_attention(
    editor_client, client, make_source, make_partner, make_activity
):
    make_activity(
        title="Waiting draft", state=Activity.State.DRAFT, sources=[make_source()]
    )
    make_activity(title="Unsourced activity")
    make_partner(name="Stale profile", last_reviewed=datetime.date(2020, 1, 1))
    make_source(title="Insecure source", url="http://example.org/page")
    html = editor_client.get("/admin/content-health/").content.decode()
    for text in [
        "Waiting draft",
        "Unsourced activity",
        "Stale profile",
        "Insecure source",
        "This item is a draft.",
    ]:
        assert text in html
    assert client.get("/admin/content-health/").status_code == 302


def test_reviewed_profile_is_not_listed_as_stale(
    editor_client, make_source, make_partner
):
    fresh = make_partner(name="Fresh profile", last_reviewed=timezone.now().date())
    fresh.sources.add(make_source())
    html = editor_client.get("/admin/content-health/").content.decode()
    stale_section = html.split("Profiles not reviewed for 12 months")[1].split("<h2>")[
        0
    ]
    assert "Fresh profile" not in stale_section


def test_activity_changelist_exports_the_selection_to_csv(
    editor_client, make_partner, make_activity
):
    partner = make_partner(name="Qatar")
    chosen = make_activity(title="Chosen, with a comma", partners=[partner])
    make_activity(title="Not chosen")
    response = changelist_action(editor_client, "activity", "export_csv", [chosen])
    assert response["Content-Type"].startswith("text/csv")
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    )
    assert [(row["title"], row["partners"]) for row in rows] == [
        ("Chosen, with a comma", "Qatar")
    ]


# The whole cycle -------------------------------------------------------------------


def test_an_editors_whole_cycle(
    editor_client, client, make_source, make_area, make_partner, activity_form
):
    source, partner, area = make_source(), make_partner(), make_area()
    data = activity_form(partners=[partner.pk], areas=[area.pk], sources=[source.pk])

    # Create a draft with a source: invisible to the public, previewable.
    assert editor_client.post("/admin/partners/activity/add/", data).status_code == 302
    activity = Activity.objects.get()
    url = activity.get_absolute_url()
    assert client.get(url).status_code == 404
    assert "Draft, not public" in editor_client.get(url).content.decode()

    # Publish it: public everywhere.
    changelist_action(editor_client, "activity", "publish", [activity])
    assert client.get(url).status_code == 200
    for page in [*ACTIVITY_LISTS, partner.get_absolute_url(), area.get_absolute_url()]:
        assert "Maritime security course" in client.get(page).content.decode(), page

    # Edit, then restore the earlier version.
    data = activity_form(activity)
    change_url = f"/admin/partners/activity/{activity.pk}/change/"
    editor_client.post(change_url, {**data, "state": "published", "body": "Edited."})
    assert "Edited." in client.get(url).content.decode()
    first_published = (
        Version.objects.get_for_object(activity)
        .filter(serialized_data__contains='"published"')
        .order_by("pk")
        .first()
    )
    revision_url = (
        f"/admin/partners/activity/{activity.pk}/history/{first_published.pk}/"
    )
    editor_client.post(revision_url, {**data, "state": "published"})
    assert "First text." in client.get(url).content.decode()

    # Unpublish: gone from every public output.
    changelist_action(editor_client, "activity", "unpublish", [activity])
    assert client.get(url).status_code == 404
    for page in [*PUBLIC_OUTPUTS, partner.get_absolute_url(), area.get_absolute_url()]:
        assert "Maritime security course" not in client.get(page).content.decode(), page


def test_sitemap_lists_only_public_records(
    client, make_partner, make_activity, make_milestone
):
    public = make_activity(title="Public one")
    draft = make_activity(state=Activity.State.DRAFT)
    later = timezone.now() + datetime.timedelta(days=3)
    scheduled = make_milestone(publish_at=later)
    hidden_partner = make_partner(state=Partner.State.DRAFT)
    index = client.get("/sitemap.xml").content.decode()
    sections = re.findall(r"<loc>http://testserver(/sitemap-[a-z]+\.xml)</loc>", index)
    assert set(sections) == {
        f"/sitemap-{name}.xml"
        for name in ("pages", "partners", "areas", "activities", "milestones")
    }
    xml = "".join(client.get(section).content.decode() for section in sections)
    assert public.get_absolute_url() in xml
    for hidden in [draft, scheduled, hidden_partner]:
        assert hidden.get_absolute_url() not in xml
    assert "/sitemap.xml" in client.get("/robots.txt").content.decode()


def test_sitemaps_come_in_pages_of_a_few_thousand_addresses(
    client, monkeypatch, make_activity
):
    # Each record has an address in each of the three languages: two records a page.
    monkeypatch.setattr(PublicSitemap, "limit", 2 * 3)
    activities = [make_activity() for _ in range(3)]
    activities[1].save()  # the latest change
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-activities.xml?p=2" in index
    latest = activities[1].updated_at.isoformat()
    assert f"/sitemap-activities.xml</loc><lastmod>{latest}</lastmod>" in index
    first = client.get("/sitemap-activities.xml").content.decode()
    second = client.get("/sitemap-activities.xml", {"p": 2}).content.decode()
    assert [a.get_absolute_url() in first for a in activities] == [True, True, False]
    assert activities[2].get_absolute_url() in second
    assert client.get("/sitemap-activities.xml", {"p": 9}).status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404
