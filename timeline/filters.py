import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from partners.filters import PartnerAreaFilterSet

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
        if self.is_bound and self.is_valid():
            for name in ("partner", "area"):
                value = self.form.cleaned_data.get(name)
                queryset = self.filters[name].filter(queryset, value)
        return queryset
