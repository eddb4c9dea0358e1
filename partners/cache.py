"""The content version that keys the shared page cache, so no page outlives a change.

Every cached page is stored under the current content version. Saving or deleting any
content record drops the version, and so does the moment the next scheduled item becomes
public; the next request then starts a new version and every older page is unreachable.
"""

import uuid

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

VERSION_KEY = "content-version"


def invalidate_pages(**kwargs):
    # Dropped now, so a failing cache fails the editor's save rather than hiding it, and
    # again after commit, so no request can cache the old rows in between.
    cache.delete(VERSION_KEY)
    transaction.on_commit(lambda: cache.delete(VERSION_KEY))


def _invalidate_on_m2m_change(action, **kwargs):
    if action.startswith("post_"):
        invalidate_pages()


def watch_content(app_config):
    """Invalidate cached pages whenever a record of this app changes."""
    for model in app_config.get_models(include_auto_created=True):
        uid = f"page-cache-{model._meta.label}"
        post_save.connect(invalidate_pages, sender=model, dispatch_uid=uid)
        post_delete.connect(invalidate_pages, sender=model, dispatch_uid=uid)
        m2m_changed.connect(_invalidate_on_m2m_change, sender=model, dispatch_uid=uid)


def next_publication():
    """The next moment a published item scheduled for later becomes public, or None."""
    from .models import Publishable

    first, *others = [
        model.objects.next_publication()
        for model in apps.get_models()
        if issubclass(model, Publishable)
    ]
    return min(first.union(*others, all=True), default=None)


def content_version(max_age, *keys):
    """The current version, started anew when none is stored or a publication is due,
    and the values cached under keys, fetched in the same round trip."""
    now = timezone.now()
    found = cache.get_many([VERSION_KEY, *keys])
    stored = found.pop(VERSION_KEY, None)
    if stored and (stored["until"] is None or now < stored["until"]):
        return stored["version"], found
    until = next_publication()
    timeout = max_age if until is None else min(max_age, (until - now).total_seconds())
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, {"version": version, "until": until}, max(1, int(timeout)))
    return version, found
