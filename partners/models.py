from collections import Counter
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, Min, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _

from . import dates, fulltext, tally
from .dates import DatePrecision
from .text import MARKDOWN_HELP

alpha2_validator = RegexValidator(
    r"^[A-Z]{2}\Z", _("Use the two capital letters of ISO 3166-1 alpha-2, e.g. KW.")
)
alpha3_validator = RegexValidator(
    r"^[A-Z]{3}\Z", _("Use the three capital letters of ISO 3166-1 alpha-3, e.g. KWT.")
)


@lru_cache(maxsize=1024)
def _reverse_slug(name, slug, prefix, urlconf):
    return reverse(name, args=[slug])


def slug_url(name, slug):
    """reverse() of a page named by its slug, remembered: a list page links each
    partner and area many times over, and reversing costs more than the rest."""
    return _reverse_slug(name, slug, get_script_prefix(), get_urlconf())


class SourceQuerySet(models.QuerySet):
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


class Source(models.Model):
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
    updated_at = models.DateTimeField(auto_now=True)

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


class PublishableQuerySet(models.QuerySet):
    def public(self, now=None):
        """The one rule for what anonymous readers may see (now, or at `now`)."""
        # "Not after now" rather than "until now": SQLite then walks an index in the
        # order asked for (newest first, latest edit) instead of sorting every row
        # the publish_at range selects.
        return self.filter(state=Publishable.State.PUBLISHED).exclude(
            publish_at__gt=now or timezone.now()
        )

    def scheduled(self):
        """Published items whose publication moment has not come yet."""
        return self.filter(
            state=Publishable.State.PUBLISHED, publish_at__gt=timezone.now()
        )

    def next_publication(self):
        """The moment the next item scheduled for later becomes public, as a values
        query of at most one row, so callers can union several models into one query."""
        return (
            self.scheduled()
            .values("state")
            .annotate(moment=Min("publish_at"))
            .values_list("moment", flat=True)
            .order_by()
        )


