import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from partners.filters import (
    FacetOption,
    PartnerAreaFilterSet,
    linked_count,
    without,
)
from partners.models import Activity, CooperationArea, Partner

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
        activities) match the other choices and it. Two queries."""
        chosen = self.selected()

        def options(model, name, field_name):
            milestones = without(self, name)
            activities = without(self, name, Activity.objects.public())
            if not self.with_activities:
                activities = activities.none()
            rows = model.annotate(
                count=linked_count(milestones, field_name)
                + linked_count(activities, field_name)
            )
            return [
                FacetOption(
                    row.slug, row.name, row.count, row.slug in chosen.get(name, ())
                )
                for row in rows
            ]

        return {
            "partner": options(
                Partner.objects.public().only("name", "slug"), "partner", "partners"
            ),
            "area": options(
                CooperationArea.objects.only("name", "slug"), "area", "areas"
            ),
        }
