import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from partners.filters import PartnerAreaFilterSet

from .models import Milestone


class MilestoneFilter(PartnerAreaFilterSet):
    """Filters the timeline; the same partner and area filters apply to activities."""

    include = django_filters.ChoiceFilter(
        choices=[
            ("all", _("Milestones and activities")),
            ("milestones", _("Milestones only")),
        ],
        method="keep",
        label=_("Show"),
        empty_label=None,
        widget=forms.RadioSelect,
    )
    NOT_FILTERS = {"include"}

    class Meta:
        model = Milestone
        fields = ["partner", "area", "include"]

    def keep(self, queryset, name, value):
        return queryset  # read by the view: it decides whether activities join in

    def params(self):
        return [pair for pair in super().params() if pair != ("include", "all")]

    @property
    def with_activities(self):
        if self.is_bound and self.is_valid():
            return self.form.cleaned_data.get("include") != "milestones"
        return True

    def filter_other(self, queryset):
        """The same partner and area choices applied to another model's records."""
        if self.is_bound and self.is_valid():
            for name in ("partner", "area"):
                value = self.form.cleaned_data.get(name)
                queryset = self.filters[name].filter(queryset, value)
        return queryset
