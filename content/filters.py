"""Filter sets whose state is their query string, with facets counted per option."""

from dataclasses import dataclass
from urllib.parse import urlencode

import django_filters
from django import forms


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
        # Collected once per query, then looked up by primary key: on SQLite that
        # is faster than checking every record against the link table (EXISTS).
        links = field.remote_field.through.objects.filter(
            **{f"{field.m2m_reverse_field_name()}__in": value}
        )
        return queryset.filter(pk__in=links.values(field.m2m_field_name()))


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
