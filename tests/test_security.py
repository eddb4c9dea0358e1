"""Deployment security: headers, cookies, the admin address, accounts, --deploy."""

import importlib
import io
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import clear_url_caches

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("cached", [False, True])
def test_every_response_carries_the_security_headers(
    client, public_urls, settings, cached
):
    # Cached pages are served before any other middleware runs: the stored headers
    # must be whole, and the request id each request's own.
    settings.PAGE_CACHE_SECONDS = 600 if cached else 0
    ids = set()
    for url in public_urls * 2:
        response = client.get(url)
        ids.add(response["X-Request-ID"])
        csp = response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert len(ids) == len(public_urls) * 2


INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),  # a script without src
    re.compile(r"<style\b", re.I),
    re.compile(r"\sstyle\s*=", re.I),
    re.compile(r"\son[a-z]+\s*=", re.I),  # onclick= and friends
    re.compile(r"javascript:", re.I),
]


def test_public_pages_have_no_inline_script_or_style(client, public_urls):
    for url in public_urls:
        html = client.get(url).content.decode()
        for pattern in INLINE:
            assert not pattern.search(html), f"{pattern.pattern} on {url}"


def test_admin_pages_editors_use_have_no_inline_script_or_style(
    editor_client, make_source, make_partner, make_activity
):
    activity = make_activity(partners=[make_partner()], sources=[make_source()])
    for url in [
        "/admin/",
        "/admin/partners/activity/",
        f"/admin/partners/activity/{activity.pk}/change/",
        f"/admin/partners/activity/{activity.pk}/history/",
        "/admin/partners/partner/add/",
        "/admin/timeline/milestone/",
    ]:
        response = editor_client.get(url)
        assert response.status_code == 200, url
        for pattern in INLINE:
            assert not pattern.search(response.content.decode()), url


def test_a_refused_form_explains_itself_without_inline_style(client, editor):
    client.handler.enforce_csrf_checks = True
    response = client.post("/admin/login/", {"username": "erin", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "This form could not be accepted" in html
    for pattern in INLINE:
        assert not pattern.search(html)


def test_public_pages_never_link_to_the_admin(client, public_urls):
    for url in public_urls:
        assert "/admin" not in client.get(url).content.decode(), url


def test_csrf_and_session_cookies_are_httponly_and_samesite(
    client, editor, editor_password
):
    client.get("/admin/login/")
    csrf = client.cookies["csrftoken"]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    client.post(
        "/admin/login/",
        {"username": "erin", "password": editor_password},
        REMOTE_ADDR="192.0.2.10",
    )
    session = client.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"


@pytest.fixture
def secret_admin_url(settings):
    """The admin moved by DJANGO_ADMIN_URL, as production sets it."""
    urls = importlib.import_module("ici_site.urls")

    def move_admin(to):
        settings.ADMIN_URL = to
        importlib.reload(urls)
        clear_url_caches()

    move_admin("editors-3f9a/")
    yield "/editors-3f9a/"
    move_admin("admin/")


def test_admin_answers_only_at_its_configured_address(client, secret_admin_url):
    response = client.get(secret_admin_url)
    assert response.status_code == 302
    assert response["Location"].startswith(secret_admin_url + "login/")
    assert client.get("/admin/").status_code == 404


def run_deploy_check(**environment):
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "ici.example.org",
        **environment,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = run_deploy_check(DJANGO_HTTPS="true", DJANGO_ADMIN_URL="editors-3f9a/")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_flags_a_production_run_without_https():
    result = run_deploy_check(DJANGO_HTTPS="false")
    assert result.returncode != 0
    for check in ["security.W004", "security.W008", "security.W012", "security.W016"]:
        assert check in result.stderr + result.stdout


@pytest.mark.parametrize(
    "url",
    ["ftp://ftp.example.org/ici.pdf", "javascript:alert(1)", "file:///etc/passwd"],
)
def test_source_urls_must_be_web_addresses(url, make_source):
    source = make_source()
    source.url = url
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert "url" in error.value.message_dict


def test_source_accepts_http_and_https(make_source):
    for url in ["http://www.nato.int/ici.htm", "HTTPS://www.nato.int/cps/en.htm"]:
        source = make_source(url=url)
        source.full_clean()


# Editor accounts


def sign_in(client, password, address):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "erin", "password": password},
        REMOTE_ADDR=address,
    )


def test_five_wrong_passwords_lock_the_account_from_that_address(
    client, editor, editor_password
):
    attacker = "203.0.113.7"
    for _ in range(4):
        assert sign_in(client, "wrong-guess", attacker).status_code == 200
    locked = sign_in(client, "wrong-guess", attacker)
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    assert "locked for 30 minutes" in locked.content.decode()
    # Even the right password is refused from there while the lockout lasts ...
    assert sign_in(client, editor_password, attacker).status_code == 429
    # ... but the editor, elsewhere, still signs in.
    assert sign_in(client, editor_password, "198.51.100.2").status_code == 302


def test_an_unlock_command_lifts_the_lockout(client, editor, editor_password):
    for _ in range(5):
        sign_in(client, "wrong-guess", "203.0.113.7")
    assert sign_in(client, editor_password, "203.0.113.7").status_code == 429
    call_command("axes_reset_username", "erin", stdout=io.StringIO())
    response = sign_in(client, editor_password, "203.0.113.7")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_behind_the_proxy_each_client_address_is_locked_out_separately(
    client, editor, settings, editor_password
):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    def via_proxy(password, forwarded_for):
        return client.post(
            "/admin/login/?next=/admin/",
            {"username": "erin", "password": password},
            REMOTE_ADDR="10.0.0.1",  # the proxy, the same for everyone
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    for forged in ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"]:
        via_proxy("wrong-guess", f"{forged}, 203.0.113.7")
    assert via_proxy(editor_password, "9.9.9.9, 203.0.113.7").status_code == 429
    assert via_proxy(editor_password, "198.51.100.2").status_code == 302


def test_lockout_logs_name_no_account_or_address(client, editor, caplog):
    for _ in range(5):
        sign_in(client, "wrong-guess", "203.0.113.7")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "AXES" in logged
    assert "erin" not in logged and "203.0.113.7" not in logged
    assert "wrong-guess" not in logged


def test_deactivate_editor_ends_access_and_sessions(
    editor_client, editor, editor_password
):
    assert editor_client.get("/admin/").status_code == 200
    out = io.StringIO()
    call_command("deactivate_editor", "erin", stdout=out)
    assert "deactivated; 1 open session(s) ended" in out.getvalue()
    editor.refresh_from_db()
    assert not editor.is_active
    assert not Session.objects.exists()
    assert editor_client.get("/admin/").status_code == 302
    assert sign_in(editor_client, editor_password, "198.51.100.2").status_code == 200
    assert User.objects.filter(username="erin").exists()  # history keeps its author


def test_deactivate_editor_names_an_unknown_user():
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("deactivate_editor", "nobody")
