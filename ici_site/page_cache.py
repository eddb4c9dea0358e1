"""The shared page cache: anonymous GETs of public pages, kept with the content version.

PublicPageCacheMiddleware, first in the middleware stack, stores a page with every
header the stack gave it but its request id, and answers a hit with one cache round
trip (the version and the page together) and no query. A failing cache never fails a
page: it is served uncached, the error logged.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)

from content import version

from .middleware import assign_request_id

logger = logging.getLogger(__name__)

UNSHAREABLE = ("private", "no-store", "no-cache")
PER_REQUEST = {"X-Request-ID"}
# Request headers a stored page may vary on; they are part of its cache key.
VARY = {"cookie": "HTTP_COOKIE", "accept-encoding": "HTTP_ACCEPT_ENCODING"}


def is_anonymous_get(request):
    """A GET of a page by a reader who is not signed in (no session cookie)."""
    return (
        request.method == "GET"
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path.startswith(settings.STATIC_URL)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def page_key(request):
    """The page's address as Django accepted it and the headers it may vary on."""
    meta = request.META
    parts = [
        request.scheme,
        request.get_host(),  # validated: a host Django refuses raises DisallowedHost
        meta.get("SCRIPT_NAME", ""),
        meta.get("PATH_INFO", ""),
        meta.get("QUERY_STRING", ""),
        *(meta.get(header, "") for header in VARY.values()),
    ]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


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
        if not settings.PAGE_CACHE_SECONDS or not is_anonymous_get(request):
            return self.get_response(request)
        try:
            key = page_key(request)
        except DisallowedHost:  # the view's turn to answer 400
            return self.get_response(request)
        try:
            current, found = version.current(key)
        except Exception:
            logger.exception("Page cache unavailable; serving the page uncached.")
            return self.get_response(request)
        if current is None:  # no content version to keep pages under
            return self.get_response(request)
        if (stored := found.get(key)) and stored[0] == current:
            response = stored[1]
            response["X-Request-ID"] = assign_request_id(request)
            return get_conditional_response(
                request, etag=response.get("ETag"), response=response
            )
        response = self.get_response(request)
        if is_shareable(response):
            self.store(key, current, response)
        return response

    def store(self, key, current, response):
        # Browsers and proxies may keep a copy but must revalidate it (ETag) first.
        patch_cache_control(response, public=True, no_cache=True)
        set_response_etag(response)
        stored = HttpResponse(response.content, headers=response.headers)
        for header in PER_REQUEST:
            del stored[header]
        try:
            cache.set(key, (current, stored), settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("Page cache unavailable; the page was not stored.")
