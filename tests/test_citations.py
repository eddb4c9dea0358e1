"""Every link from a record to a source carries the passage that supports it."""

import csv
import io
import json

import pytest
from django.core.management import call_command

from content import sourcing
from partners.models import Activity, ActivityCitation

pytestmark = pytest.mark.django_db

PASSAGE = "NATO and Kuwait signed the agreement in Kuwait City on 12 December 2006."


@pytest.fixture
def cited(make_activity, make_source, make_partner):
    kuwait = make_partner(name="Kuwait", slug="kuwait")
    source = make_source(title="KUNA report", language="ar")
    activity = make_activity(title="Security agreement", partners=[kuwait])
    ActivityCitation.objects.create(
        activity=activity, source=source, passage="نص المقطع", passage_en=PASSAGE
    )
    return activity, source


def test_the_record_page_shows_each_passage_under_its_source(client, cited):
    activity, source = cited
    html = client.get(activity.get_absolute_url()).content.decode()
    sources = html[html.index('id="sources-heading"') :]
    assert source.title in sources
    assert '<blockquote class="source-passage"' in sources
    assert 'lang="ar"' in sources and "نص المقطع" in sources
    assert f'In English: <span lang="en" dir="ltr">{PASSAGE}' in sources


def test_the_api_and_every_export_carry_the_passage(client, cited):
    activity, source = cited
    record = client.get(f"/api/v1/activities/{activity.slug}/").json()["data"]
    [cited_source] = record["sources"]
    assert cited_source["passage"] == "نص المقطع"
    assert cited_source["passage_en"] == PASSAGE
    exported = json.loads(
        b"".join(client.get("/activities/?format=json").streaming_content)
    )
    assert exported["data"][0]["sources"][0]["passage"] == "نص المقطع"
    rows = csv.DictReader(
        io.StringIO(
            b"".join(client.get("/activities/?format=csv").streaming_content).decode()
        )
    )
    assert '"نص المقطع"' in next(rows)["sources"]


def test_publishing_needs_a_passage_on_every_source(
    editor_client, activity_form, make_source
):
    source = make_source()
    form = activity_form(state="published", citations=[(source.pk, "")])
    response = editor_client.post("/admin/partners/activity/add/", form)
    assert response.status_code == 200
    assert "Give every source the passage" in response.content.decode()
    assert not Activity.objects.exists()
    form = activity_form(state="published", citations=[(source.pk, PASSAGE)])
    assert editor_client.post("/admin/partners/activity/add/", form).status_code == 302
    assert Activity.objects.get().citations.get().passage == PASSAGE


def test_a_draft_may_wait_for_its_passages(editor_client, activity_form, make_source):
    form = activity_form(state="draft", citations=[(make_source().pk, "")])
    assert editor_client.post("/admin/partners/activity/add/", form).status_code == 302


def test_the_publish_action_skips_records_lacking_a_passage(
    editor_client, make_activity, make_source
):
    draft = make_activity(state=Activity.State.DRAFT)
    ActivityCitation.objects.create(activity=draft, source=make_source(), passage="")
    response = editor_client.post(
        "/admin/partners/activity/",
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "a source or its passage is missing" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == Activity.State.DRAFT


def test_every_published_fixture_record_has_its_passages():
    call_command("load_content", verbosity=0)
    for title, records in sourcing.checks():
        if "lacking its passage" in title:
            assert not records.exists(), title


def test_validate_content_names_a_published_record_without_passage(tmp_path):
    path = tmp_path / "content.json"
    path.write_text(
        json.dumps(
            [
                {
                    "model": "partners.source",
                    "pk": 1,
                    "fields": {
                        "title": "T",
                        "publisher": "NATO",
                        "url": "https://x.org/a",
                        "updated_at": "2026-01-01T00:00:00Z",
                    },
                },
                {
                    "model": "partners.activity",
                    "pk": 1,
                    "fields": {
                        "title": "A",
                        "slug": "a",
                        "kind": "course",
                        "start_date": "2019-01-01",
                        "summary": "S.",
                        "state": "published",
                        "updated_at": "2026-01-01T00:00:00Z",
                    },
                },
                {
                    "model": "partners.activitycitation",
                    "pk": 1,
                    "fields": {"activity": 1, "source": 1, "passage": ""},
                },
            ]
        )
    )
    with pytest.raises(Exception, match="every source of a published record needs"):
        call_command("validate_content", str(path), stdout=io.StringIO())


def test_sourcing_checks_list_excluded_http_and_weak_sources(
    make_activity, make_source
):
    weak = make_source(url="http://gcclub.org/0000/00/00/nato/", confidence="medium")
    activity = make_activity(title="Weakly sourced")
    ActivityCitation.objects.create(activity=activity, source=weak, passage="P.")
    listed = {title: set(records) for title, records in sourcing.checks()}
    flagged = [title for title, found in listed.items() if activity in found]
    assert any("excluded host" in title for title in flagged)
    assert any("over http" in title for title in flagged)
    assert any("medium or low" in title for title in flagged)
    assert not any("lacking its passage" in title for title in flagged)
