"""What every kind of content shares: when it last changed, and the publication rule."""

import datetime

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _

from .text import MARKDOWN_HELP


class Content(models.Model):
    """A record editors keep. Its changes start a new content version (version.py)
    and move the dataset version (dataset.py); backups and loads hold its rows."""

    updated_at = models.DateTimeField(auto_now=True)
    # When each language's text last changed ({"en": ISO moment, ...}), so the
    # translation status page sees a translation older than its English text.
    language_changed = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._note_language_changes() and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "language_changed"}
        # modeltranslation writes the active language's text into the untranslated
        # column; it stays English, the text the English search index reads.
        with translation.override(settings.LANGUAGE_CODE):
            super().save(*args, **kwargs)

    def _note_language_changes(self):
        """Stamp each language whose text this save changes; True if any."""
        fields = self.translated_fields()
        if not fields:
            return False
        columns = [
            f"{name}_{code}" for name in fields for code, _ in settings.LANGUAGES
        ]
        saved = {}
        if self.pk is not None:
            saved = type(self)._base_manager.filter(pk=self.pk).values(*columns).first()
        now = timezone.now().isoformat()
        changed = dict(self.language_changed or {})
        for code, _name in settings.LANGUAGES:
            before = [((saved or {}).get(f"{n}_{code}") or "").strip() for n in fields]
            if before != [field_text(self, name, code) for name in fields]:
                changed[code] = now
        stamped = changed != (self.language_changed or {})
        self.language_changed = changed
        return stamped

    def translation_state(self, language):
        """ "missing" when a field with English text lacks this language's, "older"
        when this language last changed before the English text, else None."""
        english = settings.LANGUAGE_CODE
        for name in self.translated_fields():
            if field_text(self, name, english) and not field_text(self, name, language):
                return "missing"
        changed = self.language_changed or {}
        if changed.get(language) and changed.get(english, "") > changed[language]:
            return "older"
        return None

    @classmethod
    def translated_fields(cls):
        """The fields editors translate (modeltranslation's registry), or ()."""
        return translated_fields(cls)

    def translated_languages(self):
        """The languages this record is complete in: every translated field that
        has English text has it in that language too. English always."""
        fields = [f for f in self.translated_fields() if field_text(self, f, "en")]
        return [
            code
            for code, _name in settings.LANGUAGES
            if all(field_text(self, name, code) for name in fields)
        ]

    def is_translated(self, language=None):
        return (language or translation.get_language()) in self.translated_languages()


class Link(models.Model):
    """A link between content records that holds content of its own (a citation's
    passage): backed up, loaded and watched as content, never public on its own."""

    class Meta:
        abstract = True


def translated_fields(model):
    from modeltranslation.translator import NotRegistered, translator

    try:
        return tuple(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return ()


def field_text(record, name, language):
    """The record's own text of a field in a language, without fallback."""
    return (getattr(record, f"{name}_{language}", None) or "").strip()


def content_models(include_link_tables=False):
    """Every kind of content and Link, in the order the apps declare them (the order
    to load them in); with include_link_tables, the plain many-to-many tables
    between content records too."""
    found = []
    for model in apps.get_models(include_auto_created=include_link_tables):
        owner = model._meta.auto_created or model
        if issubclass(owner, Content | Link):
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
    """Everything of `model` the public may see: its queryset's public() where it has
    one (a state, or a rule like a source's: cited by a public record)."""
    manager = model._default_manager
    return manager.public(now) if hasattr(manager, "public") else manager.all()


class ChangeQuerySet(models.QuerySet):
    def public(self):
        """Changes to records the public may see now, each with its record."""
        changes = list(self.select_related("content_type")[:500])
        visible = {}
        for content_type in {change.content_type for change in changes}:
            model = content_type.model_class()
            ids = [c.object_id for c in changes if c.content_type == content_type]
            visible[content_type] = public(model).in_bulk(ids)
        for change in changes:
            if record := visible[change.content_type].get(change.object_id):
                change.public_record = record
                yield change


class Change(models.Model):
    """A change an editor made to a published record, with a note for readers: the
    site's public list of corrections."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    note = models.CharField(
        _("note for readers"),
        max_length=200,
        help_text=_("One line saying what changed and why, e.g. the date corrected."),
    )
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.note


class ProblemQuerySet(models.QuerySet):
    def recent_from(self, client, hours=1):
        since = timezone.now() - datetime.timedelta(hours=hours)
        return self.filter(client=client, reported_at__gte=since)


class ProblemReport(models.Model):
    """A reader's report of a problem with a page, for editors to check and close."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    page = models.CharField(max_length=300, help_text=_("The page's address."))
    message = models.TextField(max_length=2000)
    # A keyed digest of the reader's address: enough to limit reports, no address kept.
    client = models.CharField(max_length=64, editable=False)
    reported_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=6, choices=Status, default=Status.OPEN)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at"]
        indexes = [models.Index(fields=["client", "reported_at"])]

    def __str__(self):
        return f"{self.page}: {self.message[:60]}"


class PageQuerySet(models.QuerySet):
    def prose(self, slug):
        """The page with this slug, or None: its template still renders its records."""
        return self.filter(slug=slug).first()


class Page(Content):
    """The prose of a page the site draws around its records (home, about,
    methodology), in Markdown, translated like the records."""

    slug = models.SlugField(
        max_length=60, unique=True, help_text=_("home, about or methodology.")
    )
    title = models.CharField(max_length=200)
    lead = models.CharField(
        max_length=600, blank=True, help_text=_("One or two sentences under the title.")
    )
    body = models.TextField(blank=True, help_text=MARKDOWN_HELP)

    objects = PageQuerySet.as_manager()

    in_dataset = False  # prose around the records, in no export: not the dataset

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.title
