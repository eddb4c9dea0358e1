"""Hostile input to every public URL pattern and every filter parameter.

Whatever is sent (random text, numbers past 2^63, RTL marks, emoji, NUL, very long
strings, repeated parameters), the answer is never a 5xx, never reflects markup
unescaped, and a refusal says why.
"""

import re
from urllib.parse import parse_qsl, quote, urlencode

import pytest
from django.conf import settings
from django.urls import URLResolver, get_resolver
from hypothesis import given
from hypothesis import strategies as st

from .conftest import (
    make_activity,
    make_area,
    make_milestone,
    make_partner,
    make_source,
)

pytestmark = pytest.mark.django_db

MARKUP = ['<script>alert("ici")</script>', '"><svg onload=alert(1)>', "<b x='y'>"]
PAYLOADS = [
    *MARKUP,
    "\x00",
    "\u202e\u200f",  # right-to-left override and mark
    "💥🇶🇦",
    "Ω≈ç√∫",
    "' OR 1=1 --",
    "%00%2e%2e%2f",
    "../../etc/passwd",
    "{{ 7|add:7 }}",
    str(2**63),
    str(-(2**63) - 1),
    "9" * 40,
    "1e309",
    "NaN",
    "x" * 5000,
    "ش" * 1000,
    " ",
]

hostile_text = st.one_of(
    st.text(max_size=30),
    st.integers().map(str),
    st.builds(
        lambda before, payload, after: before + payload + after,
        st.text(max_size=10),
        st.sampled_from(PAYLOADS),
        st.text(max_size=10),
    ),
)
# Segments that do match <slug:...>, so the view itself looks them up.
slug_like = st.from_regex(r"[-a-zA-Z0-9_]{1,300}", fullmatch=True)


def public_routes(patterns=None, prefix=""):
    """Every route outside the admin, e.g. 'partners/<slug:slug>/'."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(settings.ADMIN_URL) or route.startswith("^"):
            continue
        if isinstance(pattern, URLResolver):
            yield from public_routes(pattern.url_patterns, route)
        else:
            yield route


def filter_parameters(patterns=None):
    """The names of every filter on every public list, and paging."""
    names = {"page", "format", "q", "sort"}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            names |= filter_parameters(pattern.url_patterns)
            continue
        view = getattr(pattern.callback, "view_class", None)
        if filterset := getattr(view, "filterset_class", None):
            names |= set(filterset.base_filters)
    return names


ROUTES = sorted(set(public_routes()))
PARAMETERS = sorted(filter_parameters())
CONVERTER = re.compile(r"<(?:\w+:)?\w+>")

query = st.lists(st.tuples(st.sampled_from(PARAMETERS), hostile_text), max_size=6).map(
    urlencode
)


@pytest.fixture
def content():
    source = make_source()
    partner = make_partner(slug="kuwait")
    area = make_area(slug="training")
    make_activity(slug="course", partners=[partner], areas=[area], sources=[source])
    make_milestone(slug="istanbul", partners=[partner], sources=[source])


def assert_handled(response, sent):
    assert response.status_code < 500, sent
    if response.status_code == 400:
        body = response.content.decode()
        if response["Content-Type"] == "application/json":  # the API and exports
            assert response.json()["error"], "a 400 must say what was wrong"
        else:
            assert "errorlist" in body or "<h1>" in body, (
                "a 400 must say what was wrong"
            )
    if response.get("Content-Type", "").startswith("text/html"):
        body = response.content.decode()
        for value in sent:
            if any(markup in value for markup in MARKUP):
                assert value not in body, "input reflected unescaped"


def test_the_routes_and_parameters_cover_the_site():
    assert {"partners/<slug:slug>/", "activities/", "timeline/<slug:slug>/"} <= set(
        ROUTES
    )
    assert {"partner", "area", "kind", "year_from", "year_to", "q"} <= set(PARAMETERS)


@pytest.mark.parametrize("route", ROUTES)
@given(segment=st.one_of(hostile_text, slug_like), query_string=query)
def test_every_url_pattern_survives_hostile_input(
    client, content, route, segment, query_string
):
    path = "/" + CONVERTER.sub(quote(segment, safe="") or "x", route)
    response = client.get(f"{path}?{query_string}")
    values = [segment, *(value for _, value in parse_qsl(query_string))]
    assert_handled(response, values)


@given(
    parameters=st.lists(
        st.tuples(st.sampled_from(PARAMETERS), hostile_text), min_size=1, max_size=8
    )
)
def test_filters_answer_hostile_values_with_a_message(client, content, parameters):
    for url in ["/activities/", "/timeline/"]:
        response = client.get(url + "?" + urlencode(parameters))
        assert_handled(response, [value for _, value in parameters])


def test_search_words_come_back_escaped(client, content):
    response = client.get("/activities/", {"q": MARKUP[0]})
    html = response.content.decode()
    assert MARKUP[0] not in html
    assert "&lt;script&gt;alert(&quot;ici&quot;)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "parameters",
    [
        {"year_from": str(2**63)},
        {"year_to": "-" + str(2**64)},
        {"page": str(2**63)},
        {"page": "-1"},
        {"partner": "\x00"},
        {"kind": "💥"},
        {"q": "\u202e" * 300},
    ],
)
def test_known_hostile_values_get_a_clear_answer(client, content, parameters):
    response = client.get("/activities/", parameters)
    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert "errorlist" in response.content.decode()


@pytest.mark.parametrize("route", ROUTES)
def test_other_methods_and_bodies_never_give_a_5xx(client, content, route):
    path = "/" + CONVERTER.sub("kuwait", route)
    for method in ["post", "put", "patch", "delete", "options", "head"]:
        response = getattr(client, method)(path, {"q": MARKUP[0], "page": str(2**64)})
        assert response.status_code < 500, (method, path)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_HOST": "evil.example"},
        {"HTTP_HOST": "127.0.0.1:99999999999999999999"},
        {"HTTP_ACCEPT_LANGUAGE": "💥" * 100},
        {"HTTP_X_REQUEST_ID": "\x00" * 10},
        {"HTTP_COOKIE": "sessionid=" + "x" * 4000},
        {"HTTP_X_FORWARDED_FOR": "not-an-address, <script>"},
    ],
)
def test_hostile_headers_never_give_a_5xx(client, content, headers):
    response = client.get("/activities/", **headers)
    assert response.status_code in (200, 400)
