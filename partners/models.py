from functools import lru_cache

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from content import dates, search
from content.dates import DatePrecision
from content.models import Content, Link, Publishable, PublishableQuerySet, public
from content.text import MARKDOWN_HELP

alpha2_validator = RegexValidator(
    r"^[A-Z]{2}\Z", _("Use the two capital letters of ISO 3166-1 alpha-2, e.g. KW.")
)
alpha3_validator = RegexValidator(
    r"^[A-Z]{3}\Z", _("Use the three capital letters of ISO 3166-1 alpha-3, e.g. KWT.")
)


@lru_cache(maxsize=1024)
def _reverse_slug(name, slug, prefix, urlconf, language):
    return reverse(name, args=[slug])


def slug_url(name, slug):
    """reverse() of a page named by its slug, remembered: a list page links each
    partner and area many times over, and reversing costs more than the rest."""
    # The language is in the key: /ar/ and /fr/ pages link to their own addresses.
    return _reverse_slug(name, slug, get_script_prefix(), get_urlconf(), get_language())


class SourceQuerySet(models.QuerySet):
    def public(self, now=None):
        """Sources that a public record cites: one cited only by drafts stays hidden,
        as they do. One query, however many kinds of record cite sources."""
        relations = self.model._meta.related_objects
        citing = [rel.related_model for rel in relations if rel.many_to_many]
        return self.cited_by(*(public(model, now) for model in citing))

    def cited_by(self, *querysets):
        """Sources behind any record in the given querysets, in one query."""
        cited = Q(pk__in=[])
        for queryset in querysets:
            field = queryset.model._meta.get_field("sources")
            links = field.remote_field.through.objects.filter(
                **{f"{field.m2m_field_name()}__in": queryset.values("pk")}
            )
            cited |= Q(pk__in=links.values(field.m2m_reverse_field_name()))
        return self.filter(cited)


