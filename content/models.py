"""What every kind of content shares: when it last changed, and the publication rule."""

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _


class Content(models.Model):
    """A record editors keep. Its changes start a new content version (version.py)
    and move the dataset version (dataset.py); backups and loads hold its rows."""

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def content_models(include_links=False):
    """Every kind of content, in the order the apps declare them (the order to
    load them in); with include_links, their many-to-many link tables too."""
    found = []
    for model in apps.get_models(include_auto_created=include_links):
        if issubclass(model, Content):
            found.append(model)
        elif include_links and model._meta.auto_created:
            if issubclass(model._meta.auto_created, Content):
                found.append(model)
    return found


class PublishableQuerySet(models.QuerySet):
    def public(self, now=None):
        """The one rule for what anonymous readers may see (now, or at `now`)."""
        # "Not after now" rather than "until now": SQLite then walks an index in the
        # order asked for instead of sorting every row the publish_at range selects.
        return self.filter(state=Publishable.State.PUBLISHED).exclude(
            publish_at__gt=now or timezone.now()
        )

    def scheduled(self):
        """Published items whose publication moment has not come yet."""
        return self.filter(
            state=Publishable.State.PUBLISHED, publish_at__gt=timezone.now()
        )


class Publishable(Content):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    state = models.CharField(max_length=9, choices=State, default=State.DRAFT)
    publish_at = models.DateTimeField(
        _("publish from"),
        default=timezone.now,
        help_text=_("A published item stays hidden until this moment."),
    )

    class Meta:
        abstract = True

    @property
    def is_public(self):
        return self.state == self.State.PUBLISHED and self.publish_at <= timezone.now()

    @property
    def visibility_note(self):
        """Why the public cannot see this item yet; empty when it can."""
        if self.state != self.State.PUBLISHED:
            return _("This item is a draft.")
        if self.publish_at > timezone.now():
            moment = date_format(timezone.localtime(self.publish_at), "j F Y, H:i T")
            return _("It is scheduled to appear on %(moment)s.") % {"moment": moment}
        return ""


def public(model, now=None):
    """Everything of `model` the public may see: public() where it has a state."""
    manager = model._default_manager
    return manager.public(now) if issubclass(model, Publishable) else manager.all()
