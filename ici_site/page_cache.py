import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)

from partners.cache import content_version

from .middleware import assign_request_id

logger = logging.getLogger(__name__)

UNSHAREABLE = ("private", "no-store", "no-cache")
PER_REQUEST = {"X-Request-ID"}
# Request headers a stored page may vary on; they are part of its cache key.
VARY = {"cookie": "HTTP_COOKIE", "accept-encoding": "HTTP_ACCEPT_ENCODING"}


class PublicPageCacheMiddleware:
    """Serve anonymous GETs from the shared cache, stored with the content version.

    First in the stack, so a hit costs one cache round trip (the version and the page
    together), no query and no other middleware: a page is stored with every header
    the stack gave it but its request id. Readers signed in (anyone with a session
    cookie) always get a freshly built page. A failing cache never fails a page: it is
    served uncached, the error logged.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        max_age = settings.PAGE_CACHE_SECONDS
        if (
            not max_age
            or not self.is_anonymous_get(request)
            or request.path.startswith(settings.STATIC_URL)
        ):
            return self.get_response(request)
        key = self.page_key(request)
        try:
            version, found = content_version(max_age, key)
        except Exception:
            logger.exception("Page cache unavailable; serving the page uncached.")
            return self.get_response(request)
        if key in found and found[key][0] == version:
            _, status, headers, content = found[key]
            response = HttpResponse(content, status=status, headers=headers)
            response["X-Request-ID"] = assign_request_id(request)
            return get_conditional_response(
                request, etag=response.get("ETag"), response=response
            )
        response = self.get_response(request)
        if self.is_shareable(response):
            # Browsers and proxies may keep a copy but must revalidate it (ETag) first.
            patch_cache_control(response, public=True, no_cache=True)
            set_response_etag(response)
            headers = {k: v for k, v in response.items() if k not in PER_REQUEST}
            entry = (version, response.status_code, headers)
            try:
                cache.set(key, (*entry, response.content), max_age)
            except Exception:
                logger.exception("Page cache unavailable; the page was not stored.")
        return response

    @staticmethod
    def is_anonymous_get(request):
        return (
            request.method == "GET"
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
        )

    @staticmethod
    def page_key(request):
        parts = [request.build_absolute_uri()]
        parts += [request.META.get(header, "") for header in VARY.values()]
        digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return f"page:{digest}"

    @staticmethod
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
