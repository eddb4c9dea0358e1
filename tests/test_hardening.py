"""The security gaps a load and penetration test found (issue 17), each held closed:
rate limits, stored whole-list exports, admin keys, CSV cells, draft-only sources,
headers on refusals, the lockout per address and behind the proxy, the content-health
permission and the bad-Host log line."""

import csv
import datetime
import io
import json
import logging
import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partners.models import Activity

pytestmark = pytest.mark.django_db


# Rate limits


@pytest.fixture
def low_limits(settings, uncached_pages):
    # Uncached, so every request reaches the view that counts it.
    settings.RATE_LIMITS = {"export": (2, 60), "search": (2, 60)}


def test_downloads_are_limited_per_client_with_a_429_saying_when(
    client, one_of_each, low_limits
):
    for _ in range(2):
        assert client.get("/activities/", {"format": "csv"}).status_code == 200
    refused = client.get("/timeline/", {"format": "json"})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert "Too many downloads from your address" in refused.json()["error"]
    assert f"Try again in {refused['Retry-After']} seconds" in refused.json()["error"]
    # Another reader is not held up, and pages of the same list are not limited.
    other = client.get("/activities/", {"format": "csv"}, REMOTE_ADDR="198.51.100.2")
    assert other.status_code == 200
    assert client.get("/activities/").status_code == 200


def test_site_search_is_limited_per_client(client, one_of_each, low_limits):
    for words in ["course", "kuwait"]:
        assert client.get("/search/", {"q": words}).status_code == 200
    refused = client.get("/search/", {"q": "partner"})
    assert refused.status_code == 429
    assert "Too many searches from your address" in refused.content.decode()
    assert int(refused["Retry-After"]) >= 1
    assert (
        client.get("/search/", {"q": "partner"}, REMOTE_ADDR="198.51.100.2").status_code
        == 200
    )


# Whole-list exports, built once per content version


def csv_titles(response):
    body = b"".join(response.streaming_content).decode()
    return {row["title"] for row in csv.DictReader(io.StringIO(body))}


def test_a_whole_list_export_is_built_once_then_served_from_its_file(
    client, make_activity, page_cache, stored_exports, django_assert_num_queries
):
    make_activity(title="Public course")
    make_activity(title="Draft course", state=Activity.State.DRAFT)
    first = client.get("/activities/", {"format": "csv"})
    assert csv_titles(first) == {"Public course"}
    with django_assert_num_queries(0):  # no record read again
        again = client.get("/activities/", {"format": "csv"})
    assert csv_titles(again) == {"Public course"}
    assert again["X-Dataset-Version"] == first["X-Dataset-Version"]
    assert "attachment" in again["Content-Disposition"]
    assert len(list(stored_exports.rglob("*.csv"))) == 1


def test_a_stored_export_follows_publishing_unpublishing_and_deleting(
    client, make_activity, page_cache, stored_exports
):
    shown = make_activity(title="Public course")
    draft = make_activity(title="Draft course", state=Activity.State.DRAFT)

    def titles():
        response = client.get("/activities/", {"format": "json"})
        return {record["title"] for record in json.loads(b"".join(response))["data"]}

    assert titles() == {"Public course"}
    draft.state = Activity.State.PUBLISHED
    draft.save()
    assert titles() == {"Public course", "Draft course"}
    shown.state = Activity.State.DRAFT  # the dataset version does not move back
    shown.save()
    assert titles() == {"Draft course"}
    draft.delete()
    assert titles() == set()
    assert len(list(stored_exports.rglob("*.json"))) == 1  # older versions removed


def test_a_stored_export_shows_a_scheduled_record_only_once_it_is_live(
    client, make_activity, page_cache, monkeypatch
):
    now = timezone.now()
    make_activity(title="Public course")
    make_activity(
        title="Scheduled course", publish_at=now + datetime.timedelta(hours=1)
    )
    assert csv_titles(client.get("/activities/", {"format": "csv"})) == {
        "Public course"
    }
    later = now + datetime.timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert csv_titles(client.get("/activities/", {"format": "csv"})) == {
        "Public course",
        "Scheduled course",
    }


