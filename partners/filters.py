from functools import cached_property

import django_filters
from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from content.filters import LinkedFilter, StateInURLFilterSet, facet_options

from . import counts
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


class PartnerAreaFilterSet(StateInURLFilterSet):
    """Partner and area facets, shared by activities and milestones."""

    partner = LinkedFilter(
        field_name="partners",
        queryset=public_partners,
        label=_("Partner"),
    )
    area = LinkedFilter(
        field_name="areas",
        queryset=CooperationArea.objects.all(),
        label=_("Cooperation area"),
    )

    def activity_counts(self, name):
        """{partner or area pk, or kind: how many public activities match the other
        filters and it}."""
        return counts.facet(self, name, Activity.objects.public())


class ActivityFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start and end and start > end:
            self.add_error("year_to", _("The end year is before the start year."))
        return data


SORTS = {
    "newest": (_("Newest first"), ["-start_date", "title"]),
    "oldest": (_("Oldest first"), ["start_date", "title"]),
    "title": (_("Title, A to Z"), ["title", "-start_date"]),
}


class ActivityFilter(PartnerAreaFilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=_("Words"),
        max_length=200,
        help_text=_(
            "Every word must start a word in the title, summary, text or location."
        ),
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
    sort = django_filters.ChoiceFilter(
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
        method="sort_by",
        label=_("Sort by"),
        empty_label=None,
        widget=forms.Select,
    )

    # Several values in a facet match any of them; facets combine with AND.
    FACETS = ["partner", "area", "kind"]

    class Meta:
        model = Activity
        form = ActivityFilterForm
        fields = ["q", "partner", "area", "kind", "year_from", "year_to", "sort"]

    def search(self, queryset, name, value):
        return queryset.search(value)

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS[value][1])

    def params(self):
        # Newest first is the default order, so it needs no parameter of its own.
        return [pair for pair in super().params() if pair != ("sort", "newest")]

    def facets(self):
        """Each facet's options with a count: how many activities match the other
        facets and this option. A few small queries, however many options and
        activities."""
        chosen = self.selected()

        def options(name, rows):
            counts = self.kind_counts if name == "kind" else self.activity_counts(name)
            return facet_options(name, rows, counts, chosen.get(name, ()))

        def named(rows):
            return [(row.pk, row.slug, row.name) for row in rows.only("name", "slug")]

        kinds = [(kind, kind, label) for kind, label in Activity.Kind.choices]
        return {
            "partner": options("partner", named(Partner.objects.public())),
            "area": options("area", named(CooperationArea.objects.all())),
            "kind": options("kind", kinds),
        }

    @cached_property
    def kind_counts(self):
        """{kind: how many activities of that kind match the other filters}."""
        return self.activity_counts("kind")

    def total(self):
        # Every activity has one kind, so the chosen kinds' counts (all kinds when
        # none is chosen) add up to the matches: no separate count query.
        if self.is_bound and not self.is_valid():
            return None
        chosen = self.selected().get("kind") or self.kind_counts.keys()
        return sum(self.kind_counts.get(kind, 0) for kind in chosen)

    def summary(self, count):
        """The result in one sentence: '3 courses in Maritime security with Qatar or
        Kuwait, 2015 to 2024'."""
        if self.is_bound and not self.is_valid():
            return ""
        data = self.form.cleaned_data if self.is_bound else {}
        kinds = [Activity.Kind(kind).label.lower() for kind in data.get("kind") or []]
        noun = _("activity") if count == 1 else _("activities")
        parts = [f"{count} {noun}"]
        if kinds:
            parts.append(format_lazy(_("of type {}"), _(" or ").join(kinds)))
        if data.get("area"):
            parts.append(_("in ") + _(" or ").join(a.name for a in data["area"]))
        if data.get("partner"):
            parts.append(_("with ") + _(" or ").join(p.name for p in data["partner"]))
        if data.get("q"):
            parts.append(format_lazy(_("matching “{}”"), data["q"]))
        sentence = " ".join(str(part) for part in parts)
        start, end = data.get("year_from"), data.get("year_to")
        if start and end and start != end:
            sentence += _(", {start} to {end}").format(start=start, end=end)
        elif start and end:
            sentence += f", {start}"
        elif start:
            sentence += _(", {start} onwards").format(start=start)
        elif end:
            sentence += _(", up to {end}").format(end=end)
        return sentence
