from collections import Counter

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from partners.filters import PartnerAreaFilterSet, facet_options, without
from partners.models import (
    LINK_FIELDS,
    CooperationArea,
    Partner,
    linked_count,
)

from .models import Milestone


class MilestoneFilter(PartnerAreaFilterSet):
    """Filters the timeline; the same partner and area filters apply to activities."""

    milestones_only = django_filters.BooleanFilter(
        method="keep",
        label=_("Milestones only, no activities"),
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Milestone
        fields = ["partner", "area", "milestones_only"]

    def keep(self, queryset, name, value):
        return queryset  # read by the view: it decides whether activities join in

    @property
    def with_activities(self):
        if self.is_bound and self.is_valid():
            return not self.form.cleaned_data.get("milestones_only")
        return True

    def filter_other(self, queryset):
        """The same partner and area choices applied to another model's records."""
        return without(self, None, queryset)

    def total(self):
        # The milestones counted, the activities read off the tally's type counts:
        # no count of the merged list.
        if self.is_bound and not self.is_valid():
            return None
        activities = self.activity_counts("kind") if self.with_activities else {}
        return self.qs.count() + sum(activities.values())

    def facets(self):
        """Each partner and area with how many timeline entries (milestones plus
        activities) match the other choices and it."""
        chosen = self.selected()

        def options(model, name):
            milestones = linked_count(without(self, name), LINK_FIELDS[name])
            named = model.only("name", "slug").annotate(count=milestones)
            counts = Counter({row.pk: row.count for row in named})
            if self.with_activities:
                counts.update(self.activity_counts(name))
            rows = [(row.pk, row.slug, row.name) for row in named]
            return facet_options(name, rows, counts, chosen.get(name, ()))

        return {
            "partner": options(Partner.objects.public(), "partner"),
            "area": options(CooperationArea.objects.all(), "area"),
        }