def test_a_filtered_export_is_built_for_its_filters(
    client, make_activity, make_partner, page_cache, stored_exports
):
    kuwait = make_partner(slug="kuwait")
    make_activity(title="With Kuwait", partners=[kuwait])
    make_activity(title="Without")
    assert csv_titles(client.get("/activities/", {"format": "csv"})) == {
        "With Kuwait",
        "Without",
    }
    filtered = client.get("/activities/", {"format": "csv", "partner": "kuwait"})
    assert csv_titles(filtered) == {"With Kuwait"}


# The admin: keys that cannot be keys


def management():
    return {"citations-TOTAL_FORMS": "0", "citations-INITIAL_FORMS": "0"}


def citation(source, index=0):
    return {
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "0",
        f"citations-{index}-source": source,
        f"citations-{index}-passage": "A passage.",
    }


NOT_KEYS = ["abc", "1x", str(2**70), "1;DROP TABLE x"]


@pytest.mark.parametrize("bad", NOT_KEYS)
@pytest.mark.parametrize("field", ["partners", "areas"])
def test_the_activity_form_answers_a_bad_partner_or_area_with_a_form_error(
    admin_client, activity_form, field, bad
):
    response = admin_client.post(
        "/admin/partners/activity/add/", activity_form(**{field: [bad]})
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field]
    assert not Activity.objects.exists()


@pytest.mark.parametrize("bad", NOT_KEYS)
@pytest.mark.parametrize(
    ("url", "fields"),
    [
        ("/admin/partners/activity/add/", {"title": "A course", "kind": "course"}),
        ("/admin/timeline/milestone/add/", {"title": "A milestone", "partners": "1"}),
        ("/admin/partners/partner/add/", {"name": "A partner"}),
        ("/admin/partners/cooperationarea/add/", {"name": "An area"}),
    ],
)
def test_every_citation_inline_answers_a_bad_source_with_a_form_error(
    admin_client, url, fields, bad
):
    response = admin_client.post(url, {**fields, **citation(bad)})
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "source" in formset.forms[0].errors


@pytest.mark.parametrize("bad", NOT_KEYS)
def test_the_milestone_form_answers_bad_partners_and_areas_with_form_errors(
    admin_client, bad
):
    data = {"title": "A milestone", "partners": bad, "areas": bad}
    response = admin_client.post(
        "/admin/timeline/milestone/add/", {**data, **management()}
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"partners", "areas"} <= set(errors)


# CSV cells a spreadsheet would run


FORMULAS = {
    "title": '=HYPERLINK("https://evil.example","Click")',
    "summary": "+1+1",
    "location": "@SUM(A1)",
    "body": "-2+3",
}


def test_public_csv_neutralises_cells_a_spreadsheet_would_run(
    client, make_activity, uncached_pages
):
    make_activity(**FORMULAS, slug="formulas")
    make_activity(title="\tTabbed", slug="tabbed", summary="\rReturned")
    make_activity(title="Plain - title", slug="plain")
    body = b"".join(client.get("/activities/", {"format": "csv"}).streaming_content)
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(body.decode()))}
    for column, value in FORMULAS.items():
        assert rows["formulas"][column] == "'" + value
    assert rows["tabbed"]["title"] == "'\tTabbed"
    assert rows["tabbed"]["summary"] == "'\rReturned"
    assert rows["plain"]["title"] == "Plain - title"  # only the first character counts


def test_the_admin_csv_export_neutralises_them_too(admin_client, make_activity):
    activity = make_activity(**FORMULAS)
    response = admin_client.post(
        "/admin/partners/activity/",
        {"action": "export_csv", "_selected_action": [activity.pk]},
    )
    body = b"".join(response.streaming_content).decode()
    (row,) = csv.DictReader(io.StringIO(body))
    assert row["title"] == "'" + FORMULAS["title"]
    assert row["summary"] == "'" + FORMULAS["summary"]
    assert row["location"] == "'" + FORMULAS["location"]


# A source is public only when a public record cites it


