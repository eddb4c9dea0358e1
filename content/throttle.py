"""Per-client limits on the answers that cost the most: exports and search.

A fixed window per client and kind, counted in the cache (shared by every server with
Redis), the client named by its keyed digest (``RATE_LIMIT_CLIENT``), never its
address. A failing cache limits nobody: it must not take exports down with it.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string
from django.utils.translation import gettext


def retry_after(request, scope):
    """Seconds until this client may ask again, or None while within its limit of
    ``RATE_LIMITS[scope]`` (requests, seconds)."""
    limit, period = settings.RATE_LIMITS.get(scope, (0, 0))
    if not limit:
        return None
    client = import_string(settings.RATE_LIMIT_CLIENT)(request)
    now = time.time()
    key = f"rate:{scope}:{client}:{int(now // period)}"
    try:
        cache.add(key, 0, period)
        count = cache.incr(key)
    except ValueError:  # gone between add and incr, or the cache is down
        return None
    if count <= limit:
        return None
    return int(period - now % period) + 1


def message(scope, seconds):
    limit, period = settings.RATE_LIMITS[scope]
    text = {
        "export": gettext(
            "Too many downloads from your address: at most %(limit)s every "
            "%(period)s seconds. Try again in %(seconds)s seconds."
        ),
        "search": gettext(
            "Too many searches from your address: at most %(limit)s every "
            "%(period)s seconds. Try again in %(seconds)s seconds."
        ),
    }.get(scope) or gettext(
        "Too many requests from your address: at most %(limit)s every "
        "%(period)s seconds. Try again in %(seconds)s seconds."
    )
    return text % {"limit": limit, "period": period, "seconds": seconds}