class Source(Content):
    """A public document that a fact on the site was read from."""

    class Confidence(models.TextChoices):
        HIGH = "high", _("High: NATO or government site")
        MEDIUM = "medium", _("Medium: reputable secondary source")
        LOW = "low", _("Low: inferred or single weak source")

    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, help_text=_("e.g. NATO, Gulf News."))
    url = models.URLField("URL", max_length=500, unique=True)
    published = models.DateField(
        null=True, blank=True, help_text=_("Date of publication, when known.")
    )
    accessed = models.DateField(
        null=True, blank=True, help_text=_("When an editor last read it.")
    )
    confidence = models.CharField(
        max_length=6, choices=Confidence, default=Confidence.MEDIUM
    )
    language = models.CharField(
        max_length=8,
        default="en",
        validators=[RegexValidator(r"^[a-z]{2,3}\Z", _("An ISO 639 code, e.g. ar."))],
        help_text=_("The language of the source and its passages (ISO 639, e.g. ar)."),
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["publisher", "title"]

    def __str__(self):
        return f"{self.publisher}: {self.title}"

    def get_absolute_url(self):
        return reverse("partners:source-list") + f"#source-{self.pk}"

    def clean(self):
        # URLField also takes ftp(s); readers follow these links, so web pages only.
        if self.url and not self.url.lower().startswith(("http://", "https://")):
            raise ValidationError(
                {"url": _("Use a web address starting with http:// or https://.")}
            )


class Citation(Link):
    """A record's link to a source, with the passage of the source that supports it.

    Concrete citations name their record in a foreign key and are the `through`
    model of the record's `sources`."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE)
    passage = models.TextField(
        blank=True,
        max_length=600,
        help_text=_(
            "The words of the source that support this record, copied exactly, in "
            "the source's language (about 300 characters at most)."
        ),
    )
    passage_en = models.TextField(
        _("passage in English"),
        blank=True,
        max_length=600,
        help_text=_("An English rendering, when the passage is in another language."),
    )

    class Meta(Link.Meta):
        abstract = True
        ordering = ["pk"]

    def __str__(self):
        return str(self.source)


class CooperationArea(Content):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.CharField(max_length=300, help_text=_("One sentence for lists."))
    description = models.TextField(help_text=MARKDOWN_HELP)
    position = models.PositiveSmallIntegerField(
        default=0, help_text=_("Order in lists, smallest first.")
    )
    sources = models.ManyToManyField(
        Source, blank=True, related_name="areas", through="AreaCitation"
    )

    search_fields = {"name": "A", "summary": "B", "description": "C"}

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("cooperation area")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("partners:area-detail", self.slug)


class Partner(Publishable):
    class Status(models.TextChoices):
        MEMBER = "member", _("ICI partner")
        DIALOGUE = "dialogue", _("In dialogue, not a member")

    name = models.CharField(
        max_length=100, unique=True, help_text=_("Short name, e.g. Qatar.")
    )
    official_name = models.CharField(
        max_length=200, help_text=_("e.g. State of Qatar.")
    )
    slug = models.SlugField(max_length=100, unique=True)
    iso_alpha2 = models.CharField(
        "ISO 3166-1 alpha-2", max_length=2, unique=True, validators=[alpha2_validator]
    )
    iso_alpha3 = models.CharField(
        "ISO 3166-1 alpha-3", max_length=3, unique=True, validators=[alpha3_validator]
    )
    status = models.CharField(max_length=8, choices=Status, default=Status.MEMBER)
    joined = models.DateField(
        _("date joined"),
        null=True,
        blank=True,
        help_text=_("Leave empty if not a member."),
    )
    joined_precision = models.CharField(
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text=_("How much of the date joined the sources give."),
    )
    capital = models.CharField(max_length=100)
    summary = models.CharField(
        max_length=300, help_text=_("One or two sentences for lists.")
    )
    profile = models.TextField(help_text=MARKDOWN_HELP)
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text=_(
            "When an editor last checked the whole profile against its sources."
        ),
    )
    sources = models.ManyToManyField(
        Source, blank=True, related_name="partners", through="PartnerCitation"
    )

    objects = PublishableQuerySet.as_manager()

    search_fields = {"name": "A", "official_name": "A", "summary": "B", "profile": "C"}

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("partners:partner-detail", self.slug)

    def clean(self):
        if (
            self.iso_alpha2
            and self.iso_alpha3
            and self.iso_alpha2[0] != self.iso_alpha3[0]
        ):
            raise ValidationError(
                {
                    "iso_alpha3": _(
                        "Alpha-2 and alpha-3 codes start with the same letter."
                    )
                }
            )
        if self.status == self.Status.DIALOGUE and self.joined:
            raise ValidationError(
                {
                    "joined": _(
                        "A partner in dialogue only has not joined: leave this empty."
                    )
                }
            )
        self.joined = dates.truncate(self.joined, self.joined_precision)

    @property
    def is_member(self):
        return self.status == self.Status.MEMBER

    @property
    def joined_display(self):
        return dates.display(self.joined, self.joined_precision)

    @property
    def joined_iso(self):
        return dates.iso(self.joined, self.joined_precision)


def listing_prefetches():
    """Public partners and areas of each record, as plain lists (partner_list,
    area_list): Django builds a filtered queryset per record for a prefetch kept
    as a manager's cache, which costs more than the query."""
    return (
        Prefetch(
            "partners",
            queryset=Partner.objects.public().only("name", "slug"),
            to_attr="partner_list",
        ),
        Prefetch(
            "areas",
            queryset=CooperationArea.objects.only("name", "slug"),
            to_attr="area_list",
        ),
    )


class ActivityQuerySet(PublishableQuerySet):
    def for_listing(self):
        return self.prefetch_related(*listing_prefetches())

    def search(self, text):
        """Activities whose title, summary, text or location hold every word (or a
        word starting with it)."""
        return search.matching(self, text)


class Activity(Publishable):
    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("Agreement")
        CENTRE = "centre", _("Centre")
        CONFERENCE = "conference", _("Conference or seminar")
        COURSE = "course", _("Course")
        DIALOGUE = "dialogue", _("Dialogue or visit")
        EXERCISE = "exercise", _("Exercise or evaluation")
        OPERATION = "operation", _("Operation")
        PROGRAMME = "programme", _("Programme or plan")

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind)
    partners = models.ManyToManyField(Partner, blank=True, related_name="activities")
    areas = models.ManyToManyField(
        CooperationArea, blank=True, related_name="activities"
    )
    start_date = models.DateField(help_text=_("For a month or a year, any day in it."))
    start_precision = models.CharField(
        max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    end_date = models.DateField(
        null=True, blank=True, help_text=_("Empty for one day.")
    )
    end_precision = models.CharField(
        max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    location = models.CharField(max_length=200, blank=True)
    summary = models.CharField(
        max_length=400, help_text=_("One or two sentences for lists.")
    )
    body = models.TextField(blank=True, help_text=MARKDOWN_HELP)
    sources = models.ManyToManyField(
        Source, blank=True, related_name="activities", through="ActivityCitation"
    )

    objects = ActivityQuerySet.as_manager()

    search_fields = {"title": "A", "summary": "B", "body": "C", "location": "B"}

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name_plural = _("activities")
        indexes = [
            # In list order after the state, so a page of the newest public
            # activities is read straight off the index (no sort of every row), and
            # publish_at last so counting public activities never reads the table.
            models.Index(
                fields=["state", "-start_date", "title", "publish_at"],
                name="activity_public_listing",
            ),
            models.Index(fields=["kind", "start_date"]),
            # Public activities counted by type without reading the table.
            models.Index(
                fields=["state", "kind", "publish_at"], name="activity_public_kinds"
            ),
            # The latest edit and publication, for the dataset version, and the next
            # scheduled publication, for the page cache: one index step each.
            models.Index(fields=["state", "updated_at"], name="activity_changed"),
            models.Index(fields=["state", "publish_at"], name="activity_publication"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partners:activity-detail", args=[self.slug])

    def clean(self):
        self.start_date = dates.truncate(self.start_date, self.start_precision)
        self.end_date = dates.truncate(self.end_date, self.end_precision)
        if (
            self.start_date
            and self.end_date
            and dates.period_end(self.end_date, self.end_precision) < self.start_date
        ):
            raise ValidationError(
                {"end_date": _("The end date is before the start date.")}
            )

    @property
    def iso_start(self):
        return dates.iso(self.start_date, self.start_precision)

    @property
    def iso_end(self):
        return dates.iso(self.end_date, self.end_precision)

    @property
    def when(self):
        return dates.display_range(
            self.start_date, self.start_precision, self.end_date, self.end_precision
        )


class AreaCitation(Citation):
    cooperationarea = models.ForeignKey(
        CooperationArea, on_delete=models.CASCADE, related_name="citations"
    )

    class Meta(Citation.Meta):
        db_table = "partners_cooperationarea_sources"
        unique_together = [("cooperationarea", "source")]


class PartnerCitation(Citation):
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="citations"
    )

    class Meta(Citation.Meta):
        db_table = "partners_partner_sources"
        unique_together = [("partner", "source")]


class ActivityCitation(Citation):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="citations"
    )

    class Meta(Citation.Meta):
        db_table = "partners_activity_sources"
        unique_together = [("activity", "source")]