class Publishable(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    state = models.CharField(max_length=9, choices=State, default=State.DRAFT)
    publish_at = models.DateTimeField(
        _("publish from"),
        default=timezone.now,
        help_text=_("A published item stays hidden until this moment."),
    )
    updated_at = models.DateTimeField(auto_now=True)

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


def linked_count(records, field_name):
    """A subquery for annotations: how many of `records` link to the outer row
    through their many-to-many `field_name`. Counting link rows avoids joining two
    many-to-many relations at once, whose rows would multiply."""
    field = records.model._meta.get_field(field_name)
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    links = field.remote_field.through.objects.filter(**{target: OuterRef("pk")})
    if records.query.has_filters():
        links = links.filter(**{f"{source}__in": records.values("pk")})
    links = links.order_by().values(target).annotate(count=Count("*")).values("count")
    return Coalesce(Subquery(links), 0)


# The many-to-many fields activities are filtered and counted by, by filter name.
LINK_FIELDS = {"partner": "partners", "area": "areas"}


def link_counts(records, field_name):
    """{pk: how many of `records` link to it through their many-to-many `field_name`}
    in one grouped join over those links. `records` must hold each record once, as
    public() and the facet filters (subqueries, not joins) do."""
    rows = records.order_by().values_list(field_name).annotate(count=Count("*"))
    return {pk: count for pk, count in rows if pk is not None}


class ActivityCountQuerySet(models.QuerySet):
    def with_activity_counts(self):
        """Annotate how many public activities link to each object: the published
        tally less those scheduled for later."""
        by = {Partner: "partner", CooperationArea: "area"}[self.model]
        scheduled = linked_count(Activity.objects.scheduled(), LINK_FIELDS[by])
        return self.annotate(
            activity_count=ActivityTally.objects.total_of(by) - scheduled
        )


class AreaQuerySet(ActivityCountQuerySet):
    def counted(self, counts):
        """These areas, each with its count in `counts` ({area pk: count})."""
        areas = list(self)
        for area in areas:
            area.activity_count = counts.get(area.pk, 0)
        return areas


class CooperationArea(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.CharField(max_length=300, help_text=_("One sentence for lists."))
    description = models.TextField(help_text=MARKDOWN_HELP)
    position = models.PositiveSmallIntegerField(
        default=0, help_text=_("Order in lists, smallest first.")
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="areas")
    updated_at = models.DateTimeField(auto_now=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("cooperation area")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("partners:area-detail", self.slug)


class PartnerQuerySet(PublishableQuerySet, ActivityCountQuerySet):
    pass


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
    sources = models.ManyToManyField(Source, blank=True, related_name="partners")

    objects = PartnerQuerySet.as_manager()

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

    def activity_counts(self):
        """(How many public activities this partner has, {area pk: how many of them
        are in it}), from one read of the tally."""
        counts = ActivityTally.objects.public_counts(partner=self)
        total = sum(pick(counts, "kind", partner=self.pk).values())
        return total, pick(counts, "area", partner=self.pk)

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
        word starting with it), found in a full-text index."""
        return fulltext.matching(self, text)


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
    sources = models.ManyToManyField(Source, blank=True, related_name="activities")

    objects = ActivityQuerySet.as_manager()

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


class ActivityTallyQuerySet(models.QuerySet):
    def public_counts(self, year_from=None, year_to=None, partner=None):
        """{(partner key, area key, kind): public activities starting in those
        years}: the published tally less the activities scheduled for later,
        counted live because a publication date passes without any write. With a
        partner, only that partner's keys."""
        rows = self.filter(state=Publishable.State.PUBLISHED)
        hidden = Activity.objects.scheduled()
        if partner:
            rows = rows.filter(partner_key=partner.pk)
            hidden = hidden.filter(partners=partner)
        if year_from:
            rows = rows.filter(year__gte=year_from)
            hidden = hidden.filter(start_date__year__gte=year_from)
        if year_to:
            rows = rows.filter(year__lte=year_to)
            hidden = hidden.filter(start_date__year__lte=year_to)
        rows = rows.order_by().values_list("partner_key", "area_key", "kind")
        counts = Counter({tuple(key): n for *key, n in rows.annotate(Sum("total"))})
        counts.subtract(tally.counted(hidden))
        return counts

    def total_of(self, by):
        """A subquery for annotations: the outer partner's (`by` "partner") or
        area's ("area") published activities, scheduled ones included."""
        key, other = f"{by}_key", "area_key" if by == "partner" else "partner_key"
        rows = self.filter(
            **{key: OuterRef("pk"), other: 0}, state=Publishable.State.PUBLISHED
        ).order_by()
        totals = rows.values(key).annotate(n=Sum("total")).values("n")
        return Coalesce(Subquery(totals), 0)


def pick(counts, by, partner=0, area=0, kinds=()):
    """{partner pk, area pk or kind (`by`): how many of public_counts() `counts`
    have it, the given partner and area (pks, 0 for any) and one of `kinds` (any
    when empty)}."""
    kinds = set(kinds)
    picked = Counter()
    for (partner_key, area_key, kind), count in counts.items():
        if by == "kind":
            if partner_key == partner and area_key == area:
                picked[kind] += count
        elif kinds and kind not in kinds:
            continue
        elif by == "partner":
            if partner_key and area_key == area:
                picked[partner_key] += count
        elif area_key and partner_key == partner:
            picked[area_key] += count
    return picked


class ActivityTally(models.Model):
    """How many activities each partner and area has, by type, start year and
    state; 0 as a partner or area means any. Kept by database triggers (see
    partners.tally), so nothing in Python writes it."""

    partner_key = models.PositiveIntegerField()
    area_key = models.PositiveIntegerField()
    kind = models.CharField(max_length=10)
    year = models.SmallIntegerField()
    state = models.CharField(max_length=9)
    total = models.IntegerField()

    objects = ActivityTallyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partner_key", "area_key", "kind", "year", "state"],
                name="activity_tally_key",
            )
        ]

    def __str__(self):
        keys = (self.partner_key, self.area_key, self.kind, self.year, self.state)
        return "/".join(str(key) for key in keys)


def counts_by(activities, by):
    """{partner pk, area pk or kind (`by`): how many of `activities` have it}."""
    if by == "kind":
        rows = activities.order_by().values_list("kind")
        return dict(rows.annotate(count=Count("*")))
    return link_counts(activities, LINK_FIELDS[by])
