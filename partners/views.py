from django.db.models import QuerySet
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from . import stats
from .exports import ExportMixin
from .filters import ActivityFilter
from .models import Activity, CooperationArea, Partner, Source
from .records import ActivityRecord, AreaRecord, PartnerRecord, SourceRecord

# Detail pages show the latest few related records and link to the full, filterable
# list, so they stay small however many activities a partner gathers.
RELATED_LIMIT = 10


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
        return Source.objects.cited_by(object_list)

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


class PartnerListView(ExportMixin, ListView):
    context_object_name = "partners"
    record_type = PartnerRecord
    export_title = "Partners"

    def get_queryset(self):
        return Partner.objects.public().with_activity_counts()


class PartnerDetailView(PreviewMixin, DetailView):
    context_object_name = "partner"

    def get_queryset(self):
        return self.visible(Partner.objects.prefetch_related("sources"))

    def get_context_data(self, **kwargs):
        activities = Activity.objects.public().filter(partners=self.object)
        milestones = self.object.milestones.public().for_listing()
        latest = list(activities.for_listing()[:RELATED_LIMIT])
        total, by_area = self.object.activity_counts()
        areas = CooperationArea.objects.only("name", "slug").counted(by_area)
        return super().get_context_data(
            activities=latest,
            latest_activity=latest[0] if latest else None,
            areas=[area for area in areas if area.activity_count],
            activity_count=total,
            milestones=milestones.order_by("-date")[:RELATED_LIMIT],
            milestone_count=milestones.count(),
            sources=self.object.sources.all(),
            **kwargs,
        )


class AreaListView(ExportMixin, ListView):
    context_object_name = "areas"
    record_type = AreaRecord
    export_title = "Cooperation areas"

    def get_queryset(self):
        return CooperationArea.objects.with_activity_counts()


class AreaDetailView(DetailView):
    queryset = CooperationArea.objects.prefetch_related("sources")
    context_object_name = "area"

    def get_context_data(self, **kwargs):
        activities = Activity.objects.public().filter(areas=self.object)
        return super().get_context_data(
            activities=activities.for_listing()[:RELATED_LIMIT],
            activity_count=activities.count(),
            sources=self.object.sources.all(),
            **kwargs,
        )


class ActivityListView(ExportMixin, FilteredListView):
    record_type = ActivityRecord
    export_title = "Activities"
    formats = (*ExportMixin.formats, "ics")
    filterset_class = ActivityFilter
    paginate_by = 20
    context_object_name = "activities"

    def get_queryset(self):
        return Activity.objects.public().for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        count = context["paginator"].count if context["paginator"] else 0
        context["summary"] = self.filterset.summary(count)
        return context


class ActivityDetailView(PreviewMixin, DetailView):
    context_object_name = "activity"

    def get_queryset(self):
        return self.visible(Activity.objects.for_listing().prefetch_related("sources"))


class SourceListView(ExportMixin, ListView):
    record_type = SourceRecord
    export_title = "Sources"
    model = Source
    paginate_by = 100
    context_object_name = "sources"


class MatrixView(TemplateView):
    template_name = "partners/matrix.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            matrix=stats.matrix(Activity.objects.public()), **kwargs
        )


class ChartsView(FilteredListView):
    """Charts of the activities any filter selects, each bar linked to its list."""

    filterset_class = ActivityFilter
    template_name = "partners/charts.html"

    def get_queryset(self):
        return Activity.objects.public()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Count from a fresh queryset so the filter's joins don't narrow the groups.
        selected = Activity.objects.public().filter(
            pk__in=self.object_list.values("pk")
        )
        query = self.request.GET.copy()
        for name in ("page", "format"):
            query.pop(name, None)
        context["charts"] = stats.charts(selected, query)
        return context
