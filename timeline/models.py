from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from content import dates
from content.dates import DatePrecision
from content.models import Publishable, PublishableQuerySet
from content.text import MARKDOWN_HELP
from partners.models import (
    Citation,
    CooperationArea,
    Partner,
    Source,
    listing_prefetches,
)


class MilestoneQuerySet(PublishableQuerySet):
    def for_listing(self):
        return self.prefetch_related(*listing_prefetches())


class Milestone(Publishable):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    date = models.DateField(help_text=_("For a month or a year, any day in it."))
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    summary = models.TextField(help_text=MARKDOWN_HELP)
    is_key = models.BooleanField(
        _("key milestone"), default=False, help_text=_("Shown on the home page.")
    )
    partners = models.ManyToManyField(Partner, blank=True, related_name="milestones")
    areas = models.ManyToManyField(
        CooperationArea, blank=True, related_name="milestones"
    )
    sources = models.ManyToManyField(
        Source, blank=True, related_name="milestones", through="MilestoneCitation"
    )

    objects = MilestoneQuerySet.as_manager()

    search_fields = {"title": "A", "summary": "B"}

    class Meta:
        ordering = ["date", "title"]
        # Timeline order after the state, as for activities' public listing index.
        indexes = [
            models.Index(
                fields=["state", "date", "title", "publish_at"],
                name="milestone_public_listing",
            ),
            models.Index(fields=["state", "updated_at"], name="milestone_changed"),
            models.Index(fields=["state", "publish_at"], name="milestone_publication"),
        ]

    def __str__(self):
        return f"{self.when}: {self.title}"

    def get_absolute_url(self):
        return reverse("timeline:milestone-detail", args=[self.slug])

    def clean(self):
        self.date = dates.truncate(self.date, self.date_precision)

    @property
    def when(self):
        return dates.display(self.date, self.date_precision)

    @property
    def iso_date(self):
        return dates.iso(self.date, self.date_precision)


class MilestoneCitation(Citation):
    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, related_name="citations"
    )

    class Meta(Citation.Meta):
        db_table = "timeline_milestone_sources"
        unique_together = [("milestone", "source")]
