from collections import Counter

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from partners.filters import FacetOption, PartnerAreaFilterSet, narrowed, without
from partners.models import (
    Activity,
    CooperationArea,
    Partner,
    link_counts,
    public_linked_count,
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

    def facets(self):
        """Each partner and area with how many timeline entries (milestones plus
        activities) match the other choices and it. Two to six queries."""
        chosen = self.selected()

        def options(model, name, field_name):
            if narrowed(self, name):
                counts = Counter(link_counts(without(self, name), field_name))
                if self.with_activities:
                    activities = without(self, name, Activity.objects.public())
                    counts.update(link_counts(activities, field_name))
                rows = [(row, counts[row.pk]) for row in model]
            else:
                count = public_linked_count(Milestone, field_name)
                if self.with_activities:
                    count += public_linked_count(Activity, field_name)
                rows = [(row, row.count) for row in model.annotate(count=count)]
            return [
                FacetOption(row.slug, row.name, count, row.slug in chosen.get(name, ()))
                for row, count in rows
            ]

        return {
            "partner": options(
                Partner.objects.public().only("name", "slug"), "partner", "partners"
            ),
            "area": options(
                CooperationArea.objects.only("name", "slug"), "area", "areas"
            ),
        }
