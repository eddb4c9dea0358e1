from collections import Counter

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from content.filters import facet_options, without
from partners import counts
from partners.filters import PartnerAreaFilterSet
from partners.models import CooperationArea, Partner

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
        # The milestones counted, the activities from their type counts: no count
        # of the merged list.
        if self.is_bound and not self.is_valid():
            return None
        activities = self.activity_counts("kind") if self.with_activities else {}
        return self.qs.count() + sum(activities.values())

    def facets(self):
        """Each partner and area with how many timeline entries (milestones plus
        activities) match the other choices and it."""
        chosen = self.selected()

        def options(model, name):
            found = Counter(counts.facet(self, name))
            if self.with_activities:
                found.update(self.activity_counts(name))
            rows = model.only("name", "slug").values_list("pk", "slug", "name")
            return facet_options(name, rows, found, chosen.get(name, ()))

        return {
            "partner": options(Partner.objects.public(), "partner"),
            "area": options(CooperationArea.objects.all(), "area"),
        }
