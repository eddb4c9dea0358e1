import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Activity, CooperationArea, Partner

# Years outside this range are typing mistakes, and far-out values would overflow the
# date arithmetic behind __year lookups.
FIRST_YEAR, LAST_YEAR = 1949, 2100


def public_partners(request):
    return Partner.objects.public()


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"inputmode": "numeric"}))
        super().__init__(*args, **kwargs)


class PartnerAreaFilterSet(django_filters.FilterSet):
    """Partner and area facets, shared by activities and milestones."""

    partner = django_filters.ModelMultipleChoiceFilter(
        field_name="partners__slug",
        to_field_name="slug",
        queryset=public_partners,
        label=_("Partner"),
        widget=forms.CheckboxSelectMultiple,
    )
    area = django_filters.ModelMultipleChoiceFilter(
        field_name="areas__slug",
        to_field_name="slug",
        queryset=CooperationArea.objects.all(),
        label=_("Cooperation area"),
        widget=forms.CheckboxSelectMultiple,
    )


class ActivityFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start and end and start > end:
            self.add_error("year_to", _("The end year is before the start year."))
        return data


class ActivityFilter(PartnerAreaFilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=_("Words"),
        max_length=200,
        help_text=_("Matches title, summary, text and location."),
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=Activity.Kind.choices,
        label=_("Type"),
        widget=forms.CheckboxSelectMultiple,
    )
    year_from = YearFilter(
        field_name="start_date", lookup_expr="year__gte", label=_("From year")
    )
    year_to = YearFilter(
        field_name="start_date", lookup_expr="year__lte", label=_("To year")
    )

    class Meta:
        model = Activity
        form = ActivityFilterForm
        fields = ["q", "partner", "area", "kind", "year_from", "year_to"]

    def search(self, queryset, name, value):
        return queryset.search(value)
