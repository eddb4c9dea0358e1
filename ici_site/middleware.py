import logging

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import get_cache_key, learn_cache_key, patch_cache_control

from partners.cache import content_version

logger = logging.getLogger(__name__)

UNSHAREABLE = ("private", "no-store", "no-cache")


class PublicPageCacheMiddleware:
    """Serve anonymous GETs from the shared cache, keyed by the content version.

    Readers signed in (anyone with a session cookie) always get a freshly built page. A
    failing cache never fails a page: it is served uncached and the error logged.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        max_age = settings.PAGE_CACHE_SECONDS
        if not max_age or not self.is_anonymous_get(request):
            return self.get_response(request)
        try:
            version = content_version(max_age)
            key = get_cache_key(request, version, "GET", cache)
            cached = cache.get(key) if key else None
        except Exception:
            logger.exception("Page cache unavailable; serving the page uncached.")
            return self.get_response(request)
        if cached is not None:
            return cached
        response = self.get_response(request)
        if self.is_shareable(response):
            # Browsers and proxies may keep a copy but must revalidate it (ETag) first.
            patch_cache_control(response, public=True, no_cache=True)
            try:
                key = learn_cache_key(request, response, max_age, version, cache)
                cache.set(key, response, max_age)
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
    def is_shareable(response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not any(word in cache_control for word in UNSHAREABLE)
        )
