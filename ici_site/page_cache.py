"""The shared page cache: anonymous GETs of public pages, kept with the content version.

PublicPageCacheMiddleware, first in the middleware stack, stores a page with every
header the stack gave it but its request id, and serves hits to Django's own handler
(tests, runserver). ServeCachedPages wraps the WSGI application, so that under
gunicorn a hit is answered before Django builds a request at all. Either way a hit
costs one cache round trip (the version and the page together) and no query; a
lookup is made once per request, and a failing cache never fails a page: it is
served uncached, the error logged.
"""

import hashlib
import http
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.http.cookie import parse_cookie
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)

from partners.cache import content_version

from .middleware import assign_request_id, request_id_for

logger = logging.getLogger(__name__)

UNSHAREABLE = ("private", "no-store", "no-cache")
PER_REQUEST = {"X-Request-ID"}
# Request headers a stored page may vary on; they are part of its cache key.
VARY = {"cookie": "HTTP_COOKIE", "accept-encoding": "HTTP_ACCEPT_ENCODING"}
# Where a request's lookup is remembered: (key, version), or None when uncacheable.
LOOKUP = "ici.page_cache"


def is_anonymous_get(meta):
    """A GET of a page by a reader who is not signed in (no session cookie)."""
    path = meta.get("SCRIPT_NAME", "") + meta.get("PATH_INFO", "")
    cookies = parse_cookie(meta.get("HTTP_COOKIE", ""))
    return (
        meta.get("REQUEST_METHOD") == "GET"
        and "HTTP_AUTHORIZATION" not in meta
        and not path.startswith(settings.STATIC_URL)
        and settings.SESSION_COOKIE_NAME not in cookies
    )


def page_key(meta):
    """The request's address and the headers a page may vary on, as sent: the host
    is the one Django accepted when the page was stored, or the key is never found."""
    parts = [
        meta.get("wsgi.url_scheme", ""),
        meta.get("HTTP_X_FORWARDED_PROTO", ""),
        meta.get("HTTP_HOST", ""),
        meta.get("SCRIPT_NAME", ""),
        meta.get("PATH_INFO", ""),
        meta.get("QUERY_STRING", ""),
        *(meta.get(header, "") for header in VARY.values()),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page:{digest}"


def lookup(meta):
    """The stored (status, headers, content) for this request, or None."""
    if LOOKUP in meta:  # looked up already, by the WSGI layer: it was a miss
        return None
    meta[LOOKUP] = None
    max_age = settings.PAGE_CACHE_SECONDS
    if not max_age or not is_anonymous_get(meta):
        return None
    key = page_key(meta)
    try:
        version, found = content_version(max_age, key)
    except Exception:
        logger.exception("Page cache unavailable; serving the page uncached.")
        return None
    meta[LOOKUP] = (key, version)
    stored = found.get(key)
    if stored and stored[0] == version:
        return stored[1:]
    return None


def store(meta, response):
    if not meta.get(LOOKUP) or not is_shareable(response):
        return
    key, version = meta[LOOKUP]
    # Browsers and proxies may keep a copy but must revalidate it (ETag) first.
    patch_cache_control(response, public=True, no_cache=True)
    set_response_etag(response)
    headers = {k: v for k, v in response.items() if k not in PER_REQUEST}
    try:
        cache.set(
            key,
            (version, response.status_code, headers, response.content),
            settings.PAGE_CACHE_SECONDS,
        )
    except Exception:
        logger.exception("Page cache unavailable; the page was not stored.")


def is_shareable(response):
    cache_control = response.get("Cache-Control", "")
    vary = {v.lower() for v in cc_delim_re.split(response.get("Vary", "")) if v}
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(word in cache_control for word in UNSHAREABLE)
        and vary <= VARY.keys()
    )


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if hit := lookup(request.META):
            status, headers, content = hit
            response = HttpResponse(content, status=status, headers=headers)
            response["X-Request-ID"] = assign_request_id(request)
            return get_conditional_response(
                request, etag=response.get("ETag"), response=response
            )
        response = self.get_response(request)
        store(request.META, response)
        return response


class ServeCachedPages:
    """WSGI middleware: a cached page straight from the cache, no Django request.

    Conditional GETs go on to Django, whose middleware answers them (304 or the page).
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        conditional = "HTTP_IF_NONE_MATCH" in environ or (
            "HTTP_IF_MODIFIED_SINCE" in environ
        )
        if conditional or not (hit := lookup(environ)):
            return self.application(environ, start_response)
        status, headers, content = hit
        headers = [*headers.items(), ("X-Request-ID", request_id_for(environ))]
        start_response(f"{status} {http.HTTPStatus(status).phrase}", headers)
        return [content]
