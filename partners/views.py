import csv

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.views.generic import DetailView, ListView, TemplateView

from content import dataset
from content.exports import CONTENT_TYPES, ExportMixin, bad_request
from content.views import FilteredListView, PreviewMixin, TranslatedDetailMixin

from . import cards, charts, counts
from .filters import ActivityFilter
from .maps import standing
from .models import Activity, CooperationArea, Partner, Source
from .serializers import (
    ActivitySerializer,
    AreaSerializer,
    PartnerSerializer,
    SourceSerializer,
)

# Detail pages show the latest few related records and link to the full, filterable
# list, so they stay small however many activities a partner gathers.
RELATED_LIMIT = 10


class PartnerListView(ExportMixin, ListView):
    context_object_name = "partners"
    serializer = PartnerSerializer
    export_title = "Partners"

    def get_queryset(self):
        return Partner.objects.public()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["partners"] = counts.with_totals(context["partners"], "partner")
        return context


class PartnerDetailView(TranslatedDetailMixin, PreviewMixin, DetailView):
    context_object_name = "partner"

    def get_queryset(self):
        return self.visible(Partner.objects.prefetch_related("citations__source"))

    def get_context_data(self, **kwargs):
        activities = Activity.objects.public().filter(partners=self.object)
        milestones = self.object.milestones.public().for_listing()
        latest = list(activities.for_listing()[:RELATED_LIMIT])
        total, by_area = counts.of_partner(self.object)
        areas = CooperationArea.objects.only("name", "slug")
        for area in areas:
            area.activity_count = by_area.get(area.pk, 0)
        return super().get_context_data(
            activities=latest,
            latest_activity=latest[0] if latest else None,
            areas=[area for area in areas if area.activity_count],
            activity_count=total,
            milestones=milestones.order_by("-date")[:RELATED_LIMIT],
            milestone_count=milestones.count(),
            citations=self.object.citations.all(),
            **kwargs,
        )


class AreaListView(ExportMixin, ListView):
    context_object_name = "areas"
    serializer = AreaSerializer
    export_title = "Cooperation areas"

    queryset = CooperationArea.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["areas"] = counts.with_totals(context["areas"], "area")
        return context


class AreaDetailView(TranslatedDetailMixin, DetailView):
    queryset = CooperationArea.objects.prefetch_related("citations__source")
    context_object_name = "area"

    def get_context_data(self, **kwargs):
        activities = Activity.objects.public().filter(areas=self.object)
        return super().get_context_data(
            activities=activities.for_listing()[:RELATED_LIMIT],
            activity_count=counts.totals("area").get(self.object.pk, 0),
            citations=self.object.citations.all(),
            **kwargs,
        )


class ActivityListView(ExportMixin, FilteredListView):
    serializer = ActivitySerializer
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


class ActivityDetailView(TranslatedDetailMixin, PreviewMixin, DetailView):
    context_object_name = "activity"

    def get_queryset(self):
        return self.visible(
            Activity.objects.for_listing().prefetch_related("citations__source")
        )


class SourceListView(ExportMixin, ListView):
    serializer = SourceSerializer
    export_title = "Sources"
    paginate_by = 100
    context_object_name = "sources"

    def get_queryset(self):
        return Source.objects.public()


class MatrixView(TemplateView):
    template_name = "partners/matrix.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(matrix=charts.matrix(), **kwargs)


class ChartsView(FilteredListView):
    """Charts of the activities any filter selects, each bar linked to its list."""

    filterset_class = ActivityFilter
    template_name = "partners/charts.html"

    def get_queryset(self):
        return Activity.objects.public()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for name in ("page", "format"):
            query.pop(name, None)
        context["charts"] = charts.charts(self.filterset, query)
        context["chart_query"] = query.urlencode()
        return context


class ChartDownloadView(ChartsView):
    """One chart of /charts/, with the same filters, as an SVG file or its numbers
    as CSV: /charts/per-year.svg?partner=kuwait."""

    def render_to_response(self, context, **response_kwargs):
        if self.filterset.is_bound and not self.filterset.is_valid():
            return bad_request(
                "Some filters could not be used.", self.filterset.errors.get_json_data()
            )
        chart = next(
            (c for c in context["charts"] if c.id == self.kwargs["chart"]), None
        )
        if chart is None:
            raise Http404("No such chart.")
        version = dataset.current(self.request).label
        name = f"{chart.id}-{version.replace(':', '')}.{self.kwargs['ext']}"
        headers = {
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Dataset-Version": version,
        }
        if self.kwargs["ext"] == "csv":
            response = HttpResponse(content_type=CONTENT_TYPES["csv"], headers=headers)
            csv.writer(response).writerows(chart.table())
            return response
        svg = render_to_string("partners/chart.svg", {"chart": chart})
        return HttpResponse(svg, content_type="image/svg+xml", headers=headers)


class PartnerCardView(DetailView):
    """The profile's share image: its standing and facts beside the map."""

    def get_queryset(self):
        return Partner.objects.public()

    def render_to_response(self, context, **response_kwargs):
        partner = self.object
        total = counts.totals("partner").get(partner.pk, 0)
        facts = [
            f"{partner.official_name}: {standing(partner)}.",
            f"Capital: {partner.capital}.",
            f"{total} recorded activit{'y' if total == 1 else 'ies'} with NATO.",
        ]
        return cards.response(partner, partner.name, facts, [partner.iso_alpha3])


class ActivityCardView(DetailView):
    """An activity's share image: when, what, with whom, where, and the map."""

    def get_queryset(self):
        return Activity.objects.public().for_listing()

    def render_to_response(self, context, **response_kwargs):
        activity = self.object
        partners = activity.partner_list
        facts = [f"{activity.when} · {activity.get_kind_display()}"]
        if partners:
            facts.append("With " + ", ".join(p.name for p in partners))
        if activity.location:
            facts.append(activity.location)
        highlight = [partner.iso_alpha3 for partner in partners]
        return cards.response(activity, activity.title, facts, highlight)