def test_a_source_cited_only_by_drafts_is_public_nowhere(
    client, make_source, make_activity, make_milestone, make_area, uncached_pages
):
    hidden = make_source(title="Cited by a draft only")
    unused = make_source(title="Cited by nothing")
    by_activity = make_source(title="Cited by a public activity")
    by_area = make_source(title="Cited by an area")
    make_activity(state=Activity.State.DRAFT, sources=[hidden])
    make_milestone(state=Activity.State.DRAFT, sources=[hidden])
    make_activity(sources=[by_activity, hidden], state=Activity.State.DRAFT)
    make_activity(sources=[by_activity])
    make_area(slug="training").sources.set(
        [by_area], through_defaults={"passage": "A passage."}
    )
    public = {by_activity.title, by_area.title}
    html = client.get("/sources/").content.decode()
    assert all(title in html for title in public)
    assert hidden.title not in html and unused.title not in html
    exported = b"".join(client.get("/sources/", {"format": "csv"}).streaming_content)
    assert {row["title"] for row in csv.DictReader(io.StringIO(exported.decode()))} == (
        public
    )
    api = client.get("/api/v1/sources/").json()
    assert {record["title"] for record in api["data"]} == public
    assert api["meta"]["count"] == 2
    assert client.get(f"/api/v1/sources/{hidden.pk}/").status_code == 404
    assert client.get(f"/api/v1/sources/{by_area.pk}/").status_code == 200


def test_the_sources_page_runs_the_same_queries_however_many_cite(
    client, make_source, make_activity, uncached_pages, django_assert_max_num_queries
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/sources/").status_code == 200
        return len(captured)

    make_activity(sources=[make_source()])
    few = queries()
    for _ in range(15):
        make_activity(sources=[make_source(), make_source()])
        make_activity(state=Activity.State.DRAFT, sources=[make_source()])
    assert queries() == few
    # The page and its count, the dataset version (uncached here) of five kinds.
    with django_assert_max_num_queries(7):
        client.get("/sources/")


# Security headers on refusals


def assert_security_headers(response):
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@pytest.mark.parametrize("cached", [False, True])
def test_refusals_carry_every_security_header(client, settings, cached):
    settings.PAGE_CACHE_SECONDS = settings.CONTENT_VERSION_SECONDS = (
        600 if cached else 0
    )
    too_big = client.post("/report/", data=b"x" * 2_000_000, content_type="text/plain")
    assert too_big.status_code == 413
    assert_security_headers(too_big)
    bad_host = client.get("/", HTTP_HOST="evil.example")
    assert bad_host.status_code == 400
    assert_security_headers(bad_host)
    too_long = client.get("/activities/", {"q": "x" * 5000})
    assert too_long.status_code == 400
    assert_security_headers(too_long)


def test_a_bad_host_is_logged_once_as_a_brief_warning(client, caplog):
    with caplog.at_level(logging.INFO):
        assert client.get("/", HTTP_HOST="evil.example").status_code == 400
    (record,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert record.name == "django.security.DisallowedHost"
    assert record.levelname == "WARNING"
    assert record.exc_info is None and record.exc_text is None
    assert "evil.example" in record.getMessage()


# Sign-in lockout


def sign_in(client, username, password, address, **headers):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def test_one_address_trying_many_accounts_is_locked_out(
    client, editor, editor_password
):
    attacker = "203.0.113.7"
    for name in ["admin", "root", "editor", "alice", "bob"]:
        sign_in(client, name, "wrong-guess", attacker)
    assert sign_in(client, "erin", editor_password, attacker).status_code == 429
    assert sign_in(client, "erin", editor_password, "198.51.100.2").status_code == 302


def test_a_client_that_reaches_the_app_directly_cannot_choose_its_address(
    client, editor, editor_password, settings
):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    attacker = "203.0.113.7"  # not the proxy (127.0.0.1 by default)
    for forged in ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"]:
        sign_in(client, "erin", "wrong", attacker, HTTP_X_FORWARDED_FOR=forged)
    again = sign_in(
        client, "erin", editor_password, attacker, HTTP_X_FORWARDED_FOR="9.9.9.9"
    )
    assert again.status_code == 429
    # Through the proxy the address it saw is counted, each client on its own.
    via_proxy = sign_in(
        client, "erin", editor_password, "127.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9"
    )
    assert via_proxy.status_code == 302


# The content-health page


def test_content_health_needs_the_view_permission_on_content(
    client, editor_client, make_activity
):
    make_activity(title="Secret draft title", state=Activity.State.DRAFT)
    staff = User.objects.create_user("staffer", password="a-long-enough-password-1")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    refused = client.get("/admin/content-health/")
    assert refused.status_code == 403
    assert "Secret draft title" not in refused.content.decode()
    allowed = editor_client.get("/admin/content-health/")
    assert "Secret draft title" in allowed.content.decode()
