from django.views.generic import DetailView

from content.exports import ExportMixin
from content.views import FilteredListView, PreviewMixin, TranslatedDetailMixin
from partners import cards
from partners.models import Activity, Source

from .entries import entries_for, split_keys, timeline_keys
from .filters import MilestoneFilter
from .models import Milestone
from .serializers import MilestoneSerializer


class TimelineView(ExportMixin, FilteredListView):
    """Milestones and activities merged into one list, grouped by year."""

    serializer = MilestoneSerializer
    export_title = "Timeline"
    formats = (*ExportMixin.formats, "ics")
    filterset_class = MilestoneFilter
    # Fifty entries keep an uncached timeline page quick to render (~2.5 KB each).
    paginate_by = 50
    context_object_name = "entries"
    count_noun = "entry,entries"
    template_name = "timeline/milestone_list.html"

    def get_queryset(self):
        return Milestone.objects.public().for_listing()

    def get_context_data(self, **kwargs):
        self.activities = Activity.objects.none()
        invalid = self.filterset.is_bound and not self.filterset.is_valid()
        if self.filterset.with_activities and not invalid:
            self.activities = self.filterset.filter_other(Activity.objects.public())
        kwargs["object_list"] = timeline_keys(self.object_list, self.activities)
        # The milestones alone, as the page's exports and feed list them.
        context = super().get_context_data(milestones=self.object_list, **kwargs)
        context["entries"] = entries_for(context["entries"])
        return context

    def cited_sources(self, keys):
        milestone_pks, activity_pks = split_keys(keys)
        return Source.objects.cited_by(
            Milestone.objects.filter(pk__in=milestone_pks),
            Activity.objects.filter(pk__in=activity_pks),
        )


class MilestoneDetailView(TranslatedDetailMixin, PreviewMixin, DetailView):
    context_object_name = "milestone"

    def get_queryset(self):
        return self.visible(
            Milestone.objects.for_listing().prefetch_related("citations__source")
        )


class MilestoneCardView(DetailView):
    """A milestone's share image: its date and partners beside the map."""

    def get_queryset(self):
        return Milestone.objects.public().for_listing()

    def render_to_response(self, context, **response_kwargs):
        milestone = self.object
        partners = milestone.partner_list
        facts = [f"{milestone.when} · Milestone of the initiative"]
        if partners:
            facts.append("With " + ", ".join(partner.name for partner in partners))
        highlight = [partner.iso_alpha3 for partner in partners]
        return cards.response(milestone, milestone.title, facts, highlight)
