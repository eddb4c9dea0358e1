"""Hostile input to every public URL pattern and every filter parameter.

Whatever is sent (random text, numbers past 2^63, RTL marks, emoji, NUL, very long
strings, repeated parameters), the answer is never a 5xx, never reflects markup
unescaped, and a refusal says why.
"""

import re
from urllib.parse import parse_qsl, quote, urlencode

import pytest
from django.conf import settings
from django.urls import URLResolver, get_resolver, reverse
from hypothesis import given
from hypothesis import strategies as st

from ici_site.search import SearchForm

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


# What a 400 names as wrong, read the way each kind of answer says it ------------------

TOO_LONG = "The address is too long."
FIELD_BLOCK = re.compile(  # one field of a filter form, up to the next
    r'<div class="field field--(?P<name>\w+)(?P<invalid> field--error)?">'
    r'(?P<block>.*?)(?=<div class="field field--|<div class="filters__actions">)',
    re.S,
)


def named_in_filter_form(html):
    """The filters marked invalid, each with its own error list inside its field."""
    named = set()
    for field in FIELD_BLOCK.finditer(html):
        name = field["name"]
        error_list = rf'<ul class="errorlist" id="id_{name}_error"><li>[^<]+</li>'
        listed = re.search(error_list, field["block"])
        assert bool(field["invalid"]) == bool(listed), f"{name}: mark without list"
        if listed:
            named.add(name)
    anywhere = set(re.findall(r'<ul class="errorlist" id="id_(\w+)_error">', html))
    assert anywhere == named, "an error list away from its field"
    return named


def named_in_search_form(html):
    """The search page's errors: for the words (q), the error list the box points to;
    for the kind, offered as links rather than a field, a message naming its label."""
    named = set()
    box = re.search(r'<input type="search" name="q" id="search-q"[^>]*>', html)
    if 'aria-describedby="search-q-error"' in box[0]:
        assert re.search(
            r'<ul class="errorlist" id="search-q-error"><li>[^<]+</li>', html
        )
        named.add("q")
    label = SearchForm.base_fields["kind"].label
    if re.search(rf'<div class="error-summary" role="alert"><p>{label}: [^<]+', html):
        named.add("kind")
    return named


def named_in_refusal(response):
    """The fields or parameters a 400 answer names as wrong."""
    if response["Content-Type"] == "application/json":  # the API and exports
        body = response.json()
        assert body["error"], "a 400 must say what was wrong"
        if "errors" in body:  # the filters' errors, keyed by field
            assert all(body["errors"].values()), body
            return set(body["errors"])
        # A parameter that is not a filter (format, page) is named in the message.
        return {name for name in PARAMETERS if re.search(rf"\b{name}\b", body["error"])}
    html = response.content.decode()
    if response.request["PATH_INFO"] == reverse("search"):
        return named_in_search_form(html)
    if '<form class="filters"' in html:
        return named_in_filter_form(html)
    return set()  # 400.html gives a reason, and names no field


def assert_handled(response, values, query_string):
    assert response.status_code < 500, values
    if response.status_code == 400:
        if len(query_string) > settings.MAX_QUERY_STRING_LENGTH:
            # Refused before anything reads it: the reason is the length of it all.
            assert TOO_LONG in response.content.decode()
        else:
            sent = {name for name, _ in parse_qsl(query_string, keep_blank_values=True)}
            named = named_in_refusal(response)
            assert named, "a 400 must name the field or parameter that was wrong"
            assert named <= sent, f"names {named}, but only {sent} were sent"
    if response.get("Content-Type", "").startswith("text/html"):
        body = response.content.decode()
        for value in values:
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
    client, one_of_each, route, segment, query_string
):
    path = "/" + CONVERTER.sub(quote(segment, safe="") or "x", route)
    response = client.get(f"{path}?{query_string}")
    values = [segment, *(value for _, value in parse_qsl(query_string))]
    assert_handled(response, values, query_string)


@given(
    parameters=st.lists(
        st.tuples(st.sampled_from(PARAMETERS), hostile_text), min_size=1, max_size=8
    )
)
def test_filters_answer_hostile_values_with_a_message(client, one_of_each, parameters):
    query_string = urlencode(parameters)
    for url in ["/activities/", "/timeline/"]:
        response = client.get(f"{url}?{query_string}")
        assert_handled(response, [value for _, value in parameters], query_string)


def test_search_words_come_back_escaped(client, one_of_each):
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
def test_known_hostile_values_get_a_clear_answer(client, one_of_each, parameters):
    response = client.get("/activities/", parameters)
    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert named_in_refusal(response) == set(parameters)


@pytest.mark.parametrize(
    ("url", "parameters", "wrong"),
    [
        ("/activities/", {"year_from": "abc"}, "year_from"),  # each filter form
        ("/activities/", {"year_from": "2010", "year_to": "2000"}, "year_to"),
        ("/timeline/", {"partner": "atlantis", "area": "training"}, "partner"),
        ("/charts/", {"year_to": "1"}, "year_to"),
        ("/search/", {"q": "x" * 300}, "q"),  # the search page
        ("/search/", {"q": "course", "kind": "nothing"}, "kind"),
        ("/activities/", {"format": "csv", "kind": "nothing"}, "kind"),  # exports
        ("/partners/", {"format": "pdf"}, "format"),
        ("/api/v1/activities/", {"kind": "nothing"}, "kind"),  # the API
        ("/api/v1/activities/", {"page": "first"}, "page"),
    ],
)
def test_each_kind_of_refusal_names_what_was_wrong(
    client, one_of_each, url, parameters, wrong
):
    response = client.get(url, parameters)
    assert response.status_code == 400
    assert named_in_refusal(response) == {wrong}


@pytest.mark.xfail(
    strict=True,
    reason="RequestSizeLimitMiddleware refuses a query string longer than "
    "MAX_QUERY_STRING_LENGTH with 400.html 'The address is too long. Choose fewer "
    "filters.' before any view reads it: it names no parameter, even when one value "
    "(here q, which allows 200 characters) made the address long",
)
def test_an_over_long_value_is_named_in_its_refusal(client, one_of_each):
    response = client.get("/activities/", {"q": "x" * 5000})
    assert response.status_code == 400
    assert TOO_LONG in response.content.decode()
    assert named_in_refusal(response) == {"q"}


@pytest.mark.parametrize("route", ROUTES)
def test_other_methods_and_bodies_never_give_a_5xx(client, one_of_each, route):
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
def test_hostile_headers_never_give_a_5xx(client, one_of_each, headers):
    response = client.get("/activities/", **headers)
    assert response.status_code in (200, 400)
