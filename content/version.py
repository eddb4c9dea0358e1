"""The content version: a token in the cache that every change to content replaces.

Pages, counts and the dataset version are cached under it, so none of them outlives a
change. Saving or deleting any content record (or one of its links) drops it, and so
does the moment the next scheduled item becomes public; the next reader starts a new
one. Bulk writes that send no signals (`QuerySet.update()`, `bulk_create`, raw SQL)
call `invalidate()` themselves.
"""

import hashlib
import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from .models import Publishable, content_models

logger = logging.getLogger(__name__)


def invalidate(**kwargs):
    # Dropped now, so a failing cache fails the editor's save rather than hiding it, and
    # again after commit, so no request can cache the old rows in between.
    cache.delete(settings.CONTENT_VERSION_KEY)
    transaction.on_commit(lambda: cache.delete(settings.CONTENT_VERSION_KEY))


def _invalidate_on_link_change(action, **kwargs):
    if action.startswith("post_"):
        invalidate()


def watch_content():
    """Drop the version whenever any content record or link changes."""
    for model in content_models(include_link_tables=True):
        uid = f"content-version-{model._meta.label}"
        post_save.connect(invalidate, sender=model, dispatch_uid=uid)
        post_delete.connect(invalidate, sender=model, dispatch_uid=uid)
        m2m_changed.connect(_invalidate_on_link_change, sender=model, dispatch_uid=uid)


def next_publication():
    """The next moment a published item scheduled for later becomes public, or None."""
    moments = [
        model.objects.scheduled().aggregate(first=Min("publish_at"))["first"]
        for model in content_models()
        if issubclass(model, Publishable)
    ]
    return min(filter(None, moments), default=None)


def current(*keys):
    """The current version (None when versions are off), and whatever is cached
    under `keys`, read in the same round trip."""
    lifetime = settings.CONTENT_VERSION_SECONDS
    if not lifetime:
        return None, {}
    now = timezone.now()
    found = cache.get_many([settings.CONTENT_VERSION_KEY, *keys])
    stored = found.pop(settings.CONTENT_VERSION_KEY, None)
    if stored and (stored["until"] is None or now < stored["until"]):
        return stored["version"], found
    until = next_publication()
    if until is not None:
        lifetime = min(lifetime, (until - now).total_seconds())
    version = uuid.uuid4().hex
    cache.set(
        settings.CONTENT_VERSION_KEY,
        {"version": version, "until": until},
        max(1, int(lifetime)),
    )
    return version, found


def cached(key, compute):
    """compute(), kept in the cache under the current content version and `key`
    (any value with a stable repr(), such as a tuple of strings and numbers).
    Computed afresh when versions are off; a failing cache costs speed, never the
    page."""
    missing = object()
    try:
        version, _ = current()
        if version is not None:
            digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
            key = f"cached:{digest}@{version}"
            value = cache.get(key, missing)
    except Exception:
        logger.exception("Cache unavailable; counted afresh.")
        version = None
    if version is None:
        return compute()
    if value is missing:
        value = compute()
        try:
            cache.set(key, value, settings.CONTENT_VERSION_SECONDS)
        except Exception:
            logger.exception("Cache unavailable; the count was not stored.")
    return value
