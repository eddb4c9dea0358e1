import datetime
import os

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import ici_site.cache
from content.version import invalidate
from ici_site import page_cache
from partners.models import Activity

from .servers import TcpProxy

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


@pytest.fixture
def kuwait(make_partner):
    return make_partner(name="Kuwait", slug="kuwait")


def test_repeated_anonymous_get_is_served_from_cache_without_queries(
    client, kuwait, django_assert_num_queries, make_activity
):
    make_activity(title="Lessons Learned course", partners=[kuwait])
    first = client.get("/activities/")
    with django_assert_num_queries(0):
        again = client.get("/activities/")
    assert again.status_code == 200
    assert again.content == first.content
    assert "Lessons Learned course" in again.content.decode()


def test_editor_change_in_admin_shows_on_next_anonymous_request(
    client, editor_client, kuwait, make_source, make_activity, activity_form
):
    activity = make_activity(
        title="Old title", partners=[kuwait], sources=[make_source()]
    )
    for url in ["/activities/", activity.get_absolute_url(), "/partners/kuwait/", "/"]:
        assert "Old title" in client.get(url).content.decode()
    response = editor_client.post(
        f"/admin/partners/activity/{activity.pk}/change/",
        activity_form(activity, title="New title"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    for url in ["/activities/", activity.get_absolute_url(), "/partners/kuwait/", "/"]:
        html = client.get(url).content.decode()
        assert "New title" in html and "Old title" not in html, url


def test_editor_unpublishing_or_deleting_in_admin_hides_the_page_at_once(
    client, editor_client, kuwait, make_source, make_activity, activity_form
):
    kept = make_activity(title="Kept", partners=[kuwait], sources=[make_source()])
    deleted = make_activity(title="Deleted", partners=[kuwait])
    assert client.get(kept.get_absolute_url()).status_code == 200
    assert "Deleted" in client.get("/activities/").content.decode()
    for url, data in [
        (
            f"/admin/partners/activity/{kept.pk}/change/",
            activity_form(kept, state="draft"),
        ),
        (f"/admin/partners/activity/{deleted.pk}/delete/", {"post": "yes"}),
    ]:
        assert editor_client.post(url, data).status_code == 302
    assert client.get(kept.get_absolute_url()).status_code == 404
    html = client.get("/activities/").content.decode()
    assert "Kept" not in html and "Deleted" not in html


def test_linking_a_partner_in_admin_refreshes_the_partner_page(
    client, editor_client, kuwait, make_source, make_activity, activity_form
):
    activity = make_activity(title="Regional course", sources=[make_source()])
    assert "Regional course" not in client.get("/partners/kuwait/").content.decode()
    response = editor_client.post(
        f"/admin/partners/activity/{activity.pk}/change/",
        activity_form(activity, partners=[kuwait.pk]),
    )
    assert response.status_code == 302
    assert "Regional course" in client.get("/partners/kuwait/").content.decode()


def test_related_record_change_refreshes_pages_citing_it(
    client, kuwait, make_source, make_area, make_activity
):
    source = make_source(title="Old source title")
    make_activity(partners=[kuwait], sources=[source])
    assert "Old source title" in client.get("/activities/").content.decode()
    source.title = "New source title"
    source.save()
    make_area(name="Brand new area")
    assert "New source title" in client.get("/activities/").content.decode()
    assert "Brand new area" in client.get("/areas/").content.decode()


def test_scheduled_item_appears_when_its_moment_passes_without_an_edit(
    client, kuwait, monkeypatch, make_activity
):
    now = timezone.now()
    make_activity(
        title="Scheduled course",
        partners=[kuwait],
        publish_at=now + datetime.timedelta(hours=1),
    )
    assert "Scheduled course" not in client.get("/activities/").content.decode()
    monkeypatch.setattr(
        timezone, "now", lambda: now + datetime.timedelta(hours=1, seconds=1)
    )
    assert "Scheduled course" in client.get("/activities/").content.decode()


def test_signed_in_editor_always_gets_a_fresh_page(
    client, editor_client, kuwait, make_activity
):
    activity = make_activity(title="Before", partners=[kuwait])
    client.get("/activities/")
    # A bulk update sends no signals, so only a bypassed cache can show it.
    Activity.objects.filter(pk=activity.pk).update(title="After")
    assert "Before" in client.get("/activities/").content.decode()
    assert "After" in editor_client.get("/activities/").content.decode()


@pytest.mark.parametrize("cached", [True, False])
def test_conditional_get_answers_304_with_the_etag(
    client, settings, kuwait, cached, make_activity
):
    settings.PAGE_CACHE_SECONDS = 600 if cached else 0
    make_activity(partners=[kuwait])
    response = client.get("/partners/kuwait/")
    etag = response["ETag"]
    again = client.get("/partners/kuwait/", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    kuwait.summary = "Hosts the NATO-ICI Regional Centre."
    kuwait.save()
    changed = client.get("/partners/kuwait/", headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert "Hosts the NATO-ICI Regional Centre." in changed.content.decode()


def test_cached_pages_tell_browsers_to_revalidate(client, kuwait):
    response = client.get("/partners/")
    assert "no-cache" in response["Cache-Control"]


def test_not_found_and_bad_input_are_not_cached(client, kuwait, make_partner):
    assert client.get("/partners/atlantis/").status_code == 404
    make_partner(name="Atlantis", slug="atlantis")
    assert client.get("/partners/atlantis/").status_code == 200
    assert client.get("/activities/", {"year_from": "abc"}).status_code == 400


def test_pages_still_answer_when_the_cache_fails(client, kuwait, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr("content.version.cache.get_many", broken)
    monkeypatch.setattr("content.version.cache.set", broken)
    response = client.get("/partners/")
    assert response.status_code == 200
    assert "Kuwait" in response.content.decode()


def test_the_page_cache_adds_no_query_to_a_miss_and_answers_a_hit_with_none(
    client, settings, kuwait, make_activity
):
    make_activity(partners=[kuwait])
    settings.PAGE_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as uncached:
        client.get("/partners/kuwait/")
    invalidate()
    settings.PAGE_CACHE_SECONDS = 600
    with CaptureQueriesContext(connection) as miss:
        client.get("/partners/kuwait/")
    with CaptureQueriesContext(connection) as hit:
        client.get("/partners/kuwait/")
    assert len(miss) == len(uncached)
    assert len(hit) == 0


def test_anonymous_requests_with_other_cookies_do_not_share_a_stored_page(
    client, kuwait, make_activity
):
    activity = make_activity(title="Before", partners=[kuwait])
    client.get("/activities/")
    Activity.objects.filter(pk=activity.pk).update(title="After")  # no signal
    assert "Before" in client.get("/activities/").content.decode()
    client.cookies["csrftoken"] = "a" * 32
    assert "After" in client.get("/activities/").content.decode()


@pytest.mark.parametrize(
    ("headers", "shareable"),
    [
        ({}, True),
        ({"Vary": "Cookie, Accept-Encoding"}, True),
        ({"Vary": "Accept-Language"}, False),
        ({"Cache-Control": "private"}, False),
        ({"Cache-Control": "no-store"}, False),
    ],
)
def test_only_responses_safe_to_share_are_stored(headers, shareable):
    response = HttpResponse("page", headers=headers)
    assert page_cache.is_shareable(response) is shareable


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis (run with REDIS_URL set)"
)
def test_pages_cached_before_a_redis_outage_are_not_served_after_it(
    client, settings, monkeypatch, kuwait, make_activity
):
    monkeypatch.setattr(ici_site.cache, "_outages", {})
    monkeypatch.setattr(ici_site.cache, "RETRY_SECONDS", 0)
    redis_url = os.environ["REDIS_URL"]
    port, database = redis_url.rsplit(":", 1)[1].split("/")
    proxy = TcpProxy(int(port)).start()
    settings.CACHES = {
        "default": {
            "BACKEND": "ici_site.cache.TolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{proxy.port}/{database}",
            "STALE_AFTER_OUTAGE": [settings.CONTENT_VERSION_KEY],
        }
    }
    try:
        activity = make_activity(title="Before", partners=[kuwait])
        assert "Before" in client.get("/activities/").content.decode()
        proxy.stop()
        activity.title = "Saved while Redis was down"
        activity.save()  # its invalidation cannot reach Redis
        proxy.start()
        html = client.get("/activities/").content.decode()
        assert "Saved while Redis was down" in html
    finally:
        proxy.stop()


def test_a_cached_page_is_answered_with_its_headers_and_no_query(
    client, kuwait, django_assert_num_queries
):
    first = client.get("/partners/kuwait/")
    with django_assert_num_queries(0):
        again = client.get("/partners/kuwait/")
    assert again.content == first.content
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "ETag"):
        assert again[header] == first[header]
    assert again["X-Request-ID"] != first["X-Request-ID"]


def test_a_cached_page_is_never_served_to_a_host_django_refuses(client, kuwait):
    assert client.get("/partners/kuwait/").status_code == 200
    assert client.get("/partners/kuwait/", HTTP_HOST="evil.example").status_code == 400


def test_conditional_get_of_a_cached_page_answers_304(client, kuwait):
    etag = client.get("/partners/kuwait/")["ETag"]
    response = client.get("/partners/kuwait/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
