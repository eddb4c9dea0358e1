"""The list and detail views both apps build on."""

from django.db.models import QuerySet
from django.utils.cache import add_never_cache_headers
from django_filters.views import FilterView


class FilteredListView(FilterView):
    """A FilterView that answers 400 to invalid filter input, cites its sources, names
    one canonical address per filter state and lists the active filters as tags."""

    count_noun = "activity,activities"  # what a facet count counts, for pluralize

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sources"] = self.cited_sources(context["object_list"])
        page = context.get("page_obj")
        query = self.filterset.canonical_query(page.number if page else None)
        context["canonical_url"] = self.request.build_absolute_uri(
            self.request.path + (f"?{query}" if query else "")
        )
        context["active_filters"] = self.filterset.active_filters()
        context["facets"] = self.filterset.facets()
        context["count_noun"] = self.count_noun
        return context

    def cited_sources(self, object_list):
        if isinstance(object_list, QuerySet) and object_list.query.is_sliced:
            # A page's own records by id (the template reuses them), rather than
            # the whole filter run again to find its slice.
            pks = [record.pk for record in object_list]
            object_list = object_list.model.objects.filter(pk__in=pks)
        sources = object_list.model._meta.get_field("sources").related_model
        return sources.objects.cited_by(object_list)

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if (total := self.filterset.total()) is not None:
            paginator.count = total  # known from the facet counts: no COUNT query
        return paginator

    def render_to_response(self, context, **response_kwargs):
        if self.filterset.is_bound and not self.filterset.is_valid():
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


class PreviewMixin:
    """Detail pages: the public sees public items; editors may also preview the rest.

    Views pass their queryset through visible(): it narrows to public() for everyone
    who may not view the model in the admin, so drafts answer 404 to them.
    """

    def visible(self, queryset):
        user, opts = self.request.user, queryset.model._meta
        if user.is_staff and user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            return queryset
        return queryset.public()

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=self.object.visibility_note, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["preview"]:
            add_never_cache_headers(
                response
            )  # a draft must never sit in a shared cache
        return response


class TranslatedDetailMixin:
    """`page_languages`: the languages the record is complete in, which the base
    template offers as hreflang alternates (a page in English is no alternate)."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page_languages=self.object.translated_languages(), **kwargs
        )
