from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

import django_filters
from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import tally
from .models import (
    LINK_FIELDS,
    Activity,
    ActivityTally,
    CooperationArea,
    Partner,
    counts_by,
    pick,
)

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


@dataclass(frozen=True)
class FacetOption:
    name: str  # the filter's, the checkbox's name
    input_id: str
    value: str
    label: str
    count: int | None
    selected: bool


def facet_options(name, rows, counts, chosen):
    """The options of facet `name` for (pk, value, label) rows, with their counts
    ({pk: count}) and whether `chosen` (the selected values) holds them."""
    return [
        FacetOption(
            name, f"id_{name}_{index}", value, label, counts.get(pk, 0), value in chosen
        )
        for index, (pk, value, label) in enumerate(rows)
    ]


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    remove_query: str


class StateInURLFilterSet(django_filters.FilterSet):
    """A FilterSet whose state is its query string: canonical, and one value at a time
    removable."""

    # Parameters that order or shape the result rather than narrow it: no tag.
    NOT_FILTERS = {"sort"}

    def params(self):
        """The valid filter values as (name, value) pairs, in a stable order."""
        if not self.is_bound or not self.is_valid():
            return []
        pairs = []
        for name, field in self.form.fields.items():
            value = self.form.cleaned_data.get(name)
            if value in (None, False, "", [], ()):
                continue
            if isinstance(value, list | tuple) or hasattr(value, "model"):
                values = list(value)  # several choices, or a queryset of objects
            else:
                values = [value]
            keys = sorted({self._key(field, item) for item in values})
            pairs.extend((name, key) for key in keys)
        return pairs

    @staticmethod
    def _key(field, item):
        to_field = getattr(field, "to_field_name", None)
        return str(getattr(item, to_field) if to_field else item)

    def facets(self):
        """Filters shown as lists of options with counts: {name: [FacetOption]}."""
        return {}

    def total(self):
        """How many records match, when the facet counts already tell; else None."""
        return None

    def selected(self):
        """The chosen values of each filter, as sets of URL values."""
        chosen = {}
        for name, key in self.params():
            chosen.setdefault(name, set()).add(key)
        return chosen

    def canonical_query(self, page=None):
        pairs = self.params()
        if page and page > 1:
            pairs.append(("page", page))
        return urlencode(pairs)

    def active_filters(self):
        """One removable tag per value: its label and the query string without it."""
        pairs = self.params()
        tags = []
        for index, (name, key) in enumerate(pairs):
            if name in self.NOT_FILTERS:
                continue
            rest = pairs[:index] + pairs[index + 1 :]
            tags.append(ActiveFilter(self._describe(name, key), urlencode(rest)))
        return tags

    def _describe(self, name, key):
        field = self.form.fields[name]
        if isinstance(field, forms.NullBooleanField):
            return str(field.label)
        if isinstance(field, forms.ModelMultipleChoiceField):
            # The chosen objects are already loaded: no query for their labels.
            labels = {
                self._key(field, item): str(item)
                for item in self.form.cleaned_data[name]
            }
        else:
            labels = {
                str(value): label for value, label in getattr(field, "choices", [])
            }
        return f"{field.label}: {labels.get(key, key)}"


class LinkedFilter(django_filters.ModelMultipleChoiceFilter):
    """Records linked to any of the chosen objects through the many-to-many
    `field_name`, found in the link table: no join, so no duplicate rows, no
    DISTINCT, and counts stay plain counts."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        field = queryset.model._meta.get_field(self.field_name)
        # Collected once per query, then looked up by primary key: on SQLite this
        # counts a partner's 40 000 activities three times faster than checking
        # every activity against the link table (EXISTS).
        links = field.remote_field.through.objects.filter(
            **{f"{field.m2m_reverse_field_name()}__in": value}
        )
        return queryset.filter(pk__in=links.values(field.m2m_field_name()))


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
        filters and it}. Picked from one count of every partner, area and type
        when that can tell, else counted live."""
        scope = self.tally_scope(skip=name)
        if scope is None:
            return counts_by(without(self, name, Activity.objects.public()), name)
        return pick(self.activity_tally, name, **scope)

    @cached_property
    def activity_tally(self):
        """Public activities in the chosen years by partner, area and type, read once
        for every facet: off the tally, or counted when words narrow them."""
        data = self.form.cleaned_data if self.is_bound else {}
        if data.get("q"):
            keep = {"q", "year_from", "year_to"}
            activities = only(self, keep, Activity.objects.public())
            return tally.counted(activities)
        return ActivityTally.objects.public_counts(
            data.get("year_from"), data.get("year_to")
        )

    def tally_scope(self, skip):
        """The filters other than `skip` (and the words and years, which
        activity_tally applies) as pick() arguments, or None when it cannot tell:
        several partners or areas at once (an activity with two of them would count
        twice)."""
        if self.is_bound and not self.is_valid():
            return None
        data = self.form.cleaned_data if self.is_bound else {}
        scope = {"kinds": [] if skip == "kind" else data.get("kind") or []}
        for name in LINK_FIELDS:
            chosen = [] if name == skip else list(data.get(name) or [])
            if len(chosen) > 1:
                return None
            scope[name] = chosen[0].pk if chosen else 0
        return scope


class ActivityFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start and end and start > end:
            self.add_error("year_to", _("The end year is before the start year."))
        return data


def only(filterset, names, queryset):
    """`queryset` filtered by the filterset's valid values for `names` alone."""
    if filterset.is_bound and filterset.is_valid():
        for name, value in filterset.form.cleaned_data.items():
            if name in names:
                queryset = filterset.filters[name].filter(queryset, value)
    return queryset


def without(filterset, skip, queryset=None):
    """The filterset's base queryset (or another model's, with the same related
    fields) filtered by every valid value except `skip`'s."""
    if queryset is None:
        queryset = filterset.queryset
    return only(filterset, filterset.filters.keys() - {skip}, queryset)


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
        if start and end:
            sentence += f", {start} to {end}" if start != end else f", {start}"
        elif start:
            sentence += f", {start} onwards"
        elif end:
            sentence += f", up to {end}"
        return sentence
